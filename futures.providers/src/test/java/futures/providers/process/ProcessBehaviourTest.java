package futures.providers.process;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import futures.testkit.ExecutorBehaviourSuite;

/**
 * The shared behaviour suite against provider {@code "process"}, made as users make it. It stops its
 * workers (terminateWorkers/killWorkers) and one running call (cancelRunning), so both hooks say so.
 */
class ProcessBehaviourTest extends ExecutorBehaviourSuite {
    @Override
    protected Executor newExecutor(ExecutorConfig config) {
        return Executors.create("process", config);
    }

    @Override
    protected boolean stopsWorkers() {
        return true;
    }

    @Override
    protected boolean stopsRunningCalls() {
        return true;
    }
}
