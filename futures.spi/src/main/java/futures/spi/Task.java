package futures.spi;

import java.io.Serializable;

/**
 * A call that produces a value, as handed to a worker. It is {@link Serializable} so that a lambda
 * written inline at {@code submit} can cross to a worker process without a cast; a pool that runs
 * tasks in the same JVM never serializes it.
 *
 * @param <T> the type of the value
 */
@FunctionalInterface
public interface Task<T> extends Serializable {
    /**
     * Runs the call.
     *
     * @return the value, which may be {@code null}
     * @throws Exception whatever the call throws; it becomes the future's exception
     */
    T call() throws Exception;
}
