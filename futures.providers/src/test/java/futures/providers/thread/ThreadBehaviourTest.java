package futures.providers.thread;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import futures.testkit.ExecutorBehaviourSuite;

/** The shared behaviour suite against provider {@code "thread"}, made as users make it. */
class ThreadBehaviourTest extends ExecutorBehaviourSuite {
    @Override
    protected Executor newExecutor(ExecutorConfig config) {
        return Executors.create("thread", config);
    }

    @Override
    protected boolean detectsDeadlocks() {
        return true;
    }
}
