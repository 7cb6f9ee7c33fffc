package futures.providers.process;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import futures.testkit.ExecutorBehaviourSuite;

/** The shared behaviour suite against provider {@code "process"}, made as users make it. */
class ProcessBehaviourTest extends ExecutorBehaviourSuite {
    @Override
    protected Executor newExecutor(ExecutorConfig config) {
        return Executors.create("process", config);
    }
}
