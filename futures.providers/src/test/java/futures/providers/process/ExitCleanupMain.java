package futures.providers.process;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.spi.ExecutorConfig;

/**
 * The parent JVM of {@link ExitCleanupTest}: a pool that replaces its worker after every task gets
 * three tasks, each printing {@code RESULT i} (or {@code FAILED ...}) from its done-callback, and
 * {@code main} returns at once: the JVM's normal exit waits for the pending futures, during which
 * the pool must still start workers, and then its private directory must go. With the argument
 * {@code exit} it calls {@code System.exit(0)} instead, while its first worker starts.
 */
public final class ExitCleanupMain {
    private ExitCleanupMain() {}

    public static void main(String[] args) {
        Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1).maxTasksPerChild(1).build());
        for (int i = 0; i < 3; i++) {
            int n = i;
            Future<Integer> f = ex.submit(() -> {
                Thread.sleep(200);
                return n;
            });
            f.addDoneCallback(d -> {
                Throwable t = d.exception();
                System.out.println(t == null ? "RESULT " + d.result() : "FAILED " + t);
                System.out.flush();
            });
        }
        System.out.println("PARENT " + ProcessHandle.current().pid());
        System.out.flush();
        if (args.length > 0 && args[0].equals("exit")) {
            System.exit(0); // while the first worker starts: nothing waits for the pending futures
        }
    }
}
