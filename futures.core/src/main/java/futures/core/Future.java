package futures.core;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The result of an asynchronous call, Python's {@code concurrent.futures.Future}.
 *
 * <p>A future is PENDING, then RUNNING, then FINISHED (with a value or an exception); or it goes
 * from PENDING to CANCELLED. It is done once and only once. Futures are made by
 * {@link Executor#submit}; create one directly only in tests or in an executor of your own, and
 * drive it with {@link #setRunningOrNotifyCancel()}, {@link #setResult} and {@link #setException}.
 *
 * <p>It is also a {@link java.util.concurrent.Future}: {@link #get()}, {@link #isDone()},
 * {@link #cancel(boolean)}, {@link #state()}, {@link #resultNow()} and {@link #exceptionNow()}
 * behave as the JDK documents them. Python's names ({@link #result()}, {@link #exception()},
 * {@link #cancel()}, {@link #done()}, ...) throw unchecked exceptions instead:
 * {@link CancellationException} for a cancelled future, {@link WaitTimeoutException} for a timeout,
 * {@link WaitInterruptedException} for an interrupt.
 *
 * <p>A difference from CPython: there a future that was only {@code cancel()}ed counts as not done
 * in {@code wait} and {@code as_completed} until its executor notices. Here a cancelled future is
 * done everywhere at once, as {@link #done()} says.
 *
 * <p>Thread-safe; waiting parks the thread (no polling) and no lock is held while user code runs.
 *
 * @param <T> the type of the call's value
 */
public class Future<T> implements java.util.concurrent.Future<T> {
    /*
     * Implementation notes.
     *
     * The whole state is the volatile field `state` (Guava's AbstractFuture shape):
     *   PENDING  -> RUNNING   setRunningOrNotifyCancel
     *   PENDING  -> CANCELLED cancel
     *   CANCELLED -> CANCELLED_NOTIFIED  setRunningOrNotifyCancel (returns false once; then it throws)
     *   PENDING | RUNNING -> outcome  setResult / setException
     *   RUNNING  -> CANCELLED cancelIfRunning (only for Executor.cancelRunning's items)
     * PENDING is null, so a future seen through a data race before its constructor ends reads as
     * pending. Outcome is NULL_VALUE (a null result), a Failure box, or the result itself. Results can
     * never be mistaken for the sentinels: those are private objects no caller can get hold of.
     * Every transition is one CAS, so exactly one completer wins.
     *
     * Listeners (waiting threads, internal waiters of Futures.wait/asCompleted, user callbacks) are a
     * Treiber stack in `listeners`. The winning completer swaps TOMBSTONE in, which seals the stack:
     * a push that sees TOMBSTONE knows the future is done and acts at once. The detached stack is
     * copied oldest first (never reversed in place, see fireListeners) so callbacks run in the
     * order added. A listener is removed by nulling its `action`
     * and unlinking dead nodes (Guava's removeWaiter), so futures do not keep waiters they no longer
     * need. A removal racing completion may still see its action run once; every internal action
     * tolerates that (unpark is idempotent, waiters re-check state).
     *
     * Ordering argument: a waiter pushes its node, then reads `state`. A completer CASes `state`,
     * then swaps `listeners`. Both are volatile, so either the waiter sees the outcome, or its push
     * happened before the swap and the completer sees and wakes it.
     */

    /** Null, so that a future seen through a data race before construction ends reads as pending. */
    private static final Object PENDING = null;
    private static final Object RUNNING = new Sentinel("RUNNING");
    private static final Object CANCELLED = new Sentinel("CANCELLED");
    /** CANCELLED after setRunningOrNotifyCancel reported it (Python's CANCELLED_AND_NOTIFIED). */
    private static final Object CANCELLED_NOTIFIED = new Sentinel("CANCELLED");
    private static final Object NULL_VALUE = new Sentinel("NULL");

    /**
     * PENDING, RUNNING, CANCELLED, CANCELLED_NOTIFIED, NULL_VALUE, a Failure, or the result.
     * Changed only by CAS.
     */
    private volatile Object state;

    /** Top of the Treiber stack of listeners; TOMBSTONE once the future is done. */
    private volatile Listener listeners;

    /**
     * The number of the last {@code wait}/{@code asCompleted} de-duplication that met this future
     * (see {@link FutureSet#distinct}); 0 until one does. Plain, not volatile: only the one thread
     * holding {@code FutureSet}'s mark ownership reads or writes it, and ownership passes on with a
     * happens-before edge (a volatile write by the owner letting go, then the next owner's CAS on
     * the same variable). Costs no memory: the object is 24 bytes with it (12 of header, three
     * 4-byte fields) as with a boolean.
     */
    private int metBy;

    /** Makes a pending future. */
    public Future() {}

    // ------------------------------------------------------------------ Python's surface

    /**
     * Attempts to cancel the call. A running or finished call cannot be cancelled.
     *
     * @return false if the call is running or finished; true otherwise (also when it was already
     *     cancelled)
     */
    public boolean cancel() {
        return cancelIfPending();
    }

    /**
     * The state change behind {@link #cancel()}: PENDING to CANCELLED. Not overridable, so that a
     * subclass with its own cancel policy (the JDK mirrors) can still cancel itself.
     */
    final boolean cancelIfPending() {
        while (true) {
            Object s = state;
            if (isCancelledState(s)) {
                return true;
            }
            if (s != PENDING) {
                return false;
            }
            if (STATE.compareAndSet(this, PENDING, CANCELLED)) {
                fireListeners();
                return true;
            }
        }
    }

    /**
     * Cancels the call even if it is already running, where its executor can stop a running call
     * (not Python: {@link #cancel()} keeps Python's rule and refuses a running call). A call that
     * has not started is cancelled as by {@code cancel()}. A running call of an executor whose
     * provider can stop it is stopped: on {@code "process"} its worker process is killed
     * (SIGKILL) and replaced, and the pool goes on serving; on {@code "cluster"} the member running
     * it interrupts its thread. The built-in {@code "thread"} and {@code "virtual"} providers
     * cannot stop a running call (recording every
     * call's thread so that it could be interrupted cost 11% of the thread round trip; a per-call
     * time limit, {@link Executor#submit(java.time.Duration, futures.spi.Task)}, does interrupt
     * its own call there). The future is then CANCELLED at once, as the JDK's
     * {@code cancel(true)} does: its waiters wake and its callbacks run. A future not made by an
     * executor, or of a provider that cannot stop a running call, is only cancelled if pending.
     *
     * @return true if the future is now cancelled (also when it already was); false if it had
     *     finished, or is running and its executor cannot stop it
     */
    public boolean cancelRunning() {
        return cancel();
    }

    /**
     * The state change behind {@link #cancelRunning()}: RUNNING to CANCELLED.
     *
     * @return true if this call cancelled the running future
     */
    final boolean cancelIfRunning() {
        if (state == RUNNING && STATE.compareAndSet(this, RUNNING, CANCELLED)) {
            fireListeners();
            return true;
        }
        return false;
    }

    /**
     * Whether the call was successfully cancelled.
     *
     * @return true if the future is CANCELLED
     */
    public boolean cancelled() {
        return isCancelledState(state);
    }

    /**
     * Whether the call is being executed now and cannot be cancelled.
     *
     * @return true if the future is RUNNING
     */
    public boolean running() {
        return state == RUNNING;
    }

    /**
     * Whether the call was cancelled or finished running.
     *
     * @return true if the future is cancelled or finished
     */
    public boolean done() {
        return isDoneState(state);
    }

    /**
     * The call's value, waiting for it as long as it takes.
     *
     * @return the value the call returned
     * @throws CancellationException if the future was cancelled
     * @throws RuntimeException the call's own exception, as is, if it was unchecked
     * @throws Error the call's own error, as is
     * @throws CompletionException wrapping the call's exception if it was checked
     * @throws WaitInterruptedException if the thread is interrupted while waiting; its interrupt
     *     flag stays set
     * @throws DeadlockException if called inside a call of an executor that detects deadlocks and
     *     the wait can never end (docs/deadlocks.md); with or without a timeout
     */
    public T result() {
        return reportResult(awaitDone(-1));
    }

    /**
     * The call's value, waiting at most {@code timeout}.
     *
     * @return the value the call returned (possibly null)
     * @param timeout how long to wait; zero or negative means do not wait, and
     *     {@link Futures#NO_TIMEOUT} means no limit
     * @throws WaitTimeoutException if the call is not done within {@code timeout}
     * @throws NullPointerException if {@code timeout} is null (use {@link #result()} to wait without
     *     limit)
     * @see #result()
     */
    public T result(Duration timeout) {
        return reportResult(awaitDone(toNanos(timeout)));
    }

    /**
     * The exception the call raised, or {@code null} if it returned normally, waiting as long as
     * it takes.
     *
     * @return the call's exception, or {@code null} if it returned a value
     * @throws CancellationException if the future was cancelled
     * @throws WaitInterruptedException if the thread is interrupted while waiting
     * @throws DeadlockException as {@link #result()}
     */
    public Throwable exception() {
        return reportException(awaitDone(-1));
    }

    /**
     * The exception the call raised, or {@code null}, waiting at most {@code timeout}.
     *
     * @return the call's exception, or {@code null} if it returned a value
     * @param timeout how long to wait; zero or negative means do not wait, and
     *     {@link Futures#NO_TIMEOUT} means no limit
     * @throws WaitTimeoutException if the call is not done within {@code timeout}
     * @throws NullPointerException if {@code timeout} is null (use {@link #exception()} to wait without
     *     limit)
     * @see #exception()
     */
    public Throwable exception(Duration timeout) {
        return reportException(awaitDone(toNanos(timeout)));
    }

    /**
     * Attaches {@code callback}, to be called with this future when it is cancelled or finishes.
     * Callbacks run in the order added, in the thread that completes the future; if the future is
     * already done, {@code callback} runs at once in the calling thread. A callback that throws is
     * logged (logger {@code futures.core.Future}, level WARNING) and the others still run.
     *
     * @param callback called once with this future when it is done
     * @throws NullPointerException if {@code callback} is null
     */
    public void addDoneCallback(Consumer<? super Future<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        // Read state first: between the completer's state CAS and its sealing of the stack, a
        // push would still succeed and the callback would run later in the completer's thread,
        // although done() already said true. CPython runs it at once then; so do we. (Found by
        // FutureLincheck: "state(): SUCCESS" then "addDoneCallback(): not run at once".)
        if (isDoneState(state) || !push(new Listener(new Callback<>(callback)))) {
            runCallback(callback);
        }
    }

    /**
     * For executors and tests: called before running the call. Python's
     * {@code set_running_or_notify_cancel}.
     *
     * @return false if the future was cancelled (and waiters were woken already); true if it is now
     *     running
     * @throws InvalidStateException if it is already running or finished, or if it is cancelled
     *     and this was already called once since (Python's {@code RuntimeError('Future in
     *     unexpected state')})
     */
    public boolean setRunningOrNotifyCancel() {
        Object s = state;
        if (s == PENDING && STATE.compareAndSet(this, PENDING, RUNNING)) {
            return true;
        }
        if (STATE.compareAndSet(this, CANCELLED, CANCELLED_NOTIFIED)) {
            return false; // the first call after cancel(); a second one throws, as in CPython
        }
        throw new InvalidStateException("Future in unexpected state: " + describe(state));
    }

    /**
     * For executors and tests: sets the call's value.
     *
     * @param value the call's value; may be null
     * @throws InvalidStateException if the future is already finished or cancelled
     */
    public void setResult(T value) {
        if (!complete(value == null ? NULL_VALUE : value)) {
            throw new InvalidStateException(describe(state) + ": " + this);
        }
    }

    /**
     * For executors and tests: sets the exception the call raised.
     *
     * @param exception what the call threw
     * @throws InvalidStateException if the future is already finished or cancelled
     * @throws NullPointerException if {@code exception} is null
     */
    public void setException(Throwable exception) {
        if (!complete(new Failure(Objects.requireNonNull(exception, "exception")))) {
            throw new InvalidStateException(describe(state) + ": " + this);
        }
    }

    // ------------------------------------------------------------------ java.util.concurrent.Future

    /**
     * As {@link #cancel()}: a running call is never interrupted, since Python's semantics say a
     * running call cannot be cancelled, so {@code mayInterruptIfRunning} has no effect.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return cancel();
    }

    /** As {@link #cancelled()}. */
    @Override
    public boolean isCancelled() {
        return cancelled();
    }

    /** As {@link #done()}. */
    @Override
    public boolean isDone() {
        return done();
    }

    /**
     * The JDK's {@code get}: waits, then returns the value.
     *
     * @throws ExecutionException wrapping whatever the call threw
     * @throws CancellationException if the future was cancelled
     * @throws InterruptedException if interrupted while waiting
     * @throws DeadlockException as {@link #result()} (also from the timed {@code get})
     */
    @Override
    public T get() throws InterruptedException, ExecutionException {
        return reportGet(awaitInterruptibly(-1));
    }

    /**
     * The JDK's timed {@code get}.
     *
     * @throws TimeoutException if not done in time (the JDK's checked one)
     */
    @Override
    public T get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        Object s = awaitInterruptibly(Math.max(0, unit.toNanos(timeout)));
        if (!isDoneState(s)) {
            throw new TimeoutException("future not done after " + timeout + " " + unit);
        }
        return reportGet(s);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T resultNow() {
        Object s = state;
        if (isCancelledState(s)) {
            throw new IllegalStateException("Task was cancelled");
        }
        if (s instanceof Failure) {
            throw new IllegalStateException("Task completed with exception");
        }
        if (!isDoneState(s)) {
            throw new IllegalStateException("Task has not completed");
        }
        return s == NULL_VALUE ? null : (T) s;
    }

    @Override
    public Throwable exceptionNow() {
        Object s = state;
        if (s instanceof Failure f) {
            return f.exception;
        }
        if (isCancelledState(s)) {
            throw new IllegalStateException("Task was cancelled");
        }
        if (!isDoneState(s)) {
            throw new IllegalStateException("Task has not completed");
        }
        throw new IllegalStateException("Task completed with a result");
    }

    /** RUNNING while pending or running, then SUCCESS, FAILED or CANCELLED, as the JDK documents. */
    @Override
    public State state() {
        Object s = state;
        if (s == PENDING || s == RUNNING) {
            return State.RUNNING;
        }
        if (isCancelledState(s)) {
            return State.CANCELLED;
        }
        return s instanceof Failure ? State.FAILED : State.SUCCESS;
    }

    /**
     * A future is equal only to itself, as in Python; final so that sets of futures (the ones
     * {@link Futures#wait} returns, and its de-duplication) can rely on identity.
     */
    @Override
    public final boolean equals(Object o) {
        return this == o;
    }

    /** The identity hash, consistent with {@link #equals}. */
    @Override
    public final int hashCode() {
        return System.identityHashCode(this);
    }

    /**
     * Shows the state and, once finished, the result's or exception's type, as Python does:
     * {@code Future@1b6d3586[state=FINISHED returned Integer]}.
     */
    @Override
    public String toString() {
        Object s = state;
        String id = typeName() + "@" + Integer.toHexString(System.identityHashCode(this));
        if (s instanceof Failure f) {
            return id + "[state=FINISHED raised " + f.exception.getClass().getSimpleName() + "]";
        }
        if (s == PENDING) {
            return id + "[state=PENDING]";
        }
        if (s == RUNNING || isCancelledState(s)) {
            return id + "[state=" + s + "]";
        }
        return id + "[state=FINISHED returned " + (s == NULL_VALUE ? "null" : s.getClass().getSimpleName()) + "]";
    }

    // ------------------------------------------------------------------ java.util.concurrent interop

    /**
     * A {@link CompletableFuture} that completes when this future does: with the same value, the
     * same exception (so its {@code get()} throws an {@code ExecutionException} with that cause and
     * its {@code join()} a {@code CompletionException}), or cancelled if this future was cancelled.
     * If this future is already done, the result is already complete.
     *
     * <p>It behaves as a <em>dependent stage</em> of this future, as the JDK documents for
     * {@code CompletableFuture}: each call returns a new object, and completing, cancelling or
     * obtruding a value on it from outside changes only it, never this future. In particular
     * <b>cancelling the returned object does not cancel this future's call</b>; cancel this future
     * for that ({@link #cancel()}). Stages chained on it without an executor run in the thread that
     * completes this future, in the order of this future's callbacks (it is implemented as one).
     *
     * @return a new {@code CompletableFuture} mirroring this future
     */
    public CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> cf = new CompletableFuture<>();
        addDoneCallback(done -> copyTo(cf));
        return cf;
    }

    /** Copies this done future's outcome to {@code cf}; does nothing to a {@code cf} already complete. */
    @SuppressWarnings("unchecked")
    private void copyTo(CompletableFuture<T> cf) {
        Object s = state;
        if (isCancelledState(s)) {
            cf.cancel(false);
        } else if (s instanceof Failure f) {
            cf.completeExceptionally(f.exception);
        } else if (isDoneState(s)) {
            cf.complete(s == NULL_VALUE ? null : (T) s);
        }
    }

    /**
     * Copies this future's outcome, if it is done, to {@code target} (a value, an exception or
     * cancellation), without calling any method {@code target} may override.
     *
     * @return whether this future was done
     */
    @SuppressWarnings("unchecked")
    final boolean copyOutcomeTo(Future<? super T> target) {
        Object s = state;
        if (isCancelledState(s)) {
            target.cancelIfPending();
        } else if (s instanceof Failure f) {
            target.tryFail(f.exception);
        } else if (isDoneState(s)) {
            ((Future<Object>) target).trySet(s == NULL_VALUE ? null : s);
        } else {
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ package-private hooks

    /** The name {@link #toString()} shows: the class's, but "Future" for the executor's own. */
    String typeName() {
        return getClass().getSimpleName();
    }

    /**
     * Completes a pending or running future with a value or failure without throwing, for the
     * core's work items and mirrors.
     *
     * @return true if this call completed it
     */
    final boolean trySet(Object value) {
        return complete(value == null ? NULL_VALUE : value);
    }

    final boolean tryFail(Throwable failure) {
        return complete(new Failure(Objects.requireNonNull(failure, "failure")));
    }

    /**
     * Records that the de-duplication numbered {@code call}, which owns the marks, meets this
     * future; only that call's thread may call this (see {@link #metBy}).
     *
     * @return false if this future already carried {@code call}: met before by the same call, or
     *     last met by a call 2^32 - 1 calls earlier that had the same number (the caller tells the
     *     two apart)
     */
    final boolean meet(int call) {
        if (metBy == call) {
            return false;
        }
        metBy = call;
        return true;
    }

    /** Whether the future finished with an exception (not cancelled). */
    final boolean failed() {
        return state instanceof Failure;
    }

    /**
     * Registers an internal action to run when the future is done, before user callbacks.
     *
     * @return a handle for {@link #removeListener}, or null if the future is already done (the
     *     action is then not run)
     */
    final Object addListener(Runnable action) {
        Listener node = new Listener(new Internal(Objects.requireNonNull(action, "action")));
        return push(node) ? node : null;
    }

    /** Forgets an action registered by {@link #addListener}; harmless if already run or removed. */
    final void removeListener(Object handle) {
        if (handle instanceof Listener node) {
            node.action = null;
            unlinkDead();
        }
    }

    /**
     * For tests: how many nodes the listener stack holds (waiting threads, internal actions and
     * callbacks, including removed ones not yet unlinked); 0 once the future is done.
     */
    final int listenerCount() {
        int n = 0;
        for (Listener l = listeners; l != null && l != TOMBSTONE; l = l.next) {
            n++;
        }
        return n;
    }

    // ------------------------------------------------------------------ mechanics

    private boolean complete(Object outcome) {
        while (true) {
            Object s = state;
            if (s != PENDING && s != RUNNING) {
                return false;
            }
            if (STATE.compareAndSet(this, s, outcome)) {
                fireListeners();
                return true;
            }
        }
    }

    /**
     * Seals the listener stack and runs it: first wakes waiters (threads and internal actions),
     * then runs user callbacks in the order they were added. Called once, by the winning completer.
     */
    private void fireListeners() {
        Listener head = (Listener) LISTENERS.getAndSet(this, TOMBSTONE);
        if (head == null) {
            return;
        }
        if (head.next == null) { // the common case, one waiter or one callback: nothing to order
            Object a = head.action;
            if (!wake(a) && a instanceof Callback<?> c) {
                runCallback(callbackOf(c));
            }
            return;
        }
        // Copy the detached stack, oldest first, instead of reversing it in place: an unlinkDead
        // that read the stack before it was sealed may still write a stale `next` into it, which
        // in a reversed list made a cycle (callbacks ran forever) or cut callbacks off. In the
        // stack's own order a stale write only skips removed nodes, so this walk is safe.
        ArrayList<Listener> newestFirst = new ArrayList<>();
        for (Listener n = head; n != null; n = n.next) {
            newestFirst.add(n);
        }
        List<Listener> inOrder = newestFirst.reversed();
        boolean hasCallbacks = false;
        for (Listener n : inOrder) {
            Object a = n.action;
            if (!wake(a) && a != null) {
                hasCallbacks = true;
            }
        }
        if (hasCallbacks) {
            for (Listener n : inOrder) {
                if (n.action instanceof Callback<?> c) {
                    runCallback(callbackOf(c));
                }
            }
        }
    }

    /**
     * Wakes a waiting thread or runs an internal action; false if {@code action} is neither (a
     * user callback, which the caller runs after every waiter is woken, or null once removed).
     */
    private static boolean wake(Object action) {
        if (action instanceof Thread t) {
            LockSupport.unpark(t);
            return true;
        }
        if (action instanceof Internal internal) {
            try {
                internal.action().run();
            } catch (Throwable e) {
                Logs.log(Future.class, Level.ERROR, "internal future listener threw", e);
            }
            return true;
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private Consumer<? super Future<T>> callbackOf(Callback<?> c) {
        return ((Callback<T>) c).consumer();
    }

    private void runCallback(Consumer<? super Future<T>> callback) {
        try {
            callback.accept(this);
        } catch (Throwable e) {
            Logs.log(Future.class, Level.WARNING, () -> "exception calling callback for " + this, e);
        }
    }

    /** Pushes a node; false if the stack is sealed (the future is done). */
    private boolean push(Listener node) {
        while (true) {
            Listener head = listeners;
            if (head == TOMBSTONE) {
                return false;
            }
            node.next = head; // published by the CAS below
            if (LISTENERS.compareAndSet(this, head, node)) {
                return true;
            }
        }
    }

    /** Unlinks nodes whose action was nulled (Guava's removeWaiter). */
    private void unlinkDead() {
        restart:
        while (true) {
            Listener pred = null;
            Listener curr = listeners;
            if (curr == TOMBSTONE) {
                return;
            }
            while (curr != null) {
                Listener succ = curr.next;
                if (curr.action != null) {
                    pred = curr;
                } else if (pred != null) {
                    pred.next = succ;
                    if (pred.action == null) { // pred was removed meanwhile: start again
                        continue restart;
                    }
                } else if (!LISTENERS.compareAndSet(this, curr, succ)) {
                    continue restart;
                }
                curr = succ;
            }
            return;
        }
    }

    /**
     * Waits until done or the timeout passes. Delicate: goals are no polling, no lost wake-up, the
     * interrupt flag kept, and the waiter node removed on every early exit.
     *
     * @param nanos -1 for no limit, else the most to wait
     * @return the final state
     * @throws WaitTimeoutException if not done in time
     * @throws WaitInterruptedException if interrupted (the flag stays set)
     */
    private Object awaitDone(long nanos) {
        Object s = state;
        if (isDoneState(s)) {
            return s;
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new WaitInterruptedException();
        }
        s = park(nanos);
        if (!isDoneState(s)) {
            if (Thread.currentThread().isInterrupted()) {
                throw new WaitInterruptedException();
            }
            throw new WaitTimeoutException("future not done after " + Duration.ofNanos(nanos) + ": " + this);
        }
        return s;
    }

    /** As awaitDone, for the JDK's get: returns a not-done state on timeout, clears the interrupt. */
    private Object awaitInterruptibly(long nanos) throws InterruptedException {
        Object s = state;
        if (isDoneState(s)) {
            return s; // nothing to wait for: the JDK's get() returns, as FutureTask's does
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        s = park(nanos);
        if (!isDoneState(s) && Thread.interrupted()) {
            throw new InterruptedException();
        }
        return s;
    }

    /**
     * Parks until done, timed out or interrupted; returns the state seen last.
     *
     * @param nanos -1 or Long.MAX_VALUE for no limit, else the most to wait
     */
    private Object park(long nanos) {
        if (nanos == Long.MAX_VALUE) {
            nanos = -1;
        }
        Object s = state;
        if (isDoneState(s) || nanos == 0) {
            return s;
        }
        Thread me = Thread.currentThread();
        Listener node = new Listener(me);
        if (!push(node)) {
            return state;
        }
        long deadline = nanos < 0 ? 0 : System.nanoTime() + nanos;
        Deadlocks.Wait registered = null;
        try {
            // Inside a call of an executor that detects deadlocks: registered, or DeadlockException
            // if this wait can never end. After the push, so a completion from here on wakes us.
            registered = Deadlocks.beginOne(this);
            while (true) {
                s = state;
                if (isDoneState(s) || me.isInterrupted()) {
                    return s;
                }
                if (nanos < 0) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return s;
                    }
                    LockSupport.parkNanos(this, left);
                }
            }
        } finally {
            Deadlocks.end(registered);
            if (!isDoneState(state)) {
                removeListener(node);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private T reportResult(Object s) {
        if (s instanceof Failure f) {
            throw propagate(f.exception);
        }
        if (isCancelledState(s)) {
            throw new CancellationException("Future was cancelled: " + this);
        }
        return s == NULL_VALUE ? null : (T) s;
    }

    /**
     * Throws a call's exception as {@link #result()} does: unchecked ones and errors as they are,
     * checked ones wrapped in a {@link CompletionException}. Declared to return so callers can
     * write {@code throw propagate(e)}.
     */
    static RuntimeException propagate(Throwable e) {
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        throw new CompletionException(e);
    }

    private Throwable reportException(Object s) {
        if (isCancelledState(s)) {
            throw new CancellationException("Future was cancelled: " + this);
        }
        return s instanceof Failure f ? f.exception : null;
    }

    @SuppressWarnings("unchecked")
    private T reportGet(Object s) throws ExecutionException {
        if (s instanceof Failure f) {
            throw new ExecutionException(f.exception);
        }
        if (isCancelledState(s)) {
            throw new CancellationException("Future was cancelled: " + this);
        }
        return s == NULL_VALUE ? null : (T) s;
    }

    private static boolean isCancelledState(Object s) {
        return s == CANCELLED || s == CANCELLED_NOTIFIED;
    }

    private static boolean isDoneState(Object s) {
        return s != PENDING && s != RUNNING;
    }

    private static String describe(Object s) {
        if (s == PENDING) {
            return "future is PENDING";
        }
        if (s == RUNNING || isCancelledState(s)) {
            return "future is " + s;
        }
        return "future is FINISHED";
    }

    /** A timeout in nanoseconds: 0 for negative ones, Long.MAX_VALUE for no limit. */
    static long toNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout (use the overload without one to wait without limit)");
        if (timeout.isNegative()) {
            return 0;
        }
        try {
            long n = timeout.toNanos();
            return n >= Long.MAX_VALUE / 4 ? Long.MAX_VALUE : n; // about 73 years: no limit
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    private record Sentinel(String name) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The outcome of a call that threw. */
    private record Failure(Throwable exception) {}

    /**
     * An internal action (Futures.wait, asCompleted), boxed so that a user callback which happens
     * to implement Runnable too is never mistaken for one.
     */
    private record Internal(Runnable action) {}

    /** A user callback, boxed so that a Consumer which is also a Thread or Runnable stays a callback. */
    private record Callback<T>(Consumer<? super Future<T>> consumer) {}

    /**
     * One entry of the listener stack. {@code action} is a waiting Thread, an Internal, a
     * Callback, or null once removed; {@code next} is written before the node is published by
     * the push CAS, and afterwards only by unlinkDead (the completer only reads it).
     */
    private static final class Listener {
        volatile Object action;
        volatile Listener next;

        Listener(Object action) {
            this.action = action;
        }
    }

    private static final Listener TOMBSTONE = new Listener(null);

    // ------------------------------------------------------------------ VarHandle mechanics
    private static final VarHandle STATE;
    private static final VarHandle LISTENERS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(Future.class, "state", Object.class);
            LISTENERS = l.findVarHandle(Future.class, "listeners", Listener.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
