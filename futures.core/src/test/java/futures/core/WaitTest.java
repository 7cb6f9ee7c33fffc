package futures.core;

import static futures.core.Checks.awaitListeners;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Futures#wait}: one sentence of the reference per test. */
@Timeout(30)
class WaitTest {
    private static final Duration LONG = Duration.ofSeconds(20);

    private static Future<String> done(String v) {
        Future<String> f = new Future<>();
        f.setResult(v);
        return f;
    }

    private static Future<String> failed() {
        Future<String> f = new Future<>();
        f.setException(new IllegalStateException("failed"));
        return f;
    }

    private static Future<String> cancelled() {
        Future<String> f = new Future<>();
        f.cancel();
        return f;
    }

    /** Runs Futures.wait in another thread; the returned future holds its result. */
    private static Future<DoneAndNotDone<Future<String>>> waitInThread(List<Future<String>> fs, ReturnWhen when) {
        Future<DoneAndNotDone<Future<String>>> out = new Future<>();
        Thread t = new Thread(() -> {
            try {
                out.setResult(Futures.wait(fs, LONG, when));
            } catch (Throwable e) {
                out.setException(e);
            }
        }, "waiter");
        t.setDaemon(true);
        t.start();
        return out;
    }

    @Test
    @DisplayName("FIRST_COMPLETED: the function will return when any future finishes")
    void firstCompletedReturnsOnFirstResult() {
        Future<String> a = new Future<>();
        Future<String> b = new Future<>();
        Future<DoneAndNotDone<Future<String>>> w = waitInThread(List.of(a, b), ReturnWhen.FIRST_COMPLETED);
        awaitListeners(b, 1);
        a.setResult("a");
        DoneAndNotDone<Future<String>> r = w.result(LONG);
        assertEquals(Set.of(a), r.done());
        assertEquals(Set.of(b), r.notDone());
        assertEquals(0, b.listenerCount(), "the waiter must be removed from the future it no longer watches");
    }

    @Test
    @DisplayName("FIRST_COMPLETED: the function will return when any future is cancelled")
    void firstCompletedReturnsOnCancel() {
        Future<String> a = new Future<>();
        Future<String> b = new Future<>();
        Future<DoneAndNotDone<Future<String>>> w = waitInThread(List.of(a, b), ReturnWhen.FIRST_COMPLETED);
        awaitListeners(a, 1);
        awaitListeners(b, 1);
        b.cancel();
        DoneAndNotDone<Future<String>> r = w.result(LONG);
        assertEquals(Set.of(b), r.done());
        assertEquals(Set.of(a), r.notDone());
        assertEquals(0, a.listenerCount());
    }

    @Test
    @DisplayName("FIRST_EXCEPTION: the function will return when any future finishes by raising an exception")
    void firstExceptionReturnsOnException() {
        Future<String> a = new Future<>();
        Future<String> b = new Future<>();
        Future<String> c = new Future<>();
        Future<DoneAndNotDone<Future<String>>> w = waitInThread(List.of(a, b, c), ReturnWhen.FIRST_EXCEPTION);
        awaitListeners(c, 1);
        a.setResult("fine");
        b.setException(new IllegalStateException("bad"));
        DoneAndNotDone<Future<String>> r = w.result(LONG);
        assertEquals(Set.of(a, b), r.done());
        assertEquals(Set.of(c), r.notDone());
        assertEquals(0, c.listenerCount());
    }

    @Test
    @DisplayName("FIRST_EXCEPTION: if no future raises an exception then it is equivalent to ALL_COMPLETED")
    void firstExceptionWithoutExceptionWaitsForAll() {
        Future<String> a = new Future<>();
        Future<String> b = new Future<>();
        Future<DoneAndNotDone<Future<String>>> w = waitInThread(List.of(a, b), ReturnWhen.FIRST_EXCEPTION);
        awaitListeners(b, 1);
        a.setResult("a");
        b.setResult("b");
        DoneAndNotDone<Future<String>> r = w.result(LONG);
        assertEquals(Set.of(a, b), r.done());
        assertEquals(Set.of(), r.notDone());
    }

    @Test
    @DisplayName("FIRST_EXCEPTION: a cancelled future is not an exception, so the wait goes on until the timeout")
    void firstExceptionIgnoresCancellation() {
        Future<String> pending = new Future<>();
        Future<String> c = cancelled();
        long t0 = System.nanoTime();
        DoneAndNotDone<Future<String>> r = Futures.wait(List.of(c, pending), Duration.ofMillis(50), ReturnWhen.FIRST_EXCEPTION);
        assertTrue(System.nanoTime() - t0 >= 50_000_000L, "returned before the timeout on a mere cancellation");
        assertEquals(Set.of(c), r.done());
        assertEquals(Set.of(pending), r.notDone());
        assertEquals(0, pending.listenerCount());
    }

    @Test
    @DisplayName("FIRST_EXCEPTION: a future that already raised ends the wait at once")
    void firstExceptionAlreadyFailed() {
        Future<String> pending = new Future<>();
        Future<String> bad = failed();
        DoneAndNotDone<Future<String>> r = Futures.wait(List.of(pending, bad), LONG, ReturnWhen.FIRST_EXCEPTION);
        assertEquals(Set.of(bad), r.done());
        assertEquals(Set.of(pending), r.notDone());
        assertEquals(0, pending.listenerCount(), "no waiter is even installed");
    }

    @Test
    @DisplayName("ALL_COMPLETED: the function will return when all futures finish or are cancelled")
    void allCompleted() {
        Future<String> a = new Future<>();
        Future<String> b = new Future<>();
        Future<String> c = new Future<>();
        Future<DoneAndNotDone<Future<String>>> w = waitInThread(List.of(a, b, c), ReturnWhen.ALL_COMPLETED);
        awaitListeners(c, 1);
        a.setResult("a");
        b.cancel();
        assertTrue(!w.done() || w.resultNow().notDone().isEmpty(), "returned before all completed");
        c.setException(new IllegalStateException());
        DoneAndNotDone<Future<String>> r = w.result(LONG);
        assertEquals(List.of(a, b, c), List.copyOf(r.done()), "done keeps the order given");
        assertEquals(Set.of(), r.notDone());
    }

    @Test
    @DisplayName("wait(fs) without a timeout or return_when waits for all (there is no limit to the wait time)")
    void defaultsAreAllCompletedNoTimeout() {
        Future<String> a = new Future<>();
        Future<DoneAndNotDone<Future<String>>> out = new Future<>();
        Thread t = new Thread(() -> out.setResult(Futures.wait(List.of(a))));
        t.setDaemon(true);
        t.start();
        awaitListeners(a, 1);
        a.setResult("a");
        assertEquals(Set.of(a), out.result(LONG).done());
    }

    @Test
    @DisplayName("timeout controls the maximum time to wait before returning: not-completed futures are in not_done, and nothing is raised")
    void timeoutReturnsPartition() {
        for (ReturnWhen when : ReturnWhen.values()) {
            Future<String> d = done("d");
            Future<String> p = new Future<>();
            long t0 = System.nanoTime();
            DoneAndNotDone<Future<String>> r = Futures.wait(List.of(p, d), Duration.ofMillis(20), when);
            long took = System.nanoTime() - t0;
            if (when == ReturnWhen.FIRST_COMPLETED) {
                assertTrue(took < LONG.toNanos(), "FIRST_COMPLETED with a done future returns at once");
            } else {
                assertTrue(took >= 20_000_000L, when + " returned before the timeout");
            }
            assertEquals(Set.of(d), r.done(), when.toString());
            assertEquals(Set.of(p), r.notDone(), when.toString());
            assertEquals(0, p.listenerCount(), when + ": waiter left behind after the timeout");
        }
    }

    @Test
    @DisplayName("A zero or negative timeout does not wait: wait reports what is done now")
    void zeroTimeout() {
        for (ReturnWhen when : ReturnWhen.values()) {
            Future<String> p = new Future<>();
            Future<String> d = done("d");
            for (Duration t : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
                DoneAndNotDone<Future<String>> r = Futures.wait(List.of(d, p), t, when);
                assertEquals(Set.of(d), r.done());
                assertEquals(Set.of(p), r.notDone());
            }
            assertEquals(0, p.listenerCount());
        }
    }

    @Test
    @DisplayName("Already-done futures: each ReturnWhen returns at once with them in done")
    void alreadyDone() {
        List<Future<String>> fs = List.of(done("a"), failed(), cancelled());
        for (ReturnWhen when : ReturnWhen.values()) {
            DoneAndNotDone<Future<String>> r = Futures.wait(fs, LONG, when);
            assertEquals(List.copyOf(fs), List.copyOf(r.done()));
            assertEquals(Set.of(), r.notDone());
        }
    }

    @Test
    @DisplayName("Duplicated futures are reported once and watched once, with each ReturnWhen")
    void duplicates() {
        for (ReturnWhen when : ReturnWhen.values()) {
            Future<String> a = new Future<>();
            Future<String> d = done("d");
            DoneAndNotDone<Future<String>> r = Futures.wait(List.of(a, d, a, d, a), Duration.ZERO, when);
            assertEquals(List.of(d), List.copyOf(r.done()));
            assertEquals(List.of(a), List.copyOf(r.notDone()));
            Future<String> b = new Future<>();
            Future<DoneAndNotDone<Future<String>>> w = waitInThread(List.of(b, b, b), when);
            awaitListeners(b, 1); // one waiter, not three
            b.setResult("b");
            assertEquals(List.of(b), List.copyOf(w.result(LONG).done()));
        }
    }

    @Test
    @DisplayName("wait accepts futures possibly created by different Executor instances, and futures made directly")
    void severalExecutorsAndNone() {
        ManualPool.Pair one = ManualPool.create();
        ManualPool.Pair two = ManualPool.create();
        Future<Integer> f1 = one.executor().submit(() -> 1);
        Future<Integer> f2 = two.executor().submit(() -> 2);
        Future<Integer> bare = new Future<>();
        Future<DoneAndNotDone<Future<Integer>>> out = new Future<>();
        Thread t = new Thread(() -> out.setResult(Futures.wait(List.of(f1, f2, bare), LONG, ReturnWhen.ALL_COMPLETED)));
        t.setDaemon(true);
        t.start();
        awaitListeners(bare, 1);
        one.pool().runAll();
        two.pool().runAll();
        bare.setResult(3);
        DoneAndNotDone<Future<Integer>> r = out.result(LONG);
        assertEquals(List.of(f1, f2, bare), List.copyOf(r.done()));
    }

    @Test
    @DisplayName("An empty fs returns at once with two empty sets")
    void empty() {
        for (ReturnWhen when : ReturnWhen.values()) {
            DoneAndNotDone<Future<String>> r = Futures.wait(List.<Future<String>>of(), LONG, when);
            assertEquals(Set.of(), r.done());
            assertEquals(Set.of(), r.notDone());
        }
    }

    @Test
    @DisplayName("The sets returned are unmodifiable snapshots")
    void unmodifiable() {
        Future<String> d = done("d");
        DoneAndNotDone<Future<String>> r = Futures.wait(List.of(d));
        assertThrows(UnsupportedOperationException.class, () -> r.done().add(new Future<>()));
        assertThrows(UnsupportedOperationException.class, () -> r.notDone().clear());
    }

    @Test
    @DisplayName("Interrupting a thread blocked in wait ends it with WaitInterruptedException, keeps the flag, and removes its waiters")
    void interrupted() {
        Future<String> a = new Future<>();
        Future<String> b = new Future<>();
        AtomicReference<Thread> waiter = new AtomicReference<>();
        Future<Throwable> out = new Future<>();
        Thread t = new Thread(() -> {
            waiter.set(Thread.currentThread());
            try {
                Futures.wait(List.of(a, b));
                out.setResult(null);
            } catch (WaitInterruptedException e) {
                out.setResult(Thread.currentThread().isInterrupted() ? e : new AssertionError("flag lost"));
            }
        });
        t.setDaemon(true);
        t.start();
        awaitListeners(b, 1);
        t.interrupt();
        assertInstanceOf(WaitInterruptedException.class, out.result(LONG));
        assertEquals(0, a.listenerCount());
        assertEquals(0, b.listenerCount());
    }

    @Test
    @DisplayName("Null arguments are refused with NullPointerException")
    void nulls() {
        List<Future<String>> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(NullPointerException.class, () -> Futures.wait(withNull));
        assertThrows(NullPointerException.class, () -> Futures.wait(null));
        assertThrows(NullPointerException.class, () -> Futures.wait(List.of(new Future<>()), null, ReturnWhen.ALL_COMPLETED));
        assertThrows(NullPointerException.class, () -> Futures.wait(List.of(new Future<>()), LONG, null));
    }
}
