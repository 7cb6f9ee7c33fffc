package futures.core;

/**
 * Python's {@code TimeoutError}: a wait ran out of time. Thrown by {@link Future#result(java.time.Duration)},
 * {@link Future#exception(java.time.Duration)}, the iterators of {@link Futures#asCompleted} and
 * {@link Executor#map}. Unchecked, unlike the JDK's {@link java.util.concurrent.TimeoutException},
 * which only {@link Future#get(long, java.util.concurrent.TimeUnit)} throws.
 */
public class WaitTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A wait that ran out of time.
     *
     * @param message what was not done in time, such as "2 (of 4) futures unfinished"
     */
    public WaitTimeoutException(String message) {
        super(message);
    }
}
