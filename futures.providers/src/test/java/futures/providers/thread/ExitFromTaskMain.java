package futures.providers.thread;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;

/**
 * A task calls System.exit while main waits on it: the JVM must exit with that status, since an
 * explicit exit does not wait for pending futures (it would wait for the exiting task itself).
 */
public final class ExitFromTaskMain {
    private ExitFromTaskMain() {}

    public static void main(String[] args) {
        Executor executor = Executors.threadPool(2);
        Future<Object> f = executor.submit(() -> {
            System.out.println("task calls System.exit(3)");
            System.out.flush();
            System.exit(3);
            return null;
        });
        f.result(); // never returns: the task ends the JVM
        System.out.println("unreachable");
    }
}
