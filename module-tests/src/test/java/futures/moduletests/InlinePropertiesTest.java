package futures.moduletests;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import futures.testkit.ExecutorPropertySuite;

/** The testkit's random programs against {@link InlineProvider}, as docs/writing-a-provider.md shows. */
class InlinePropertiesTest extends ExecutorPropertySuite {
    @Override
    protected Executor newExecutor(ExecutorConfig config) {
        return Executors.create("inline", config);
    }

    /** Each call runs inside submit: no program holds a call at the gate. */
    @Override
    protected boolean runsTasksAsynchronously() {
        return false;
    }
}
