package futures.core;

import futures.spi.CallTimeoutException;
import futures.spi.Task;
import futures.spi.WorkerPool;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The time limit of one call ({@link Executor#submit(Duration, Task)}, or its executor's
 * {@code time_limit}), and the core's enforcement of it for every provider.
 *
 * <p>Overview. The deadline counts from {@link #start}, which {@code Item.markRunning} calls when
 * the pool marks the call running (for "process": when the item is handed to a worker), or, for a
 * pool in this JVM, from the moment {@link #call()} begins the call on its worker thread. It arms
 * one task on the JVM's one shared timer thread ({@link Clock}), and an internal listener on the
 * future that cancels it when the call ends first (the timer's queue then forgets it). Calls
 * without a limit never reach this class: their item's {@code limit} is null, which costs them one
 * null check in {@code markRunning} and one in {@code fail}. At the deadline, if the future is not
 * done, the call is given up, by the first of three means that applies:
 * <ol>
 *   <li>a pool whose calls run in this JVM ({@code runsCallsInThisJvm}): this object is the task
 *       the pool runs, wrapped around the user's; the timer interrupts the thread running it
 *       (the handshake below), and the future fails;
 *   <li>a pool that can stop a running call ({@code stopsRunningCalls}: "process" kills and
 *       replaces the worker, "cluster" has its member interrupt the call):
 *       {@link WorkerPool#stopRunning}, then the future fails;
 *   <li>otherwise (a pool of neither kind): the future fails and the call runs on where it is;
 *       its outcome, when the pool reports it, is discarded.
 * </ol>
 * The future fails with a {@link CallTimeoutException} by the item's ordinary CAS, so a call that
 * completed first keeps its outcome. Only the timer's own work (the interrupt) is done on the timer
 * thread: failing the future runs the user's done callbacks, and stopping a worker takes a pool's
 * lock, so those run on a fresh virtual thread per expiry, and a slow callback never delays
 * another call's deadline.
 *
 * <p>The interrupt handshake (FutureTask's, for a thread that is reused): {@code state} goes
 * NEW -> RUNNING (the worker, once it has recorded itself in {@code runner}) -> DONE (the worker,
 * when the call returns), or RUNNING -> INTERRUPTING -> INTERRUPTED (the timer: it records the
 * failure in {@code timeout}, interrupts {@code runner}, then publishes INTERRUPTED), or
 * NEW -> STOPPED (the timer, when the deadline came before the worker began the call, which then
 * never runs). A worker whose RUNNING -> DONE CAS fails waits (yielding) until INTERRUPTED, then
 * clears its interrupt status, so the timer's interrupt can never reach the worker's next call,
 * and throws {@code timeout} in place of whatever the call returned or threw. A call that ignores
 * the interrupt still has its future failed at the deadline; its thread stays busy until the call
 * returns.
 *
 * <p>Fields: {@code state} is the handshake's (CAS, VarHandle); {@code runner} is written by the
 * worker before its NEW -> RUNNING CAS and read by the timer after it saw RUNNING; {@code timeout}
 * is written once, by the timer, before the CAS or volatile write that lets anyone read it (the
 * worker after INTERRUPTING/STOPPED, {@code Item.fail} after it is non-null); {@code inner} is the
 * user's task, cleared when the future is done so that a finished future does not keep the call's
 * arguments alive; {@code timer} is written once by {@link #start}, before the listener that reads
 * it is registered.
 */
final class TimeLimit implements Task<Object>, Calls.Execute {
    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;
    private static final int INTERRUPTING = 3;
    private static final int INTERRUPTED = 4;
    private static final int STOPPED = 5;

    private final Executor owner;
    private final Duration limit;
    /** Whether this object wraps the user's task and runs it (a pool in this JVM); fixed. */
    private final boolean wraps;
    private volatile Task<?> inner;
    private volatile int state;
    private Thread runner;
    private volatile ScheduledFuture<?> timer;
    /** For a wrapping limit: the item, recorded by {@link #start}, whose deadline {@link #call()} arms. */
    private volatile Future<?> item;
    /** The future's failure, once the deadline has given the call up; null before. */
    private volatile CallTimeoutException timeout;
    /** The thread inside {@code pool.stopRunning} for this call, while it is; else null. */
    private volatile Thread stopper;

    /**
     * @param owner the executor whose call this is
     * @param limit more than zero (checked by the caller)
     * @param task the user's task
     * @param wraps true if the pool runs calls in this JVM: this object is then the task it runs
     */
    TimeLimit(Executor owner, Duration limit, Task<?> task, boolean wraps) {
        this.owner = owner;
        this.limit = limit;
        this.inner = task;
        this.wraps = wraps;
    }

    /** The user's task, or null once the future is done. */
    Task<?> inner() {
        return inner;
    }

    // ------------------------------------------------------------------ the wrapper (pools in this JVM)

    /** Runs the user's task for a pool in this JVM, with the interrupt handshake. */
    @Override
    public Object call() throws Exception {
        Task<?> t = inner;
        runner = Thread.currentThread();
        if (!STATE.compareAndSet(this, NEW, RUNNING)) { // STOPPED: the deadline came first
            CallTimeoutException x;
            while ((x = timeout) == null) {
                Thread.yield(); // the timer writes it right after its CAS
            }
            throw x;
        }
        if (t == null) { // the future was done before the call began (a broken pool, setResult)
            STATE.compareAndSet(this, RUNNING, DONE);
            throw new IllegalStateException("call already settled: " + this);
        }
        Future<?> f = item;
        if (f != null) {
            arm(f); // the deadline counts from here, the call's start on this thread
        }
        Object value;
        try {
            value = t.call();
        } finally {
            if (!STATE.compareAndSet(this, RUNNING, DONE)) {
                finishInterrupted(); // throws the time limit's failure
            }
        }
        return value;
    }

    /** The timer won: wait for its interrupt to land, clear it, and report the time limit. */
    private void finishInterrupted() {
        while (state != INTERRUPTED) {
            Thread.yield(); // INTERRUPTING: the timer is between its CAS and its interrupt
        }
        Thread.interrupted(); // the timer's interrupt must never reach this thread's next call
        throw timeout;
    }

    @Override
    public void markStarted() {
        if (inner instanceof Calls.Execute e) {
            e.markStarted();
        }
    }

    @Override
    public boolean started() {
        return inner instanceof Calls.Execute e && e.started();
    }

    // ------------------------------------------------------------------ the deadline

    /**
     * Arms the deadline of {@code item}, which has just been marked running; for a pool in this
     * JVM ({@code wraps}) only records the item, and {@link #call()} arms it when the call begins on
     * its worker thread, so that what the pool does in between (the "virtual" pool runs a new
     * thread's initializer there) does not count against the call's limit.
     */
    void start(Future<?> item) {
        if (wraps) {
            this.item = item;
        } else {
            arm(item);
        }
        if (item.addListener(this::ended) == null) {
            ended(); // it was done already
        }
    }

    private void arm(Future<?> item) {
        ScheduledFuture<?> t = Clock.TIMER.schedule(() -> fire(item), limit.toNanos(), TimeUnit.NANOSECONDS);
        timer = t;
        if (item.done()) {
            t.cancel(false); // it ended while the timer was armed: ended() may not have seen it
        }
    }

    /** The future is done: forget the deadline and the user's task. */
    private void ended() {
        inner = null;
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }

    /** On the timer thread, at the deadline. */
    private void fire(Future<?> item) {
        try {
            if (item.done()) {
                return;
            }
            Runnable expiry;
            if (wraps) {
                if (!interrupt()) {
                    return; // the call returned in time: its outcome is on its way
                }
                CallTimeoutException t = timeout;
                expiry = () -> item.tryFail(t);
            } else {
                expiry = () -> giveUp(item);
            }
            try {
                Thread.ofVirtual().name("futures-time-limit-expiry").start(expiry);
            } catch (Throwable noThread) { // out of memory for a thread: do it here rather than not at all
                expiry.run();
            }
        } catch (Throwable e) { // never let the shared timer's task die silently
            Logs.log(TimeLimit.class, Level.WARNING, "the time limit of a call of " + owner + " could not be enforced", e);
        }
    }

    /**
     * The timer's side of the handshake: the call stopped before it began, or its thread is
     * interrupted. Returns false if the call had already returned.
     */
    private boolean interrupt() {
        while (true) {
            int s = state;
            if (s == NEW) {
                CallTimeoutException t = timeoutException("it was stopped before its call began on its worker");
                if (STATE.compareAndSet(this, NEW, STOPPED)) {
                    timeout = t;
                    return true;
                }
            } else if (s == RUNNING) {
                Thread th = runner;
                CallTimeoutException t = timeoutException("interrupted thread \"" + th.getName() + "\", which runs it"
                        + " (a call that ignores interrupts runs on, its outcome discarded)");
                if (STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
                    timeout = t;
                    try {
                        th.interrupt();
                    } finally {
                        state = INTERRUPTED;
                    }
                    return true;
                }
            } else {
                return false; // DONE
            }
        }
    }

    /** For pools whose calls run elsewhere: stop the call where the pool can, then fail the future. */
    private void giveUp(Future<?> item) {
        WorkerPool pool = owner.pool();
        CallTimeoutException t;
        if (owner.stopsRunningCalls()) {
            t = timeoutException("asked provider '" + owner.providerName() + "' to stop it where it runs");
            timeout = t;
            stopper = Thread.currentThread();
            try {
                pool.stopRunning((futures.spi.WorkItem) item);
            } catch (RuntimeException | Error e) {
                Logs.log(TimeLimit.class, Level.WARNING, "stopping a call past its time limit failed on " + owner, e);
            } finally {
                stopper = null;
            }
        } else {
            t = timeoutException("provider '" + owner.providerName() + "' cannot stop a running call: it runs on"
                    + " where it is, and its outcome is discarded");
            timeout = t;
        }
        item.tryFail(t); // loses to the pool's own report from inside stopRunning, which says more
    }

    /**
     * What the item reports instead of {@code failure} (for {@code Item.fail}): once the deadline
     * gave the call up, the time limit's exception; reported by the pool from inside
     * {@code stopRunning} in the stopping thread, one whose message also says what the pool did.
     */
    Throwable reported(Throwable failure) {
        CallTimeoutException t = timeout;
        if (t == null || failure == t) {
            return failure;
        }
        if (stopper == Thread.currentThread() && failure != null && failure.getMessage() != null) {
            return timeoutException(failure.getMessage());
        }
        return t;
    }

    private CallTimeoutException timeoutException(String what) {
        return new CallTimeoutException("the call exceeded its time limit of " + describe(limit)
                + " (counted from when it started running); " + what);
    }

    /** "200 ms", "1.5 s": the limit as people write it. */
    static String describe(Duration d) {
        long nanos = d.toNanos();
        if (nanos < 1_000_000_000L) {
            return BigDecimal.valueOf(nanos, 6).stripTrailingZeros().toPlainString() + " ms";
        }
        return BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9)).stripTrailingZeros()
                .toPlainString() + " s";
    }

    @Override
    public String toString() {
        return "TimeLimit[" + describe(limit) + ", " + inner + "]";
    }

    /**
     * The JVM's one timer thread for time limits, started on first use: a daemon, which ends after
     * a few idle seconds and is started again when needed. Cancelled deadlines leave its queue at
     * once (removeOnCancel), so calls that end in time leave nothing behind.
     */
    private static final class Clock {
        static final ScheduledThreadPoolExecutor TIMER;

        static {
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
                    r -> {
                        // started by whichever thread schedules first: inherit none of its context
                        Thread th = Thread.ofPlatform().name("futures-time-limit").daemon()
                                .inheritInheritableThreadLocals(false).unstarted(r);
                        th.setContextClassLoader(null);
                        return th;
                    });
            t.setRemoveOnCancelPolicy(true);
            t.setKeepAliveTime(5, TimeUnit.SECONDS);
            t.allowCoreThreadTimeOut(true);
            TIMER = t;
        }
    }

    // ------------------------------------------------------------------ VarHandle mechanics

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(TimeLimit.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
