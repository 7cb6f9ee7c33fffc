package futures.core;

import futures.spi.BrokenExecutorException;
import futures.spi.Task;
import futures.spi.WorkItem;
import futures.spi.WorkerPool;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Python's {@code Executor}: runs calls asynchronously on the workers of a pool, and returns a
 * {@link Future} for each. Made by {@link Executors#create(String, futures.spi.ExecutorConfig)}.
 * Use it in try-with-resources as Python uses {@code with}: {@link #close()} is
 * {@code shutdown(wait=true)}.
 *
 * <p>Every call that schedules work ({@code submit}, {@code map}, {@code execute}) throws
 * {@link RejectedExecutionException} after {@link #shutdown()} (Python's {@code RuntimeError}),
 * and a {@link BrokenExecutorException} (itself a {@code RejectedExecutionException}) once the pool
 * is broken. The functional types it takes are {@link java.io.Serializable}, so calls can run in
 * other processes; a call that cannot be serialized fails its own future there.
 *
 * <p>Thread-safe.
 */
public final class Executor implements java.util.concurrent.Executor, AutoCloseable {
    /*
     * Invariants. `pending` holds every future this executor handed to the pool that is not yet
     * done, and no other: a future enters before pool.execute and leaves through its WorkItem
     * (cancelled when marked, completed, or failed), which the SPI requires the pool to settle for
     * every item it took. `shutdown` only goes false -> true. A submit adds to `pending` before it
     * reads `shutdown`, and shutdown writes `shutdown` before it sweeps `pending`, so a submit that
     * gets past the check is always seen by shutdown(cancelFutures=true) (both are volatile-ordered).
     * Each pending future maps to its Item, numbered in submission order (`seq`), so shutdownNow can
     * hand back the tasks that never started in the order they were given.
     *
     * Termination (for the ExecutorService view): `terminated` completes, once, when `shutdown` is
     * set and `pending` is empty; both shutdown and every removal from `pending` check for it. No
     * future can enter `pending` for good after that, since a submit that adds one then reads
     * `shutdown` and backs out.
     */
    private static final System.Logger LOG = System.getLogger(Executor.class.getName());

    private final String name;
    private final WorkerPool pool;
    private final Map<Future<?>, Item> pending = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private final Future<Void> terminated = new Future<>();
    private volatile boolean shutdown;
    private final ExecutorServiceView view = new ExecutorServiceView(this); // keeps only the reference

    Executor(String name, WorkerPool pool) {
        this.name = name;
        this.pool = pool;
        ExitGuard.register(this);
    }

    // ------------------------------------------------------------------ submit

    /**
     * Schedules {@code task()} and returns its future. Python's {@code submit(fn)}.
     *
     * @throws RejectedExecutionException after shutdown
     * @throws BrokenExecutorException if the pool is broken
     * @throws NullPointerException if {@code task} is null
     */
    public <T> Future<T> submit(Task<T> task) {
        Objects.requireNonNull(task, "task");
        return schedule(task);
    }

    /**
     * Schedules {@code fn(a)}, Python's {@code submit(fn, a)}.
     *
     * @throws RejectedExecutionException after shutdown
     * @throws BrokenExecutorException if the pool is broken
     * @throws NullPointerException if {@code fn} is null (arguments may be null)
     */
    public <A, T> Future<T> submit(Func<? super A, ? extends T> fn, A a) {
        Objects.requireNonNull(fn, "fn");
        return schedule(new Calls.Apply<>(fn, a));
    }

    /**
     * Schedules {@code fn(a, b)}, Python's {@code submit(fn, a, b)}: for example
     * {@code submit(Math::pow, 323.0, 1235.0)}.
     *
     * @throws RejectedExecutionException after shutdown
     * @throws BrokenExecutorException if the pool is broken
     * @throws NullPointerException if {@code fn} is null (arguments may be null)
     */
    public <A, B, T> Future<T> submit(BiFunc<? super A, ? super B, ? extends T> fn, A a, B b) {
        Objects.requireNonNull(fn, "fn");
        return schedule(new Calls.Apply2<>(fn, a, b));
    }

    /**
     * The JDK's {@code execute}: schedules {@code command} and keeps no future. If it throws, the
     * exception is logged (logger {@code futures.core.Executor}, level WARNING). On a process pool
     * the command must be serializable (cast it: {@code (Runnable & Serializable) () -> ...});
     * otherwise the failure to send it is logged the same way.
     *
     * @throws RejectedExecutionException after shutdown or when broken
     */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        Future<Object> f = schedule(new Calls.Run(command));
        f.addDoneCallback(done -> {
            if (done.failed()) {
                LOG.log(Level.WARNING, "task given to execute() on " + this + " threw", done.exceptionNow());
            }
        });
    }

    // ------------------------------------------------------------------ map

    /** {@code map(fn, items, Futures.NO_TIMEOUT, 1)}. */
    public <A, R> MapIterator<R> map(Func<? super A, ? extends R> fn, Iterable<? extends A> items) {
        return map(fn, items, Futures.NO_TIMEOUT, 1);
    }

    /** {@code map(fn, items, timeout, 1)}. */
    public <A, R> MapIterator<R> map(Func<? super A, ? extends R> fn, Iterable<? extends A> items, Duration timeout) {
        return map(fn, items, timeout, 1);
    }

    /**
     * Python's {@code map(fn, items, timeout=, chunksize=)}: calls {@code fn} on every item
     * concurrently and returns the results in input order.
     *
     * <p>Every call is scheduled now; the iterator then waits for each result in turn. When a
     * call threw, {@code next()} throws that exception as {@link Future#result()} would, when its
     * value is reached; iteration then ends and the calls not yet started are cancelled (Python's
     * generator does the same). {@code next()} throws {@link WaitTimeoutException} if a result is
     * not ready {@code timeout} after this call. Closing the iterator early cancels the calls that
     * have not started.
     *
     * @param timeout measured from this call; {@link Futures#NO_TIMEOUT} for no limit
     * @param chunkSize items sent to a worker in one message; results and exceptions still come
     *     one per item. It pays on process pools for many small calls.
     * @throws IllegalArgumentException if {@code chunkSize < 1}
     * @throws RejectedExecutionException after shutdown, or if the pool breaks while scheduling
     *     (calls scheduled so far are cancelled)
     */
    public <A, R> MapIterator<R> map(
            Func<? super A, ? extends R> fn, Iterable<? extends A> items, Duration timeout, int chunkSize) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(items, "items");
        return mapArgs(fn, items.iterator(), timeout, chunkSize);
    }

    /** {@code map(fn, as, bs, Futures.NO_TIMEOUT, 1)}. */
    public <A, B, R> MapIterator<R> map(
            BiFunc<? super A, ? super B, ? extends R> fn, Iterable<? extends A> as, Iterable<? extends B> bs) {
        return map(fn, as, bs, Futures.NO_TIMEOUT, 1);
    }

    /**
     * {@link #map(Func, Iterable, Duration, int)} over two inputs taken in step, as Python's
     * {@code map(fn, it1, it2)}: it stops at the shorter input.
     */
    public <A, B, R> MapIterator<R> map(BiFunc<? super A, ? super B, ? extends R> fn,
            Iterable<? extends A> as, Iterable<? extends B> bs, Duration timeout, int chunkSize) {
        Objects.requireNonNull(fn, "fn");
        Iterator<? extends A> ia = Objects.requireNonNull(as, "as").iterator();
        Iterator<? extends B> ib = Objects.requireNonNull(bs, "bs").iterator();
        Iterator<Calls.Pair<A, B>> zipped = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return ia.hasNext() && ib.hasNext();
            }

            @Override
            public Calls.Pair<A, B> next() {
                return new Calls.Pair<>(ia.next(), ib.next());
            }
        };
        return mapArgs(new Calls.Spread<>(fn), zipped, timeout, chunkSize);
    }

    private <A, R> MapIterator<R> mapArgs(
            Func<? super A, ? extends R> fn, Iterator<? extends A> items, Duration timeout, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be at least 1, got " + chunkSize);
        }
        long nanos = Future.toNanos(timeout);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        try {
            if (chunkSize == 1) {
                while (items.hasNext()) {
                    futures.add(schedule(new Calls.Apply<>(fn, items.next())));
                }
            } else {
                List<Object> chunk = new ArrayList<>(chunkSize);
                while (items.hasNext()) {
                    chunk.add(items.next());
                    if (chunk.size() == chunkSize || !items.hasNext()) {
                        futures.add(schedule(new Calls.Chunk<>(fn, chunk.toArray())));
                        chunk.clear();
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            futures.forEach(Future::cancel);
            throw e;
        }
        return new MapIterator<>(futures, chunkSize > 1, start, nanos);
    }

    // ------------------------------------------------------------------ shutdown

    /** {@code shutdown(true, false)}. */
    public void shutdown() {
        shutdown(true, false);
    }

    /** {@code shutdown(wait, false)}. */
    public void shutdown(boolean wait) {
        shutdown(wait, false);
    }

    /**
     * Python's {@code shutdown(wait, cancel_futures)}: stops taking new calls and frees the
     * workers when the pending calls are done. Calling it again is harmless. A call running on this
     * executor may call {@code shutdown(false)}.
     *
     * @param wait if true, return only when every pending call is done and the workers have
     *     stopped; if false, return at once
     * @param cancelFutures if true, first cancel every call that has not started
     * @throws IllegalStateException if {@code wait} is true and this is called from a call running
     *     on this executor, which would wait for itself (the shutdown still happens)
     */
    public void shutdown(boolean wait, boolean cancelFutures) {
        shutdown = true;
        if (cancelFutures) {
            for (Future<?> f : pending.keySet()) {
                f.cancel();
            }
        }
        checkTerminated();
        pool.shutdown(wait);
    }

    /** {@code shutdown(true)}: the end of a try-with-resources block, as Python's {@code with}. */
    @Override
    public void close() {
        shutdown(true, false);
    }

    /** Whether {@link #shutdown} was called. */
    public boolean isShutdown() {
        return shutdown;
    }

    /**
     * A {@link java.util.concurrent.ExecutorService} view of this executor, with the JDK's
     * documented contract, for code written against {@code java.util.concurrent} (such as
     * {@code CompletableFuture.supplyAsync(supplier, view)} or an
     * {@code ExecutorCompletionService}). It shares this executor's workers and state: shutting
     * down either shuts down both. Every call returns the same view.
     *
     * <ul>
     *   <li>{@code submit}, {@code invokeAll} and {@code invokeAny} return futures with the JDK's
     *       semantics (they are also this library's {@link Future}s, so {@link Futures#wait}
     *       accepts them): {@code cancel} on a running call succeeds, discards its outcome, and with
     *       {@code mayInterruptIfRunning} interrupts the thread running it; afterwards
     *       {@code isDone()} is true. {@code cancel} on a call that has not started means it never
     *       runs.
     *   <li>{@code invokeAll} with a timeout cancels, at the deadline, every call not yet done;
     *       {@code invokeAny} returns the first successful result and cancels the rest, throws
     *       {@link java.util.concurrent.ExecutionException} (the last failure as its cause, the
     *       others suppressed) when all fail, and {@link java.util.concurrent.TimeoutException}
     *       when its timeout passes first.
     *   <li>{@code shutdown()} is {@code shutdown(wait=false)}: it never blocks. {@code shutdownNow()}
     *       also cancels every call that has not started and returns those calls, in submission
     *       order, as {@link Runnable}s: the very {@code Runnable} given to {@code execute} or
     *       {@code submit}, or one that runs the {@code Callable} or task (its future stays
     *       cancelled). A command given to {@code execute} that is itself a JDK {@code Future} (as
     *       an {@code ExecutorCompletionService} task is) is cancelled when its call is dropped this
     *       way or fails to run at all, so no one waits for it forever. {@code shutdownNow()} then
     *       interrupts the calls this view started that are running in this JVM.
     *   <li>{@code isTerminated()} is true once shut down and every call is done;
     *       {@code awaitTermination} waits for that; {@code close()} is the JDK's: shut down, wait,
     *       and on interrupt {@code shutdownNow()} then wait on; called from one of this view's own
     *       calls it throws {@link IllegalStateException} (after shutting down) instead of waiting
     *       for itself forever.
     * </ul>
     *
     * <p>On a provider that runs calls in other processes ({@code "process"}), a call crosses by
     * Java serialization: a {@code Callable} or {@code Runnable} that is not
     * {@link java.io.Serializable} (write {@code (Callable<T> & Serializable) () -> ...}) cannot be
     * sent, and its future fails with the serialization error (the process provider reports an
     * {@link java.io.UncheckedIOException} naming the class, caused by the
     * {@link java.io.NotSerializableException}); for {@code execute} the failure is logged (logger
     * {@code futures.core.Executor}, level WARNING). The pool keeps serving.
     * So the JDK's own wrappers, which are not serializable, cannot cross:
     * {@code CompletableFuture.supplyAsync(..., view)} and {@code ExecutorCompletionService} only
     * work with providers that run calls in this JVM ({@code "thread"}, {@code "virtual"}).
     * Interrupting a running call ({@code cancel(true)}, {@code shutdownNow()}) only reaches calls
     * running in this JVM.
     *
     * @return the view; the same object on every call
     */
    public java.util.concurrent.ExecutorService asExecutorService() {
        return view;
    }

    /** The most calls this executor runs at once; {@link Integer#MAX_VALUE} for no bound. */
    public int maxWorkers() {
        return pool.maxWorkers();
    }

    /** The name of the provider that made this executor, such as {@code "thread"}. */
    public String providerName() {
        return name;
    }

    /** Shows the provider, the worker bound, the pending count and whether it is shut down or broken. */
    @Override
    public String toString() {
        String workers = pool.maxWorkers() == Integer.MAX_VALUE ? "unbounded" : String.valueOf(pool.maxWorkers());
        String status = pool.broken() != null ? ", broken" : shutdown ? ", shut down" : "";
        return "Executor[" + name + ", max_workers=" + workers + ", pending=" + pending.size() + status + "]";
    }

    // ------------------------------------------------------------------ internals

    /** Hands {@code task} to the pool and returns its future; the one way work enters the pool. */
    <T> Future<T> schedule(Task<?> task) {
        Future<T> f = new Future<>();
        Item item = new Item(f, task, seq.getAndIncrement());
        pending.put(f, item);
        try {
            if (shutdown) {
                throw new RejectedExecutionException("cannot schedule new futures after shutdown: " + this);
            }
            if (ExitGuard.exiting()) {
                throw new RejectedExecutionException("cannot schedule new futures after the JVM began to exit");
            }
            pool.execute(item);
        } catch (RuntimeException | Error e) {
            settled(f);
            throw e;
        }
        return f;
    }

    /** Forgets a future that left the pool, and completes termination if it was the last one. */
    private void settled(Future<?> f) {
        pending.remove(f);
        checkTerminated();
    }

    private void checkTerminated() {
        if (shutdown && pending.isEmpty()) {
            terminated.trySet(null);
        }
    }

    /** Whether this executor is shut down and every call it took is done. */
    boolean isTerminated() {
        return terminated.done();
    }

    /** Completes when {@link #isTerminated()} becomes true. */
    Future<Void> termination() {
        return terminated;
    }

    /**
     * The JDK's {@code shutdownNow}, minus the interrupts: shuts down, cancels every call that has
     * not started, and returns their tasks in submission order.
     */
    List<Task<?>> shutdownNow() {
        shutdown = true;
        List<Item> notStarted = new ArrayList<>(pending.values());
        notStarted.sort(Comparator.comparingLong(i -> i.seq));
        List<Task<?>> dropped = new ArrayList<>();
        for (Item i : notStarted) {
            if (!i.future.done() && !i.future.running() && i.future.cancel()) {
                dropped.add(i.task);
            }
        }
        checkTerminated();
        pool.shutdown(false);
        return dropped;
    }

    /** Waits for every pending future, from the exit hook. */
    void awaitPendingAtExit() {
        for (Future<?> f : List.copyOf(pending.keySet())) {
            try {
                f.exception();
            } catch (RuntimeException cancelledOrInterrupted) {
                // done either way, or the hook thread was interrupted: nothing more to wait for
            }
        }
    }

    /** The core's side of one submitted call, as its pool sees it. */
    private final class Item implements WorkItem {
        private final Future<?> future;
        private final Task<?> task;
        private final long seq;

        Item(Future<?> future, Task<?> task, long seq) {
            this.future = future;
            this.task = task;
            this.seq = seq;
        }

        @Override
        public Task<?> task() {
            return task;
        }

        @Override
        public boolean markRunning() {
            boolean run = future.setRunningOrNotifyCancel();
            if (!run) {
                settled(future);
            }
            return run;
        }

        @Override
        public boolean complete(Object value) {
            boolean set = future.trySet(value);
            settled(future);
            return set;
        }

        @Override
        public boolean fail(Throwable failure) {
            boolean set = future.tryFail(failure);
            settled(future);
            return set;
        }

        @Override
        public String toString() {
            return "WorkItem[" + future + "]";
        }
    }
}
