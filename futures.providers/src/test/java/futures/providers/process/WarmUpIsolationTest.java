package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import futures.spi.Initializer;
import futures.spi.Task;
import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The worker's serialization warm-up is invisible to the user's code: it has ended before the
 * initializer or the first task runs, so a JVM-wide serial filter an initializer installs sees
 * only the streams of the tasks.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WarmUpIsolationTest {
    /** In the worker: the classes the initializer's filter was asked about, and what the initializer saw. */
    static final Set<String> FILTERED = new ConcurrentSkipListSet<>();
    static volatile String seenByInitializer = "";

    /** Installs a JVM-wide serial filter that records every class it is asked about. */
    static final class InstallFilter implements Initializer {
        private static final long serialVersionUID = 1L;

        @Override
        public void run() {
            seenByInitializer = warmUpAlive() ? "warm-up running" : "";
            ObjectInputFilter.Config.setSerialFilter(info -> {
                if (info.serialClass() != null) {
                    FILTERED.add(info.serialClass().getName());
                }
                return ObjectInputFilter.Status.UNDECIDED;
            });
        }
    }

    /** Not a lambda: its stream holds no SerializedLambda. Returns what the worker's filter and initializer saw. */
    static final class Report implements Task<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String call() throws Exception {
            for (Thread t : Thread.getAllStackTraces().keySet()) { // let a warm-up still running finish
                if (t.getName().equals("futures-worker-warm-up")) {
                    t.join(10_000);
                }
            }
            Set<String> foreign = new TreeSet<>(FILTERED);
            foreign.remove(Report.class.getName());
            return seenByInitializer + foreign;
        }
    }

    static boolean warmUpAlive() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("futures-worker-warm-up") && t.isAlive()) {
                return true;
            }
        }
        return false;
    }

    @Test
    @DisplayName("the worker's warm-up has ended before the initializer runs: a serial filter the initializer installs sees only the tasks' classes")
    void warmUpInvisibleToInitializer() {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1)
                    .initializer(new InstallFilter()).build());
            try {
                seen.add(ex.submit(new Report()).result());
            } finally {
                ex.shutdown(true, true);
            }
        }
        assertEquals(List.of("[]", "[]", "[]", "[]", "[]", "[]"), seen);
    }
}
