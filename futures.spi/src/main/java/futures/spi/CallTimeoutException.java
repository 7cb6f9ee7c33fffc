package futures.spi;

/**
 * A call ran longer than its time limit (pebble's {@code TimeoutError} of
 * {@code schedule(timeout=)}; CPython has no per-call limit): the exception of its future, set at
 * the deadline. The limit is a call's own ({@code Executor.submit(Duration, Task)}) or its
 * executor's default (config key {@value ExecutorConfig#TIME_LIMIT}), counted from when the call
 * starts running, never from when it was submitted.
 *
 * <p>The message names the limit and what was done to the call where it runs: on a process pool
 * the worker running it was killed and another takes its place; on a pool of threads of this JVM
 * the thread running it was interrupted; a provider that cannot stop a running call lets it run on
 * and discards its outcome.
 *
 * <p>Not {@code futures.core.WaitTimeoutException}, which is a wait that ran out of time (the call
 * itself may still finish); this one ends the call. Unchecked.
 */
public class CallTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A call that exceeded its time limit.
     *
     * @param message the limit and what was done to the call
     */
    public CallTimeoutException(String message) {
        super(message);
    }
}
