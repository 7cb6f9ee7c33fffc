package futures.moduletests;

import futures.spi.ExecutorConfig;
import futures.spi.ExecutorProvider;
import futures.spi.WorkerPool;
import java.util.Set;

/**
 * Provider {@code "inline"}: runs each call in the thread that submits it, inside {@code submit},
 * as a user of the SPI might write for tests or for deterministic single-threaded runs. It shows
 * that the SPI is pluggable from a module of one's own: registered with {@code provides} in this
 * module's {@code module-info.java}, found by name through {@code Executors.create("inline")}.
 *
 * <p>Accepts {@code max_workers}: at most that many calls run at once, counting every thread
 * that submits (the others wait in {@code submit}); unbounded by default.
 */
public final class InlineProvider implements ExecutorProvider {
    /** For {@link java.util.ServiceLoader}. */
    public InlineProvider() {}

    @Override
    public String name() {
        return "inline";
    }

    @Override
    public String description() {
        return "runs each call in the submitting thread, inside submit";
    }

    @Override
    public Set<String> configKeys() {
        return Set.of(ExecutorConfig.MAX_WORKERS);
    }

    @Override
    public WorkerPool open(ExecutorConfig config) {
        return new InlinePool(config.maxWorkers().orElse(Integer.MAX_VALUE));
    }
}
