package futures.core;

import futures.spi.BrokenExecutorException;
import futures.spi.CallTimeoutException;
import futures.spi.ExecutorConfig;
import futures.spi.Task;
import futures.spi.WorkItem;
import futures.spi.WorkerPool;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

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
 * <p>A call may have a time limit, counted from when it starts running (pebble's
 * {@code schedule(timeout=)}): its own ({@link #submit(Duration, Task)}) or the executor's default
 * (config key {@code time_limit}). At the deadline its future fails with
 * {@link CallTimeoutException} and the call is stopped where the provider can stop it.
 *
 * <p>Thread-safe.
 */
public final class Executor implements java.util.concurrent.Executor, AutoCloseable {
    /*
     * Invariants. An item (the future submit returns, which is also the pool's WorkItem) is
     * *unsettled* from the moment schedule counts it until it is settled, exactly once: by the pool
     * (cancelled when marked, completed, or failed; the SPI requires the pool to settle every item
     * it keeps), by schedule when the pool refused it, or by the core when the pool handed it back
     * (takeQueued). The once is Item.settle's atomic swap of its task to null. `counted` counts the
     * items schedule counted and `settledCount` the settlements; they are two counters, not one, so
     * that the submitting thread and the workers do not write the same memory for every call. Each
     * only grows, and an item is counted before it is settled, so reading `settledCount` first and
     * `counted` second gives settled <= counted, equal only if every item counted by the time of
     * the second read was settled by the time of the first: then none is pending (unsettled()).
     * LongAdder's sum is not a snapshot, but as a sum of cells that only grow it is at most the
     * true count at its end, which is all the argument needs.
     *
     * Which not-started items a shutdown(cancelFutures=true) or shutdownNow must cancel: if the pool
     * hands back its queue (pool.handsBackQueued()), the pool knows; the core first shuts the pool
     * (after that, execute rejects) and then takes the queue, so every item the pool accepted is
     * either handed back or taken by a worker, and `pending` is null. Otherwise `pending` holds every
     * unsettled item that reached pool.execute, mapped to its submission number (`seq`), so that
     * shutdownNow can hand back the tasks that never started in the order they were given; a
     * submit adds to it before it reads `shutdown`, and shutdown writes `shutdown` before it
     * sweeps `pending`, so a submit that gets past the check is always seen by the sweep (both
     * are volatile-ordered).
     *
     * `shutdown` only goes false -> true. Termination (for the ExecutorService view): `terminated`
     * completes, once, when `shutdown` is set and no item is unsettled; shutdown and every settlement
     * check for it. A submit counts its item before it reads `shutdown`, and backs out if it is
     * set; a settlement counts itself before it reads `shutdown`, and shutdown sets it before it reads
     * the count: so the last of them sees both, and no item enters for good after termination.
     */
    private final String name;
    private final WorkerPool pool;
    /** Null when the pool hands back its queue; see the invariants. */
    private final Map<Item<?>, Long> pending;
    private final AtomicLong seq;
    private final AtomicLong counted = new AtomicLong();
    private final LongAdder settledCount = new LongAdder();
    /**
     * The items whose outcome the core has taken charge of ({@link Item#claim}): counted before the
     * outcome is visible, so that {@link #toString}'s {@code pending=} never still counts a call
     * whose {@code result()} has returned (settling comes after the done callbacks). Grows like
     * {@code settledCount}, each item once; read before {@code counted}, like it.
     */
    private final LongAdder claimedCount = new LongAdder();
    private final Future<Void> terminated = new Future<>();
    /**
     * Notified by {@link #settled} once the JVM is exiting, for {@link #awaitPendingAtExit()}: a
     * settlement counts itself (and leaves {@code pending}) before it reads
     * {@code ExitGuard.exiting()}, and the hook sets that before it reads them, so no settlement is
     * missed.
     */
    private final Object settledAtExit = new Object();
    private volatile boolean shutdown;
    /**
     * Set (once, never cleared) by {@code shutdown(cancelFutures=true)} before it cancels what has
     * not started: from then on {@link Item#markRunning()} cancels instead of starting, so a call
     * that a worker had already taken from the queue, but not yet marked running, is cancelled too
     * ("cancel all pending futures that the executor has not started running"). Only for pools that
     * hand back their queue (with the others the core's own sweep cancels every pending item, and
     * cancelling inside markRunning would run done-callbacks under a pool's lock). A worker that
     * read the flag just before it was set may still start the call it holds, as in CPython, where
     * a work item already taken by a worker also runs. Not set by {@code shutdownNow}, whose JDK
     * contract is that each call not handed back may still run.
     */
    private volatile boolean cancelPending;
    private final ExecutorServiceView view = new ExecutorServiceView(this); // keeps only the reference
    /**
     * Whether a wait inside one of this executor's calls that can never end fails with
     * {@link DeadlockException} (see {@link Deadlocks}): the pool runs calls on threads of this
     * JVM and config key {@code deadlock_detection} is not false. Fixed at construction.
     */
    private final boolean detectsDeadlocks;
    /**
     * The default time limit of each call (config key {@code time_limit}), or null for none;
     * fixed at construction. See {@link TimeLimit}.
     */
    private final Duration timeLimit;
    /** {@code pool.runsCallsInThisJvm()}, asked once: a limited call's thread is interrupted by the core. */
    private final boolean runsCallsInThisJvm;
    /** {@code pool.stopsRunningCalls()}, asked once. */
    private final boolean stopsRunningCalls;

    Executor(String name, WorkerPool pool) {
        this(name, pool, true);
    }

    /** @param detectDeadlocks false turns deadlock detection off (config key {@code deadlock_detection}) */
    Executor(String name, WorkerPool pool, boolean detectDeadlocks) {
        this(name, pool, detectDeadlocks, null);
    }

    /**
     * @param detectDeadlocks false turns deadlock detection off (config key {@code deadlock_detection})
     * @param timeLimit the default time limit of each call (config key {@code time_limit}), or null
     */
    Executor(String name, WorkerPool pool, boolean detectDeadlocks, Duration timeLimit) {
        this.name = name;
        this.pool = pool;
        this.runsCallsInThisJvm = pool.runsCallsInThisJvm();
        this.stopsRunningCalls = pool.stopsRunningCalls();
        this.detectsDeadlocks = detectDeadlocks && runsCallsInThisJvm;
        this.timeLimit = timeLimit;
        boolean handsBack = pool.handsBackQueued();
        this.pending = handsBack ? null : new ConcurrentHashMap<>();
        this.seq = handsBack ? null : new AtomicLong();
        ExitGuard.register(this);
    }

    // ------------------------------------------------------------------ submit

    /**
     * Schedules {@code task()} and returns its future. Python's {@code submit(fn)}.
     *
     * @param <T> the type of the call's value
     * @param task the call to run, with no arguments
     * @return the future of the call, PENDING until a worker takes it
     * @throws RejectedExecutionException after shutdown
     * @throws BrokenExecutorException if the pool is broken
     * @throws NullPointerException if {@code task} is null
     */
    public <T> Future<T> submit(Task<T> task) {
        Objects.requireNonNull(task, "task");
        return schedule(task);
    }

    /**
     * Schedules {@code task()} with a time limit of its own, which overrides the executor's
     * default (config key {@code time_limit}) for this call: pebble's
     * {@code schedule(fn, timeout=)}. The limit counts from when the call starts running, not from
     * this submit: a call waiting in the queue behind busy workers is never failed for its wait.
     * For {@code "process"} the call starts when its item is handed to a worker process, so the
     * limit includes sending the call there.
     *
     * <p>If the call is still running at its deadline, its future fails with
     * {@link CallTimeoutException}, whose message names the limit and what was done, and the call
     * is stopped where it runs: on {@code "process"} the worker process running it is killed
     * (SIGKILL) and another takes its place, the other calls and the pool going on unaffected; on
     * {@code "thread"} and {@code "virtual"} the thread running it is interrupted, and the
     * interrupt never reaches a later call of that thread. A call that ignores the interrupt
     * still has its future failed at the deadline; its thread stays busy until the call returns,
     * and what it returns or throws is discarded. On {@code "cluster"} the member running the call
     * interrupts it. A provider that cannot stop a running call (one that says neither
     * {@code runsCallsInThisJvm} nor {@code stopsRunningCalls}) lets it run on where it is and
     * discards its outcome. A call that ends
     * before its deadline keeps its value or exception, as without a limit.
     *
     * @param <T> the type of the call's value
     * @param timeLimit the most time the call may run; more than zero, at most
     *     {@value ExecutorConfig#MAX_TIME_LIMIT_SECONDS} seconds
     * @param task the call to run, with no arguments
     * @return the future of the call, PENDING until a worker takes it
     * @throws IllegalArgumentException if {@code timeLimit} is zero, negative or more than
     *     {@value ExecutorConfig#MAX_TIME_LIMIT_SECONDS} seconds
     * @throws RejectedExecutionException after shutdown
     * @throws BrokenExecutorException if the pool is broken
     * @throws NullPointerException if {@code timeLimit} or {@code task} is null
     */
    public <T> Future<T> submit(Duration timeLimit, Task<T> task) {
        ExecutorConfig.checkTimeLimit("timeLimit", timeLimit);
        Objects.requireNonNull(task, "task");
        return schedule(task, timeLimit);
    }

    /**
     * Schedules {@code fn(a)}, Python's {@code submit(fn, a)}.
     *
     * @param <A> the type of the argument
     * @param <T> the type of the call's value
     * @param fn the function to call
     * @param a its argument
     * @return the future of {@code fn(a)}, PENDING until a worker takes it
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
     * @param <A> the type of the first argument
     * @param <B> the type of the second argument
     * @param <T> the type of the call's value
     * @param fn the function to call
     * @param a its first argument
     * @param b its second argument
     * @return the future of {@code fn(a, b)}, PENDING until a worker takes it
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
     * the command must be serializable (cast it: {@code (Runnable & Serializable) () -> ...}):
     * with no future to carry the error, a command the pool fails before it starts, at the call
     * (one that cannot be serialized), makes this throw.
     *
     * @throws RejectedExecutionException after shutdown or when broken, or if the pool failed the
     *     command at the call without running it (the message names the command's class, why,
     *     and what is accepted; the pool keeps serving)
     * @throws NullPointerException if {@code command} is null
     */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        Calls.Run run = new Calls.Run(command);
        Future<Object> f = schedule(run);
        if (f.failed() && !run.started()) { // failed at the call, never started: nobody else would know
            throw notSent(command, f.exceptionNow());
        }
        f.addDoneCallback(done -> {
            if (done.failed()) {
                Logs.log(Executor.class, Level.WARNING, "task given to execute() on " + this + " threw",
                        done.exceptionNow());
            }
        });
    }

    /** The error {@code execute} throws for a command the pool failed at the call without starting it. */
    RejectedExecutionException notSent(Runnable command, Throwable why) {
        boolean serialization = false;
        for (Throwable t = why; t != null && !serialization; t = t.getCause()) {
            serialization = t instanceof java.io.ObjectStreamException;
        }
        String accepted = serialization
                ? "; a provider that runs calls in other processes accepts only a Serializable command that"
                        + " captures serializable values: write (Runnable & Serializable) () -> ..."
                : "";
        return new RejectedExecutionException("execute() could not run " + command.getClass().getName() + " on "
                + this + ": " + why.getMessage() + accepted, why);
    }

    // ------------------------------------------------------------------ map

    /**
     * {@code map(fn, items, Futures.NO_TIMEOUT, 1)}: the results in input order, with no limit to
     * the wait; {@code next()} throws a call's exception when its value is reached.
     *
     * @param <A> the type of the items
     * @param <R> the type of the results
     * @param fn the function to call on each item
     * @param items the inputs, read to the end before this returns
     * @return the results in input order, each waited for as {@code next()} reaches it
     * @throws RejectedExecutionException after shutdown, or if the pool breaks while scheduling
     * @throws NullPointerException if an argument is null
     */
    public <A, R> MapIterator<R> map(Func<? super A, ? extends R> fn, Iterable<? extends A> items) {
        return map(fn, items, Futures.NO_TIMEOUT, 1);
    }

    /**
     * {@code map(fn, items, timeout, 1)}: the results in input order; {@code next()} throws
     * {@link WaitTimeoutException} if a result is not ready {@code timeout} after this call.
     *
     * @param <A> the type of the items
     * @param <R> the type of the results
     * @param fn the function to call on each item
     * @param items the inputs, read to the end before this returns
     * @param timeout the most time, from this call, until the last result; {@link Futures#NO_TIMEOUT} for no limit
     * @return the results in input order, each waited for as {@code next()} reaches it
     * @throws RejectedExecutionException after shutdown, or if the pool breaks while scheduling
     * @throws NullPointerException if an argument is null
     */
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
     * have not started. Each call (each chunk, with {@code chunkSize > 1}) has the executor's
     * time limit (config key {@code time_limit}) if it has one; a call past it fails with
     * {@link CallTimeoutException}, thrown by {@code next()} when its value is reached.
     *
     * @param <A> the type of the items
     * @param <R> the type of the results
     * @param fn the function to call on each item
     * @param items the inputs, read to the end before this returns
     * @return the results in input order, each waited for as {@code next()} reaches it
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

    /**
     * Python 3.14's {@code map(fn, items, timeout=, chunksize=, buffersize=)}: as
     * {@link #map(Func, Iterable, Duration, int)}, but the input is read lazily, so it may be
     * endless ({@code map(fn, stream::iterator, ...)} maps a {@link java.util.stream.Stream}).
     *
     * <p>This schedules the first {@code bufferSize} calls (chunks, if {@code chunkSize > 1}) now.
     * Each {@code next()} that needs a new call's result first reads one more input item (or chunk)
     * and schedules it, then waits: so at most {@code bufferSize} calls are scheduled ahead of the
     * one the consumer waits for, as in CPython. Order, chunking, the timeout (measured from this
     * call) and early close mean what they mean without a buffer; closing also stops reading the
     * input. An exception from the input's iterator, or from scheduling a call (the executor was
     * shut down or broke since, {@link RejectedExecutionException}), is thrown by {@code next()}
     * when it tries to schedule, and ends the iteration. {@code Integer.MAX_VALUE} reads the whole
     * input now, like the overloads without a buffer.
     *
     * @param <A> the type of the items
     * @param <R> the type of the results
     * @param fn the function to call on each item
     * @param items the inputs, read as results are taken
     * @param timeout the most time, from this call, until the last result; {@link Futures#NO_TIMEOUT} for no limit
     * @param chunkSize items sent to a worker in one message; 1 or more
     * @param bufferSize how many calls (chunks) to schedule ahead of the consumer; 1 or more
     * @return the results in input order, each waited for as {@code next()} reaches it
     * @throws IllegalArgumentException if {@code chunkSize < 1} or {@code bufferSize < 1}
     * @throws RejectedExecutionException after shutdown, or if the pool breaks while scheduling
     *     the first calls (calls scheduled so far are cancelled)
     * @throws NullPointerException if an argument is null
     */
    public <A, R> MapIterator<R> map(Func<? super A, ? extends R> fn, Iterable<? extends A> items, Duration timeout,
            int chunkSize, int bufferSize) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(items, "items");
        return mapArgs(fn, items.iterator(), timeout, chunkSize, checkBufferSize(bufferSize));
    }

    /**
     * {@code map(fn, as, bs, Futures.NO_TIMEOUT, 1)}: {@code fn(a, b)} over the two inputs taken in
     * step, stopping at the shorter, results in input order.
     *
     * @param <A> the type of the first input's items
     * @param <B> the type of the second input's items
     * @param <R> the type of the results
     * @param fn the function to call on each pair
     * @param as the first arguments
     * @param bs the second arguments
     * @return the results in input order, each waited for as {@code next()} reaches it
     * @throws RejectedExecutionException after shutdown, or if the pool breaks while scheduling
     * @throws NullPointerException if an argument is null
     */
    public <A, B, R> MapIterator<R> map(
            BiFunc<? super A, ? super B, ? extends R> fn, Iterable<? extends A> as, Iterable<? extends B> bs) {
        return map(fn, as, bs, Futures.NO_TIMEOUT, 1);
    }

    /**
     * {@link #map(Func, Iterable, Duration, int)} over two inputs taken in step, as Python's
     * {@code map(fn, it1, it2)}: it stops at the shorter input.
     *
     * @param <A> the type of the first input's items
     * @param <B> the type of the second input's items
     * @param <R> the type of the results
     * @param fn the function to call on each pair
     * @param as the first arguments
     * @param bs the second arguments
     * @param timeout the most time, from this call, until the last result; {@link Futures#NO_TIMEOUT} for no limit
     * @param chunkSize how many pairs each call to the pool carries; 1 or more
     * @return the results in input order, each waited for as {@code next()} reaches it
     * @throws IllegalArgumentException if {@code chunkSize < 1}
     * @throws RejectedExecutionException after shutdown, or if the pool breaks while scheduling
     * @throws NullPointerException if an argument is null
     */
    public <A, B, R> MapIterator<R> map(BiFunc<? super A, ? super B, ? extends R> fn,
            Iterable<? extends A> as, Iterable<? extends B> bs, Duration timeout, int chunkSize) {
        Objects.requireNonNull(fn, "fn");
        return mapArgs(new Calls.Spread<>(fn), zip(as, bs), timeout, chunkSize, 0);
    }

    /**
     * {@link #map(Func, Iterable, Duration, int, int)} over two inputs taken in step, as Python
     * 3.14's {@code map(fn, it1, it2, buffersize=)}: both are read lazily, and it stops at the
     * shorter input.
     *
     * @param <A> the type of the first input's items
     * @param <B> the type of the second input's items
     * @param <R> the type of the results
     * @param fn the function to call on each pair
     * @param as the first arguments
     * @param bs the second arguments
     * @param timeout the most time, from this call, until the last result; {@link Futures#NO_TIMEOUT} for no limit
     * @param chunkSize how many pairs each call to the pool carries; 1 or more
     * @param bufferSize how many calls (chunks) to schedule ahead of the consumer; 1 or more
     * @return the results in input order, each waited for as {@code next()} reaches it
     * @throws IllegalArgumentException if {@code chunkSize < 1} or {@code bufferSize < 1}
     * @throws RejectedExecutionException after shutdown, or if the pool breaks while scheduling
     *     the first calls
     * @throws NullPointerException if an argument is null
     */
    public <A, B, R> MapIterator<R> map(BiFunc<? super A, ? super B, ? extends R> fn, Iterable<? extends A> as,
            Iterable<? extends B> bs, Duration timeout, int chunkSize, int bufferSize) {
        Objects.requireNonNull(fn, "fn");
        return mapArgs(new Calls.Spread<>(fn), zip(as, bs), timeout, chunkSize, checkBufferSize(bufferSize));
    }

    private static int checkBufferSize(int bufferSize) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be at least 1 (calls scheduled ahead of the consumer),"
                    + " got " + bufferSize + "; for no buffer use the map overloads without bufferSize");
        }
        return bufferSize;
    }

    private static <A, B> Iterator<Calls.Pair<A, B>> zip(Iterable<? extends A> as, Iterable<? extends B> bs) {
        Iterator<? extends A> ia = Objects.requireNonNull(as, "as").iterator();
        Iterator<? extends B> ib = Objects.requireNonNull(bs, "bs").iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return ia.hasNext() && ib.hasNext();
            }

            @Override
            public Calls.Pair<A, B> next() {
                return new Calls.Pair<>(ia.next(), ib.next());
            }
        };
    }

    private <A, R> MapIterator<R> mapArgs(
            Func<? super A, ? extends R> fn, Iterator<? extends A> items, Duration timeout, int chunkSize) {
        return mapArgs(fn, items, timeout, chunkSize, 0);
    }

    /** {@code bufferSize} 0: no buffer, the whole input is scheduled now. */
    private <A, R> MapIterator<R> mapArgs(Func<? super A, ? extends R> fn, Iterator<? extends A> items,
            Duration timeout, int chunkSize, int bufferSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be at least 1, got " + chunkSize);
        }
        if (bufferSize != 0) {
            return mapBuffered(fn, items, timeout, chunkSize, bufferSize);
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

    /** A map that reads {@code items} lazily, {@code bufferSize} calls (chunks) ahead of its consumer. */
    private <A, R> MapIterator<R> mapBuffered(Func<? super A, ? extends R> fn, Iterator<? extends A> items,
            Duration timeout, int chunkSize, int bufferSize) {
        long nanos = Future.toNanos(timeout);
        long start = System.nanoTime();
        MapIterator.Refill refill = () -> {
            if (!items.hasNext()) {
                return null;
            }
            if (chunkSize == 1) {
                return schedule(new Calls.Apply<>(fn, items.next()));
            }
            List<Object> chunk = new ArrayList<>(chunkSize);
            while (chunk.size() < chunkSize && items.hasNext()) {
                chunk.add(items.next());
            }
            return schedule(new Calls.Chunk<>(fn, chunk.toArray()));
        };
        List<Future<?>> futures = new ArrayList<>(Math.min(bufferSize, 1024));
        try {
            Future<?> f;
            while (futures.size() < bufferSize && (f = refill.next()) != null) {
                futures.add(f);
            }
        } catch (RuntimeException | Error e) {
            futures.forEach(Future::cancel);
            throw e;
        }
        return new MapIterator<>(futures, chunkSize > 1, start, nanos, refill);
    }

    // ------------------------------------------------------------------ shutdown

    /**
     * {@code shutdown(true, false)}: stops taking new calls and returns when every pending call is
     * done and the workers have stopped.
     *
     * @throws IllegalStateException if called from a call running on this executor, which would
     *     wait for itself (the shutdown still happens)
     */
    public void shutdown() {
        shutdown(true, false);
    }

    /**
     * {@code shutdown(wait, false)}: stops taking new calls; the pending calls still run.
     *
     * @param wait if true, return only when every pending call is done and the workers have
     *     stopped; if false, return at once
     * @throws IllegalStateException if {@code wait} is true and this is called from a call running
     *     on this executor, which would wait for itself (the shutdown still happens)
     */
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
            if (pending == null) { // a pool that hands back its queue: see cancelPending
                cancelPending = true;
            }
            cancelNotStarted();
        }
        checkTerminated();
        pool.shutdown(wait);
    }

    /**
     * CPython 3.14's {@code ProcessPoolExecutor.terminate_workers()}: shuts down with the pending
     * calls cancelled ({@code shutdown(false, true)}), then stops every worker at once, and the
     * pool is broken. On {@code "process"} each live worker gets SIGTERM
     * ({@link Process#destroy()}), and every call that was running fails with a
     * {@link futures.spi.BrokenProcessPoolException} that names the signal. {@code "thread"} and
     * {@code "virtual"} do not offer it (threads cannot be signalled; CPython's
     * {@code ThreadPoolExecutor} has no such method either). The executor then
     * takes no more calls ({@link BrokenExecutorException}) and {@link #shutdown()} then returns
     * once the workers are gone. Calling it again is harmless.
     *
     * @throws UnsupportedOperationException if this executor's provider cannot stop its workers
     *     ({@link WorkerPool#stopsWorkers()}); then nothing was shut down
     */
    public void terminateWorkers() {
        stopWorkers(false);
    }

    /**
     * CPython 3.14's {@code ProcessPoolExecutor.kill_workers()}: as {@link #terminateWorkers()},
     * but a worker process gets SIGKILL ({@link Process#destroyForcibly()}), which it cannot
     * catch or delay.
     *
     * @throws UnsupportedOperationException if this executor's provider cannot stop its workers
     *     ({@link WorkerPool#stopsWorkers()}); then nothing was shut down
     */
    public void killWorkers() {
        stopWorkers(true);
    }

    private void stopWorkers(boolean force) {
        if (!pool.stopsWorkers()) {
            throw new UnsupportedOperationException("cannot stop the workers of provider '" + name
                    + "' (terminateWorkers/killWorkers): it does not offer it; use shutdown(false, true) instead");
        }
        shutdown(false, true);
        pool.stopWorkers(force);
    }

    /**
     * {@code shutdown(true)}: the end of a try-with-resources block, as Python's {@code with}.
     *
     * @throws IllegalStateException if called from a call running on this executor, which would
     *     wait for itself (the shutdown still happens)
     */
    @Override
    public void close() {
        shutdown(true, false);
    }

    /**
     * Whether {@link #shutdown} was called.
     *
     * @return true once {@code shutdown}, {@code shutdownNow} or {@code close} has been called
     */
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
     * {@link java.io.NotSerializableException}); {@code execute} throws
     * {@link RejectedExecutionException} with that error as its cause. The pool keeps serving.
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

    /**
     * The most calls this executor runs at once; {@link Integer#MAX_VALUE} for no bound.
     *
     * @return the pool's bound on calls running at once
     */
    public int maxWorkers() {
        return pool.maxWorkers();
    }

    /**
     * The name of the provider that made this executor, such as {@code "thread"}.
     *
     * @return the provider's name, as given to {@link Executors#create(String)}
     */
    public String providerName() {
        return name;
    }

    /** Shows the provider, the worker bound, the pending count and whether it is shut down or broken. */
    @Override
    public String toString() {
        String workers = pool.maxWorkers() == Integer.MAX_VALUE ? "unbounded" : String.valueOf(pool.maxWorkers());
        String status = pool.broken() != null ? ", broken" : shutdown ? ", shut down" : "";
        return "Executor[" + name + ", max_workers=" + workers + ", pending=" + unfinished() + status + "]";
    }

    // ------------------------------------------------------------------ internals

    /** Hands {@code task} to the pool with the executor's default time limit, if any, and returns its future. */
    <T> Future<T> schedule(Task<?> task) {
        return schedule(task, timeLimit);
    }

    /**
     * Hands {@code task} to the pool and returns its future; the one way work enters the pool.
     *
     * @param limit the call's time limit, or null for none
     */
    <T> Future<T> schedule(Task<?> task, Duration limit) {
        Item<T> item;
        if (limit == null) {
            item = new Item<>(this, task, null);
        } else {
            TimeLimit l = new TimeLimit(this, limit, task, runsCallsInThisJvm);
            item = new Item<>(this, runsCallsInThisJvm ? l : task, l);
        }
        counted.getAndIncrement();
        try {
            if (pending != null) {
                pending.put(item, seq.getAndIncrement());
            }
            if (shutdown) {
                item.cancel();
                item.settle(); // before the message, which must not count the call it refuses
                throw new RejectedExecutionException("cannot schedule new futures after shutdown: " + this);
            }
            if (ExitGuard.exiting()) {
                throw new RejectedExecutionException("cannot schedule new futures after the JVM began to exit");
            }
            pool.execute(item);
        } catch (RuntimeException | Error e) {
            item.cancel(); // should a pool have kept it after all, it is never run
            item.settle();
            throw e;
        }
        return item;
    }

    /**
     * Forgets an item that left the pool, and completes termination if it was the last one. A
     * completed item is settled only after {@code trySet}/{@code tryFail} returned, so after its
     * done callbacks ran: the exit hook waits for that ({@link #awaitPendingAtExit()}).
     */
    private void settled(Item<?> item) {
        if (pending != null) {
            pending.remove(item);
        }
        settledCount.increment();
        checkTerminated();
        if (ExitGuard.exiting()) {
            synchronized (settledAtExit) {
                settledAtExit.notifyAll();
            }
        }
    }

    private void checkTerminated() {
        if (shutdown && unsettled() == 0) {
            terminated.trySet(null);
        }
    }

    /**
     * How many calls are not finished as their callers can see: counted and not yet claimed (see
     * {@code claimedCount}); read in the same order as {@link #unsettled()}, so never negative.
     */
    private long unfinished() {
        long claimed = claimedCount.sum();
        return counted.get() - claimed;
    }

    /** How many items are unsettled; 0 only if none is (see the invariants: the read order matters). */
    private long unsettled() {
        long settled = settledCount.sum();
        return counted.get() - settled;
    }

    /** How many items the core records as pending ({@code pending}'s size; 0 if the pool hands back its queue); for tests. */
    int recordedForTests() {
        return pending == null ? 0 : pending.size();
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
     * Cancels every call that has not started, for {@code shutdown(cancelFutures=true)}; with
     * {@code shutdown} already set.
     *
     * @return the tasks of the calls this cancelled, in submission order
     */
    private List<Task<?>> cancelNotStarted() {
        List<Item<?>> notStarted;
        if (pending == null) {
            pool.shutdown(false); // from now on the pool rejects: its queue is all there is
            notStarted = new ArrayList<>();
            for (WorkItem w : pool.takeQueued()) {
                notStarted.add((Item<?>) w);
            }
        } else {
            List<Map.Entry<Item<?>, Long>> entries = new ArrayList<>(pending.entrySet());
            entries.sort(Map.Entry.comparingByValue());
            notStarted = new ArrayList<>(entries.size());
            for (Map.Entry<Item<?>, Long> e : entries) {
                notStarted.add(e.getKey());
            }
        }
        List<Task<?>> dropped = new ArrayList<>();
        for (Item<?> i : notStarted) {
            Task<?> task = i.task; // before the cancel: a worker that then sees it cancelled lets go of it
            if (task instanceof TimeLimit l) {
                task = l.inner(); // the user's task, not the core's wrapper
            }
            if (task != null && !i.done() && !i.running() && i.cancel()) {
                dropped.add(task);
            }
            if (pending == null) {
                i.settle(); // handed back: the pool will not settle it
            }
        }
        return dropped;
    }

    /**
     * The JDK's {@code shutdownNow}, minus the interrupts: shuts down, cancels every call that has
     * not started, and returns their tasks in submission order.
     */
    List<Task<?>> shutdownNow() {
        shutdown = true;
        List<Task<?>> dropped = cancelNotStarted();
        checkTerminated();
        pool.shutdown(false);
        return dropped;
    }

    /**
     * Waits for every pending future, from the exit hook, and for a finished one also for its done
     * callbacks: in Python they run in the worker, inside {@code set_result}, before the exit joins
     * the worker, so a callback is never cut off by the end of the program.
     *
     * <p>With a pool that hands back its queue, this waits until every item is settled: a
     * cancelled one still in the queue is settled when a worker reaches it, right after the work
     * in front of it, which is waited for anyway. Otherwise a cancelled future is not waited for
     * beyond being done (its item may sit in a pool queue that nobody drains).
     */
    void awaitPendingAtExit() {
        if (pending == null) {
            synchronized (settledAtExit) {
                while (unsettled() > 0) {
                    try {
                        settledAtExit.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return; // the hook thread was interrupted: stop waiting
                    }
                }
            }
            return;
        }
        for (Item<?> f : List.copyOf(pending.keySet())) {
            try {
                f.exception();
            } catch (CancellationException cancelled) {
                continue;
            } catch (RuntimeException interrupted) {
                return; // the hook thread was interrupted: stop waiting
            }
            synchronized (settledAtExit) {
                while (pending.containsKey(f)) {
                    try {
                        settledAtExit.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** The pool, for {@link TimeLimit}. */
    WorkerPool pool() {
        return pool;
    }

    /** {@code pool.stopsRunningCalls()}, as asked at construction. */
    boolean stopsRunningCalls() {
        return stopsRunningCalls;
    }

    /** Whether deadlock detection is on for this executor. */
    boolean detectsDeadlocks() {
        return detectsDeadlocks;
    }

    /** The executor that made {@code f}, if it detects deadlocks; null otherwise (any other future). */
    static Executor detectingOwner(Future<?> f) {
        return f instanceof Item<?> i && i.owner.detectsDeadlocks ? i.owner : null;
    }

    /** The frame of the thread that started running {@code f}'s call, or null (not started, or not a call). */
    static Deadlocks.Frame runnerOf(Future<?> f) {
        return f instanceof Item<?> i ? i.runner : null;
    }

    /**
     * One submitted call: the future {@code submit} returns, and the core's side of the call as
     * its pool sees it (one object for both). {@code task} is the call until the item is settled,
     * then null, so a finished future does not keep its call's arguments alive; the swap to null
     * is what makes settling happen once.
     *
     * @param <T> the call's result type
     */
    private static final class Item<T> extends Future<T> implements WorkItem, Task<Object> {
        private static final VarHandle TASK;

        static {
            try {
                TASK = MethodHandles.lookup().findVarHandle(Item.class, "task", Task.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Executor owner;
        /**
         * Written plainly here: the item reaches other threads through the pool's queue or the
         * core's map, which publish it. Cleared only by the atomic swap in {@link #settle()}; a
         * plain read elsewhere sees the task or null, and each reader copes with either.
         */
        private Task<?> task;
        /**
         * The frame of the thread running this call, for deadlock detection; null until the call
         * starts, and always null on an executor that does not detect deadlocks. Written once, by
         * that thread, before it can register a wait (which publishes it under the detector's lock);
         * a detector that reads null or a stale value treats the call as making progress.
         */
        private Deadlocks.Frame runner;
        /** The call's time limit, or null (most calls): fixed at construction. */
        private final TimeLimit limit;

        Item(Executor owner, Task<?> task, TimeLimit limit) {
            this.owner = owner;
            this.task = task;
            this.limit = limit;
        }

        /** Settles this item with its executor, the first time only. */
        void settle() {
            if (claim()) {
                owner.settled(this);
            }
        }

        /**
         * Takes charge of this item's settlement, the first time only (the swap of its task to
         * null), and counts it as finished for {@code pending=}; the caller then settles it with
         * its executor. Returns whether this call took charge.
         */
        private boolean claim() {
            if (TASK.getAndSet(this, (Task<?>) null) != null) {
                owner.claimedCount.increment();
                return true;
            }
            return false;
        }

        /**
         * The call; on an executor that detects deadlocks, this item itself, whose {@link #call()}
         * runs the call with the thread's frame pointing at it.
         */
        @Override
        public Task<?> task() {
            Task<?> t = task;
            return t != null && owner.detectsDeadlocks ? this : t;
        }

        /**
         * Runs the call for a pool in this JVM, recording for the deadlock detector which call the
         * thread runs (restored after, in case a pool runs calls inside calls).
         */
        @Override
        public Object call() throws Exception {
            Task<?> t = task;
            if (t == null) {
                throw new IllegalStateException("call already settled: " + this);
            }
            Deadlocks.Frame frame = Deadlocks.frame();
            runner = frame;
            Future<?> outer = frame.current;
            frame.current = this;
            try {
                return t.call();
            } finally {
                frame.current = outer;
            }
        }

        /** Cancels, and if it is running and the pool can stop it, stops it: see {@link Future#cancelRunning()}. */
        @Override
        public boolean cancelRunning() {
            if (cancel()) {
                return true;
            }
            if (!owner.pool.stopsRunningCalls() || !cancelIfRunning()) {
                return false; // finished, or running where it cannot be stopped
            }
            owner.pool.stopRunning(this); // cancelled first: whatever the stopped call reports loses
            return true;
        }

        @Override
        public boolean markRunning() {
            if (task instanceof Calls.Execute e) {
                e.markStarted(); // before it can run: see execute()
            }
            if (owner.cancelPending) {
                cancel(); // shut down with cancelFutures=true: nothing the pool handed out starts any more
            }
            boolean run;
            try {
                run = setRunningOrNotifyCancel();
            } catch (InvalidStateException settledByItsUser) {
                settle(); // its user set its outcome while it was queued: it never runs
                throw settledByItsUser;
            }
            if (!run) {
                settle();
            } else if (limit != null) {
                limit.start(this); // the deadline counts from here
            }
            return run;
        }

        @Override
        public boolean complete(Object value) {
            boolean mine = claim(); // before the value is visible: see claimedCount
            boolean set = trySet(value);
            if (mine) {
                owner.settled(this);
            }
            return set;
        }

        @Override
        public boolean fail(Throwable failure) {
            if (limit != null) {
                failure = limit.reported(failure); // past its deadline: the time limit's exception
            }
            boolean mine = claim();
            boolean set = tryFail(failure);
            if (mine) {
                owner.settled(this);
            }
            return set;
        }

        @Override
        String typeName() {
            return "Future";
        }
    }
}
