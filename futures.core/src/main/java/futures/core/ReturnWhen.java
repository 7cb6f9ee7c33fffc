package futures.core;

/** When {@link Futures#wait(java.util.Collection, java.time.Duration, ReturnWhen)} returns. */
public enum ReturnWhen {
    /** When any future finishes or is cancelled. */
    FIRST_COMPLETED,
    /**
     * When any future finishes by raising an exception; if none does, as {@link #ALL_COMPLETED}.
     * A cancelled future counts as completed, not as an exception.
     */
    FIRST_EXCEPTION,
    /** When all futures finish or are cancelled. */
    ALL_COMPLETED
}
