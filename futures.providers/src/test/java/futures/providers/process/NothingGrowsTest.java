package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nothing a pool registers outlives it: no per-pool entry for deletion at JVM exit (the JDK's
 * {@code deleteOnExit} list only grows), no per-worker timer left queued once the worker connected.
 */
class NothingGrowsTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("200 pools made and shut down leave no directory registered for deletion at exit")
    void noExitRegistrationPerPool() throws InterruptedException {
        // a pool whose settings match a parked worker makes its directory only when it starts a JVM
        assertTrue(WorkerPark.clear(30_000), "parked workers of earlier tests exit");
        int before = Launcher.liveDirectories();
        for (int i = 0; i < 200; i++) {
            Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1).build());
            assertEquals(before + 1, Launcher.liveDirectories(), "a live pool's directory is registered");
            ex.shutdown(true);
        }
        assertEquals(before, Launcher.liveDirectories(), "registered for deletion at exit after 200 pools");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @DisplayName("pools whose workers started, ran a task and were shut down leave no timer task queued")
    void noTimerPerWorker() throws InterruptedException {
        assertTrue(WorkerPark.clear(30_000), "parked workers of earlier tests exit");
        int before = Timers.pending(); // a pool another test left open may hold its workers' watchdogs
        for (int i = 0; i < 12; i++) {
            try (Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(2).build())) {
                ex.map(x -> x + 1, java.util.List.of(1, 2, 3, 4)).forEachRemaining(x -> { });
            }
        }
        int after = Timers.pending();
        int parked = WorkerPark.pids().size(); // each parked worker has its idle limit's timer, and they are bounded
        assertTrue(parked <= WorkerPark.bound(2), "parked: " + parked);
        assertTrue(after <= before + parked, "timer tasks queued after 12 pools of 2 workers were shut down: " + after
                + ", before: " + before + ", parked workers: " + parked);
        assertTrue(WorkerPark.clear(30_000));
        assertTrue(Timers.pending() <= before, "the parked workers' timers went with them: " + Timers.pending());
    }
}
