package futures.moduletests;

import futures.spi.ExecutorConfig;
import futures.spi.ExecutorProvider;
import futures.spi.WorkerPool;
import java.util.Set;

/**
 * One of two providers that both claim the name {@code "dup"}: discovery must refuse to choose,
 * naming both classes. Never opened.
 */
public final class DupProviderOne implements ExecutorProvider {
    /** For {@link java.util.ServiceLoader}. */
    public DupProviderOne() {}

    @Override
    public String name() {
        return "dup";
    }

    @Override
    public String description() {
        return "claims the name 'dup', as DupProviderTwo does";
    }

    @Override
    public Set<String> configKeys() {
        return Set.of();
    }

    @Override
    public WorkerPool open(ExecutorConfig config) {
        throw new AssertionError("a provider whose name is claimed twice must never be opened");
    }
}
