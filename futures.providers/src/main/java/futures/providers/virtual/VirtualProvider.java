package futures.providers.virtual;

import futures.spi.ExecutorConfig;
import futures.spi.ExecutorProvider;
import futures.spi.WorkerPool;
import java.util.Set;

/**
 * Provider {@code "virtual"}: each call runs in its own new virtual thread, for I/O-bound work such
 * as the reference's URL example. Accepts {@code max_workers} (how many calls run at once; default:
 * no bound), {@code thread_name_prefix} and {@code initializer} (run in each virtual thread before
 * its call; when it throws, the pool is broken as on the thread provider).
 */
public final class VirtualProvider implements ExecutorProvider {
    private static final Set<String> KEYS = Set.of(
            ExecutorConfig.MAX_WORKERS, ExecutorConfig.THREAD_NAME_PREFIX, ExecutorConfig.INITIALIZER);

    /** For {@link java.util.ServiceLoader}. */
    public VirtualProvider() {}

    @Override
    public String name() {
        return "virtual";
    }

    @Override
    public String description() {
        return "a new virtual thread per call, optionally at most max_workers at once";
    }

    /** The name and the description, as {@code Executors.providers()} listings show them. */
    @Override
    public String toString() {
        return name() + ": " + description();
    }

    @Override
    public Set<String> configKeys() {
        return KEYS;
    }

    @Override
    public WorkerPool open(ExecutorConfig config) {
        return new VirtualPool(config.maxWorkers().orElse(Integer.MAX_VALUE),
                config.threadNamePrefix().orElse(null), config.initializer().orElse(null));
    }
}
