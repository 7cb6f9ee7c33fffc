package futures.spi;

/**
 * One submitted call, as the core hands it to a {@link WorkerPool}.
 *
 * <p>The pool's protocol, in this order: call {@link #markRunning()} when a worker takes the item
 * (false means the user cancelled it: drop it and never run it); run {@link #task()}; then report
 * exactly one outcome with {@link #complete(Object)} or {@link #fail(Throwable)}. A pool that breaks
 * may {@link #fail(Throwable) fail} an item at any time, whether or not it was marked running.
 * All methods are thread-safe; {@code complete} and {@code fail} after the item is done do nothing
 * and return false.
 */
public interface WorkItem {

    /**
     * The call to run: the same object on every call until the item is done. Once it is (an
     * outcome was reported, or {@link #markRunning()} said false), it may return {@code null}: the
     * core lets go of the call so that a finished future does not keep its arguments alive.
     *
     * @return the call, or {@code null} once the item is done
     */
    Task<?> task();

    /**
     * Moves the item from pending to running, Python's {@code set_running_or_notify_cancel}.
     *
     * @return true if the item is now running and must be run; false if it was cancelled and must
     *     not be run
     * @throws IllegalStateException if the item was already marked running or is already done
     */
    boolean markRunning();

    /**
     * Reports the call's value.
     *
     * @param value the value, possibly {@code null}
     * @return true if this set the outcome, false if the item was already done
     */
    boolean complete(Object value);

    /**
     * Reports that the call threw, or that the pool could not run it.
     *
     * @param failure what went wrong; not {@code null}
     * @return true if this set the outcome, false if the item was already done
     */
    boolean fail(Throwable failure);

    /**
     * Runs the item in the calling thread with the whole protocol: mark running (returning at once
     * if it was cancelled), call the task, report its value or what it threw. For pools that run
     * tasks in their own JVM.
     */
    default void run() {
        if (!markRunning()) {
            return;
        }
        Object value;
        try {
            value = task().call();
        } catch (Throwable t) {
            fail(t);
            return;
        }
        complete(value);
    }
}
