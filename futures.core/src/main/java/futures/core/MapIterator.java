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
 * <p>A buffered map ({@link Executor#map(Func, Iterable, Duration, int, int)}, CPython 3.14's
 * {@code buffersize}) reads its input lazily: {@code next()} first schedules the call for the next
 * input item (or chunk), then waits for the result it returns, as CPython's generator does. So
 * while the consumer waits for one result, at most {@code bufferSize} further calls (or chunks) are
 * scheduled ahead of it, and input is read only as results are taken. An exception thrown by the
 * input's iterator, or by scheduling (the executor was shut down or broke meanwhile), is thrown by
 * {@code next()} and ends the iteration like a call's exception.
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
    /** Schedules the next call (or chunk) of a buffered map, or returns null at the input's end; null when unbuffered. */
    private Refill refill;
    private final int total;
    private final boolean chunked;
    private final long start;
    private final long nanos;
    /** Results of the head chunk not yet returned, and where the next one is. */
    private Object[] chunk;
    private int index;
    private boolean iterated;

    /** Schedules one more call of a buffered map. */
    interface Refill {
        /**
         * Reads the next input item (or chunk) and schedules its call.
         *
         * @return the call's future, or null if the input is exhausted
         */
        Future<?> next();
    }

    MapIterator(List<Future<?>> futures, boolean chunked, long start, long nanos) {
        this(futures, chunked, start, nanos, null);
    }

    /** A map whose input is read lazily through {@code refill}; {@code futures} is the initial buffer. */
    MapIterator(List<Future<?>> futures, boolean chunked, long start, long nanos, Refill refill) {
        this.futures = new ArrayDeque<>(futures);
        this.refill = refill;
        this.total = refill == null ? futures.size() : -1;
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
                refill();
                // Peek, then poll after the wait: if it times out, close() must still cancel this
                // call (Python's _result_or_cancel), not only the ones behind it.
                Object value = await(peek());
                poll();
                return (R) value;
            }
            if (chunk == null) {
                refill();
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

    /** For a buffered map: schedules the call for the next input, behind the ones buffered (CPython's appendleft). */
    private void refill() {
        if (refill == null) {
            return;
        }
        Future<?> f = refill.next();
        if (f == null) {
            refill = null; // the input is exhausted: read it no more
            return;
        }
        futures.addLast(f);
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
                    + " of the call to map; " + (total < 0 ? futures.size() + " buffered calls unfinished"
                            : Futures.unfinished(futures.size(), total)) + " (calls not started are cancelled)");
        }
    }

    /** Cancels the calls that have not started and ends the iteration. Harmless if called again. */
    @Override
    public void close() {
        chunk = null;
        refill = null; // read no more input
        for (Future<?> f : futures) {
            f.cancel();
        }
        futures.clear();
    }
}
