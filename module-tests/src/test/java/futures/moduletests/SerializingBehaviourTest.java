package futures.moduletests;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import futures.testkit.ExecutorBehaviourSuite;

/**
 * The shared behaviour suite against {@link SerializingProvider}: every test passes although no
 * task or outcome is shared with the test's memory, so the suite suits process pools.
 */
class SerializingBehaviourTest extends ExecutorBehaviourSuite {
    @Override
    protected Executor newExecutor(ExecutorConfig config) {
        return Executors.create("serializing", config);
    }

    /** Its pool does not implement {@code WorkerPool.stopWorkers}: the suite checks that terminateWorkers says so and changes nothing. */
    @Override
    protected boolean stopsWorkers() {
        return false;
    }

    /** Nor {@code WorkerPool.stopRunning}: the suite checks that cancelRunning refuses a running call. */
    @Override
    protected boolean stopsRunningCalls() {
        return false;
    }
}
