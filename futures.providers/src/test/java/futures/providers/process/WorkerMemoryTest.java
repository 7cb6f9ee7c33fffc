package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code max_worker_memory}: a worker whose resident set is over the limit after a call is replaced, not a break. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerMemoryTest {
    private static final Duration MINUTE = Duration.ofSeconds(60);
    /** What {@link #retain} keeps alive, in the worker. */
    static final List<byte[]> HELD = new ArrayList<>();

    static long pid() {
        return ProcessHandle.current().pid();
    }

    /** Keeps {@code mb} MiB alive in this worker (every page touched, so it is resident), and returns the pid. */
    static long retain(int mb) {
        byte[] b = new byte[mb << 20];
        Arrays.fill(b, (byte) 1);
        HELD.add(b);
        return pid();
    }

    private static Executor pool(String limit) {
        return Executors.create("process", ExecutorConfig.builder().maxWorkers(1)
                .property("max_worker_memory", limit).property("reuse_workers", "false").build());
    }

    @Test
    @DisplayName("a call that leaves its worker over max_worker_memory gets its result; the worker is replaced and the pool serves on")
    void workerOverTheLimitIsReplaced() throws InterruptedException {
        try (Executor ex = pool("400m")) {
            long before = ex.submit(WorkerMemoryTest::pid).result(MINUTE);
            long rss = Launcher.residentBytes(before);
            System.out.printf("a fresh worker's resident set: %d MiB%n", rss >> 20);
            assertTrue(rss > 0 && rss < (400L << 20), "a fresh worker is under the limit: " + rss);
            assertEquals(before, ex.submit(WorkerMemoryTest::pid).result(MINUTE), "under the limit: the same worker");
            long leaky = ex.submit(WorkerMemoryTest::retain, 500).result(MINUTE);
            assertEquals(before, leaky, "the call ran and returned its result");
            long after = ex.submit(WorkerMemoryTest::pid).result(MINUTE);
            assertNotEquals(leaky, after, "the worker over the limit was replaced");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a hang guard
            while (ProcessHandle.of(leaky).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertFalse(ProcessHandle.of(leaky).map(ProcessHandle::isAlive).orElse(false), "and exited");
            assertFalse(ex.toString().contains("broken"), ex.toString());
            assertEquals(after, ex.submit(WorkerMemoryTest::pid).result(MINUTE), "the new worker serves on");
        }
    }

    @Test
    @DisplayName("bad max_worker_memory values are refused at create, naming the key and what is accepted")
    void badValues() {
        for (String bad : List.of("0", "12", "1023k", "2048g", "lots", "-5m")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Executors.create("process", ExecutorConfig.of(Map.of("max_worker_memory", bad))));
            assertEquals("config key 'max_worker_memory' must be a number of bytes from 1m to 1024g, with an optional"
                    + " k, m or g suffix, or none, got '" + bad + "'", e.getMessage());
        }
        Executors.create("process", ExecutorConfig.of(Map.of("max_worker_memory", "none"))).shutdown(true);
        Executors.create("process", ExecutorConfig.of(Map.of("max_worker_memory", "2G"))).shutdown(true);
    }
}
