package futures.core;

import java.util.Set;

/**
 * What {@link Futures#wait} returns: Python's named 2-tuple of sets. Each set is unmodifiable, has
 * no duplicates, and keeps the order in which the futures were given.
 *
 * @param done the futures that completed (finished or were cancelled) before the wait returned
 * @param notDone the futures that had not completed
 * @param <F> the type of the futures
 */
public record DoneAndNotDone<F>(Set<F> done, Set<F> notDone) {
    /** Copies both sets into unmodifiable ones. */
    public DoneAndNotDone {
        done = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(done));
        notDone = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(notDone));
    }
}
