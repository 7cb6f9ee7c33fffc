package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pools' shared threads ({@link WorkerThreads}): reused by a pool per request, and nothing of one job left for the next. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerThreadsTest {

    static Integer same(Integer x) {
        return x;
    }

    @Test
    @DisplayName("a pool per request (warm workers from the park) does not start a thread per pool: the pools' threads are reused")
    void poolPerRequestReusesThreads() throws InterruptedException {
        ExecutorConfig config = ExecutorConfig.builder().maxWorkers(2)
                .property("jvm_options", "-Dfutures.test.threads=" + UUID.randomUUID()).build();
        try {
            for (int i = 0; i < 3; i++) { // the first cycle starts the worker and the threads
                try (Executor ex = Executors.create("process", config)) {
                    assertEquals(i, ex.submit(WorkerThreadsTest::same, i).result());
                }
            }
            long before = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
            int cycles = 20;
            for (int i = 0; i < cycles; i++) {
                try (Executor ex = Executors.create("process", config)) {
                    assertEquals(i, ex.submit(WorkerThreadsTest::same, i).result());
                }
            }
            long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - before;
            // one per cycle at least without the shared threads; a thread that had not yet gone back to
            // wait when the next pool asked is replaced by a new one, so a few may start
            assertTrue(started < cycles / 2, started + " threads started in " + cycles + " cycles");
        } finally {
            assertTrue(WorkerPark.clear(30_000), "parked workers exit");
        }
    }

    @Test
    @DisplayName("a job runs with its own name and its requester's context class loader, no inheritable thread-local of whoever made the thread, and leaves the thread idle with no loader")
    void nothingOfAJobStays() throws Exception {
        InheritableThreadLocal<String> local = new InheritableThreadLocal<>();
        local.set("the requester's");
        Thread me = Thread.currentThread();
        ClassLoader before = me.getContextClassLoader();
        try (URLClassLoader mine = new URLClassLoader(new URL[0], before)) {
            me.setContextClassLoader(mine);
            CompletableFuture<Thread> ran = new CompletableFuture<>();
            CompletableFuture<String> seen = new CompletableFuture<>();
            WorkerThreads.start("futures-test-job", () -> {
                Thread t = Thread.currentThread();
                seen.complete(t.getName() + " " + (t.getContextClassLoader() == mine) + " " + local.get());
                ran.complete(t);
            });
            me.setContextClassLoader(before);
            assertEquals("futures-test-job true null", seen.get(60, TimeUnit.SECONDS));
            assertTrue(ran.get() instanceof WorkerThreads.OwnThread && ran.get().isDaemon());
            Thread t = ran.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a hang guard: nothing signals the reset
            while (!t.getName().equals("futures-process-idle") && t.isAlive() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            if (t.isAlive()) {
                assertEquals("futures-process-idle", t.getName());
                assertNull(t.getContextClassLoader(), "an idle thread keeps no loader alive");
            }
        } finally {
            me.setContextClassLoader(before);
            local.remove();
        }
        assertSame(before, me.getContextClassLoader());
    }
}
