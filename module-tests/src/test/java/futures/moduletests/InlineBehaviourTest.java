package futures.moduletests;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import futures.testkit.ExecutorBehaviourSuite;

/**
 * The shared behaviour suite against this module's own provider, on the module path, exactly as
 * an author of a provider would run it.
 */
class InlineBehaviourTest extends ExecutorBehaviourSuite {
    @Override
    protected Executor newExecutor(ExecutorConfig config) {
        return Executors.create("inline", config);
    }

    /**
     * An inline executor runs each call inside {@code submit}: no call is ever pending or held
     * while the test goes on, so the tests of cancelling pending calls, waiting shutdowns,
     * timeouts, completion order and the worker bound are skipped.
     */
    @Override
    protected boolean runsTasksAsynchronously() {
        return false;
    }
}
