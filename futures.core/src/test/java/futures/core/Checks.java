package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks every observer of a future at once (OpenJDK's checkNotDone/checkCancelled habit), and
 * throws every mutator at a done future to prove nothing moves (tryToConfuseDoneTask).
 */
final class Checks {
    private Checks() {}

    static void checkPending(Future<?> f) throws Exception {
        assertFalse(f.cancelled());
        assertFalse(f.running());
        checkNotDone(f);
        assertTrue(f.toString().endsWith("[state=PENDING]"), f.toString());
    }

    static void checkRunning(Future<?> f) throws Exception {
        assertFalse(f.cancelled());
        assertTrue(f.running());
        checkNotDone(f);
        assertTrue(f.toString().endsWith("[state=RUNNING]"), f.toString());
    }

    private static void checkNotDone(Future<?> f) throws Exception {
        assertFalse(f.done());
        assertFalse(f.isDone());
        assertFalse(f.isCancelled());
        assertEquals(java.util.concurrent.Future.State.RUNNING, f.state());
        assertThrows(IllegalStateException.class, f::resultNow);
        assertThrows(IllegalStateException.class, f::exceptionNow);
        assertThrows(WaitTimeoutException.class, () -> f.result(Duration.ZERO));
        assertThrows(WaitTimeoutException.class, () -> f.exception(Duration.ZERO));
        assertThrows(TimeoutException.class, () -> f.get(0, TimeUnit.NANOSECONDS));
    }

    static <T> void checkFinished(Future<T> f, T value) throws Exception {
        checkDoneNotCancelled(f);
        assertEquals(java.util.concurrent.Future.State.SUCCESS, f.state());
        assertSame(value, f.result());
        assertSame(value, f.result(Duration.ZERO));
        assertNull(f.exception());
        assertNull(f.exception(Duration.ZERO));
        assertSame(value, f.get());
        assertSame(value, f.get(0, TimeUnit.NANOSECONDS));
        assertSame(value, f.resultNow());
        assertThrows(IllegalStateException.class, f::exceptionNow);
        String type = value == null ? "null" : value.getClass().getSimpleName();
        assertTrue(f.toString().endsWith("[state=FINISHED returned " + type + "]"), f.toString());
    }

    static void checkFailed(Future<?> f, Throwable e) throws Exception {
        checkDoneNotCancelled(f);
        assertEquals(java.util.concurrent.Future.State.FAILED, f.state());
        assertSame(e, f.exception());
        assertSame(e, f.exception(Duration.ZERO));
        assertSame(e, f.exceptionNow());
        assertThrows(IllegalStateException.class, f::resultNow);
        ExecutionException ee = assertThrows(ExecutionException.class, f::get);
        assertSame(e, ee.getCause());
        ee = assertThrows(ExecutionException.class, () -> f.get(0, TimeUnit.NANOSECONDS));
        assertSame(e, ee.getCause());
        if (e instanceof RuntimeException || e instanceof Error) {
            assertSame(e, assertThrows(Throwable.class, f::result));
            assertSame(e, assertThrows(Throwable.class, () -> f.result(Duration.ZERO)));
        } else {
            assertSame(e, assertThrows(CompletionException.class, f::result).getCause());
        }
        assertTrue(f.toString().endsWith("[state=FINISHED raised " + e.getClass().getSimpleName() + "]"), f.toString());
    }

    private static void checkDoneNotCancelled(Future<?> f) {
        assertTrue(f.done());
        assertTrue(f.isDone());
        assertFalse(f.cancelled());
        assertFalse(f.isCancelled());
        assertFalse(f.running());
    }

    static void checkCancelled(Future<?> f) {
        assertTrue(f.cancelled());
        assertTrue(f.isCancelled());
        assertTrue(f.done());
        assertTrue(f.isDone());
        assertFalse(f.running());
        assertEquals(java.util.concurrent.Future.State.CANCELLED, f.state());
        assertThrows(CancellationException.class, f::result);
        assertThrows(CancellationException.class, () -> f.result(Duration.ZERO));
        assertThrows(CancellationException.class, f::exception);
        assertThrows(CancellationException.class, () -> f.exception(Duration.ZERO));
        assertThrows(CancellationException.class, f::get);
        assertThrows(CancellationException.class, () -> f.get(0, TimeUnit.NANOSECONDS));
        assertThrows(IllegalStateException.class, f::resultNow);
        assertThrows(IllegalStateException.class, f::exceptionNow);
        assertTrue(f.toString().endsWith("[state=CANCELLED]"), f.toString());
    }

    /**
     * Throws every mutator at a done future; each must be refused or be a no-op. The caller then
     * re-checks the observers to prove nothing moved.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void tryToConfuseDoneFuture(Future f) {
        boolean cancelled = f.cancelled();
        assertEquals(cancelled, f.cancel());
        assertEquals(cancelled, f.cancel(true));
        assertEquals(cancelled, f.cancel(false));
        if (cancelled) {
            try {
                assertFalse(f.setRunningOrNotifyCancel()); // the first call after cancel()
            } catch (InvalidStateException notifiedBefore) {
                // a call before this one already reported the cancellation
            }
            // CPython: RuntimeError('Future in unexpected state') once CANCELLED_AND_NOTIFIED
            assertThrows(InvalidStateException.class, f::setRunningOrNotifyCancel);
        } else {
            assertThrows(InvalidStateException.class, f::setRunningOrNotifyCancel);
        }
        assertThrows(InvalidStateException.class, () -> f.setResult("confused"));
        assertThrows(InvalidStateException.class, () -> f.setResult(null));
        assertThrows(InvalidStateException.class, () -> f.setException(new RuntimeException("confused")));
        assertFalse(f.trySet("confused"));
        assertFalse(f.tryFail(new RuntimeException("confused")));
        assertEquals(0, f.listenerCount());
    }

    /**
     * Waits (yielding, with a 10 s guard) until {@code f} holds {@code n} listener nodes: the sign
     * that a thread is now blocked on it. A condition, not a sleep.
     */
    static void awaitListeners(Future<?> f, int n) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (f.listenerCount() != n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + n + " listeners on " + f + ", have " + f.listenerCount());
            }
            Thread.yield();
        }
    }
}
