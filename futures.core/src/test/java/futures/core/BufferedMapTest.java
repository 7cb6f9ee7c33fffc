package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Executor#map(Func, Iterable, Duration, int, int)}, CPython 3.14's
 * {@code map(..., buffersize=)}, on a pool the test runs by hand, so that what is scheduled when
 * is exact.
 */
@Timeout(30)
class BufferedMapTest {
    /** 0, 1, 2, ... without end, counting how many items were read. */
    private static final class Endless implements Iterable<Integer> {
        final AtomicInteger read = new AtomicInteger();
        final int failAt;

        Endless() {
            this(-1);
        }

        Endless(int failAt) {
            this.failAt = failAt;
        }

        @Override
        public Iterator<Integer> iterator() {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Integer next() {
                    int i = read.getAndIncrement();
                    if (i == failAt) {
                        throw new IllegalStateException("input broke at " + i);
                    }
                    return i;
                }
            };
        }
    }

    @Test
    @DisplayName("buffersize: the first bufferSize calls are scheduled at once, then one more per result taken, before its wait")
    void schedulesBufferSizeAhead() {
        ManualPool.Pair p = ManualPool.create();
        Endless in = new Endless();
        MapIterator<Integer> it = p.executor().map(i -> i * i, in, Futures.NO_TIMEOUT, 1, 3);
        assertEquals(3, in.read.get(), "map read bufferSize items");
        assertEquals(3, p.pool().queued());
        for (int k = 0; k < 50; k++) {
            assertTrue(p.pool().runNext());
            assertEquals(k * k, it.next());
            assertEquals(k + 4, in.read.get(), "next() for result " + k + " scheduled the call for item " + (k + 3));
            assertEquals(3, p.pool().queued());
        }
        it.close();
        assertEquals(0, p.pool().runAll(), "close cancelled the buffered calls");
        assertFalse(it.hasNext());
        assertEquals(53, in.read.get(), "close stops reading the input");
    }

    @Test
    @DisplayName("buffersize with chunks: the buffer counts chunks; results come one per item, in order, the last chunk short")
    void chunksWithABuffer() {
        ManualPool.Pair p = ManualPool.create();
        MapIterator<Integer> it = p.executor().map(i -> i * i, IntStream.range(0, 10).boxed().toList(),
                Futures.NO_TIMEOUT, 3, 2);
        assertEquals(2, p.pool().queued(), "two chunks of 3 scheduled");
        List<Integer> out = new ArrayList<>();
        while (it.hasNext()) {
            p.pool().runAll();
            out.add(it.next());
            assertTrue(p.pool().queued() <= 2);
        }
        assertEquals(IntStream.range(0, 10).map(i -> i * i).boxed().toList(), out);

        ManualPool.Pair q = ManualPool.create();
        Endless in = new Endless();
        MapIterator<Integer> endless = q.executor().map(i -> i + 1, in, Futures.NO_TIMEOUT, 4, 2);
        assertEquals(8, in.read.get());
        q.pool().runNext();
        assertEquals(1, endless.next());
        assertEquals(12, in.read.get(), "waiting on chunk 0 scheduled chunk 2");
        assertEquals(2, endless.next());
        assertEquals(12, in.read.get(), "the rest of a chunk schedules nothing");
        endless.close();
        assertEquals(0, q.pool().runAll());
    }

    @Test
    @DisplayName("buffersize over two inputs stops at the shorter one, even if the other is endless")
    void twoInputs() {
        ManualPool.Pair p = ManualPool.create();
        MapIterator<String> it = p.executor().map((a, b) -> a + b, new Endless(), List.of("a", "b", "c"),
                Futures.NO_TIMEOUT, 1, 2);
        List<String> out = new ArrayList<>();
        while (it.hasNext()) {
            p.pool().runAll();
            out.add(it.next());
        }
        assertEquals(List.of("0a", "1b", "2c"), out);
    }

    @Test
    @DisplayName("buffersize: the timeout counts from the call to map; on it the waited call and the buffered ones are cancelled")
    void timeoutCancelsTheBuffer() {
        ManualPool.Pair p = ManualPool.create();
        Endless in = new Endless();
        Duration timeout = Duration.ofMillis(100);
        long start = System.nanoTime();
        MapIterator<Integer> it = p.executor().map(i -> i, in, timeout, 1, 2);
        assertThrows(WaitTimeoutException.class, it::next);
        assertTrue(System.nanoTime() - start >= timeout.toNanos());
        assertFalse(it.hasNext());
        assertEquals(0, p.pool().runAll(), "every buffered call, the waited one too, was cancelled");
        assertEquals(3, in.read.get());
    }

    @Test
    @DisplayName("buffersize: what the input's iterator throws, next() throws, and iteration ends with the buffer cancelled")
    void inputFailure() {
        ManualPool.Pair p = ManualPool.create();
        MapIterator<Integer> it = p.executor().map(i -> i, new Endless(3), Futures.NO_TIMEOUT, 1, 3);
        p.pool().runNext();
        IllegalStateException e = assertThrows(IllegalStateException.class, it::next);
        assertEquals("input broke at 3", e.getMessage());
        assertFalse(it.hasNext());
        assertEquals(0, p.pool().runAll());
    }

    @Test
    @DisplayName("buffersize: after shutdown, the next call cannot be scheduled: next() throws RejectedExecutionException, as CPython's submit raises")
    void shutdownStopsTheRefill() {
        ManualPool.Pair p = ManualPool.create();
        MapIterator<Integer> it = p.executor().map(i -> i, new Endless(), Futures.NO_TIMEOUT, 1, 2);
        p.pool().runNext();
        assertEquals(0, it.next());
        p.executor().shutdown(false);
        assertThrows(RejectedExecutionException.class, it::next);
        assertFalse(it.hasNext());
    }

    @Test
    @DisplayName("bufferSize below 1 is refused with a message that names the accepted values")
    void badBufferSize() {
        ManualPool.Pair p = ManualPool.create();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.executor().map(i -> i, List.of(1), Futures.NO_TIMEOUT, 1, 0));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> p.executor().map((a, b) -> a, List.of(1), List.of(2), Futures.NO_TIMEOUT, 1, -1));
        assertThrows(IllegalArgumentException.class,
                () -> p.executor().map(i -> i, List.of(1), Futures.NO_TIMEOUT, 0, 2));
        assertEquals(0, p.pool().queued());
    }

    @Test
    @DisplayName("buffersize: an endless Stream is mapped through stream::iterator, on real threads")
    void endlessStream() {
        try (Executor ex = ThreadsPool.executor(3)) {
            Stream<Integer> naturals = Stream.iterate(0, i -> i + 1);
            try (MapIterator<Integer> it = ex.map(i -> 2 * i, naturals::iterator, Futures.NO_TIMEOUT, 1, 4)) {
                for (int k = 0; k < 200; k++) {
                    assertEquals(2 * k, it.next());
                }
            }
        }
    }

    @Test
    @DisplayName("the result of a buffered map is iterable once, like any map's")
    void iterableOnce() {
        ManualPool.Pair p = ManualPool.create();
        MapIterator<Integer> it = p.executor().map(i -> i, List.of(1), Futures.NO_TIMEOUT, 1, 1);
        assertSame(it, it.iterator());
        assertThrows(IllegalStateException.class, it::iterator);
    }
}
