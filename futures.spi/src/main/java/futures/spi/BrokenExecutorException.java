package futures.spi;

import java.util.concurrent.RejectedExecutionException;

/**
 * Python's {@code BrokenExecutor}: the executor can no longer run work because a worker failed in
 * a way the pool cannot recover from. Every pending and running future of the pool fails with one,
 * and every later {@code submit} throws one.
 *
 * <p>It extends {@link RejectedExecutionException} because a broken executor rejects new work, which
 * is what {@code java.util.concurrent} callers expect from {@code execute} and {@code submit}.
 */
public class BrokenExecutorException extends RejectedExecutionException {
    private static final long serialVersionUID = 1L;

    /**
     * A broken executor, for the reason given.
     *
     * @param message what broke, naming the worker where known
     */
    public BrokenExecutorException(String message) {
        super(message);
    }

    /**
     * A broken executor, for the reason given, caused by {@code cause}.
     *
     * @param message what broke, naming the worker where known
     * @param cause the failure that broke it
     */
    public BrokenExecutorException(String message, Throwable cause) {
        super(message, cause);
    }
}
