package futures.providers.process;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.spi.ExecutorConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The parent JVM of {@link NoisyWorkerTest}: a worker whose JVM prints on the (inherited) stderr
 * as it dies, run here so that the test reads that output instead of the build log showing it.
 * With {@code oom} the worker runs out of memory under {@code -XX:+ExitOnOutOfMemoryError}, given
 * in {@code jvm_options} (without it the error would be the call's exception; this option prints
 * "Terminating due to java.lang.OutOfMemoryError"); with {@code bad-option} its JVM does not
 * start ("Could not create the Java Virtual Machine"). Prints {@code BROKEN <message>} for the
 * future's exception and {@code STAYS <message>} for the next submit's.
 */
public final class NoisyWorkerMain {
    private NoisyWorkerMain() {}

    public static void main(String[] args) {
        boolean oom = args[0].equals("oom");
        String options = oom ? "-Xmx24m -Xms8m -XX:+ExitOnOutOfMemoryError" : "-XX:+NoSuchOptionForFutures";
        Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1)
                .property("jvm_options", options).build());
        if (oom) {
            System.out.println("PID " + ex.submit(() -> ProcessHandle.current().pid()).result());
        }
        Future<Integer> f = ex.submit(() -> {
            List<long[]> hog = new ArrayList<>();
            while (true) {
                hog.add(new long[1 << 20]);
                if (hog.size() < 0) {
                    return hog.size();
                }
            }
        });
        System.out.println("BROKEN " + f.exception());
        try {
            ex.submit(() -> 1);
            System.out.println("STAYS not broken");
        } catch (RuntimeException e) {
            System.out.println("STAYS " + e);
        }
        ex.shutdown(true);
        System.out.flush();
    }
}
