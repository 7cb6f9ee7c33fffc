package futures.core;

/**
 * Python's {@code InvalidStateError}: an operation not allowed in the future's current state, such
 * as {@link Future#setResult} on a future that is already finished or cancelled.
 */
public class InvalidStateException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * An operation refused in the future's state.
     *
     * @param message the operation and the state it met
     */
    public InvalidStateException(String message) {
        super(message);
    }
}
