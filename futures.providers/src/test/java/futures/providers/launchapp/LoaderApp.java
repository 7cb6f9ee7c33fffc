package futures.providers.launchapp;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import java.io.Serializable;

/**
 * An application that {@code LaunchersTest} runs under launchers with class loaders of their own
 * (a URLClassLoader host, as {@code mvn exec:java}; a shaded fat jar): a lambda of this class,
 * whose body calls {@link LoaderAppHelper} (a class no stream carries), runs in a worker and
 * returns a record of this class. Prints {@code RESULT <value> <the worker's loader of this
 * class> <worker pid> <own pid>}.
 */
public final class LoaderApp {
    private LoaderApp() {}

    /** What the task returns: a class of the application, which the parent deserializes. */
    record Box(int value, String loader, long pid) implements Serializable {}

    public static void main(String[] args) {
        int base = 40;
        try (Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1).build())) {
            Box b = ex.submit(x -> new Box(LoaderAppHelper.plus(x, base),
                    String.valueOf(LoaderApp.class.getClassLoader().getName()), ProcessHandle.current().pid()), 2).result();
            System.out.println("RESULT " + b.value() + " " + b.loader() + " " + b.pid() + " " + ProcessHandle.current().pid());
        }
    }
}
