package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.spi.WorkItem;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link Future#cancelRunning()} where the pool cannot stop a running call, and on plain futures. */
class CancelRunningTest {
    @Test
    @DisplayName("cancelRunning on a pending call cancels it, as cancel() does")
    void pending() {
        ManualPool.Pair p = ManualPool.create();
        Future<Integer> f = p.executor().submit(() -> 1);
        assertTrue(f.cancelRunning());
        assertTrue(f.cancelled());
        assertEquals(0, p.pool().runAll(), "it never runs");
    }

    @Test
    @DisplayName("cancel() still refuses a running call; so does cancelRunning when the pool cannot stop it")
    void runningOnAPoolThatCannotStopIt() throws Exception {
        ManualPool.Pair p = ManualPool.create();
        Future<Integer> f = p.executor().submit(() -> 1);
        WorkItem item = p.pool().take();
        assertTrue(item.markRunning());
        assertFalse(f.cancel(), "Python's rule: a running call cannot be cancelled");
        assertFalse(f.cancelRunning(), "the manual pool cannot stop a running call");
        assertTrue(f.running());
        item.complete(item.task().call());
        assertEquals(1, f.result());
        assertFalse(f.cancelRunning(), "a finished call is not cancelled");
    }

    @Test
    @DisplayName("a future not made by an executor: cancelRunning is cancel")
    void plainFuture() {
        Future<String> pending = new Future<>();
        assertTrue(pending.cancelRunning());
        Future<String> running = new Future<>();
        assertTrue(running.setRunningOrNotifyCancel());
        assertFalse(running.cancelRunning());
        assertTrue(running.running());
    }
}
