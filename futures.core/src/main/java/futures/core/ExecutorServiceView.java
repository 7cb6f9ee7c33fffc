package futures.core;

import futures.spi.Task;
import java.io.Serializable;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link ExecutorService} view of an {@link Executor}; see {@link Executor#asExecutorService()}
 * for the contract. Not part of the API: users see only {@code ExecutorService}.
 *
 * <p>Design. Every call goes through {@link Executor#schedule} as a {@link ViewTask}, a
 * serializable task holding only the user's {@code Callable} (so it crosses to a process pool when
 * the callable is serializable) plus a transient {@link Handle} that lives only in this JVM. The
 * handle is how JDK semantics the core does not have reach a running call: it records the thread
 * running the call (for interrupts) and whether the call was cancelled before its body began.
 * {@code submit} returns a {@link ViewFuture}, a mirror of the core's future with the JDK's cancel.
 *
 * <p>Invariant: {@code running} holds the handles of this view's calls whose body is running in
 * this JVM now (entered in {@link Handle#begin}, left in {@link Handle#end}); each handle's fields
 * are guarded by the handle's monitor.
 */
final class ExecutorServiceView implements ExecutorService {
    private final Executor executor;
    private final Set<Handle> running = ConcurrentHashMap.newKeySet();

    ExecutorServiceView(Executor executor) {
        this.executor = executor;
    }

    // ------------------------------------------------------------------ execute, submit

    /**
     * Schedules {@code command}. If it throws, the exception is logged (logger
     * {@code futures.core.Executor}, level WARNING), as a thread pool's uncaught exception is
     * printed. If the command is itself a JDK future and its call is dropped (cancelled by
     * {@code shutdownNow} or {@code shutdown(cancelFutures=true)}) or fails to run at all (a broken
     * pool, a command that cannot be serialized), the command is cancelled, so no one waits for it
     * forever.
     */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        Future<Object> f = executor.schedule(new ViewTask<>(new RunnableCall<>(command, null), new Handle()));
        f.addDoneCallback(done -> {
            if (done.failed()) {
                Logs.log(Executor.class, Level.WARNING, "task given to execute() on " + this + " threw",
                        done.exceptionNow());
            }
            if ((done.failed() || done.cancelled()) && command instanceof java.util.concurrent.Future<?> jf
                    && !jf.isDone()) {
                jf.cancel(false);
            }
        });
    }

    @Override
    public <T> java.util.concurrent.Future<T> submit(Callable<T> task) {
        return submitCall(Objects.requireNonNull(task, "task"));
    }

    @Override
    public java.util.concurrent.Future<?> submit(Runnable task) {
        return submitCall(new RunnableCall<>(Objects.requireNonNull(task, "task"), null));
    }

    @Override
    public <T> java.util.concurrent.Future<T> submit(Runnable task, T result) {
        return submitCall(new RunnableCall<>(Objects.requireNonNull(task, "task"), result));
    }

    private <T> ViewFuture<T> submitCall(Callable<T> call) {
        Handle h = new Handle();
        Future<T> f = executor.schedule(new ViewTask<>(call, h));
        return new ViewFuture<>(f, h);
    }

    // ------------------------------------------------------------------ invokeAll, invokeAny

    @Override
    public <T> List<java.util.concurrent.Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
            throws InterruptedException {
        List<Future<T>> fs = submitAll(tasks, Long.MAX_VALUE);
        try {
            Futures.wait(fs);
        } catch (WaitInterruptedException e) {
            cancelAll(fs);
            Thread.interrupted(); // InterruptedException clears the flag, as the JDK's methods do
            throw new InterruptedException("interrupted in invokeAll; its tasks were cancelled");
        }
        return new ArrayList<>(fs);
    }

    @Override
    public <T> List<java.util.concurrent.Future<T>> invokeAll(
            Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Future<T>> fs = submitAll(tasks, deadline);
        try {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                Futures.wait(fs, java.time.Duration.ofNanos(left));
            }
        } catch (WaitInterruptedException e) {
            cancelAll(fs);
            Thread.interrupted();
            throw new InterruptedException("interrupted in invokeAll; its tasks were cancelled");
        }
        cancelAll(fs); // those not done at the deadline; done ones ignore it
        return new ArrayList<>(fs);
    }

    /**
     * Submits each task in order until {@code deadline}; a task reached after it gets an already
     * cancelled future, as the JDK's AbstractExecutorService does. On a rejection, cancels what was
     * submitted and rethrows.
     */
    private <T> List<Future<T>> submitAll(Collection<? extends Callable<T>> tasks, long deadline) {
        Objects.requireNonNull(tasks, "tasks");
        for (Callable<T> t : tasks) {
            Objects.requireNonNull(t, "a task in tasks is null");
        }
        List<Future<T>> fs = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> t : tasks) {
                if (deadline != Long.MAX_VALUE && deadline - System.nanoTime() <= 0) {
                    Future<T> never = new Future<>();
                    never.cancel();
                    fs.add(never);
                } else {
                    fs.add(submitCall(t));
                }
            }
        } catch (RuntimeException | Error e) {
            cancelAll(fs);
            throw e;
        }
        return fs;
    }

    /**
     * Cancels every future not done, with interrupts. In two passes: first all are cancelled
     * without interrupt, so that a worker freed by an interrupted call cannot start a queued call
     * of the same batch; then the running ones are interrupted.
     */
    private static void cancelAll(List<? extends java.util.concurrent.Future<?>> fs) {
        for (java.util.concurrent.Future<?> f : fs) {
            f.cancel(false);
        }
        for (java.util.concurrent.Future<?> f : fs) {
            if (f instanceof ViewFuture<?> vf && vf.cancelled()) {
                vf.handle.interrupt();
            }
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return doInvokeAny(tasks, false, 0);
        } catch (TimeoutException cannotHappen) {
            throw new AssertionError(cannotHappen);
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        Objects.requireNonNull(unit, "unit");
        return doInvokeAny(tasks, true, unit.toNanos(timeout));
    }

    private <T> T doInvokeAny(Collection<? extends Callable<T>> tasks, boolean timed, long nanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        Objects.requireNonNull(tasks, "tasks");
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("invokeAny needs at least one task, got none");
        }
        long deadline = System.nanoTime() + nanos;
        BlockingQueue<Future<T>> done = new LinkedBlockingQueue<>();
        List<Future<T>> fs = submitAll(tasks, Long.MAX_VALUE);
        try {
            for (Future<T> f : fs) {
                f.addDoneCallback(done::add);
            }
            ExecutionException last = null;
            for (int left = fs.size(); left > 0; left--) {
                Future<T> f = timed ? done.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS) : done.take();
                if (f == null) {
                    TimeoutException te = new TimeoutException("no task of invokeAny succeeded in time; "
                            + Futures.unfinished(left, fs.size()));
                    if (last != null) {
                        te.initCause(last);
                    }
                    throw te;
                }
                try {
                    return f.get();
                } catch (ExecutionException e) {
                    last = chain(last, e);
                } catch (CancellationException e) {
                    last = chain(last, new ExecutionException(e));
                }
            }
            throw last;
        } finally {
            cancelAll(fs);
        }
    }

    /** The newest failure, with the earlier ones suppressed in it. */
    private static ExecutionException chain(ExecutionException earlier, ExecutionException latest) {
        if (earlier != null) {
            for (Throwable s : earlier.getSuppressed()) {
                latest.addSuppressed(s);
            }
            latest.addSuppressed(earlier.getCause() != null ? earlier.getCause() : earlier);
        }
        return latest;
    }

    // ------------------------------------------------------------------ shutdown and termination

    /** {@code shutdown(wait=false)}: accepts no more tasks, runs those submitted, never blocks. */
    @Override
    public void shutdown() {
        executor.shutdown(false);
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<Task<?>> dropped = executor.shutdownNow();
        for (Handle h : running) {
            h.interrupt();
        }
        List<Runnable> out = new ArrayList<>(dropped.size());
        for (Task<?> t : dropped) {
            out.add(asRunnable(t));
        }
        return out;
    }

    /** The Runnable that stands for a task that never started: the user's own object where there is one. */
    private static Runnable asRunnable(Task<?> t) {
        if (t instanceof ViewTask<?> vt) {
            if (vt.call instanceof RunnableCall<?> rc) {
                return rc.runnable();
            }
            return new NeverStarted(vt.call::call, vt.call);
        }
        if (t instanceof Calls.Run run) {
            return run.command();
        }
        return new NeverStarted(t::call, t);
    }

    @Override
    public boolean isShutdown() {
        return executor.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return executor.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        try {
            executor.termination().get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException neverFails) {
            throw new AssertionError(neverFails);
        }
    }

    /**
     * The JDK's {@code close()}: shuts down, waits until terminated, and if interrupted while
     * waiting, calls {@link #shutdownNow()} once and goes on waiting, then re-asserts the
     * interrupt.
     *
     * @throws IllegalStateException if called from one of this view's calls, which would wait for
     *     itself forever (the shutdown still happens)
     */
    @Override
    public void close() {
        boolean terminated = isTerminated();
        if (terminated) {
            return;
        }
        shutdown();
        Thread me = Thread.currentThread();
        for (Handle h : running) {
            if (h.isRunIn(me)) {
                throw new IllegalStateException("close() called from a task of this executor would wait for "
                        + "itself; use shutdown()");
            }
        }
        boolean interrupted = false;
        while (!terminated) {
            try {
                terminated = awaitTermination(1L, TimeUnit.DAYS);
            } catch (InterruptedException e) {
                if (!interrupted) {
                    shutdownNow();
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ExecutorService view of " + executor;
    }

    // ------------------------------------------------------------------ the pieces

    /**
     * A Runnable as a Callable; serializable when the runnable and result are. A class, not a
     * record, for the reason {@link Calls} gives.
     *
     * @param <T> the result's type
     */
    static final class RunnableCall<T> implements Callable<T>, Serializable {
        private static final long serialVersionUID = 1L;
        private final Runnable runnable;
        private final T result;

        RunnableCall(Runnable runnable, T result) {
            this.runnable = runnable;
            this.result = result;
        }

        Runnable runnable() {
            return runnable;
        }

        @Override
        public T call() {
            runnable.run();
            return result;
        }

        @Override
        public String toString() {
            return "RunnableCall[runnable=" + runnable + ", result=" + result + "]";
        }
    }

    /** A task that never started, handed back by shutdownNow: running it runs the call, outcome ignored. */
    private record NeverStarted(Callable<?> body, Object task) implements Runnable {
        @Override
        public void run() {
            try {
                body.call();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }

        @Override
        public String toString() {
            return "never started: " + task;
        }
    }

    /**
     * What the pool runs for a call of the view. Serializable through {@code call} alone; the
     * handle is transient, so in another process it is null and the call just runs.
     *
     * @param <T> the result's type
     */
    static final class ViewTask<T> implements Task<T> {
        private static final long serialVersionUID = 1L;
        final Callable<T> call;
        private final transient Handle handle;

        ViewTask(Callable<T> call, Handle handle) {
            this.call = call;
            this.handle = handle;
        }

        @Override
        public T call() throws Exception {
            Handle h = handle;
            if (h == null) {
                return call.call();
            }
            h.begin();
            try {
                return call.call();
            } finally {
                h.end();
            }
        }

        @Override
        public String toString() {
            return "ViewTask[" + call + "]";
        }
    }

    /**
     * One call's link to the thread running it, in this JVM. Guarded by its own monitor:
     * {@code runner} is the thread running the body (null before and after), {@code cancelled}
     * stops a body that has not begun, {@code interrupted} says an interrupt was sent to
     * {@code runner} for this call, so {@link #end} clears it and it cannot reach later work.
     */
    final class Handle {
        private Thread runner;
        private boolean cancelled;
        private boolean interrupted;

        synchronized void begin() {
            if (cancelled) {
                throw new CancellationException("cancelled before it started");
            }
            runner = Thread.currentThread();
            running.add(this);
        }

        synchronized void end() {
            running.remove(this);
            runner = null;
            if (interrupted) {
                interrupted = false;
                Thread.interrupted();
            }
        }

        /** The JDK's cancel: stop the body if it has not begun; interrupt it if asked and running. */
        synchronized void cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            if (mayInterruptIfRunning) {
                interrupt();
            }
        }

        synchronized void interrupt() {
            if (runner != null && !interrupted) {
                interrupted = true;
                runner.interrupt();
            }
        }

        synchronized boolean isRunIn(Thread t) {
            return runner == t;
        }
    }

    /**
     * The future {@code submit} returns: a mirror of the core's future with the JDK's cancel, which
     * succeeds on a running call (its outcome is then discarded) and leaves the future done.
     */
    static final class ViewFuture<T> extends Mirror<T> {
        private final Future<T> source;
        private final Handle handle;

        ViewFuture(Future<T> source, Handle handle) {
            this.source = source;
            this.handle = handle;
            if (source.addListener(() -> source.copyOutcomeTo(this)) == null) {
                source.copyOutcomeTo(this);
            }
        }

        @Override
        Object source() {
            return source;
        }

        /** {@code cancel(false)}. */
        @Override
        public boolean cancel() {
            return cancel(false);
        }

        /**
         * The JDK's cancel. Fails (false) if the call already completed or was cancelled. A call
         * that has not started never runs. A running call's outcome is discarded and, if
         * {@code mayInterruptIfRunning}, its thread is interrupted (in this JVM only). After this
         * returns, {@link #isDone()} is true.
         */
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (done()) {
                return false;
            }
            if (source.cancel()) { // not started: it never will
                return cancelIfPending() || cancelled();
            }
            if (source.copyOutcomeTo(this)) { // finished just now: the outcome stands
                return false;
            }
            // Running: this mirror is cancelled first, so whatever the call does next (finish, or
            // fail because the handle stopped it) is a late copy that changes nothing.
            if (!cancelIfPending()) {
                return false; // the call finished between the checks; its outcome stands
            }
            handle.cancel(mayInterruptIfRunning);
            return true;
        }
    }
}
