package futures.providers.process;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.spi.ExecutorConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The parent JVM of {@link ParentKilledTest}: opens a process pool of two workers and gives each a
 * long task that first prints {@code WORKER <pid>} on the (inherited) stdout. Then it waits for the
 * tasks, until the test kills it with SIGKILL.
 */
public final class KillParentMain {
    private KillParentMain() {}

    /** Starts the pool and waits. */
    public static void main(String[] args) {
        Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(2).build());
        List<Future<Object>> fs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            fs.add(ex.submit(() -> {
                System.out.println("WORKER " + ProcessHandle.current().pid());
                System.out.flush();
                Thread.sleep(600_000); // a long task, cut short by the parent's death
                return null;
            }));
        }
        System.out.println("PARENT " + ProcessHandle.current().pid());
        System.out.flush();
        fs.forEach(Future::exception);
    }
}
