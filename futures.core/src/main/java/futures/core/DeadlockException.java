package futures.core;

/**
 * A wait that can never end: the futures it waits for belong to calls that can no longer make
 * progress on their own, because they wait, directly or through other calls, for the very call
 * that is waiting, or are queued behind workers that all wait so. Thrown instead of hanging, at
 * once (whether or not the wait had a timeout), by {@link Future#result()},
 * {@link Future#exception()}, {@link Future#get()} and their timed forms, {@link Futures#wait},
 * the iterators of {@link Futures#asCompleted} and {@link Executor#map}, when they are called
 * inside a call of an executor whose calls run on threads of this JVM ({@code "thread"},
 * {@code "virtual"}) and which has deadlock detection on (config key {@code deadlock_detection},
 * on by default). The message names the cycle: which calls of which executors wait for which.
 * See docs/deadlocks.md for what is detected and how to avoid it.
 *
 * <p>Only the wait that closes the cycle fails; its call usually ends with this exception, which
 * then reaches the calls that waited for it, and the others go on.
 */
public class DeadlockException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with the detector's description of the cycle.
     *
     * @param message the cycle, as the detector describes it
     */
    public DeadlockException(String message) {
        super(message);
    }
}
