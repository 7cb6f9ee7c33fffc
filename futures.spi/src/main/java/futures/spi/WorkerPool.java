package futures.spi;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * The running side of an executor: it takes {@link WorkItem}s and runs them on its workers.
 * Opened by {@link ExecutorProvider#open(ExecutorConfig)}; the core owns every future semantic,
 * so a pool only has to run items, in the order given as far as its workers allow, and report
 * outcomes through the item.
 *
 * <p>Breaking: when a pool can no longer run work (Python's {@code BrokenExecutor}: a worker died,
 * an initializer threw), it fails every item it holds, pending or running, with its own instance of
 * a {@link BrokenExecutorException} subclass, and from then on {@link #execute} throws one.
 *
 * <p>Implementations are thread-safe.
 */
public interface WorkerPool {

    /**
     * Queues an item to run on a worker, starting a worker if none is idle and fewer than
     * {@link #maxWorkers()} exist.
     *
     * @param item the item; not {@code null}
     * @throws BrokenExecutorException if the pool is broken (the item is not taken)
     * @throws RejectedExecutionException if the pool is shut down (the item is not taken)
     */
    void execute(WorkItem item);

    /**
     * Stops taking new items. Items already taken still run (the core cancels the ones it wants
     * dropped, and {@link WorkItem#markRunning()} tells the pool so). Calling it again is harmless.
     *
     * @param wait if true, return only when every taken item is done and every worker has stopped;
     *     if false, return at once and free the workers when their items are done
     * @throws IllegalStateException if {@code wait} is true and it is called from one of this
     *     pool's own workers, which would wait for itself; the shutdown itself still happens
     */
    void shutdown(boolean wait);

    /**
     * Whether this pool can hand back the items that no worker has taken yet, with
     * {@link #takeQueued()}. The core asks once, when it wraps the pool. If true, the core keeps no
     * record of its own per pending item (each submit is cheaper) and relies on the pool for
     * {@code shutdown(cancelFutures=true)} and {@code shutdownNow}; if false (the default), the core
     * records every pending item itself and {@link #takeQueued()} is never called.
     *
     * @return true if {@link #takeQueued()} is supported; false by default
     */
    default boolean handsBackQueued() {
        return false;
    }

    /**
     * Removes and returns every item this pool took that no worker has taken yet, in the order
     * {@link #execute} took them, so that the core can cancel them. Only called on a pool whose
     * {@link #handsBackQueued()} is true, and only after {@link #shutdown(boolean) shutdown(false)},
     * so that every item {@code execute} accepted is then either returned here or taken by a
     * worker. The items returned are the caller's from then on: the pool never marks, runs or
     * settles them. Every item it keeps it still settles (a worker takes it, or a break fails it):
     * the core counts on that to know when the executor has terminated.
     *
     * @return the items, oldest first; empty if there are none
     * @throws UnsupportedOperationException if {@link #handsBackQueued()} is false
     */
    default List<WorkItem> takeQueued() {
        throw new UnsupportedOperationException(getClass().getName() + " does not hand back its queued items");
    }

    /**
     * Whether this pool runs its calls on threads of this JVM, so that the core can detect deadlocks
     * between them (docs/deadlocks.md). The core asks once, when it wraps the pool. A pool that says
     * true promises three things: it runs each item by calling {@code item.task().call()} on a
     * thread of this JVM, which runs nothing else (no other item of any pool) until that call
     * returns; it never has more than {@link #maxWorkers()} such calls running at once; and it
     * leaves no item waiting while fewer than {@link #maxWorkers()} calls run (an item queued behind
     * busy workers starts when one of their calls returns, without waiting for anything else).
     * Then the core may fail a wait, inside one of its calls, that can never end. False (the default) for pools whose calls run elsewhere (the process provider's
     * worker JVMs) or that cannot promise the above: their futures are then never part of a
     * detected deadlock.
     *
     * @return whether this pool runs its calls on threads of this JVM, with the promises above
     */
    default boolean runsCallsInThisJvm() {
        return false;
    }

    /**
     * Whether this pool can stop its workers while calls run, with {@link #stopWorkers(boolean)}:
     * the capability behind the core's {@code terminateWorkers()} and {@code killWorkers()}
     * (CPython 3.14's {@code terminate_workers()}, {@code kill_workers()}). The core asks before it
     * shuts anything down, and throws {@link UnsupportedOperationException} if it is false.
     *
     * @return true if {@link #stopWorkers(boolean)} is supported; false by default
     */
    default boolean stopsWorkers() {
        return false;
    }

    /**
     * Stops every worker now and breaks the pool; only called on a pool whose
     * {@link #stopsWorkers()} is true, after the core shut it down with its pending calls
     * cancelled ({@code shutdown(wait=false, cancelFutures=true)}).
     *
     * <p>What a pool must do: mark itself broken (from then on {@link #broken()} is not null and
     * {@link #execute} throws it), fail every item it still holds, running ones included, with its
     * {@link BrokenExecutorException} subclass whose message says how the workers were stopped, and
     * then stop the workers without waiting for them: a pool of processes sends each live worker
     * SIGTERM ({@link Process#destroy()}) or, with {@code force}, SIGKILL
     * ({@link Process#destroyForcibly()}). Every item still ends settled exactly once, and
     * {@link #shutdown(boolean) shutdown(true)} afterwards returns once the workers are gone.
     *
     * <p>A pool whose workers are threads of this JVM cannot signal them (a Java thread cannot be
     * killed); one that offers this anyway would interrupt each running call's thread, fail the
     * running calls at once, and let the threads end when the calls return. The built-in "thread"
     * and "virtual" pools do not offer it.
     *
     * @param force SIGKILL ({@code kill_workers}) rather than SIGTERM ({@code terminate_workers});
     *     for threads, no difference
     * @throws UnsupportedOperationException if {@link #stopsWorkers()} is false (the default)
     */
    default void stopWorkers(boolean force) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot stop its workers");
    }

    /**
     * Whether this pool can stop one running call with {@link #stopRunning(WorkItem)}: the
     * capability behind the core's {@code Future.cancelRunning()}, and how the core stops a call
     * that exceeds its time limit on a pool whose calls do not run in this JVM (for one that
     * {@link #runsCallsInThisJvm() runs them in this JVM} the core interrupts the call's thread
     * itself, and never calls {@code stopRunning} for a time limit).
     *
     * @return true if {@link #stopRunning(WorkItem)} is supported; false by default
     */
    default boolean stopsRunningCalls() {
        return false;
    }

    /**
     * Stops the call of {@code item}, which is running on one of this pool's workers and which
     * the core has given up on: its future was just cancelled ({@code cancelRunning()}), or its
     * time limit expired, and the future fails with a {@link CallTimeoutException} (for a time
     * limit the core calls this first and fails the future as soon as it returns, or as soon as the
     * pool reports the item; see below). Only called if {@link #stopsRunningCalls()} is true. A
     * pool of processes kills the worker running it and replaces it (the pool is not broken, and
     * other calls are not affected); a pool of threads would interrupt the thread running it, and
     * only while that thread runs this item. The item must still be settled once: reporting an
     * outcome for it is how the pool says it is done with it. The core ignores that outcome's
     * value (the future is cancelled, or fails with the time limit's exception), but for a time
     * limit it puts the message of a failure reported from inside this method, in the calling
     * thread, into the {@code CallTimeoutException}'s message: say there what was done, for
     * example "killed worker pid 4242; another worker starts when work waits". If the item is not
     * running here any more (it just finished), do nothing. Return without waiting for the call to
     * end.
     *
     * @param item the running item whose future was cancelled or whose time limit expired
     * @throws UnsupportedOperationException if {@link #stopsRunningCalls()} is false (the default)
     */
    default void stopRunning(WorkItem item) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot stop a running call");
    }

    /**
     * The most workers this pool runs at once; {@link Integer#MAX_VALUE} for no bound.
     *
     * @return the bound on items running at once
     */
    int maxWorkers();

    /**
     * Why the pool is broken, or {@code null} while it is not. A fresh exception each call is fine.
     *
     * @return the reason the pool broke, or {@code null}
     */
    BrokenExecutorException broken();
}
