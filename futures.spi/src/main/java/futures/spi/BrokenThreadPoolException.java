package futures.spi;

/** Python's {@code BrokenThreadPool}: a worker thread's initializer failed. */
public class BrokenThreadPoolException extends BrokenExecutorException {
    private static final long serialVersionUID = 1L;

    /**
     * A broken thread pool, for the reason given.
     *
     * @param message what broke
     */
    public BrokenThreadPoolException(String message) {
        super(message);
    }

    /**
     * A broken thread pool, for the reason given, caused by {@code cause} (such as the
     * initializer's exception).
     *
     * @param message what broke
     * @param cause the failure that broke it, such as the initializer's exception
     */
    public BrokenThreadPoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
