package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.spi.WorkItem;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Executor#map}: one sentence of the reference per test. */
@Timeout(30)
class MapTest {
    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    private static <T> List<T> drain(Iterable<T> it) {
        List<T> out = new ArrayList<>();
        it.forEach(out::add);
        return out;
    }

    @Test
    @DisplayName("map is equivalent to map(func, *iterables) except func is executed asynchronously: results in input order")
    void resultsInInputOrder() {
        try (Executor ex = ThreadsPool.executor(4)) {
            assertEquals(range(50).stream().map(i -> i * i).toList(), drain(ex.map(i -> i * i, range(50))));
        }
    }

    @Test
    @DisplayName("map: several calls to func may be made concurrently")
    void callsRunConcurrently() throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        try (Executor ex = ThreadsPool.executor(2)) {
            MapIterator<Boolean> it = ex.map(i -> {
                both.countDown();
                return both.await(20, java.util.concurrent.TimeUnit.SECONDS);
            }, List.of(1, 2));
            assertEquals(List.of(true, true), drain(it), "each call saw the other start");
        }
    }

    @Test
    @DisplayName("map over several iterables takes them in step and stops at the shortest")
    void shortestInput() {
        ManualPool.Pair p = ManualPool.create();
        MapIterator<String> it = p.executor().map((a, b) -> a + b, List.of("a", "b", "c"), List.of(1, 2));
        assertEquals(2, p.pool().queued());
        p.pool().runAll();
        assertEquals(List.of("a1", "b2"), drain(it));
        MapIterator<String> none = p.executor().map((a, b) -> a + b, List.of("a"), List.<Integer>of());
        assertFalse(none.hasNext());
    }

    @Test
    @DisplayName("map: if a call raises an exception, then that exception will be raised when its value is retrieved from the iterator")
    void exceptionWhenReached() {
        ManualPool.Pair p = ManualPool.create();
        IllegalArgumentException boom = new IllegalArgumentException("item 2");
        MapIterator<Integer> it = p.executor().map(i -> {
            if (i == 2) {
                throw boom;
            }
            return i * 10;
        }, range(5));
        assertTrue(p.pool().runNext());
        assertTrue(p.pool().runNext());
        assertTrue(p.pool().runNext()); // item 2 fails here, but nothing is raised yet
        assertEquals(0, it.next());
        assertEquals(10, it.next());
        assertSame(boom, assertThrows(IllegalArgumentException.class, it::next));
        assertFalse(it.hasNext(), "iteration ends after the exception");
        assertThrows(NoSuchElementException.class, it::next);
        assertFalse(p.pool().runNext(), "item 3 had not started: cancelled");
        assertFalse(p.pool().runNext(), "item 4 had not started: cancelled");
    }

    @Test
    @DisplayName("map: a checked exception from a call is raised wrapped in CompletionException, as result() does")
    void checkedExceptionWrapped() {
        ManualPool.Pair p = ManualPool.create();
        IOException io = new IOException("io");
        MapIterator<Integer> it = p.executor().map(i -> {
            throw io;
        }, List.of(1));
        p.pool().runAll();
        assertSame(io, assertThrows(CompletionException.class, it::next).getCause());
    }

    @Test
    @DisplayName("map: the iterator raises TimeoutError if the result isn't available after timeout seconds from the original call to map")
    void timeoutFromTheCall() {
        ManualPool.Pair p = ManualPool.create();
        // A next() that started a timeout of its own would take the whole timeout again; one that
        // honours the map's deadline returns at once. The timeout is long enough that a thread
        // descheduled on a loaded machine still returns well within it.
        Duration timeout = Duration.ofSeconds(2);
        MapIterator<Integer> it = p.executor().map(i -> i, List.of(1, 2), timeout);
        p.pool().runNext(); // item 1 is done, item 2 never runs
        assertThrows(WaitTimeoutException.class, () -> new Future<String>().result(timeout.plusMillis(100))); // let the deadline pass
        assertEquals(1, it.next(), "a result that is ready is returned even after the deadline");
        long t0 = System.nanoTime();
        assertThrows(WaitTimeoutException.class, it::next);
        assertTrue(System.nanoTime() - t0 < timeout.toNanos(), "next() started its own timeout instead of the map's");
        assertFalse(it.hasNext(), "iteration ends after the timeout");
        assertFalse(p.pool().runNext(), "the call not started is cancelled");
    }

    @Test
    @DisplayName("map: if timeout is not specified, there is no limit to the wait time")
    void noTimeout() {
        try (Executor ex = ThreadsPool.executor(1)) {
            CountDownLatch go = new CountDownLatch(1);
            MapIterator<Integer> it = ex.map(i -> {
                go.await();
                return i;
            }, List.of(7));
            Thread t = new Thread(go::countDown);
            t.start();
            assertEquals(7, it.next());
        }
    }

    @Test
    @DisplayName("Closing the map iterator early cancels the calls that have not started")
    void closeCancels() {
        ManualPool.Pair p = ManualPool.create();
        MapIterator<Integer> it = p.executor().map(i -> i, range(4));
        WorkItem running = p.pool().take();
        assertTrue(running.markRunning());
        it.close();
        assertFalse(it.hasNext());
        assertEquals(0, p.pool().runAll(), "every call not yet started was cancelled");
        assertTrue(running.complete(0), "the running call is not cancelled");
        it.close(); // harmless twice
    }

    @Test
    @DisplayName("map with chunks keeps each item's own outcome and order")
    void chunkingKeepsPerItemOutcomes() {
        ManualPool.Pair p = ManualPool.create();
        MapIterator<Integer> it = p.executor().map(i -> {
            if (i == 4) {
                throw new IllegalStateException("item 4");
            }
            return i + 100;
        }, range(8), Futures.NO_TIMEOUT, 3);
        assertEquals(3, p.pool().queued(), "8 items in chunks of 3 make 3 calls");
        p.pool().runAll();
        for (int i = 0; i < 4; i++) {
            assertEquals(i + 100, it.next());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, it::next);
        assertEquals("item 4", e.getMessage());
        assertFalse(it.hasNext());
    }

    @Test
    @DisplayName("map with chunks returns the results in input order, for every chunk size")
    void chunkingOrder() {
        try (Executor ex = ThreadsPool.executor(3)) {
            for (int chunk = 1; chunk <= 12; chunk++) {
                assertEquals(range(11).stream().map(i -> -i).toList(),
                        drain(ex.map(i -> -i, range(11), Futures.NO_TIMEOUT, chunk)), "chunk size " + chunk);
            }
        }
    }

    @Test
    @DisplayName("map rejects a chunk size below 1, saying what is accepted")
    void badChunkSize() {
        ManualPool.Pair p = ManualPool.create();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.executor().map(i -> i, range(2), Futures.NO_TIMEOUT, 0));
        assertEquals("chunkSize must be at least 1, got 0", e.getMessage());
        assertEquals(0, p.pool().queued());
    }

    @Test
    @DisplayName("Calls to Executor.map made after shutdown will raise RuntimeError (RejectedExecutionException)")
    void mapAfterShutdown() {
        ManualPool.Pair p = ManualPool.create();
        p.executor().shutdown(false);
        assertThrows(RejectedExecutionException.class, () -> p.executor().map(i -> i, range(3)));
        assertEquals(0, p.pool().queued());
    }

    @Test
    @DisplayName("The result of map can be iterated once, and an empty input yields nothing")
    void iterableOnceAndEmpty() {
        ManualPool.Pair p = ManualPool.create();
        MapIterator<Integer> it = p.executor().map(i -> i, List.<Integer>of());
        assertFalse(it.iterator().hasNext());
        assertThrows(IllegalStateException.class, it::iterator);
    }

    /**
     * Maps 10 items over one thread, the first call held until {@code drop} has let go of the
     * iterator and the collector has cleared it; returns how many calls ran.
     */
    private static int runsAfterDrop(java.util.function.Consumer<MapIterator<Integer>> drop) throws Exception {
        CountDownLatch collected = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
        Executor ex = ThreadsPool.executor(1);
        java.lang.ref.WeakReference<MapIterator<Integer>> ref = mapAndDrop(ex, collected, ran, drop);
        assertTrue(Collectable.collected(ref), "the dropped map iterator was collected");
        // Give a cleaner that would cancel the calls (the old behaviour) its chance to run before
        // the first call lets the others start: an action of the core's cleaner registered now
        // runs after the iterator's phantom reference was processed, in all likelihood.
        CountDownLatch cleanerRan = new CountDownLatch(1);
        Futures.CLEANER.register(new Object(), cleanerRan::countDown);
        for (int i = 0; i < 100 && cleanerRan.getCount() > 0; i++) {
            System.gc();
            cleanerRan.await(10, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        Thread.sleep(50);
        collected.countDown();
        ex.shutdown(true);
        return ran.get();
    }

    private static java.lang.ref.WeakReference<MapIterator<Integer>> mapAndDrop(Executor ex, CountDownLatch collected,
            java.util.concurrent.atomic.AtomicInteger ran, java.util.function.Consumer<MapIterator<Integer>> drop) {
        MapIterator<Integer> it = ex.map(i -> {
            if (i == 0) {
                collected.await(20, java.util.concurrent.TimeUnit.SECONDS);
            }
            ran.incrementAndGet();
            return i;
        }, range(10));
        drop.accept(it);
        return new java.lang.ref.WeakReference<>(it);
    }

    @Test
    @DisplayName("A map result never iterated and garbage-collected cancels nothing: every call runs")
    void droppedUnreadMapRunsEveryCall() throws Exception {
        assertEquals(10, runsAfterDrop(it -> { }));
    }

    @Test
    @DisplayName("A map result dropped after hasNext() and garbage-collected cancels nothing: every call runs")
    void droppedAfterHasNextMapRunsEveryCall() throws Exception {
        assertEquals(10, runsAfterDrop(it -> assertTrue(it.hasNext())));
    }
}
