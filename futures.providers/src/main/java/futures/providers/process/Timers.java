package futures.providers.process;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The process pools' one timer thread, shared by every pool of the JVM: the bound on a worker's
 * connect ({@link ProcessPool#CONNECT_TIMEOUT_SECONDS}) and the watchdog of each live worker's
 * frames. Every task scheduled here is cancelled when what it guards is over (a cancelled task
 * leaves the queue at once), so the queue holds at most two tasks per live worker and nothing for
 * pools that are gone ({@link #pending}). The thread is a daemon, made when the first task comes
 * and gone after 10 s with nothing queued.
 *
 * <p>Thread-safe: the executor is. Tasks must not block; they catch everything, since an exception
 * would silently end a periodic one.
 */
final class Timers {
    private Timers() {}

    private static final ScheduledThreadPoolExecutor SCHEDULER = scheduler();

    private static ScheduledThreadPoolExecutor scheduler() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "futures-process-timer");
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        s.setKeepAliveTime(10, TimeUnit.SECONDS);
        s.allowCoreThreadTimeOut(true);
        return s;
    }

    /** Runs {@code task} once after {@code delay}, unless cancelled before. */
    static ScheduledFuture<?> after(long delay, TimeUnit unit, Runnable task) {
        return SCHEDULER.schedule(quiet(task), delay, unit);
    }

    /** Runs {@code task} every {@code period} until cancelled. */
    static ScheduledFuture<?> every(long period, TimeUnit unit, Runnable task) {
        return SCHEDULER.scheduleWithFixedDelay(quiet(task), period, period, unit);
    }

    /** How many tasks wait in the queue: a test's seam for "nothing grows with the number of pools". */
    static int pending() {
        return SCHEDULER.getQueue().size();
    }

    private static Runnable quiet(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable e) {
                try {
                    System.getLogger(Timers.class.getName()).log(System.Logger.Level.DEBUG, "a pool's timer task threw", e);
                } catch (Throwable ignored) {
                    // logging must not end the timer
                }
            }
        };
    }
}
