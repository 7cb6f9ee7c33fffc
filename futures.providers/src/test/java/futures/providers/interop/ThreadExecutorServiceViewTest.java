package futures.providers.interop;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;

/** The ExecutorService view contract on the "thread" provider. */
class ThreadExecutorServiceViewTest extends ExecutorServiceViewContract {
    @Override
    protected Executor create(int maxWorkers) {
        return Executors.create("thread", ExecutorConfig.builder().maxWorkers(maxWorkers)
                .threadNamePrefix("view-thread").build());
    }

    @Override
    protected boolean isWorker(Thread t) {
        return !t.isVirtual() && t.getName().startsWith("view-thread_");
    }
}
