package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.spi.Task;
import futures.spi.WorkItem;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the executor keeps count of its pending calls, with a pool that keeps its queue to itself
 * (the core records every pending item) and with one that hands it back
 * ({@link futures.spi.WorkerPool#takeQueued()}, the core keeps only a count): each call is settled
 * exactly once, whoever ends it, and termination comes when the last one is.
 */
@Timeout(30)
class ExecutorSettlementTest {

    private static boolean terminated(ManualPool.Pair p) {
        return p.executor().asExecutorService().isTerminated();
    }

    @ParameterizedTest(name = "pool hands back its queue: {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("shutdown(cancel_futures=True) cancels the queued calls, lets the running one finish, then the executor terminates")
    void cancelFuturesThenTerminate(boolean handsBack) {
        ManualPool.Pair p = ManualPool.create(handsBack);
        Future<Integer> running = p.executor().submit(() -> 1);
        Future<Integer> queued1 = p.executor().submit(() -> 2);
        Future<Integer> queued2 = p.executor().submit(() -> 3);
        WorkItem item = p.pool().take();
        assertTrue(item.markRunning());
        p.executor().shutdown(false, true);
        assertTrue(queued1.cancelled());
        assertTrue(queued2.cancelled());
        assertTrue(running.running());
        assertFalse(terminated(p), "a call is still running");
        // handed back, the cancelled calls are settled at once; else when the pool drops them
        String pending = handsBack ? "pending=1" : "pending=3";
        assertTrue(p.executor().toString().contains(pending), p.executor().toString());
        item.complete(1);
        assertEquals(1, running.resultNow());
        assertEquals(0, p.pool().runAll(), "the cancelled calls never run");
        assertTrue(p.executor().toString().contains("pending=0"), p.executor().toString());
        assertTrue(terminated(p));
    }

    @ParameterizedTest(name = "pool hands back its queue: {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("shutdownNow hands back the calls that never started, in submission order, and skips those already cancelled")
    void shutdownNowOrder(boolean handsBack) throws Exception {
        ManualPool.Pair p = ManualPool.create(handsBack);
        ExecutorService view = p.executor().asExecutorService();
        List<String> ran = new java.util.ArrayList<>();
        java.util.concurrent.Future<?> running = view.submit(() -> ran.add("running"));
        Runnable a = () -> ran.add("a");
        Runnable b = () -> ran.add("b");
        Runnable c = () -> ran.add("c");
        view.execute(a);
        java.util.concurrent.Future<?> fb = view.submit(b);
        view.execute(c);
        assertTrue(fb.cancel(false));
        WorkItem item = p.pool().take();
        assertTrue(item.markRunning());
        List<Runnable> dropped = view.shutdownNow();
        assertEquals(List.of(a, c), dropped);
        assertFalse(view.isTerminated(), "a call is still running");
        item.complete(item.task().call());
        assertEquals(0, p.pool().runAll(), "the cancelled calls never run");
        assertTrue(view.isTerminated());
        assertEquals(List.of("running"), ran);
    }

    @ParameterizedTest(name = "pool hands back its queue: {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("A queued call whose future its user completed is dropped by the pool and still counts as settled: the executor terminates")
    void userCompletedQueuedCallIsSettled(boolean handsBack) {
        ManualPool.Pair p = ManualPool.create(handsBack);
        Future<String> f = p.executor().submit(() -> "ran");
        f.setResult("set by its user"); // Python allows it
        WorkItem item = p.pool().take();
        assertThrows(IllegalStateException.class, item::markRunning);
        p.executor().shutdown(false);
        assertTrue(terminated(p), p.executor().toString());
        assertEquals("set by its user", f.resultNow());
    }

    @ParameterizedTest(name = "pool hands back its queue: {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("A call reported twice (a breaking pool failing a call that then completes) counts once")
    void settledTwiceCountsOnce(boolean handsBack) throws Exception {
        ManualPool.Pair p = ManualPool.create(handsBack);
        Future<Integer> first = p.executor().submit(() -> 1);
        Future<Integer> second = p.executor().submit(() -> 2);
        WorkItem item = p.pool().take();
        assertTrue(item.markRunning());
        IllegalStateException broke = new IllegalStateException("pool broke");
        assertTrue(item.fail(broke));
        assertFalse(item.complete(1));
        assertFalse(item.fail(broke));
        assertSame(broke, first.exceptionNow());
        assertTrue(p.executor().toString().contains("pending=1"), p.executor().toString());
        p.executor().shutdown(false);
        assertFalse(terminated(p), "the second call is still queued");
        assertTrue(p.pool().runNext());
        assertEquals(2, second.resultNow());
        assertTrue(terminated(p));
    }

    @ParameterizedTest(name = "pool hands back its queue: {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("A call the pool refuses is not counted as pending")
    void refusedCallIsNotPending(boolean handsBack) {
        ManualPool.Pair p = ManualPool.create(handsBack);
        p.pool().shutdown(false); // the pool refuses; the executor does not know yet
        assertThrows(RejectedExecutionException.class, () -> p.executor().submit(() -> 1));
        assertTrue(p.executor().toString().contains("pending=0"), p.executor().toString());
        p.executor().shutdown(false, true);
        assertTrue(terminated(p));
    }

    @ParameterizedTest(name = "pool hands back its queue: {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("shutdown(cancel_futures=True) also cancels a call a worker has taken but not started: it never starts")
    void cancelFuturesReachesTakenCall(boolean handsBack) {
        ManualPool.Pair p = ManualPool.create(handsBack);
        Future<Integer> f = p.executor().submit(() -> 1);
        WorkItem taken = p.pool().take(); // out of the queue, not yet marked running
        p.executor().shutdown(false, true);
        assertFalse(taken.markRunning(), "it was pending when the shutdown cancelled what had not started");
        assertTrue(f.cancelled());
        assertTrue(terminated(p));
    }

    @ParameterizedTest(name = "pool hands back its queue: {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("shutdownNow hands back what is queued; a call a worker has taken but not started may still run, as with the JDK's")
    void shutdownNowLeavesTakenCall(boolean handsBack) throws Exception {
        ManualPool.Pair p = ManualPool.create(handsBack);
        Future<Integer> taken = p.executor().submit(() -> 1);
        Future<Integer> queued = p.executor().submit(() -> 2);
        WorkItem item = p.pool().take();
        List<Runnable> dropped = p.executor().asExecutorService().shutdownNow();
        assertTrue(queued.cancelled());
        if (!handsBack) {
            // the core's own record sees the taken call as not started, and hands it back too
            assertEquals(2, dropped.size());
            assertFalse(item.markRunning());
            return;
        }
        assertEquals(1, dropped.size());
        assertTrue(item.markRunning());
        item.complete(item.task().call());
        assertEquals(1, taken.resultNow());
        assertTrue(terminated(p));
    }

    @Test
    @DisplayName("A finished call lets go of its task, so the future does not keep the call's arguments alive")
    void finishedCallLetsGoOfItsTask() throws Exception {
        ManualPool.Pair p = ManualPool.create();
        Future<Integer> f = p.executor().submit((Integer i) -> i + 1, 41);
        WorkItem item = p.pool().take();
        Task<?> task = item.task();
        assertSame(task, item.task(), "the same task on every call while it is pending");
        assertTrue(item.markRunning());
        item.complete(task.call());
        assertEquals(42, f.resultNow());
        assertNull(item.task());
    }

    @Test
    @DisplayName("The future submit returns shows itself as a Future")
    void submittedFutureToString() {
        ManualPool.Pair p = ManualPool.create();
        Future<Integer> f = p.executor().submit(() -> 1);
        assertTrue(f.toString().matches("Future@[0-9a-f]+\\[state=PENDING]"), f.toString());
    }
}
