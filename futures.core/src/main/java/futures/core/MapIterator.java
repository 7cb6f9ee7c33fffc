package futures.core;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The results of {@link Executor#map}, in input order. It is an {@link Iterator}, an
 * {@link Iterable} that can be iterated once (for for-each loops), and {@link AutoCloseable}:
 * {@link #close()} cancels the calls that have not started, as Python does when the generator is
 * closed.
 *
 * <p>{@code next()} waits for the next result and throws what {@link Future#result()} would for
 * it: the call's own exception, {@link WaitTimeoutException} if the result is not ready by the
 * map's deadline, {@link WaitInterruptedException}, or {@link DeadlockException} if it is called
 * inside a call of an executor that detects deadlocks and the result can never come
 * (docs/deadlocks.md). After it throws, iteration is over and the
 * calls not yet started are cancelled. Results already returned are not kept.
 *
 * <p>An iterator dropped without {@link #close()} cancels nothing: every call still runs, as in
 * CPython, where a generator that never started runs no cleanup. Work is never lost to the
 * garbage collector; close the iterator (try-with-resources) to cancel what has not started.
 *
 * <p>Not thread-safe, like any iterator.
 *
 * @param <R> the type of the results
 */
public final class MapIterator<R> implements Iterator<R>, Iterable<R>, AutoCloseable {
    /**
     * Futures not yet fully returned, in input order; each yields one result, or an array per
     * chunk. Touched by the iterating thread only, like the rest of this iterator.
     */
    private final ArrayDeque<Future<?>> futures;
    private final int total;
    private final boolean chunked;
    private final long start;
    private final long nanos;
    /** Results of the head chunk not yet returned, and where the next one is. */
    private Object[] chunk;
    private int index;
    private boolean iterated;

    MapIterator(List<Future<?>> futures, boolean chunked, long start, long nanos) {
        this.futures = new ArrayDeque<>(futures);
        this.total = futures.size();
        this.chunked = chunked;
        this.start = start;
        this.nanos = nanos;
    }

    /** This iterator; a second call throws {@link IllegalStateException}. */
    @Override
    public Iterator<R> iterator() {
        if (iterated) {
            throw new IllegalStateException("the result of map can be iterated only once");
        }
        iterated = true;
        return this;
    }

    @Override
    public boolean hasNext() {
        return chunk != null || !isEmpty();
    }

    private boolean isEmpty() {
        return futures.isEmpty();
    }

    private Future<?> peek() {
        return futures.peek();
    }

    private void poll() {
        futures.poll();
    }

    @Override
    @SuppressWarnings("unchecked")
    public R next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        try {
            if (!chunked) {
                // Peek, then poll after the wait: if it times out, close() must still cancel this
                // call (Python's _result_or_cancel), not only the ones behind it.
                Object value = await(peek());
                poll();
                return (R) value;
            }
            if (chunk == null) {
                chunk = (Object[]) await(peek());
                poll();
                index = 0;
            }
            Object item = chunk[index];
            chunk[index++] = null;
            if (index == chunk.length) {
                chunk = null;
            }
            if (item instanceof Calls.ItemFailure failure) {
                throw Future.propagate(failure.exception());
            }
            return (R) item;
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private Object await(Future<?> f) {
        if (nanos == Long.MAX_VALUE) {
            return f.result();
        }
        long left = start + nanos - System.nanoTime(); // a done future is returned even when late
        try {
            return f.result(Duration.ofNanos(Math.max(0, left)));
        } catch (WaitTimeoutException late) {
            throw new WaitTimeoutException("map result not ready within " + Duration.ofNanos(nanos)
                    + " of the call to map; " + Futures.unfinished(futures.size(), total) + " (calls not started are cancelled)");
        }
    }

    /** Cancels the calls that have not started and ends the iteration. Harmless if called again. */
    @Override
    public void close() {
        chunk = null;
        for (Future<?> f : futures) {
            f.cancel();
        }
        futures.clear();
    }
}
