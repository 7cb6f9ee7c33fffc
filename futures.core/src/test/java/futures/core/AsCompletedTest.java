package futures.core;

import static futures.core.Checks.awaitListeners;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Futures#asCompleted}: one sentence of the reference per test. */
@Timeout(30)
class AsCompletedTest {
    private static final Duration LONG = Duration.ofSeconds(20);

    private static Future<String> done(String v) {
        Future<String> f = new Future<>();
        f.setResult(v);
        return f;
    }

    @Test
    @DisplayName("Any futures given by fs that completed before as_completed is called will be yielded first")
    void doneFirst() {
        Future<String> p1 = new Future<>();
        Future<String> d1 = done("d1");
        Future<String> p2 = new Future<>();
        Future<String> d2 = new Future<>();
        d2.cancel();
        Iterator<Future<String>> it = Futures.asCompleted(List.of(p1, d1, p2, d2), LONG).iterator();
        p2.setResult("p2");
        p1.setException(new IllegalStateException());
        List<Future<String>> order = new ArrayList<>();
        it.forEachRemaining(order::add);
        assertEquals(List.of(d1, d2, p2, p1), order);
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    @DisplayName("as_completed yields futures as they complete (finished or were cancelled)")
    void yieldsAsTheyComplete() {
        Future<String> a = new Future<>();
        Future<String> b = new Future<>();
        Future<String> c = new Future<>();
        Iterator<Future<String>> it = Futures.asCompleted(List.of(a, b, c), LONG).iterator();
        Thread t = new Thread(() -> {
            awaitListeners(b, 1);
            b.setResult("b");
        });
        t.setDaemon(true);
        t.start();
        assertSame(b, it.next(), "waits for the first to complete");
        c.cancel();
        assertSame(c, it.next());
        a.setResult("a");
        assertSame(a, it.next());
        assertFalse(it.hasNext());
    }

    @Test
    @DisplayName("Any futures given by fs that are duplicated will be returned once")
    void duplicatesOnce() {
        Future<String> a = new Future<>();
        Future<String> d = done("d");
        List<Future<String>> out = new ArrayList<>();
        Iterable<Future<String>> it = Futures.asCompleted(List.of(a, d, a, d, a), LONG);
        assertEquals(1, a.listenerCount(), "one listener per distinct future");
        a.setResult("a");
        it.forEach(out::add);
        assertEquals(List.of(d, a), out);
    }

    @Test
    @DisplayName("as_completed: TimeoutError if next is called and the result isn't available after timeout seconds from the original call: \"N (of M) futures unfinished\"")
    void timeoutMessage() {
        Future<String> a = new Future<>();
        Future<String> b = new Future<>();
        Future<String> d = done("d");
        Iterator<Future<String>> it = Futures.asCompleted(List.of(a, b, d, a), Duration.ofMillis(30)).iterator();
        assertSame(d, it.next(), "a done future is yielded even though the timeout may pass");
        long t0 = System.nanoTime();
        WaitTimeoutException e = assertThrows(WaitTimeoutException.class, it::next);
        assertEquals("2 (of 3) futures unfinished", e.getMessage());
        assertTrue(System.nanoTime() - t0 < LONG.toNanos());
        assertFalse(it.hasNext(), "iteration ends after the timeout, as Python's generator does");
        assertEquals(0, a.listenerCount(), "waiters removed after the timeout");
        assertEquals(0, b.listenerCount());
    }

    @Test
    @DisplayName("as_completed: the timeout is measured from the original call, not from next()")
    void timeoutFromTheCall() {
        Future<String> a = new Future<>();
        // A next() that waited a timeout of its own would take the whole timeout again; one that
        // honours the call's deadline returns at once. The timeout is long enough that a thread
        // descheduled on a loaded machine still returns well within it.
        Duration timeout = Duration.ofSeconds(2);
        Iterator<Future<String>> it = Futures.asCompleted(List.of(a), timeout).iterator();
        assertThrows(WaitTimeoutException.class, () -> new Future<String>().result(timeout.plusMillis(100))); // let the deadline pass
        long t0 = System.nanoTime();
        assertThrows(WaitTimeoutException.class, it::next);
        assertTrue(System.nanoTime() - t0 < timeout.toNanos(), "next() waited its own timeout again");
    }

    @Test
    @DisplayName("as_completed: a future that completes before the timeout is yielded, the rest time out")
    void someBeforeTimeout() {
        Future<String> a = new Future<>();
        Future<String> b = new Future<>();
        Iterator<Future<String>> it = Futures.asCompleted(List.of(a, b), Duration.ofMillis(100)).iterator();
        a.setResult("a");
        assertSame(a, it.next());
        WaitTimeoutException e = assertThrows(WaitTimeoutException.class, it::next);
        assertEquals("1 (of 2) futures unfinished", e.getMessage());
        assertEquals(0, b.listenerCount());
    }

    @Test
    @DisplayName("as_completed: if timeout is not specified, there is no limit to the wait time")
    void noTimeout() {
        Future<String> a = new Future<>();
        Iterator<Future<String>> it = Futures.asCompleted(List.of(a)).iterator();
        Thread t = new Thread(() -> {
            awaitListeners(a, 1);
            a.setResult("a");
        });
        t.setDaemon(true);
        t.start();
        assertSame(a, it.next());
    }

    @Test
    @DisplayName("as_completed accepts futures created by different Executor instances and made directly")
    void severalExecutors() {
        ManualPool.Pair one = ManualPool.create();
        ManualPool.Pair two = ManualPool.create();
        Future<Integer> f1 = one.executor().submit(() -> 1);
        Future<Integer> f2 = two.executor().submit(() -> 2);
        Future<Integer> bare = new Future<>();
        Iterator<Future<Integer>> it = Futures.asCompleted(List.of(f1, f2, bare), LONG).iterator();
        bare.setResult(0);
        two.pool().runAll();
        one.pool().runAll();
        List<Future<Integer>> order = new ArrayList<>();
        it.forEachRemaining(order::add);
        assertEquals(List.of(bare, f2, f1), order);
    }

    @Test
    @DisplayName("Waiters are removed when iteration ends, so futures no longer watched keep no listener")
    void waitersRemovedAtEnd() {
        Future<String> a = new Future<>();
        Future<String> b = new Future<>();
        Iterator<Future<String>> it = Futures.asCompleted(List.of(a, b), LONG).iterator();
        a.setResult("a");
        b.setResult("b");
        it.next();
        it.next();
        assertEquals(0, a.listenerCount());
        assertEquals(0, b.listenerCount());
    }

    @Test
    @DisplayName("The result of as_completed can be iterated once")
    void iterableOnce() {
        Iterable<Future<String>> it = Futures.asCompleted(List.of(done("d")));
        it.iterator();
        IllegalStateException e = assertThrows(IllegalStateException.class, it::iterator);
        assertTrue(e.getMessage().contains("only once"));
    }

    @Test
    @DisplayName("An empty fs yields nothing")
    void empty() {
        assertFalse(Futures.asCompleted(List.<Future<String>>of(), Duration.ZERO).iterator().hasNext());
    }

    @Test
    @DisplayName("Interrupting a thread blocked in next() throws WaitInterruptedException and keeps the flag")
    void interrupted() {
        Future<String> a = new Future<>();
        Iterator<Future<String>> it = Futures.asCompleted(List.of(a), LONG).iterator();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Future<Boolean> flag = new Future<>();
        Thread t = new Thread(() -> {
            try {
                it.next();
                flag.setResult(false);
            } catch (WaitInterruptedException e) {
                seen.set(e);
                flag.setResult(Thread.currentThread().isInterrupted());
            }
        });
        t.setDaemon(true);
        t.start();
        t.interrupt();
        assertTrue(flag.result(LONG));
        a.setResult("late");
    }
}
