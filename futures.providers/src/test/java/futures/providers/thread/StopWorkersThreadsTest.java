package futures.providers.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.spi.BrokenThreadPoolException;
import futures.spi.ExecutorConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Executor#terminateWorkers()} and {@link Executor#killWorkers()} on the providers whose
 * workers are threads: the running call's thread is interrupted and the call fails at once.
 */
@Timeout(60)
class StopWorkersThreadsTest {

    @ParameterizedTest(name = "{0}, kill={1}")
    @CsvSource({"thread, false", "thread, true", "virtual, false", "virtual, true"})
    @DisplayName("terminateWorkers/killWorkers on threads: the running call is interrupted and fails with BrokenThreadPoolException, pending calls are cancelled, the pool is broken")
    void interruptsAndFailsTheRunningCalls(String provider, boolean kill) throws Exception {
        Executor ex = Executors.create(provider, ExecutorConfig.builder().maxWorkers(2).build());
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch interrupted = new CountDownLatch(2);
        CountDownLatch neverReleased = new CountDownLatch(1);
        Future<String>[] running = new Future[2];
        for (int i = 0; i < 2; i++) {
            running[i] = ex.submit(() -> {
                started.countDown();
                try {
                    neverReleased.await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
                return "released";
            });
        }
        Future<String> pending = ex.submit(() -> "never");
        assertTrue(started.await(30, TimeUnit.SECONDS));
        if (kill) {
            ex.killWorkers();
        } else {
            ex.terminateWorkers();
        }
        assertTrue(pending.cancelled());
        for (Future<String> f : running) {
            BrokenThreadPoolException e = assertThrows(BrokenThreadPoolException.class, () -> f.result(Duration.ZERO),
                    "the running call failed by the time terminateWorkers returned");
            assertTrue(e.getMessage().startsWith(kill ? "kill_workers()" : "terminate_workers()")
                    && e.getMessage().contains("interrupted"), e.getMessage());
        }
        assertTrue(interrupted.await(30, TimeUnit.SECONDS), "each running call's thread was interrupted");
        assertThrows(RejectedExecutionException.class, () -> ex.submit(() -> "late"));
        ex.shutdown(true); // the threads are gone once their calls returned
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"thread", "virtual"})
    @DisplayName("terminateWorkers on an idle pool breaks it and its threads end")
    void idlePool(String provider) {
        Executor ex = Executors.create(provider, ExecutorConfig.builder().maxWorkers(2).build());
        ex.submit(() -> 1).result();
        ex.terminateWorkers();
        assertThrows(RejectedExecutionException.class, () -> ex.submit(() -> 2));
        ex.shutdown(true);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"thread", "virtual"})
    @DisplayName("cancelRunning on threads: cancel() refuses the running call; cancelRunning interrupts it and cancels its future; the worker goes on, its next call not interrupted")
    void cancelRunningInterrupts(String provider) throws Exception {
        Executor ex = Executors.create(provider, ExecutorConfig.builder().maxWorkers(1).build());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch neverReleased = new CountDownLatch(1);
        Future<String> running = ex.submit(() -> {
            started.countDown();
            try {
                neverReleased.await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return "released";
        });
        Future<Boolean> next = ex.submit(() -> {
            Thread.sleep(100); // an interrupt leaked from the cancelled call would end this early
            return Thread.currentThread().isInterrupted();
        });
        assertTrue(started.await(30, TimeUnit.SECONDS));
        assertFalse(running.cancel(), "Python's cancel() refuses a running call");
        assertTrue(running.cancelRunning());
        assertTrue(running.cancelled());
        assertThrows(java.util.concurrent.CancellationException.class, running::result);
        assertTrue(interrupted.await(30, TimeUnit.SECONDS), "the call's thread was interrupted");
        assertFalse(next.result(Duration.ofSeconds(30)), "the next call ran, uninterrupted");
        assertEquals(7, ex.submit(() -> 7).result());
        ex.shutdown(true);
    }
}
