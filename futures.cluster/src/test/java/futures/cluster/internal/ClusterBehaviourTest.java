package futures.cluster.internal;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import futures.testkit.ExecutorBehaviourSuite;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shared behaviour suite against provider {@code "cluster"}, made as users make it, on the
 * shared pair of embedded members (two members of this JVM, so the gates of the suite are reachable).
 * Two capability hooks: the provider cannot stop the members that run calls
 * ({@code terminateWorkers}/{@code killWorkers}: members are shared and long-lived; the suite checks
 * that both are refused and change nothing), and it can stop one running call
 * ({@code cancelRunning}: the engine interrupts the call's thread on its member; the suite checks
 * the future is cancelled at once and the executor serves on).
 */
@ExtendWith(TestCluster.class)
class ClusterBehaviourTest extends ExecutorBehaviourSuite {
    @Override
    protected Executor newExecutor(ExecutorConfig config) {
        return Executors.create("cluster", TestCluster.attached(config));
    }

    @Override
    protected boolean stopsWorkers() {
        return false;
    }

    @Override
    protected boolean stopsRunningCalls() {
        return true;
    }
}
