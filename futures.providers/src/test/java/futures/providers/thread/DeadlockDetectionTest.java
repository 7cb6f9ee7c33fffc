package futures.providers.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.DeadlockException;
import futures.core.DoneAndNotDone;
import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.core.Futures;
import futures.core.MapIterator;
import futures.core.ReturnWhen;
import futures.core.WaitTimeoutException;
import futures.spi.ExecutorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Deadlocks between calls running in this JVM fail at once with DeadlockException instead of
 * hanging (docs/deadlocks.md), on "thread" and on "virtual". Every wait in a call here that could
 * hang has a long timeout as a hang guard only: a passing test never reaches it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeadlockDetectionTest {
    private static final Duration GUARD = Duration.ofSeconds(30);
    private final List<Executor> executors = new ArrayList<>();

    @AfterEach
    void shutDown() {
        for (Executor e : executors) {
            e.shutdown(true, true);
        }
    }

    private Executor executor(String provider, int workers) {
        Executor e = Executors.create(provider, ExecutorConfig.builder().maxWorkers(workers).build());
        executors.add(e);
        return e;
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(30, TimeUnit.SECONDS), "hang guard");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"thread", "virtual"})
    @DisplayName("The reference's wait_on_b / wait_on_a: the second call to wait fails with DeadlockException within 100 ms, and the first gets it from result()")
    void referenceExampleOne(String provider) throws Exception {
        Executor executor = executor(provider, 2);
        AtomicReference<Future<Integer>> a = new AtomicReference<>();
        AtomicReference<Future<Integer>> b = new AtomicReference<>();
        CountDownLatch submitted = new CountDownLatch(1); // stands for the reference's time.sleep(5)
        AtomicLong lastWaitStart = new AtomicLong();
        long[] doneAt = new long[2];
        a.set(executor.submit(() -> { // wait_on_b
            submitted.await();
            lastWaitStart.accumulateAndGet(System.nanoTime(), Math::max);
            return b.get().result() + 5; // b will never complete because it is waiting on a
        }));
        b.set(executor.submit(() -> { // wait_on_a
            submitted.await();
            lastWaitStart.accumulateAndGet(System.nanoTime(), Math::max);
            return a.get().result() + 6; // a will never complete because it is waiting on b
        }));
        CountDownLatch callbacks = new CountDownLatch(2); // callbacks run after waiters are woken: wait for them
        a.get().addDoneCallback(f -> {
            doneAt[0] = System.nanoTime();
            callbacks.countDown();
        });
        b.get().addDoneCallback(f -> {
            doneAt[1] = System.nanoTime();
            callbacks.countDown();
        });
        submitted.countDown();
        await(callbacks);
        Throwable ea = a.get().exception(GUARD);
        Throwable eb = b.get().exception(GUARD);
        DeadlockException d = assertInstanceOf(DeadlockException.class, ea);
        assertSame(ea, eb, "the call that detected it failed with it, and the other got it from result()");
        String m = d.getMessage();
        assertTrue(m.contains("docs/deadlocks.md"), m);
        assertTrue(m.contains(name(a.get())) && m.contains(name(b.get())), "names both calls: " + m);
        assertTrue(m.contains("max_workers=2") && m.contains(provider), "names the executor: " + m);
        long firstMs = TimeUnit.NANOSECONDS.toMillis(Math.min(doneAt[0], doneAt[1]) - lastWaitStart.get());
        long lastMs = TimeUnit.NANOSECONDS.toMillis(Math.max(doneAt[0], doneAt[1]) - lastWaitStart.get());
        System.out.printf("%s: deadlock detected %d ms, both calls ended %d ms after it formed%n", provider, firstMs, lastMs);
        assertTrue(firstMs < 100, "the wait that closed the cycle failed " + firstMs + " ms after it began");
        assertTrue(lastMs < 5_000, "hang guard: both ended " + lastMs + " ms after the deadlock formed");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"thread", "virtual"})
    @DisplayName("The reference's wait_on_future on a one-worker executor fails with DeadlockException within 100 ms; then pow(5, 2) runs")
    void referenceExampleTwo(String provider) throws Exception {
        Executor executor = executor(provider, 1);
        AtomicReference<Future<Double>> inner = new AtomicReference<>();
        AtomicLong waitStart = new AtomicLong();
        long[] doneAt = new long[1];
        Future<Double> outer = executor.submit(() -> { // wait_on_future
            Future<Double> f = executor.submit(Math::pow, 5.0, 2.0);
            inner.set(f);
            waitStart.set(System.nanoTime());
            // This will never complete because there is only one worker thread and it is executing this function.
            return f.result();
        });
        CountDownLatch callback = new CountDownLatch(1);
        outer.addDoneCallback(f -> {
            doneAt[0] = System.nanoTime();
            callback.countDown();
        });
        DeadlockException d = assertInstanceOf(DeadlockException.class, outer.exception(GUARD));
        await(callback);
        long ms = TimeUnit.NANOSECONDS.toMillis(doneAt[0] - waitStart.get());
        System.out.printf("%s: wait_on_future failed %d ms after its wait began%n", provider, ms);
        assertTrue(ms < 100, "failed " + ms + " ms after the wait began");
        String m = d.getMessage();
        assertTrue(m.contains(name(outer)) && m.contains(name(inner.get())), m);
        assertTrue(m.contains("has not started") && m.contains("max_workers=1"), m);
        assertEquals(25.0, inner.get().result(GUARD), "the worker, free again, runs pow(5, 2)");
    }

    /** The same one-worker deadlock, reached through each way of waiting. */
    private void ownPoolWait(String provider, Function<Future<Double>, Object> waitFor) {
        Executor executor = executor(provider, 1);
        AtomicReference<Future<Double>> inner = new AtomicReference<>();
        Future<Object> outer = executor.submit(() -> {
            Future<Double> f = executor.submit(Math::pow, 5.0, 2.0);
            inner.set(f);
            return waitFor.apply(f);
        });
        long start = System.nanoTime();
        assertInstanceOf(DeadlockException.class, outer.exception(GUARD));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "not after the wait's own 30 s timeout");
        assertEquals(25.0, inner.get().result(GUARD));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"thread", "virtual"})
    @DisplayName("result(timeout), exception(), exception(timeout), get() and get(timeout) fail at once too")
    void everyFutureWait(String provider) {
        ownPoolWait(provider, f -> f.result(GUARD));
        ownPoolWait(provider, Future::exception);
        ownPoolWait(provider, f -> f.exception(GUARD));
        ownPoolWait(provider, f -> {
            try {
                return f.get();
            } catch (InterruptedException | ExecutionException e) {
                throw new AssertionError(e);
            }
        });
        ownPoolWait(provider, f -> {
            try {
                return f.get(30, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new AssertionError(e);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"thread", "virtual"})
    @DisplayName("Futures.wait (ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION, with and without timeout) and asCompleted fail at once too")
    void futuresWaits(String provider) {
        ownPoolWait(provider, f -> Futures.wait(List.of(f)));
        ownPoolWait(provider, f -> Futures.wait(List.of(f), GUARD));
        ownPoolWait(provider, f -> Futures.wait(List.of(f), ReturnWhen.FIRST_COMPLETED));
        ownPoolWait(provider, f -> Futures.wait(List.of(f), GUARD, ReturnWhen.FIRST_EXCEPTION));
        ownPoolWait(provider, f -> Futures.asCompleted(List.of(f)).iterator().next());
        ownPoolWait(provider, f -> Futures.asCompleted(List.of(f), GUARD).iterator().next());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"thread", "virtual"})
    @DisplayName("map's iterator inside a call of a one-worker executor fails with DeadlockException")
    void mapIterator(String provider) {
        Executor executor = executor(provider, 1);
        Future<Object> outer = executor.submit(() -> {
            try (MapIterator<Integer> it = executor.map(x -> x * 2, List.of(1, 2, 3))) {
                return it.next();
            }
        });
        assertInstanceOf(DeadlockException.class, outer.exception(GUARD));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"thread", "virtual"})
    @DisplayName("asCompleted after some futures were returned: a wait for the rest that can never end fails")
    void asCompletedAfterReturned(String provider) {
        Executor executor = executor(provider, 1);
        Executor other = executor(provider, 1);
        Future<Object> outer = executor.submit(() -> {
            Future<Integer> quick = other.submit(() -> 1);
            quick.result();
            Future<Integer> stuck = executor.submit(() -> 2);
            Future<Integer> quick2 = other.submit(() -> 3);
            int n = 0;
            for (Future<Integer> f : Futures.asCompleted(List.of(quick, stuck, quick2))) {
                n++; // quick, then quick2; then the wait for stuck alone can never end
            }
            return n;
        });
        assertInstanceOf(DeadlockException.class, outer.exception(GUARD));
    }

    @Test
    @DisplayName("A cycle across three executors: a on E1 waits for b on E2, which waits for c on E3, which waits for a")
    void cycleAcrossExecutors() throws Exception {
        Executor e1 = executor("thread", 1);
        Executor e2 = executor("virtual", 2);
        Executor e3 = executor("thread", 3);
        AtomicReference<Future<Integer>> a = new AtomicReference<>();
        AtomicReference<Future<Integer>> b = new AtomicReference<>();
        AtomicReference<Future<Integer>> c = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        a.set(e1.submit(() -> {
            go.await();
            return b.get().result() + 1;
        }));
        b.set(e2.submit(() -> {
            go.await();
            return c.get().result() + 1;
        }));
        c.set(e3.submit(() -> {
            go.await();
            return a.get().result() + 1;
        }));
        go.countDown();
        Throwable ea = a.get().exception(GUARD);
        DeadlockException d = assertInstanceOf(DeadlockException.class, ea);
        assertSame(ea, b.get().exception(GUARD));
        assertSame(ea, c.get().exception(GUARD));
        String m = d.getMessage();
        for (Executor e : List.of(e1, e2, e3)) {
            assertTrue(m.contains(Integer.toHexString(System.identityHashCode(e))), "names every executor: " + m);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"thread", "virtual"})
    @DisplayName("Saturation: both workers of a two-worker executor wait for calls of it queued behind them")
    void saturation(String provider) throws Exception {
        Executor executor = executor(provider, 2);
        CountDownLatch bothRunning = new CountDownLatch(2);
        List<Future<Integer>> outers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            outers.add(executor.submit(() -> {
                bothRunning.countDown();
                bothRunning.await();
                return executor.submit(() -> 7).result();
            }));
        }
        List<Throwable> failures = new ArrayList<>();
        List<Integer> values = new ArrayList<>();
        for (Future<Integer> f : outers) {
            Throwable e = f.exception(GUARD);
            if (e == null) {
                values.add(f.result());
            } else {
                failures.add(e);
            }
        }
        // The second to wait fails; its worker is then free, runs the queued calls, and the first ends well.
        assertEquals(1, failures.size(), "exactly one wait was the one that closed it: " + failures);
        DeadlockException d = assertInstanceOf(DeadlockException.class, failures.get(0));
        assertTrue(d.getMessage().contains("has not started"), d.getMessage());
        assertEquals(List.of(7), values);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"thread", "virtual"})
    @DisplayName("No deadlock: with a worker to spare the same call returns 25.0; a wait on a future no executor made is never a deadlock")
    void notDeadlocks(String provider) throws Exception {
        Executor two = executor(provider, 2);
        assertEquals(25.0, two.submit(() -> two.submit(Math::pow, 5.0, 2.0).result()).result(GUARD));
        Executor one = executor(provider, 1);
        Future<String> plain = new Future<>();
        Future<String> waiter = one.submit(() -> plain.result());
        assertThrows(WaitTimeoutException.class, () -> waiter.result(Duration.ofMillis(50)), "still waiting, not failed");
        plain.setResult("set by another thread");
        assertEquals("set by another thread", waiter.result(GUARD));
        // A call waiting on a plain future nobody will complete: its own timeout, not a deadlock.
        Future<Object> lonely = one.submit(() -> new Future<>().result(Duration.ofMillis(20)));
        assertInstanceOf(WaitTimeoutException.class, lonely.exception(GUARD));
    }

    @Test
    @DisplayName("On an unbounded virtual executor wait_on_future is no deadlock: pow(5, 2) starts at once")
    void unboundedVirtual() {
        Executor unbounded = Executors.create("virtual");
        executors.add(unbounded);
        assertEquals(25.0, unbounded.submit(() -> unbounded.submit(Math::pow, 5.0, 2.0).result()).result(GUARD));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"thread", "virtual"})
    @DisplayName("FIRST_COMPLETED and asCompleted over a stuck future and one that can complete are not deadlocks")
    void anyWaitWithAWayOut(String provider) throws Exception {
        Executor one = executor(provider, 1);
        Executor other = executor(provider, 1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch waiting = new CountDownLatch(1);
        Future<Integer> outer = one.submit(() -> {
            Future<Integer> stuck = one.submit(() -> 1);
            Future<Integer> free = other.submit(() -> {
                waiting.countDown();
                release.await();
                return 2;
            });
            DoneAndNotDone<Future<Integer>> r = Futures.wait(List.of(stuck, free), ReturnWhen.FIRST_COMPLETED);
            assertEquals(List.of(free), List.copyOf(r.done()));
            Future<Integer> free2 = other.submit(() -> 3);
            Future<Integer> first = Futures.asCompleted(List.of(stuck, free2)).iterator().next();
            return first.result();
        });
        await(waiting);
        assertThrows(WaitTimeoutException.class, () -> outer.result(Duration.ofMillis(50)), "waits, does not fail");
        release.countDown();
        assertEquals(3, outer.result(GUARD));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"thread", "virtual"})
    @DisplayName("deadlock_detection=false: the reference's wait_on_future waits out its timeout, as in CPython")
    void turnedOff(String provider) {
        Executor executor = Executors.create(provider,
                ExecutorConfig.builder().maxWorkers(1).property("deadlock_detection", "false").build());
        executors.add(executor);
        Future<Double> outer = executor.submit(() -> executor.submit(Math::pow, 5.0, 2.0).result(Duration.ofMillis(200)));
        assertInstanceOf(WaitTimeoutException.class, outer.exception(GUARD));
    }

    @Test
    @DisplayName("deadlock_detection takes true or false, for every provider; anything else is refused, naming what was given")
    void configKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExecutorConfig.builder().property("deadlock_detection", "maybe"));
        assertEquals("deadlock_detection must be true or false, got 'maybe'", e.getMessage());
        assertEquals(false, ExecutorConfig.of(java.util.Map.of("deadlock_detection", "FALSE")).deadlockDetection().orElseThrow());
        Executor p = Executors.create("process", ExecutorConfig.builder().maxWorkers(1).deadlockDetection(true).build());
        p.shutdown();
        assertNull(ExecutorConfig.defaults().deadlockDetection().orElse(null));
        assertFalse(ExecutorConfig.builder().deadlockDetection(false).build().deadlockDetection().orElseThrow());
    }

    private static String name(Future<?> f) {
        return "Future@" + Integer.toHexString(System.identityHashCode(f));
    }
}
