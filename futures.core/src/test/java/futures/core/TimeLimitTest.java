package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.spi.BrokenExecutorException;
import futures.spi.CallTimeoutException;
import futures.spi.WorkItem;
import futures.spi.WorkerPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The core's enforcement of a call's time limit on pools whose calls do not run in this JVM: one
 * that cannot stop a running call, one that stops it and says how from inside stopRunning, and one
 * that stops it later. The items run when the test says so, so every step is exact.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimeLimitTest {

    /** A pool whose items the test runs by hand; it may stop a running call, reporting as told. */
    static final class HandPool implements WorkerPool {
        final BlockingQueue<WorkItem> queue = new ArrayBlockingQueue<>(16);
        final boolean stops;
        /** What stopRunning reports from inside, or null to report nothing there. */
        final String report;
        final List<WorkItem> stopped = new ArrayList<>();

        HandPool(boolean stops, String report) {
            this.stops = stops;
            this.report = report;
        }

        @Override
        public void execute(WorkItem item) {
            queue.add(item);
        }

        @Override
        public void shutdown(boolean wait) {}

        @Override
        public boolean stopsRunningCalls() {
            return stops;
        }

        @Override
        public synchronized void stopRunning(WorkItem item) {
            stopped.add(item);
            if (report != null) {
                item.fail(new IllegalStateException(report));
            }
        }

        @Override
        public int maxWorkers() {
            return 1;
        }

        @Override
        public BrokenExecutorException broken() {
            return null;
        }
    }

    @Test
    @DisplayName("A pool that cannot stop a call: the future fails at the deadline; the call's late value is discarded and settles the item")
    void cannotStop() throws Exception {
        HandPool pool = new HandPool(false, null);
        Executor ex = new Executor("hand", pool);
        Future<Integer> f = ex.submit(Duration.ofMillis(100), () -> 7);
        WorkItem item = pool.queue.take();
        long start = System.nanoTime();
        assertTrue(item.markRunning());
        CallTimeoutException e = assertInstanceOf(CallTimeoutException.class, f.exception(Duration.ofSeconds(30)));
        assertTrue(System.nanoTime() - start >= 100_000_000L, "not before the deadline");
        assertEquals("the call exceeded its time limit of 100 ms (counted from when it started running); provider"
                + " 'hand' cannot stop a running call: it runs on where it is, and its outcome is discarded", e.getMessage());
        ex.shutdown(false);
        assertFalse(ex.isTerminated(), "the call still runs where it is");
        assertFalse(item.complete(7), "its late value is discarded");
        assertTrue(ex.isTerminated(), "and its report settled the item");
        assertSame(e, f.exception());
    }

    @Test
    @DisplayName("A pool that stops the call and reports from inside stopRunning: its words end the CallTimeoutException's message")
    void stopsAndSaysHow() throws Exception {
        HandPool pool = new HandPool(true, "killed worker pid 4242; another worker starts when work waits");
        Executor ex = new Executor("hand", pool);
        Future<Integer> f = ex.submit(Duration.ofMillis(50), () -> 7);
        WorkItem item = pool.queue.take();
        assertTrue(item.markRunning());
        CallTimeoutException e = assertInstanceOf(CallTimeoutException.class, f.exception(Duration.ofSeconds(30)));
        assertEquals("the call exceeded its time limit of 50 ms (counted from when it started running); killed worker"
                + " pid 4242; another worker starts when work waits", e.getMessage());
        synchronized (pool) {
            assertEquals(List.of(item), pool.stopped);
        }
        ex.shutdown(false);
        assertTrue(ex.isTerminated(), "the report settled the item");
    }

    @Test
    @DisplayName("A pool that stops the call but reports later: the future fails at the deadline, and a later report, even a failure, changes nothing")
    void stopsAndReportsLater() throws Exception {
        HandPool pool = new HandPool(true, null);
        Executor ex = new Executor("hand", pool);
        Future<Integer> f = ex.submit(Duration.ofMillis(50), () -> 7);
        WorkItem item = pool.queue.take();
        assertTrue(item.markRunning());
        CallTimeoutException e = assertInstanceOf(CallTimeoutException.class, f.exception(Duration.ofSeconds(30)));
        assertTrue(e.getMessage().endsWith("; asked provider 'hand' to stop it where it runs"), e.getMessage());
        ex.shutdown(false);
        assertFalse(ex.isTerminated());
        assertFalse(item.fail(new IllegalStateException("worker gone")));
        assertTrue(ex.isTerminated());
        assertSame(e, f.exception());
    }

    @Test
    @DisplayName("A call that reports before its deadline keeps its outcome, and its deadline is forgotten")
    void inTime() throws Exception {
        HandPool pool = new HandPool(true, "never");
        Executor ex = new Executor("hand", pool);
        Future<Integer> f = ex.submit(Duration.ofMillis(200), () -> 7);
        WorkItem item = pool.queue.take();
        assertTrue(item.markRunning());
        assertTrue(item.complete(8));
        assertEquals(8, f.result());
        Future<Integer> g = ex.submit(Duration.ofMillis(200), () -> 7);
        WorkItem second = pool.queue.take();
        assertTrue(second.markRunning());
        IllegalStateException own = new IllegalStateException("its own");
        assertTrue(second.fail(own));
        assertSame(own, g.exception());
        // Waiting is the point: twice the limits pass, and nothing may fire.
        assertThrows(WaitTimeoutException.class, () -> new Future<Void>().result(Duration.ofMillis(400)));
        synchronized (pool) {
            assertEquals(List.of(), pool.stopped, "no deadline fired after the calls ended");
        }
    }

    @Test
    @DisplayName("A queued call's deadline does not run: it is cancelled before it starts, and never stopped")
    void queuedNeverArmed() throws Exception {
        HandPool pool = new HandPool(true, "never");
        Executor ex = new Executor("hand", pool);
        Future<Integer> f = ex.submit(Duration.ofMillis(20), () -> 7);
        WorkItem item = pool.queue.take();
        assertThrows(WaitTimeoutException.class, () -> f.result(Duration.ofMillis(200)));
        assertTrue(f.cancel());
        assertFalse(item.markRunning());
        assertNull(item.task(), "a cancelled call lets go of its task");
    }

    @Test
    @DisplayName("Deadlock detection: a limited call blocked in a registered wait is interrupted at its deadline, leaves the wait, and no registration is left behind")
    void deadlockRecordsStayConsistent() throws Exception {
        Executor holder = ThreadsPool.executorInJvm(1);
        Executor limited = ThreadsPool.executorInJvm(1);
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        try {
            java.util.concurrent.CountDownLatch left = new java.util.concurrent.CountDownLatch(1);
            Future<Boolean> held = holder.submit(() -> hold.await(60, TimeUnit.SECONDS));
            java.util.concurrent.atomic.AtomicReference<Throwable> seen = new java.util.concurrent.atomic.AtomicReference<>();
            Future<Boolean> waiter = limited.submit(Duration.ofMillis(200), () -> {
                try {
                    return held.result(); // a future of a detecting executor, running: a registered wait
                } catch (RuntimeException e) {
                    seen.set(e);
                    throw e;
                } finally {
                    left.countDown();
                }
            });
            CallTimeoutException e = assertInstanceOf(CallTimeoutException.class, waiter.exception(Duration.ofSeconds(30)));
            assertTrue(e.getMessage().contains("interrupted thread"), e.getMessage());
            assertTrue(left.await(30, TimeUnit.SECONDS));
            assertInstanceOf(WaitInterruptedException.class, seen.get(), "the interrupt ended the wait");
            assertEquals(0, Deadlocks.registeredForTests(), "the interrupted wait left the detector's records");
            hold.countDown();
            assertTrue(held.result(Duration.ofSeconds(30)));
            assertEquals(5, limited.submit(() -> 5).result(Duration.ofSeconds(30)), "its worker serves on");
        } finally {
            hold.countDown();
            holder.shutdown();
            limited.shutdown();
        }
    }

    @Test
    @DisplayName("Limits read as people write them")
    void describe() {
        assertEquals("200 ms", TimeLimit.describe(Duration.ofMillis(200)));
        assertEquals("0.5 ms", TimeLimit.describe(Duration.ofNanos(500_000)));
        assertEquals("1.5 s", TimeLimit.describe(Duration.ofMillis(1500)));
        assertEquals("30 s", TimeLimit.describe(Duration.ofSeconds(30)));
    }
}
