package futures.providers.process;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The parent JVM of {@link WorkerOutputTest}: makes workers print the JVM's own messages (out of
 * memory, a boot-layer error at start) and GC logs, and prints one line per case on its stdout,
 * which should then hold nothing else. (A crash banner is not among them: HotSpot writes it to
 * file descriptor 1 whatever the options say, see docs/process-provider.md.)
 */
public final class OutputMain {
    private OutputMain() {}

    public static void main(String[] args) {
        run("OK", "");
        run("OOM", "-Xmx32m -XX:+ExitOnOutOfMemoryError"); // without it the error is the call's, and the JVM prints nothing
        run("START", "--add-modules=no.such.module");
    }

    private static void run(String name, String jvmOptions) {
        try (Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1)
                .property(ProcessProvider.JVM_OPTIONS, jvmOptions).build())) {
            Throwable e = ex.submit(() -> {
                List<long[]> hog = new ArrayList<>();
                if (!name.equals("OK")) {
                    while (true) {
                        hog.add(new long[1 << 20]);
                    }
                }
                return hog.size();
            }).exception();
            System.out.println(name + " " + (e == null ? "done" : e.getClass().getSimpleName()));
        } catch (RuntimeException e) {
            System.out.println(name + " " + e.getClass().getSimpleName());
        }
    }
}
