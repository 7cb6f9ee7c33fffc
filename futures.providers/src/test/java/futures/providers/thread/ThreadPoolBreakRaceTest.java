package futures.providers.thread;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.spi.BrokenThreadPoolException;
import futures.spi.ExecutorConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Races in the thread provider: an initializer failure against shutdown, and a queued future that
 * its user settles before a worker takes it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThreadPoolBreakRaceTest {

    @Test
    @DisplayName("an initializer that fails after shutdown(wait=false) does not strand the other workers: shutdown(wait=true) returns")
    @SuppressWarnings("try") // the log is checked when the block closes
    void initializerFailsAfterShutdown() throws Exception {
        try (futures.providers.InitializerLog initializerLog = new futures.providers.InitializerLog(1)) {
            CountDownLatch secondInitEntered = new CountDownLatch(1);
            CountDownLatch failSecondInit = new CountDownLatch(1);
            CountDownLatch firstTaskStarted = new CountDownLatch(1);
            CountDownLatch releaseFirstTask = new CountDownLatch(1);
            AtomicInteger inits = new AtomicInteger();
            AtomicReference<Thread> failing = new AtomicReference<>();
            Executor ex = Executors.create("thread", ExecutorConfig.builder().maxWorkers(2).initializer(() -> {
                if (inits.incrementAndGet() == 2) {
                    failing.set(Thread.currentThread());
                    secondInitEntered.countDown();
                    failSecondInit.await();
                    throw new IllegalStateException("second initializer fails");
                }
            }).build());
            try {
                Future<Boolean> first = ex.submit(() -> {
                    firstTaskStarted.countDown();
                    return releaseFirstTask.await(30, TimeUnit.SECONDS);
                });
                firstTaskStarted.await();
                Future<Integer> second = ex.submit(() -> 2); // no idle worker: starts the second, whose initializer waits
                secondInitEntered.await();
                ex.shutdown(false); // queues one stop marker per worker behind `second`
                failSecondInit.countDown(); // the pool breaks: `second` fails
                failing.get().join(); // the failing worker is done breaking the pool
                assertInstanceOf(BrokenThreadPoolException.class, second.exception());
                releaseFirstTask.countDown();
                assertTrue(first.result());
                // the first worker, now idle, must still find a way out
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> ex.shutdown(true),
                        "shutdown(wait=true) hangs: the break drained the stop markers the other worker needed");
            } finally {
                failSecondInit.countDown();
                releaseFirstTask.countDown();
            }
        }
    }

    @Test
    @DisplayName("a queued future that its user settles with setResult is skipped by the worker, which keeps serving")
    void userSettledQueuedFuture() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Executor ex = Executors.create("thread", ExecutorConfig.builder().maxWorkers(1).build());
        Future<Integer> after = null;
        try {
            Future<Boolean> blocker = ex.submit(() -> {
                started.countDown();
                return release.await(30, TimeUnit.SECONDS);
            });
            started.await();
            Future<String> queued = ex.submit(() -> "ran");
            queued.setResult("set by its user"); // Python allows it; the worker then finds it finished
            after = ex.submit(() -> 3);
            release.countDown();
            assertTrue(blocker.result());
            org.junit.jupiter.api.Assertions.assertEquals(3, after.result(Duration.ofSeconds(20)),
                    "the only worker survived the settled item and ran the next one");
            org.junit.jupiter.api.Assertions.assertEquals("set by its user", queued.result());
            ex.shutdown(false);
            assertTrue(ex.asExecutorService().awaitTermination(20, TimeUnit.SECONDS),
                    "the skipped item still counts as settled, so the executor terminates: " + ex);
        } finally {
            release.countDown();
            if (after != null) {
                after.cancel(); // never leave a pending future behind for the exit guard
            }
            ex.shutdown(false);
        }
    }
}
