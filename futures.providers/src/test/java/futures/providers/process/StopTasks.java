package futures.providers.process;

import futures.spi.Task;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Calls for {@link StopWorkersTest}, in a class without JUnit types, so that a worker JVM loads
 * it alone.
 */
final class StopTasks {
    private StopTasks() {}

    static Task<Long> pid() {
        return () -> ProcessHandle.current().pid();
    }

    /** Writes {@code ready}, then sleeps for ever; with {@code stubborn}, a shutdown hook that sleeps for ever too (so SIGTERM cannot end the JVM). */
    static Task<String> sleepForever(String ready, boolean stubborn) {
        return () -> {
            if (stubborn) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    while (true) {
                        try {
                            Thread.sleep(Long.MAX_VALUE);
                        } catch (InterruptedException ignored) {
                            // stubborn: ignore
                        }
                    }
                }));
            }
            Files.writeString(Path.of(ready), "ready");
            Thread.sleep(Long.MAX_VALUE);
            return "woke";
        };
    }
}
