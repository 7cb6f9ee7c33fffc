package futures.core;

import static futures.core.Checks.awaitListeners;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Future's waiting, exceptions, callbacks and toString, one sentence of the reference per test. */
@Timeout(30)
class FutureTest {

    /** Runs {@code body} in a new thread and returns a future of what it returned or threw. */
    private static <T> Future<T> inThread(String name, Task<T> body) {
        Future<T> out = new Future<>();
        Thread t = new Thread(() -> {
            try {
                out.setResult(body.call());
            } catch (Throwable e) {
                out.setException(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return out;
    }

    interface Task<T> {
        T call() throws Exception;
    }

    // ------------------------------------------------------------------ result() and exception()

    @Test
    @DisplayName("result(): if the call hasn't yet completed then this method will wait, with no limit when no timeout is given")
    void resultWaitsForCompletion() {
        Future<String> f = new Future<>();
        Future<String> waiter = inThread("waiter", f::result);
        awaitListeners(f, 1);
        f.setResult("late");
        assertEquals("late", waiter.result(Duration.ofSeconds(10)));
        assertEquals(0, f.listenerCount());
    }

    @Test
    @DisplayName("exception(): if the call hasn't yet completed then this method will wait")
    void exceptionWaitsForCompletion() {
        Future<String> f = new Future<>();
        Future<Throwable> waiter = inThread("waiter", f::exception);
        awaitListeners(f, 1);
        IllegalStateException e = new IllegalStateException("late");
        f.setException(e);
        assertSame(e, waiter.result(Duration.ofSeconds(10)));
    }

    @Test
    @DisplayName("result(timeout): if the call hasn't completed in timeout seconds, then a TimeoutError will be raised")
    void resultTimesOut() {
        Future<String> f = new Future<>();
        WaitTimeoutException e = assertThrows(WaitTimeoutException.class, () -> f.result(Duration.ofMillis(20)));
        assertTrue(e.getMessage().contains("not done after PT0.02S"), e.getMessage());
        assertThrows(WaitTimeoutException.class, () -> f.result(Duration.ZERO));
        assertThrows(WaitTimeoutException.class, () -> f.result(Duration.ofSeconds(-5)));
        assertEquals(0, f.listenerCount(), "a waiter that timed out must be removed");
    }

    @Test
    @DisplayName("exception(timeout): if the call hasn't completed in timeout seconds, then a TimeoutError will be raised")
    void exceptionTimesOut() {
        Future<String> f = new Future<>();
        assertThrows(WaitTimeoutException.class, () -> f.exception(Duration.ofMillis(20)));
        assertThrows(WaitTimeoutException.class, () -> f.exception(Duration.ZERO));
        assertEquals(0, f.listenerCount());
    }

    @Test
    @DisplayName("result(timeout) waits no longer than the timeout: it never returns early without the value")
    void resultTimeoutIsALowerBound() {
        Future<String> f = new Future<>();
        long t0 = System.nanoTime();
        assertThrows(WaitTimeoutException.class, () -> f.result(Duration.ofMillis(50)));
        assertTrue(System.nanoTime() - t0 >= 50_000_000L, "gave up before the timeout");
    }

    @Test
    @DisplayName("result(timeout) with a practically infinite timeout means no limit to the wait time")
    void foreverMeansNoLimit() {
        Future<String> f = new Future<>();
        Future<String> waiter = inThread("waiter", () -> f.result(ChronoUnit.FOREVER.getDuration()));
        awaitListeners(f, 1);
        f.setResult("v");
        assertEquals("v", waiter.result(Duration.ofSeconds(10)));
    }

    @Test
    @DisplayName("result(null) is refused: use result() to wait without limit")
    void nullTimeoutRefused() {
        Future<String> f = new Future<>();
        NullPointerException e = assertThrows(NullPointerException.class, () -> f.result(null));
        assertTrue(e.getMessage().contains("overload without one"), e.getMessage());
    }

    @Test
    @DisplayName("result(): if the call raised, this method will raise the same exception (unchecked ones as they are)")
    void resultRethrowsUncheckedAsIs() {
        Future<String> f = new Future<>();
        IllegalArgumentException e = new IllegalArgumentException("x");
        f.setException(e);
        assertSame(e, assertThrows(IllegalArgumentException.class, f::result));
        Future<String> g = new Future<>();
        StackOverflowError err = new StackOverflowError();
        g.setException(err);
        assertSame(err, assertThrows(StackOverflowError.class, g::result));
    }

    @Test
    @DisplayName("result(): a checked exception the call raised is wrapped in CompletionException, its cause")
    void resultWrapsChecked() {
        Future<String> f = new Future<>();
        IOException e = new IOException("disk");
        f.setException(e);
        assertSame(e, assertThrows(CompletionException.class, f::result).getCause());
        assertSame(e, assertThrows(CompletionException.class, () -> f.result(Duration.ZERO)).getCause());
        assertSame(e, f.exception(), "exception() returns the checked exception itself");
    }

    // ------------------------------------------------------------------ interrupts

    @Test
    @DisplayName("Interrupting a thread blocked in result() ends the wait with WaitInterruptedException and keeps the interrupt flag")
    void interruptInResult() {
        Future<String> f = new Future<>();
        AtomicBoolean flagKept = new AtomicBoolean();
        AtomicReference<Thread> waiterThread = new AtomicReference<>();
        Future<Throwable> waiter = inThread("waiter", () -> {
            waiterThread.set(Thread.currentThread());
            try {
                f.result();
                return null;
            } catch (WaitInterruptedException e) {
                flagKept.set(Thread.currentThread().isInterrupted());
                return e;
            }
        });
        awaitListeners(f, 1);
        waiterThread.get().interrupt();
        Throwable e = waiter.result(Duration.ofSeconds(10));
        assertInstanceOf(WaitInterruptedException.class, e);
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertTrue(flagKept.get(), "the interrupt flag must stay set");
        assertEquals(0, f.listenerCount(), "the interrupted waiter must be removed");
        assertFalse(f.done());
    }

    @Test
    @DisplayName("result(timeout) in a thread already interrupted throws WaitInterruptedException at once and keeps the flag")
    void alreadyInterrupted() {
        Future<String> f = new Future<>();
        Thread.currentThread().interrupt();
        try {
            assertThrows(WaitInterruptedException.class, () -> f.result(Duration.ofSeconds(10)));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    @DisplayName("result() on a done future returns its value even when the thread's interrupt flag is set (nothing to wait for)")
    void doneFutureIgnoresInterrupt() throws Exception {
        Future<String> f = new Future<>();
        f.setResult("v");
        Thread.currentThread().interrupt();
        try {
            assertEquals("v", f.result());
            assertEquals("v", f.result(Duration.ZERO));
            assertEquals("v", f.get(), "the JDK's get() only throws InterruptedException while waiting");
            assertEquals("v", f.get(1, TimeUnit.SECONDS));
            assertTrue(Thread.currentThread().isInterrupted(), "the flag is left alone");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    @DisplayName("The JDK's get(): interrupting a waiting thread throws InterruptedException and clears the flag, as the JDK does")
    void interruptInGet() {
        Future<String> f = new Future<>();
        AtomicReference<Thread> waiterThread = new AtomicReference<>();
        AtomicBoolean flagAfter = new AtomicBoolean(true);
        Future<Throwable> waiter = inThread("getter", () -> {
            waiterThread.set(Thread.currentThread());
            try {
                f.get();
                return null;
            } catch (InterruptedException e) {
                flagAfter.set(Thread.currentThread().isInterrupted());
                return e;
            }
        });
        awaitListeners(f, 1);
        waiterThread.get().interrupt();
        assertInstanceOf(InterruptedException.class, waiter.result(Duration.ofSeconds(10)));
        assertFalse(flagAfter.get());
        assertEquals(0, f.listenerCount());
    }

    @Test
    @DisplayName("The JDK's get(timeout) throws the JDK's TimeoutException when not done in time")
    void getTimesOut() {
        Future<String> f = new Future<>();
        assertThrows(TimeoutException.class, () -> f.get(10, TimeUnit.MILLISECONDS));
        assertThrows(TimeoutException.class, () -> f.get(-1, TimeUnit.SECONDS));
        assertEquals(0, f.listenerCount());
    }

    // ------------------------------------------------------------------ callbacks

    @Test
    @DisplayName("Added callables are called in the order that they were added")
    void callbacksInOrder() {
        Future<String> f = new Future<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int k = i;
            f.addDoneCallback(x -> order.add(k));
        }
        f.setResult("v");
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add(i);
        }
        assertEquals(expected, order);
        assertEquals(0, f.listenerCount());
    }

    @Test
    @DisplayName("A callback runs in the thread that completes the future, once")
    void callbackInCompletingThread() {
        Future<String> f = new Future<>();
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        f.addDoneCallback(x -> threads.add(Thread.currentThread().getName()));
        Future<Object> completer = inThread("completer", () -> {
            f.setResult("v");
            return null;
        });
        completer.result(Duration.ofSeconds(10));
        assertEquals(List.of("completer"), threads);
    }

    @Test
    @DisplayName("If the future has already completed or been cancelled, fn will be called immediately, in the thread that adds it")
    void callbackAfterCompletionRunsAtOnceInAddingThread() {
        Future<String> f = new Future<>();
        inThread("completer", () -> {
            f.setResult("v");
            return null;
        }).result(Duration.ofSeconds(10));
        List<Thread> threads = new ArrayList<>();
        f.addDoneCallback(x -> threads.add(Thread.currentThread()));
        assertEquals(List.of(Thread.currentThread()), threads);
    }

    @Test
    @DisplayName("If the callable raises an Exception subclass, it will be logged and ignored: the other callbacks still run")
    void throwingCallbackIsLogged() {
        Future<String> f = new Future<>();
        List<Integer> ran = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("callback boom");
        try (LogCapture log = new LogCapture("futures.core.Future")) {
            f.addDoneCallback(x -> ran.add(1));
            f.addDoneCallback(x -> {
                throw boom;
            });
            f.addDoneCallback(x -> ran.add(3));
            f.setResult("v");
            f.addDoneCallback(x -> {
                throw new AssertionError("an Error from a late callback");
            });
            assertEquals(List.of(1, 3), ran);
            List<LogRecord> records = log.records();
            assertEquals(2, records.size(), records.toString());
            assertEquals(Level.WARNING, records.get(0).getLevel());
            assertSame(boom, records.get(0).getThrown());
            assertTrue(records.get(0).getMessage().contains("exception calling callback for Future@"),
                    records.get(0).getMessage());
            assertInstanceOf(AssertionError.class, records.get(1).getThrown());
        }
        assertEquals("v", f.result(), "a throwing callback does not change the outcome");
    }

    @Test
    @DisplayName("A callback added from inside a callback runs at once, since the future is done")
    void callbackAddedFromCallback() {
        Future<String> f = new Future<>();
        List<String> ran = new ArrayList<>();
        f.addDoneCallback(x -> {
            ran.add("outer");
            x.addDoneCallback(y -> ran.add("inner"));
            ran.add("outer end");
        });
        f.addDoneCallback(x -> ran.add("second"));
        f.cancel();
        assertEquals(List.of("outer", "inner", "outer end", "second"), ran);
    }

    @Test
    @DisplayName("A callback can read the outcome: it is called when the future is done")
    void callbackSeesOutcome() {
        Future<String> f = new Future<>();
        AtomicReference<String> seen = new AtomicReference<>();
        f.addDoneCallback(x -> seen.set(x.done() + " " + x.resultNow()));
        f.setResult("v");
        assertEquals("true v", seen.get());
    }

    /** A callback object that is a Runnable too; the future must call accept, once. */
    static final class BothConsumerAndRunnable implements Consumer<Future<?>>, Runnable {
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger ran = new AtomicInteger();

        @Override
        public void accept(Future<?> f) {
            accepted.incrementAndGet();
        }

        @Override
        public void run() {
            ran.incrementAndGet();
        }
    }

    @Test
    @DisplayName("fn will be called, with the future as its only argument, even if fn also happens to be a Runnable")
    void callbackThatIsAlsoRunnable() {
        Future<String> f = new Future<>();
        BothConsumerAndRunnable cb = new BothConsumerAndRunnable();
        f.addDoneCallback(cb);
        f.setResult("v");
        assertEquals(1, cb.accepted.get());
        assertEquals(0, cb.ran.get());
    }

    @Test
    @DisplayName("add_done_callback(null) is refused")
    void nullCallbackRefused() {
        assertThrows(NullPointerException.class, () -> new Future<String>().addDoneCallback(null));
    }

    // ------------------------------------------------------------------ several waiters

    @Test
    @DisplayName("Every thread waiting on a future is woken when it completes")
    void manyWaitersWoken() {
        Future<String> f = new Future<>();
        List<Future<String>> waiters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiters.add(inThread("waiter-" + i, f::result));
        }
        awaitListeners(f, 4);
        f.setResult("all");
        for (Future<String> w : waiters) {
            assertEquals("all", w.result(Duration.ofSeconds(10)));
        }
    }

    @Test
    @DisplayName("set_running_or_notify_cancel returning False: any threads waiting on the Future completing are woken up")
    void cancelWakesWaiters() {
        Future<String> f = new Future<>();
        Future<Throwable> waiter = inThread("waiter", () -> {
            try {
                f.result();
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        awaitListeners(f, 1);
        assertTrue(f.cancel());
        assertFalse(f.setRunningOrNotifyCancel());
        assertInstanceOf(java.util.concurrent.CancellationException.class, waiter.result(Duration.ofSeconds(10)));
    }

    @Test
    @DisplayName("toString shows the state and the result's or exception's type")
    void toStringShowsStateAndType() {
        Future<Integer> f = new Future<>();
        assertTrue(f.toString().matches("Future@[0-9a-f]+\\[state=PENDING]"), f.toString());
        f.setRunningOrNotifyCancel();
        assertTrue(f.toString().endsWith("[state=RUNNING]"));
        f.setResult(42);
        assertTrue(f.toString().endsWith("[state=FINISHED returned Integer]"), f.toString());
        Future<Integer> g = new Future<>();
        g.setException(new IOException());
        assertTrue(g.toString().endsWith("[state=FINISHED raised IOException]"), g.toString());
        Future<Integer> c = new Future<>();
        c.cancel();
        assertTrue(c.toString().endsWith("[state=CANCELLED]"), c.toString());
    }

    @Test
    @DisplayName("A latch-released completer and a waiter agree: result() returns exactly what set_result set")
    void resultIsWhatWasSet() throws Exception {
        Future<Object> f = new Future<>();
        Object value = new Object();
        CountDownLatch go = new CountDownLatch(1);
        Future<Object> completer = inThread("completer", () -> {
            go.await();
            f.setResult(value);
            return null;
        });
        go.countDown();
        assertSame(value, f.result(Duration.ofSeconds(10)));
        completer.result(Duration.ofSeconds(10));
    }
}
