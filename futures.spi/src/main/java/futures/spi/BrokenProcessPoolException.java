package futures.spi;

/**
 * Python's {@code BrokenProcessPool}: a worker process terminated abruptly (killed, exited, crashed,
 * ran out of memory) or its initializer failed. The message names the worker's pid and exit status.
 */
public class BrokenProcessPoolException extends BrokenExecutorException {
    private static final long serialVersionUID = 1L;

    /**
     * A broken process pool, for the reason given.
     *
     * @param message what broke, naming the worker's pid and exit status
     */
    public BrokenProcessPoolException(String message) {
        super(message);
    }

    /**
     * A broken process pool, for the reason given, caused by {@code cause}.
     *
     * @param message what broke, naming the worker's pid and exit status
     * @param cause the failure that broke it
     */
    public BrokenProcessPoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
