package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.spi.BrokenProcessPoolException;
import futures.spi.ExecutorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link Executor#terminateWorkers()} and {@link Executor#killWorkers()} on "process" (CPython 3.14's process.py). */
@Timeout(120)
class StopWorkersTest {
    @TempDir
    Path dir;

    private static void awaitFile(Path p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a hang guard only
        while (!Files.exists(p)) {
            assertTrue(System.nanoTime() < deadline, "the call never started: " + p);
            Thread.sleep(10);
        }
    }

    private static void awaitExit(long pid) throws Exception {
        var handle = ProcessHandle.of(pid);
        if (handle.isPresent()) {
            handle.get().onExit().get(60, TimeUnit.SECONDS);
        }
    }

    private static Executor pool() {
        return Executors.create("process", ExecutorConfig.builder().maxWorkers(1).build());
    }

    @Test
    @DisplayName("terminateWorkers: SIGTERM to the worker running a call; the call fails with BrokenProcessPoolException naming the signal and pid; pending calls cancelled; the pool is broken")
    void terminateWorkers() throws Exception {
        Executor ex = pool();
        long pid = ex.submit(StopTasks.pid()).result();
        Path ready = dir.resolve("ready");
        Future<String> running = ex.submit(StopTasks.sleepForever(ready.toString(), false));
        Future<Long> pending = ex.submit(StopTasks.pid());
        awaitFile(ready);
        ex.terminateWorkers();
        assertTrue(pending.cancelled());
        BrokenProcessPoolException e = assertThrows(BrokenProcessPoolException.class,
                () -> running.result(Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains("SIGTERM") && e.getMessage().contains(String.valueOf(pid)), e.getMessage());
        assertTrue(e.getMessage().startsWith("terminate_workers()"), e.getMessage());
        awaitExit(pid);
        assertThrows(RejectedExecutionException.class, () -> ex.submit(StopTasks.pid()));
        ex.shutdown(true);
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    @DisplayName("killWorkers: SIGKILL ends a worker that SIGTERM could not (a shutdown hook that never returns)")
    void killEndsWhatTerminateCouldNot() throws Exception {
        Executor ex = pool();
        long pid = ex.submit(StopTasks.pid()).result();
        Path ready = dir.resolve("stubborn");
        Future<String> running = ex.submit(StopTasks.sleepForever(ready.toString(), true));
        awaitFile(ready);
        ex.terminateWorkers();
        BrokenProcessPoolException e = assertThrows(BrokenProcessPoolException.class,
                () -> running.result(Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains("SIGTERM"), e.getMessage());
        ProcessHandle worker = ProcessHandle.of(pid).orElseThrow();
        Thread.sleep(500);
        assertTrue(worker.isAlive(), "a worker whose shutdown hook hangs outlives SIGTERM");
        ex.killWorkers();
        worker.onExit().get(60, TimeUnit.SECONDS);
        ex.shutdown(true);
    }

    @Test
    @DisplayName("killWorkers alone: the running call fails naming SIGKILL, the idle workers go too, shutdown(true) returns")
    void killWorkers() throws Exception {
        Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(2).build());
        Path ready = dir.resolve("k");
        Future<String> running = ex.submit(StopTasks.sleepForever(ready.toString(), false));
        awaitFile(ready);
        ex.killWorkers();
        BrokenProcessPoolException e = assertThrows(BrokenProcessPoolException.class,
                () -> running.result(Duration.ofSeconds(30)));
        assertTrue(e.getMessage().startsWith("kill_workers() sent SIGKILL"), e.getMessage());
        ex.shutdown(true); // returns once both workers, the idle one too, are gone
    }

    @Test
    @DisplayName("cancelRunning: cancel() refuses the running call; cancelRunning kills its worker, the future is cancelled, a new worker takes its place and runs the call queued behind it")
    void cancelRunningReplacesTheWorker() throws Exception {
        Executor ex = pool();
        long pid = ex.submit(StopTasks.pid()).result();
        Path ready = dir.resolve("cancel");
        Future<String> running = ex.submit(StopTasks.sleepForever(ready.toString(), false));
        Future<Long> queued = ex.submit(StopTasks.pid());
        awaitFile(ready);
        assertFalse(running.cancel(), "Python's cancel() refuses a running call");
        assertTrue(running.cancelRunning());
        assertTrue(running.cancelled());
        assertThrows(java.util.concurrent.CancellationException.class, running::result);
        awaitExit(pid);
        long next = queued.result(Duration.ofSeconds(60));
        assertTrue(next != pid, "the queued call ran on a new worker");
        assertTrue(ex.submit(StopTasks.pid()).result(Duration.ofSeconds(60)) == next, "the pool goes on, not broken");
        ex.shutdown(true);
    }
}
