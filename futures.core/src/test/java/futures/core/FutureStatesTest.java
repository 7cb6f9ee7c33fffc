package futures.core;

import static futures.core.Checks.checkCancelled;
import static futures.core.Checks.checkFailed;
import static futures.core.Checks.checkFinished;
import static futures.core.Checks.checkPending;
import static futures.core.Checks.checkRunning;
import static futures.core.Checks.tryToConfuseDoneFuture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The full state x operation matrix of {@link Future} (Guava's testCancelled_afterResolved
 * style): for each of pending, running, finished, failed and cancelled, every mutator, with every
 * observer checked after it. One sentence of the reference per test.
 */
class FutureStatesTest {
    private static final IllegalArgumentException BOOM = new IllegalArgumentException("boom");

    private static Future<String> pending() {
        return new Future<>();
    }

    private static Future<String> running() {
        Future<String> f = new Future<>();
        assertTrue(f.setRunningOrNotifyCancel());
        return f;
    }

    private static Future<String> finished(String value) {
        Future<String> f = running();
        f.setResult(value);
        return f;
    }

    private static Future<String> failed(Throwable e) {
        Future<String> f = running();
        f.setException(e);
        return f;
    }

    private static Future<String> cancelled() {
        Future<String> f = new Future<>();
        assertTrue(f.cancel());
        return f;
    }

    // ------------------------------------------------------------------ observers of each state

    @Test
    @DisplayName("A new future is pending: not cancelled, not running, not done")
    void observers_whenPending() throws Exception {
        checkPending(pending());
    }

    @Test
    @DisplayName("If set_running_or_notify_cancel returns True, the Future was put in the running state, i.e. running() returns True")
    void observers_whenRunning() throws Exception {
        checkRunning(running());
    }

    @Test
    @DisplayName("result() returns the value returned by the call; exception() returns None if the call completed without raising")
    void observers_whenFinished() throws Exception {
        checkFinished(finished("value"), "value");
        checkFinished(finished(null), null);
    }

    @Test
    @DisplayName("If the call raised, result() raises the same exception; exception() returns it")
    void observers_whenFailed() throws Exception {
        checkFailed(failed(BOOM), BOOM);
        AssertionError error = new AssertionError("an Error");
        checkFailed(failed(error), error);
        IOException checked = new IOException("checked");
        checkFailed(failed(checked), checked);
    }

    @Test
    @DisplayName("If the future is cancelled before completing then CancelledError will be raised")
    void observers_whenCancelled() {
        checkCancelled(cancelled());
    }

    // ------------------------------------------------------------------ cancel()

    @Test
    @DisplayName("cancel() on a pending call: the call will be cancelled and the method will return True")
    void cancel_whenPending() {
        Future<String> f = pending();
        assertTrue(f.cancel());
        checkCancelled(f);
    }

    @Test
    @DisplayName("cancel(): if the call is currently being executed and cannot be cancelled then the method will return False")
    void cancel_whenRunning() throws Exception {
        Future<String> f = running();
        assertFalse(f.cancel());
        assertFalse(f.cancel(true));
        checkRunning(f);
    }

    @Test
    @DisplayName("cancel() on a finished call returns False and changes nothing")
    void cancel_afterResolved() throws Exception {
        Future<String> f = finished("v");
        assertFalse(f.cancel());
        checkFinished(f, "v");
    }

    @Test
    @DisplayName("cancel() on a call that raised returns False and changes nothing")
    void cancel_afterFailed() throws Exception {
        Future<String> f = failed(BOOM);
        assertFalse(f.cancel());
        checkFailed(f, BOOM);
    }

    @Test
    @DisplayName("cancel() on a cancelled call returns True again (the call is cancelled)")
    void cancel_afterCancelled() {
        Future<String> f = cancelled();
        assertTrue(f.cancel());
        checkCancelled(f);
    }

    // ------------------------------------------------------------------ setRunningOrNotifyCancel()

    @Test
    @DisplayName("set_running_or_notify_cancel on a pending future returns True and puts it in the running state")
    void setRunning_whenPending() throws Exception {
        Future<String> f = pending();
        assertTrue(f.setRunningOrNotifyCancel());
        checkRunning(f);
    }

    @Test
    @DisplayName("set_running_or_notify_cancel can only be called once")
    void setRunning_whenRunning() throws Exception {
        Future<String> f = running();
        assertThrows(InvalidStateException.class, f::setRunningOrNotifyCancel);
        checkRunning(f);
    }

    @Test
    @DisplayName("set_running_or_notify_cancel cannot be called after set_result or set_exception have been called")
    void setRunning_afterResolved() throws Exception {
        Future<String> f = finished("v");
        assertThrows(InvalidStateException.class, f::setRunningOrNotifyCancel);
        checkFinished(f, "v");
        Future<String> g = failed(BOOM);
        assertThrows(InvalidStateException.class, g::setRunningOrNotifyCancel);
        checkFailed(g, BOOM);
        Future<String> h = new Future<>();
        h.setResult("set while pending");
        assertThrows(InvalidStateException.class, h::setRunningOrNotifyCancel);
    }

    @Test
    @DisplayName("If set_running_or_notify_cancel returns False then the Future was cancelled, i.e. cancel() was called and returned True")
    void setRunning_afterCancelled() {
        Future<String> f = cancelled();
        assertFalse(f.setRunningOrNotifyCancel());
        checkCancelled(f);
    }

    @Test
    @DisplayName("set_running_or_notify_cancel a second time on a cancelled future raises RuntimeError('Future in unexpected state')")
    void setRunning_twiceAfterCancelled() {
        Future<String> f = cancelled();
        assertFalse(f.setRunningOrNotifyCancel());
        InvalidStateException e = assertThrows(InvalidStateException.class, f::setRunningOrNotifyCancel);
        assertTrue(e.getMessage().startsWith("Future in unexpected state"), e.getMessage());
        assertTrue(e.getMessage().contains("CANCELLED"), e.getMessage());
        assertTrue(f.cancelled());
        assertTrue(f.cancel(), "still cancelled: cancel() returns true");
    }

    // ------------------------------------------------------------------ setResult()

    @Test
    @DisplayName("set_result sets the result of the work associated with a pending Future")
    void setResult_whenPending() throws Exception {
        Future<String> f = pending();
        f.setResult("v");
        checkFinished(f, "v");
    }

    @Test
    @DisplayName("set_result sets the result of the work associated with a running Future")
    void setResult_whenRunning() throws Exception {
        Future<String> f = running();
        f.setResult("v");
        checkFinished(f, "v");
    }

    @Test
    @DisplayName("set_result on a finished future raises InvalidStateError, and the first result stays")
    void setResult_afterResolved() throws Exception {
        Future<String> f = finished("first");
        InvalidStateException e = assertThrows(InvalidStateException.class, () -> f.setResult("second"));
        assertTrue(e.getMessage().contains("FINISHED"), e.getMessage());
        checkFinished(f, "first");
    }

    @Test
    @DisplayName("set_result on a future that raised raises InvalidStateError, and the exception stays")
    void setResult_afterFailed() throws Exception {
        Future<String> f = failed(BOOM);
        assertThrows(InvalidStateException.class, () -> f.setResult("second"));
        checkFailed(f, BOOM);
    }

    @Test
    @DisplayName("set_result on a cancelled future raises InvalidStateError, and it stays cancelled")
    void setResult_afterCancelled() {
        Future<String> f = cancelled();
        InvalidStateException e = assertThrows(InvalidStateException.class, () -> f.setResult("v"));
        assertTrue(e.getMessage().contains("CANCELLED"), e.getMessage());
        checkCancelled(f);
    }

    // ------------------------------------------------------------------ setException()

    @Test
    @DisplayName("set_exception sets the result of the work associated with a pending Future to the exception")
    void setException_whenPending() throws Exception {
        Future<String> f = pending();
        f.setException(BOOM);
        checkFailed(f, BOOM);
    }

    @Test
    @DisplayName("set_exception sets the result of the work associated with a running Future to the exception")
    void setException_whenRunning() throws Exception {
        Future<String> f = running();
        IOException checked = new IOException("checked");
        f.setException(checked);
        checkFailed(f, checked);
    }

    @Test
    @DisplayName("set_exception on a finished future raises InvalidStateError, and the result stays")
    void setException_afterResolved() throws Exception {
        Future<String> f = finished("v");
        assertThrows(InvalidStateException.class, () -> f.setException(BOOM));
        checkFinished(f, "v");
    }

    @Test
    @DisplayName("set_exception on a future that raised raises InvalidStateError, and the first exception stays")
    void setException_afterFailed() throws Exception {
        Future<String> f = failed(BOOM);
        assertThrows(InvalidStateException.class, () -> f.setException(new IllegalStateException("second")));
        checkFailed(f, BOOM);
    }

    @Test
    @DisplayName("set_exception on a cancelled future raises InvalidStateError, and it stays cancelled")
    void setException_afterCancelled() {
        Future<String> f = cancelled();
        assertThrows(InvalidStateException.class, () -> f.setException(BOOM));
        checkCancelled(f);
    }

    @Test
    @DisplayName("set_exception(null) is refused: a failed future always has an exception")
    void setException_null() throws Exception {
        Future<String> f = pending();
        assertThrows(NullPointerException.class, () -> f.setException(null));
        checkPending(f);
    }

    // ------------------------------------------------------------------ addDoneCallback()

    @Test
    @DisplayName("add_done_callback on a pending future: fn will be called, with the future as its only argument, when the future finishes")
    void addDoneCallback_whenPending() throws Exception {
        Future<String> f = pending();
        List<Future<?>> seen = new ArrayList<>();
        f.addDoneCallback(seen::add);
        assertEquals(List.of(), seen);
        f.setResult("v");
        assertEquals(List.of(f), seen);
    }

    @Test
    @DisplayName("add_done_callback on a running future: fn is not called until the future finishes")
    void addDoneCallback_whenRunning() throws Exception {
        Future<String> f = running();
        List<Future<?>> seen = new ArrayList<>();
        f.addDoneCallback(seen::add);
        assertEquals(List.of(), seen);
        f.setException(BOOM);
        assertEquals(List.of(f), seen);
    }

    @Test
    @DisplayName("If the future has already completed, fn will be called immediately")
    void addDoneCallback_afterResolved() throws Exception {
        for (Future<String> f : List.of(finished("v"), failed(BOOM), cancelled())) {
            List<Future<?>> seen = new ArrayList<>();
            f.addDoneCallback(seen::add);
            assertEquals(List.of(f), seen);
        }
    }

    @Test
    @DisplayName("add_done_callback: fn will be called when the future is cancelled")
    void addDoneCallback_thenCancelled() {
        Future<String> f = pending();
        List<Future<?>> seen = new ArrayList<>();
        f.addDoneCallback(seen::add);
        f.cancel();
        assertEquals(List.of(f), seen);
        checkCancelled(f);
    }

    // ------------------------------------------------------------------ done futures stay put

    @Test
    @DisplayName("A future is done once and only once: no mutator moves a finished future")
    void tryToConfuse_finished() throws Exception {
        Future<String> f = finished("v");
        tryToConfuseDoneFuture(f);
        checkFinished(f, "v");
    }

    @Test
    @DisplayName("A future is done once and only once: no mutator moves a future that raised")
    void tryToConfuse_failed() throws Exception {
        Future<String> f = failed(BOOM);
        tryToConfuseDoneFuture(f);
        checkFailed(f, BOOM);
    }

    @Test
    @DisplayName("A future is done once and only once: no mutator moves a cancelled future")
    void tryToConfuse_cancelled() {
        Future<String> f = cancelled();
        tryToConfuseDoneFuture(f);
        checkCancelled(f);
    }
}
