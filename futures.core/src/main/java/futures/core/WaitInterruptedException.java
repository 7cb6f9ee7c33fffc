package futures.core;

/**
 * A thread waiting in {@link Future#result()}, {@link Future#exception()}, {@link Futures#wait} or
 * an iterator of {@link Futures#asCompleted} or {@link Executor#map} was interrupted. The thread's
 * interrupt flag is still set when this is thrown, so the interrupt is never lost; the cause is an
 * {@link InterruptedException}.
 */
public class WaitInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An interrupted wait. */
    public WaitInterruptedException() {
        super("interrupted while waiting for a future", new InterruptedException());
    }
}
