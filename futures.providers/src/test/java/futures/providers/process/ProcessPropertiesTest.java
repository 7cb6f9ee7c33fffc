package futures.providers.process;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import futures.testkit.ExecutorPropertySuite;

/**
 * The testkit's random programs against provider {@code "process"}, made as users make it. Each
 * program starts its own worker JVMs, so there are fewer, shorter programs of at most two workers
 * than for the in-JVM providers, to keep the build quick; {@code -Dfutures.cases=N} runs more.
 */
class ProcessPropertiesTest extends ExecutorPropertySuite {
    @Override
    protected Executor newExecutor(ExecutorConfig config) {
        return Executors.create("process", config);
    }

    @Override
    protected int cases() {
        return 8;
    }

    @Override
    protected int maxWorkers() {
        return 2;
    }

    @Override
    protected int maxSteps() {
        return 15;
    }
}
