package futures.providers.virtual;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import futures.testkit.ExecutorBehaviourSuite;

/** The shared behaviour suite against provider {@code "virtual"}, made as users make it. */
class VirtualBehaviourTest extends ExecutorBehaviourSuite {
    @Override
    protected Executor newExecutor(ExecutorConfig config) {
        return Executors.create("virtual", config);
    }

    @Override
    protected boolean detectsDeadlocks() {
        return true;
    }
}
