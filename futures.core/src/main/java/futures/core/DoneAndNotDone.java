package futures.core;

import java.util.Objects;
import java.util.Set;

/**
 * What {@link Futures#wait} returns: Python's named 2-tuple of sets {@code (done, not_done)}.
 * Each set is unmodifiable, has no duplicates, and keeps the order in which the futures were given.
 * Immutable.
 *
 * @param <F> the type of the futures
 */
public final class DoneAndNotDone<F> {
    private final Set<F> done;
    private final Set<F> notDone;

    /**
     * Holds two read-only sets. They are given out as they are (not wrapped), so that passing
     * {@code notDone()} back to {@code wait} or {@code asCompleted}, Python's usual loop, skips
     * the de-duplication.
     */
    DoneAndNotDone(FutureSet<F> done, FutureSet<F> notDone) {
        this.done = done;
        this.notDone = notDone;
    }

    /**
     * The futures that completed (finished or were cancelled) before the wait returned.
     *
     * @return an unmodifiable set of the done futures
     */
    public Set<F> done() {
        return done;
    }

    /**
     * The futures that had not completed when the wait returned.
     *
     * @return an unmodifiable set of the futures not done
     */
    public Set<F> notDone() {
        return notDone;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DoneAndNotDone<?> other && done.equals(other.done) && notDone.equals(other.notDone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(done, notDone);
    }

    /** {@code DoneAndNotDone[done=[...], notDone=[...]]}. */
    @Override
    public String toString() {
        return "DoneAndNotDone[done=" + done + ", notDone=" + notDone + "]";
    }
}
