package futures.providers.interop;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;

/** The ExecutorService view contract on the "virtual" provider. */
class VirtualExecutorServiceViewTest extends ExecutorServiceViewContract {
    @Override
    protected Executor create(int maxWorkers) {
        return Executors.create("virtual", ExecutorConfig.builder().maxWorkers(maxWorkers)
                .threadNamePrefix("view-virtual").build());
    }

    @Override
    protected boolean isWorker(Thread t) {
        return t.isVirtual() && t.getName().startsWith("view-virtual_");
    }
}
