package futures.cluster.internal;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import futures.testkit.ExecutorBehaviourSuite;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shared behaviour suite against provider {@code "cluster"}, made as users make it, on the
 * shared pair of embedded members (two members of this JVM, so the gates of the suite are reachable
 * and no capability hook is needed: every test runs).
 */
@ExtendWith(TestCluster.class)
class ClusterBehaviourTest extends ExecutorBehaviourSuite {
    @Override
    protected Executor newExecutor(ExecutorConfig config) {
        return Executors.create("cluster", TestCluster.attached(config));
    }
}
