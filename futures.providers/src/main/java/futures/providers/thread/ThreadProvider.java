package futures.providers.thread;

import futures.spi.ExecutorConfig;
import futures.spi.ExecutorProvider;
import futures.spi.WorkerPool;
import java.util.Set;

/**
 * Provider {@code "thread"}: Python's {@code ThreadPoolExecutor}, a pool of at most
 * {@code max_workers} platform threads in this JVM (default {@code min(32, processors + 4)}).
 * Accepts {@code max_workers}, {@code thread_name_prefix} and {@code initializer}.
 */
public final class ThreadProvider implements ExecutorProvider {
    private static final Set<String> KEYS = Set.of(
            ExecutorConfig.MAX_WORKERS, ExecutorConfig.THREAD_NAME_PREFIX, ExecutorConfig.INITIALIZER);

    /** For {@link java.util.ServiceLoader}. */
    public ThreadProvider() {}

    @Override
    public String name() {
        return "thread";
    }

    @Override
    public String description() {
        return "a pool of platform threads in this JVM (Python's ThreadPoolExecutor)";
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
        int workers = config.maxWorkers().orElse(Math.min(32, Runtime.getRuntime().availableProcessors() + 4));
        return new ThreadPool(workers, config.threadNamePrefix().orElse(null), config.initializer().orElse(null));
    }
}
