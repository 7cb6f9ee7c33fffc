package futures.providers.virtual;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import futures.testkit.ExecutorPropertySuite;

/** The testkit's random programs against provider {@code "virtual"}, made as users make it. */
class VirtualPropertiesTest extends ExecutorPropertySuite {
    @Override
    protected Executor newExecutor(ExecutorConfig config) {
        return Executors.create("virtual", config);
    }
}
