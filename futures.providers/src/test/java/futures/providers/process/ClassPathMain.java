package futures.providers.process;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;

/**
 * The main class {@link ClassPathLaunchTest} runs on the plain class path (no module path): it
 * opens a process pool, runs a lambda defined here in a worker, and prints what came back.
 */
public final class ClassPathMain {
    private ClassPathMain() {}

    /** Prints {@code RESULT <value> <worker pid> <own pid> <whether this class is in a named module>}. */
    public static void main(String[] args) {
        int base = 40;
        try (Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1).build())) {
            String reply = ex.submit(x -> (x + base) + " " + ProcessHandle.current().pid() + " "
                    + ClassPathMain.class.getModule().isNamed(), 2).result();
            System.out.println("RESULT " + reply + " " + ProcessHandle.current().pid() + " "
                    + ClassPathMain.class.getModule().isNamed());
        }
    }
}
