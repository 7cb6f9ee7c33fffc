package futures.moduletests;

import futures.spi.ExecutorConfig;
import futures.spi.ExecutorProvider;
import futures.spi.WorkerPool;
import java.util.Set;

/**
 * A provider that fails to load: its constructor throws, as one with a missing dependency or a
 * bad static setup would. Discovery must report it and still load every other provider.
 *
 * <p>Its class is initialised by the first discovery in this JVM, just before the core logs the
 * failure; it then starts capturing what logger {@code futures.core.Executors} writes
 * ({@link #LOG}), so every record about it, the first one included, can be asserted on
 * ({@code DiscoveryTest}) instead of landing in the build output.
 */
public final class FailingProvider implements ExecutorProvider {
    /** The message of the constructor's exception, for tests to look for. */
    static final String WHY = "FailingProvider cannot start: deliberately broken for the discovery tests";

    /** What logger {@code futures.core.Executors} wrote since the first discovery (at every level). */
    static final LogRecords LOG = LogRecords.capture("futures.core.Executors");

    /** Always throws, as {@link java.util.ServiceLoader} calls it. */
    public FailingProvider() {
        throw new IllegalStateException(WHY);
    }

    @Override
    public String name() {
        return "failing";
    }

    @Override
    public String description() {
        return "never loads";
    }

    @Override
    public Set<String> configKeys() {
        return Set.of();
    }

    @Override
    public WorkerPool open(ExecutorConfig config) {
        throw new AssertionError("unreachable: the constructor throws");
    }
}
