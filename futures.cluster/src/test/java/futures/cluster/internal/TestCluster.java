package futures.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import futures.spi.ExecutorConfig;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One pair of embedded members on loopback shared by every test class of this module that says
 * {@code @ExtendWith(TestCluster.class)}: started on first use, shut down when JUnit closes its
 * root store at the end of the run (it closes AutoCloseable values). The cluster's name is unique per run, and the join is TCP/IP
 * on loopback only, so two runs on one machine never meet. Executors attach to member "a" with
 * config key {@code instance_name} and do not own it.
 */
public final class TestCluster implements BeforeAllCallback {
    /** The pair. Immutable. */
    public record Pair(String clusterName, HazelcastInstance a, HazelcastInstance b)
            implements AutoCloseable {
        @Override
        public void close() {
            b.shutdown();
            a.shutdown();
        }

        /** "host:port" of member a and b, for a member list. */
        public String addresses() {
            return address(a) + "," + address(b);
        }
    }

    /** A package the pair's serialization filter denies, for the filter's test. */
    static final String DENIED = "futures.cluster.denied";

    private static volatile Pair pair;

    @Override
    public void beforeAll(ExtensionContext context) {
        pair = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(TestCluster.class.getName(), k -> start(), Pair.class);
    }

    /** The pair; only after {@link #beforeAll}. */
    public static Pair pair() {
        return pair;
    }

    private static Pair start() {
        String name = "futures-test-" + UUID.randomUUID();
        HazelcastInstance a = Engines.startMember(Settings.of(ExecutorConfig.of(Map.of(
                Settings.CLUSTER_NAME, name, Settings.INSTANCE_NAME, name + "-a", Settings.SERIALIZATION_DENY, DENIED))));
        HazelcastInstance b = Engines.startMember(Settings.of(ExecutorConfig.of(Map.of(
                Settings.CLUSTER_NAME, name, Settings.INSTANCE_NAME, name + "-b", Settings.MEMBERS, address(a),
                Settings.SERIALIZATION_DENY, DENIED))));
        return new Pair(name, a, b);
    }

    public static String address(HazelcastInstance hz) {
        var a = hz.getCluster().getLocalMember().getAddress();
        return a.getHost() + ":" + a.getPort();
    }

    /** {@code config} plus the keys that attach an executor to member a of the pair. */
    public static ExecutorConfig attached(ExecutorConfig config) {
        ExecutorConfig.Builder b = ExecutorConfig.builder();
        for (String key : config.keys()) {
            Object v = key.equals(ExecutorConfig.MAX_WORKERS) ? config.maxWorkers().getAsInt()
                    : key.equals(ExecutorConfig.INITIALIZER) ? config.initializer().get()
                    : config.property(key).orElseThrow();
            b.set(key, v);
        }
        b.property(Settings.CLUSTER_NAME, pair.clusterName());
        b.property(Settings.INSTANCE_NAME, pair.a().getName());
        return b.build();
    }
}
