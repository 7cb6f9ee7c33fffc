package futures.cluster;

/**
 * The member running a call left the cluster (its JVM died, was killed or shut down, or it was cut
 * off from the others) before the call's outcome came back. The call may have run in part, or
 * wholly: its outcome is lost. The executor does not run it again (at most once) and goes on
 * serving on the members that remain.
 *
 * <p>It is the future's exception: {@code result()} throws it as it is, {@code get()} wraps it in
 * an {@link java.util.concurrent.ExecutionException}.
 */
public class MemberLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The member's address as {@code host:port}. */
    private final String member;

    /**
     * Makes one for the loss of {@code member}.
     *
     * @param member the member's address as {@code host:port}
     * @param message what happened
     * @param cause the engine's report, or null
     */
    public MemberLostException(String member, String message, Throwable cause) {
        super(message, cause);
        this.member = member;
    }

    /**
     * The address of the member that was lost.
     *
     * @return the address as {@code host:port}, or {@code "(none)"} when no member was left to run the call
     */
    public String member() {
        return member;
    }
}
