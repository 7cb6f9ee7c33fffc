package futures.providers.process;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import futures.testkit.ExecutorBehaviourSuite;

/**
 * The shared behaviour suite against provider {@code "process"}, made as users make it. It stops its
 * workers (terminateWorkers/killWorkers) and one running call (cancelRunning), so both hooks say so;
 * with {@code on_worker_death=fail_call} a worker's death costs only its call, so that hook says so too.
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

    @Override
    protected boolean survivesWorkerDeath() {
        return true;
    }

    /** {@code on_worker_death=fail_call}: the mode in which a worker's death costs only its call. */
    @Override
    protected ExecutorConfig workerDeathConfig(int workers) {
        return ExecutorConfig.builder().maxWorkers(workers).property(ProcessProvider.ON_WORKER_DEATH,
                ProcessProvider.FAIL_CALL).build();
    }
}
