package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.spi.WorkItem;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Executor#submit}, {@code execute} and {@code shutdown}: one sentence of the reference per test. */
@Timeout(30)
class ExecutorTest {
    private static final Duration LONG = Duration.ofSeconds(20);

    @Test
    @DisplayName("submit schedules the callable, fn, to be executed as fn(*args) and returns a Future object representing the execution")
    void submitZeroOneTwoArguments() {
        try (Executor ex = ThreadsPool.executor(2)) {
            assertEquals("none", ex.submit(() -> "none").result(LONG));
            assertEquals(4, ex.submit((Integer i) -> i * 2, 2).result(LONG));
            assertEquals(Math.pow(323, 1235), ex.submit(Math::pow, 323.0, 1235.0).result(LONG));
            assertEquals("null arg", ex.submit((String s) -> s == null ? "null arg" : s, null).result(LONG));
        }
    }

    @Test
    @DisplayName("The future of a call that raised holds the exception; the executor keeps serving")
    void submitFailing() {
        try (Executor ex = ThreadsPool.executor(1)) {
            Future<Object> f = ex.submit(() -> {
                throw new IllegalStateException("task");
            });
            assertEquals("task", f.exception(LONG).getMessage());
            assertEquals(1, ex.submit(() -> 1).result(LONG));
        }
    }

    @Test
    @DisplayName("A future made by submit is pending, then running while the call runs, then finished")
    void submitStates() throws Exception {
        ManualPool.Pair p = ManualPool.create();
        Future<String> f = p.executor().submit(() -> "v");
        Checks.checkPending(f);
        WorkItem item = p.pool().take();
        assertTrue(item.markRunning());
        Checks.checkRunning(f);
        assertFalse(f.cancel(), "a running call cannot be cancelled");
        item.complete(item.task().call());
        Checks.checkFinished(f, "v");
    }

    @Test
    @DisplayName("A call cancelled before it starts is never run")
    void cancelledCallNeverRuns() {
        ManualPool.Pair p = ManualPool.create();
        boolean[] ran = new boolean[1];
        Future<Object> f = p.executor().submit(() -> ran[0] = true);
        assertTrue(f.cancel());
        assertFalse(p.pool().runNext());
        assertFalse(ran[0]);
    }

    @Test
    @DisplayName("Calls to Executor.submit made after shutdown will raise RuntimeError (RejectedExecutionException)")
    void submitAfterShutdown() {
        ManualPool.Pair p = ManualPool.create();
        p.executor().shutdown();
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> p.executor().submit(() -> 1));
        assertTrue(e.getMessage().contains("after shutdown"), e.getMessage());
        assertThrows(RejectedExecutionException.class, () -> p.executor().submit((Integer i) -> i, 1));
        assertThrows(RejectedExecutionException.class, () -> p.executor().submit(Math::max, 1, 2));
        assertThrows(RejectedExecutionException.class, () -> p.executor().execute(() -> {}));
        assertEquals(0, p.pool().queued());
        assertTrue(p.executor().isShutdown());
        assertTrue(p.executor().toString().contains("shut down"), p.executor().toString());
    }

    @Test
    @DisplayName("shutdown twice is harmless")
    void shutdownTwice() {
        try (Executor ex = ThreadsPool.executor(2)) {
            Future<Integer> f = ex.submit(() -> 1);
            ex.shutdown();
            ex.shutdown();
            ex.shutdown(false);
            ex.shutdown(true, true);
            assertEquals(1, f.resultNow());
        }
    }

    @Test
    @DisplayName("shutdown(wait=True) will not return until all the pending futures are done executing")
    void shutdownWaits() {
        Executor ex = ThreadsPool.executor(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> fs = List.of(ex.submit(() -> {
            go.await();
            return 1;
        }), ex.submit(() -> 2), ex.submit(() -> 3));
        Thread releaser = new Thread(go::countDown);
        releaser.start();
        ex.shutdown();
        for (Future<Integer> f : fs) {
            assertTrue(f.done(), f + " not done after shutdown(wait=true)");
        }
    }

    @Test
    @DisplayName("shutdown(wait=False) returns immediately; pending futures still finish")
    void shutdownNoWait() {
        Executor ex = ThreadsPool.executor(1);
        CountDownLatch go = new CountDownLatch(1);
        Future<Integer> f = ex.submit(() -> {
            go.await();
            return 1;
        });
        Future<Integer> g = ex.submit(() -> 2);
        try {
            ex.shutdown(false);
            assertFalse(g.done());
        } finally {
            go.countDown();
        }
        assertEquals(1, f.result(LONG));
        assertEquals(2, g.result(LONG));
    }

    @Test
    @DisplayName("A call running on the executor may call shutdown(wait=False) without deadlock")
    void shutdownFromTask() {
        Executor ex = ThreadsPool.executor(1);
        Future<Boolean> f = ex.submit(() -> {
            ex.shutdown(false);
            return ex.isShutdown();
        });
        assertTrue(f.result(LONG));
        ex.shutdown();
    }

    @Test
    @DisplayName("A call running on the executor that calls shutdown(wait=True) gets IllegalStateException, not a deadlock; the shutdown still happens")
    void shutdownWaitFromTask() {
        Executor ex = ThreadsPool.executor(1);
        Future<Object> f = ex.submit(() -> {
            ex.shutdown(true);
            return null;
        });
        assertInstanceOf(IllegalStateException.class, f.exception(LONG));
        assertTrue(ex.isShutdown());
        ex.shutdown();
    }

    @Test
    @DisplayName("execute runs the command and logs what it throws")
    void executeLogsFailure() throws Exception {
        Executor ex = ThreadsPool.executor(1);
        IllegalStateException boom = new IllegalStateException("from execute");
        try (LogCapture log = new LogCapture("futures.core.Executor")) {
            CountDownLatch ran = new CountDownLatch(1);
            ex.execute(ran::countDown);
            ex.execute(() -> {
                throw boom;
            });
            ex.shutdown();
            assertEquals(0, ran.getCount());
            List<LogRecord> records = log.records();
            assertEquals(1, records.size(), records.toString());
            assertSame(boom, records.get(0).getThrown());
        }
    }

    @Test
    @DisplayName("An executor shows its provider, worker bound and pending count")
    void toStringShowsState() {
        ManualPool.Pair p = ManualPool.create();
        p.executor().submit(() -> 1);
        assertEquals("Executor[manual, max_workers=1, pending=1]", p.executor().toString());
        assertEquals("manual", p.executor().providerName());
        assertEquals(1, p.executor().maxWorkers());
    }

    @Test
    @DisplayName("Null tasks are refused")
    void nulls() {
        ManualPool.Pair p = ManualPool.create();
        assertThrows(NullPointerException.class, () -> p.executor().submit((futures.spi.Task<Object>) null));
        assertThrows(NullPointerException.class, () -> p.executor().execute(null));
        assertEquals(0, p.pool().queued());
    }

    @Test
    @DisplayName("A submit refused after shutdown does not count itself as pending in its message")
    void rejectedSubmitDoesNotCountItself() {
        ManualPool.Pair p = ManualPool.create();
        p.executor().close();
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> p.executor().submit(() -> 1));
        assertTrue(e.getMessage().contains("pending=0"), e.getMessage());
        assertTrue(p.executor().toString().contains("pending=0"), p.executor().toString());
    }

    @Test
    @DisplayName("Right after result() returns, toString no longer counts that call as pending (2,000 tries)")
    void pendingRightAfterResult() {
        try (Executor ex = ThreadsPool.executor(1)) {
            int stale = 0;
            for (int i = 0; i < 2_000; i++) {
                ex.submit(() -> 1).result(LONG);
                if (!ex.toString().contains("pending=0")) {
                    stale++;
                }
            }
            assertEquals(0, stale, "tries that still counted the finished call: " + ex);
        }
    }
}
