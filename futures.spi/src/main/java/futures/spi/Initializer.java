package futures.spi;

import java.io.Serializable;

/**
 * Python's {@code initializer}: run once in each worker before its first task. Capture the
 * {@code initargs} in the lambda. When it throws, the pool is broken: pending work fails with a
 * {@link BrokenExecutorException} subclass and later submits throw it.
 */
@FunctionalInterface
public interface Initializer extends Serializable {
    /**
     * Prepares the worker.
     *
     * @throws Exception to report that the worker cannot be used; the pool is then broken
     */
    void run() throws Exception;
}
