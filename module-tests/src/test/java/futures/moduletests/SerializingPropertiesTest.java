package futures.moduletests;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import futures.testkit.ExecutorPropertySuite;

/**
 * The testkit's random programs against {@link SerializingProvider}: every call and outcome is a
 * serialized copy, as on a process pool, so the programs' calls suit process pools too.
 */
class SerializingPropertiesTest extends ExecutorPropertySuite {
    @Override
    protected Executor newExecutor(ExecutorConfig config) {
        return Executors.create("serializing", config);
    }
}
