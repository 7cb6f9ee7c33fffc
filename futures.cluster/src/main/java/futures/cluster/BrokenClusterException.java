package futures.cluster;

import futures.spi.BrokenExecutorException;

/**
 * The executor can no longer reach any cluster: its own member (mode {@code embedded}) or its
 * client (mode {@code client}) stopped, or the last member left. From then on every submit is
 * rejected with one, and every call still in flight fails with its own instance. The loss of one
 * member among others is not a breakage: see {@link MemberLostException}.
 */
public class BrokenClusterException extends BrokenExecutorException {
    private static final long serialVersionUID = 1L;

    /**
     * Makes one that says what broke.
     *
     * @param message what broke
     * @param cause the engine's report, or null
     */
    public BrokenClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
