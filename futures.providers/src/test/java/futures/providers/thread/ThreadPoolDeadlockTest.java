package futures.providers.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.core.WaitTimeoutException;
import futures.spi.ExecutorConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The reference's two thread-pool deadlocks with deadlock detection turned off
 * ({@code deadlock_detection=false}), so they happen as in CPython (see docs/deadlocks.md; with
 * detection on, the default, DeadlockDetectionTest shows them failing at once). The guard is the
 * waiting call's own timeout, standing in for "forever": each task waits with result(Duration),
 * so the suite cannot hang, and the test shows that the wait ran out with the other future still
 * not done.
 */
@Timeout(60)
class ThreadPoolDeadlockTest {
    private static final Duration STANDS_FOR_FOREVER = Duration.ofSeconds(1);
    /** A wait that must not run out in a passing test: a guard against a hang, not a speed check. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);

    private static ExecutorConfig noDetection(int workers) {
        return ExecutorConfig.builder().maxWorkers(workers).deadlockDetection(false).build();
    }

    @Test
    @DisplayName("Deadlocks can occur when the callable associated with a Future waits on the results of another Future: wait_on_b and wait_on_a on two workers")
    void twoTasksWaitingOnEachOther() {
        Executor executor = Executors.create("thread", noDetection(2));
        AtomicReference<Future<Integer>> a = new AtomicReference<>();
        AtomicReference<Future<Integer>> b = new AtomicReference<>();
        CountDownLatch bothSubmitted = new CountDownLatch(1);
        CountDownLatch bothWaiting = new CountDownLatch(2);
        CountDownLatch seenRunning = new CountDownLatch(1);
        try {
            // Only a's wait stands for "forever" and runs out; b waits on a with a hang guard, so b
            // can end only after a has: b is RUNNING for as long as a waits, whatever the timing.
            // a starts its wait only once the test has seen both calls running (before, a late
            // look could come after a's one second and find a done).
            a.set(executor.submit(() -> { // wait_on_b
                bothSubmitted.await();
                bothWaiting.countDown();
                seenRunning.await();
                return b.get().result(STANDS_FOR_FOREVER) + 5; // b will never complete because it is waiting on a
            }));
            b.set(executor.submit(() -> { // wait_on_a
                bothSubmitted.await();
                bothWaiting.countDown();
                return a.get().result(HANG_GUARD) + 6; // a will never complete because it is waiting on b
            }));
            bothSubmitted.countDown();
            bothWaiting.await();
            assertTrue(a.get().running() && b.get().running(), "both calls run, each blocked on the other");
            seenRunning.countDown();
            Throwable ea = a.get().exception(HANG_GUARD);
            Throwable eb = b.get().exception(HANG_GUARD);
            // Neither could ever finish: a gave up only because its wait had a timeout, and b only
            // because a's result() then raised a's WaitTimeoutException in it.
            assertInstanceOf(WaitTimeoutException.class, ea);
            assertInstanceOf(WaitTimeoutException.class, eb);
            assertSame(ea, eb, "b failed only because a's result() raised a's timeout in it");
            assertTrue(ea.getMessage().contains("state=RUNNING"), "a waited on a running b: " + ea.getMessage());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            bothSubmitted.countDown();
            seenRunning.countDown();
            executor.shutdown();
        }
    }

    @Test
    @DisplayName("Deadlock: wait_on_future on a one-worker executor submits pow(5, 2) and waits for it, but the only worker is executing wait_on_future")
    void taskWaitingOnItsOwnExecutor() {
        Executor executor = Executors.create("thread", noDetection(1));
        AtomicReference<Future<Double>> inner = new AtomicReference<>();
        try {
            Future<Double> outer = executor.submit(() -> { // wait_on_future
                Future<Double> f = executor.submit(Math::pow, 5.0, 2.0);
                inner.set(f);
                // This will never complete because there is only one worker thread and it is executing this function.
                return f.result(STANDS_FOR_FOREVER);
            });
            Throwable e = outer.exception(Duration.ofSeconds(30));
            assertInstanceOf(WaitTimeoutException.class, e);
            assertTrue(e.getMessage().contains("state=PENDING"), "pow(5, 2) never started: " + e.getMessage());
            // Once the outer call gives up, the worker is free and pow(5, 2) runs.
            assertEquals(25.0, inner.get().result(Duration.ofSeconds(30)));
        } finally {
            executor.shutdown();
        }
    }

    @Test
    @DisplayName("The same call on two workers does not deadlock: pow(5, 2) runs on the second worker")
    void twoWorkersAvoidIt() {
        try (Executor executor = Executors.create("thread", ExecutorConfig.builder().maxWorkers(2).build())) {
            Future<Double> outer = executor.submit(() -> executor.submit(Math::pow, 5.0, 2.0).result(Duration.ofSeconds(30)));
            assertEquals(25.0, outer.result(Duration.ofSeconds(30)));
            assertFalse(outer.cancelled());
        }
    }
}
