package futures.moduletests;

import futures.spi.ExecutorConfig;
import futures.spi.ExecutorProvider;
import futures.spi.WorkerPool;
import java.util.Set;

/**
 * Provider {@code "serializing"}: a pool of threads that copies every task, and every value or
 * exception it produces, through Java serialization, as a pool of worker processes must. Running
 * the behaviour suite against it shows the suite asks nothing of a provider that a process pool
 * cannot give: no task captures the test instance or shares memory with the test.
 */
public final class SerializingProvider implements ExecutorProvider {
    /** For {@link java.util.ServiceLoader}. */
    public SerializingProvider() {}

    @Override
    public String name() {
        return "serializing";
    }

    @Override
    public String description() {
        return "threads that run a serialized copy of each task, as a process pool must";
    }

    @Override
    public Set<String> configKeys() {
        return Set.of(ExecutorConfig.MAX_WORKERS);
    }

    @Override
    public WorkerPool open(ExecutorConfig config) {
        return new SerializingPool(config.maxWorkers().orElse(2));
    }
}
