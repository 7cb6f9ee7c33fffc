package futures.providers.thread;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import futures.testkit.ExecutorPropertySuite;

/** The testkit's random programs against provider {@code "thread"}, made as users make it. */
class ThreadPropertiesTest extends ExecutorPropertySuite {
    @Override
    protected Executor newExecutor(ExecutorConfig config) {
        return Executors.create("thread", config);
    }
}
