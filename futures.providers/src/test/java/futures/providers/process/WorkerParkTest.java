package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.spi.ExecutorConfig;
import futures.spi.Initializer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Warm workers across executors ({@link WorkerPark}, {@code reuse_workers}) and idle workers'
 * exit ({@code idle_timeout}). Each test gives its pools a {@code -D} option of its own, so no test
 * takes another's parked workers; the park is emptied before and after each.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerParkTest {
    /** How many times {@link #countInit} ran in this JVM (in a worker: that worker's count). */
    static final AtomicInteger INITS = new AtomicInteger();

    private static final java.time.Duration MINUTE = java.time.Duration.ofSeconds(60);

    private String tag;

    @BeforeEach
    void emptyPark() throws InterruptedException {
        assertTrue(WorkerPark.clear(30_000), "parked workers of earlier tests exit");
        tag = "-Dfutures.test.park=" + UUID.randomUUID();
    }

    @AfterEach
    void emptyParkAfter() throws InterruptedException {
        assertTrue(WorkerPark.clear(30_000), "parked workers exit when closed");
    }

    static long pid() {
        return ProcessHandle.current().pid();
    }

    static void countInit() {
        INITS.incrementAndGet();
    }

    static int inits() {
        return INITS.get();
    }

    private ExecutorConfig.Builder config(String... keysAndValues) {
        ExecutorConfig.Builder b = ExecutorConfig.builder().maxWorkers(1).property("jvm_options", tag);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            b.property(keysAndValues[i], keysAndValues[i + 1]);
        }
        return b;
    }

    private static long onePid(ExecutorConfig config) {
        try (Executor ex = Executors.create("process", config)) {
            return ex.submit(WorkerParkTest::pid).result(MINUTE);
        }
    }

    @Test
    @DisplayName("terminateWorkers and killWorkers also stop the workers their pool's shutdown parked, unless another pool took them")
    void stopWorkersReachesParkedWorkers() throws InterruptedException {
        for (boolean force : new boolean[] {false, true}) {
            Executor ex = Executors.create("process", config().build());
            long pid = ex.submit(WorkerParkTest::pid).result(MINUTE);
            ex.shutdown(true); // the worker is parked and has left the pool's workers
            assertTrue(WorkerPark.pids().contains(pid), "parked: " + WorkerPark.pids());
            if (force) {
                ex.killWorkers();
            } else {
                ex.terminateWorkers();
            }
            assertFalse(WorkerPark.pids().contains(pid), "taken back out of the park: " + WorkerPark.pids());
            assertTrue(Children.gone(pid), "worker " + pid + " stopped (force=" + force + ")");
        }
        // one another pool took is that pool's: a later stop of the first pool leaves it alone
        Executor first = Executors.create("process", config().build());
        long pid = first.submit(WorkerParkTest::pid).result(MINUTE);
        first.shutdown(true);
        try (Executor second = Executors.create("process", config().build())) {
            assertEquals(pid, second.submit(WorkerParkTest::pid).result(MINUTE), "the second pool took it");
            first.killWorkers();
            assertEquals(pid, second.submit(WorkerParkTest::pid).result(MINUTE), "still the second pool's, alive");
        }
    }

    @Test
    @DisplayName("a worker parked when one executor closes serves the next executor with the same settings: same pid, no new JVM")
    void parkedWorkerServesTheNextExecutor() {
        long first = onePid(config().build());
        assertEquals(List.of(first), WorkerPark.pids(), "the closed executor's idle worker is parked");
        assertTrue(Children.alive(first));
        long second = onePid(config().build());
        assertEquals(first, second, "the next executor took the parked worker");
        long third = onePid(config().build());
        assertEquals(first, third, "and the one after it");
    }

    @Test
    @DisplayName("reuse_workers=false: a closed executor's workers exit, and the next executor starts its own")
    void reuseOff() throws InterruptedException {
        long first = onePid(config("reuse_workers", "false").build());
        assertTrue(WorkerPark.pids().isEmpty(), "nothing parked");
        assertTrue(Children.gone(first), "the worker exited with its executor");
        long other = onePid(config().build()); // reuse on: parks its worker
        assertNotEquals(first, other);
        long second = onePid(config("reuse_workers", "false").build());
        assertNotEquals(other, second, "an executor with reuse_workers=false takes no parked worker");
    }

    @Test
    @DisplayName("a parked worker is never shared: executors created at once get distinct workers, each running a task at the same time")
    void neverTwoAtOnce() throws Exception {
        for (int round = 0; round < 3; round++) {
            Set<Long> parked = new HashSet<>();
            try (Executor ex = Executors.create("process", config().maxWorkers(2).build());
                    RemoteGate gate = new RemoteGate()) {
                RemoteGate.Pass pass = gate.pass();
                List<Future<Long>> fs = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    fs.add(ex.submit(() -> {
                        pass.await();
                        return pid();
                    }));
                }
                gate.awaitArrivals(2); // both run at once: two workers
                gate.release();
                for (Future<Long> f : fs) {
                    parked.add(f.result(MINUTE));
                }
            }
            assertEquals(parked, new HashSet<>(WorkerPark.pids()), "both workers parked");
            java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
            try (threads; RemoteGate gate = new RemoteGate()) {
                RemoteGate.Pass pass = gate.pass();
                CyclicBarrier together = new CyclicBarrier(2);
                List<CompletableFuture<Long>> pids = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    pids.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            together.await(30, TimeUnit.SECONDS);
                            try (Executor ex = Executors.create("process", config().build())) {
                                return ex.submit(() -> {
                                    pass.await();
                                    return pid();
                                }).result(MINUTE);
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, threads));
                }
                gate.awaitArrivals(2); // one task in each executor, running at the same time
                gate.release();
                long a = pids.get(0).get(60, TimeUnit.SECONDS);
                long b = pids.get(1).get(60, TimeUnit.SECONDS);
                assertNotEquals(a, b, "two executors at once never share a worker");
                assertEquals(parked, Set.of(a, b), "each took one of the parked workers");
            }
            assertTrue(WorkerPark.clear(30_000));
        }
    }

    @Test
    @DisplayName("different worker settings never share: jvm_options, max_message_size, an initializer or none, another initializer")
    void differentSettingsNeverShare() throws InterruptedException {
        Initializer init = WorkerParkTest::countInit;
        int n = 7;
        Initializer other = () -> System.setProperty("futures.test.n", "" + n);
        List<Map.Entry<ExecutorConfig, ExecutorConfig>> pairs = List.of(
                Map.entry(config().build(), config("jvm_options", tag + " -Dother=1").build()),
                Map.entry(config().build(), config("max_message_size", "1m").build()),
                Map.entry(config().build(), config().initializer(init).build()),
                Map.entry(config().initializer(init).build(), config().build()),
                Map.entry(config().initializer(init).build(), config().initializer(other).build()));
        for (Map.Entry<ExecutorConfig, ExecutorConfig> pair : pairs) {
            assertTrue(WorkerPark.clear(30_000));
            long first = onePid(pair.getKey());
            assertEquals(List.of(first), WorkerPark.pids(), "parked by " + pair.getKey());
            assertNotEquals(first, onePid(pair.getValue()), pair.getValue() + " took the worker of " + pair.getKey());
        }
    }

    @Test
    @DisplayName("a worker that ran an initializer serves an executor with the same initializer, which does not run again in it")
    void sameInitializerRunsOnce() {
        Initializer init = WorkerParkTest::countInit;
        ExecutorConfig cfg = config().initializer(init).build();
        long first;
        try (Executor ex = Executors.create("process", cfg)) {
            first = ex.submit(WorkerParkTest::pid).result(MINUTE);
            assertEquals(1, ex.submit(WorkerParkTest::inits).result(MINUTE));
        }
        try (Executor ex = Executors.create("process", cfg)) {
            assertEquals(first, ex.submit(WorkerParkTest::pid).result(MINUTE));
            assertEquals(1, ex.submit(WorkerParkTest::inits).result(MINUTE),
                    "the initializer ran once in that worker");
        }
    }

    @Test
    @DisplayName("max_tasks_per_child counts a worker's whole life: tasks run before parking count in the next executor")
    void taskCountSurvivesParking() {
        ExecutorConfig cfg = config().maxTasksPerChild(2).build();
        long first = onePid(cfg);
        try (Executor ex = Executors.create("process", cfg)) {
            assertEquals(first, ex.submit(WorkerParkTest::pid).result(MINUTE), "its second task");
            assertNotEquals(first, ex.submit(WorkerParkTest::pid).result(MINUTE),
                    "a third would exceed max_tasks_per_child=2: a new worker");
        }
    }

    @Test
    @DisplayName("a parked worker exits after idle_timeout")
    void parkedWorkerExitsAfterIdleLimit() throws InterruptedException {
        long pid = onePid(config("idle_timeout", "0.5").build());
        assertEquals(List.of(pid), WorkerPark.pids());
        assertTrue(Children.gone(pid), "the parked worker exited after its idle limit");
        assertTrue(WorkerPark.pids().isEmpty(), "and left the park");
        assertNotEquals(pid, onePid(config("idle_timeout", "0.5").build()), "the next executor starts a worker");
    }

    @Test
    @DisplayName("an idle worker of a live executor exits after idle_timeout, and the executor starts one again when work comes")
    void idleWorkerExitsAndComesBack() throws InterruptedException {
        try (Executor ex = Executors.create("process", config("idle_timeout", "0.3").maxWorkers(2).build())) {
            long first = ex.submit(WorkerParkTest::pid).result(MINUTE);
            assertTrue(Children.gone(first), "the idle worker exited");
            assertFalse(ex.toString().contains("broken"), ex.toString());
            long second = ex.submit(WorkerParkTest::pid).result(MINUTE);
            assertNotEquals(first, second, "a new worker serves");
            List<Long> many = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                many.add(ex.submit(WorkerParkTest::pid).result(MINUTE));
            }
            assertTrue(many.stream().allMatch(p -> p == second), "a busy worker does not idle out: " + many);
        }
    }

    @Test
    @DisplayName("bad reuse_workers and idle_timeout values are refused at create, naming the key and what is accepted")
    void badValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Executors.create("process", ExecutorConfig.of(Map.of("reuse_workers", "yes"))));
        assertEquals("config key 'reuse_workers' must be true or false, got 'yes'", e.getMessage());
        for (String bad : List.of("0", "-1", "abc", "86401", "NaN")) {
            e = assertThrows(IllegalArgumentException.class,
                    () -> Executors.create("process", ExecutorConfig.of(Map.of("idle_timeout", bad))));
            assertEquals("config key 'idle_timeout' must be a number of seconds from 0.001 to 86400, or none, got '"
                    + bad + "'", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Executors.create("thread",
                ExecutorConfig.of(Map.of("reuse_workers", "true"))), "a process key only");
        Executors.create("process", ExecutorConfig.of(Map.of("idle_timeout", "none", "reuse_workers", "false")))
                .shutdown(true);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    @DisplayName("parked workers die with their parent: SIGKILL the parent JVM and its parked workers are gone")
    void parkedWorkersDieWithKilledParent() throws Exception {
        Path dir = Launcher.privateDirectory();
        Path argFile = Launcher.writeArgFile(dir, Launcher.javaArgs(KillParentMain.class, List.of(
                "-Xlog:disable", "-Xlog:all=warning:stderr")));
        Process parent = new ProcessBuilder(Launcher.currentJava(), "@" + argFile, "park")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<Long> workers = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
            String parkedLine = null;
            while (parkedLine == null) {
                String line = out.readLine();
                assertNotNull(line, "the parent ended before its workers were parked");
                if (line.startsWith("PARKED ")) {
                    parkedLine = line;
                }
            }
            for (String pid : parkedLine.substring(7).replaceAll("[\\[\\] ]", "").split(",")) {
                workers.add(Long.parseLong(pid));
            }
            assertEquals(2, workers.size(), parkedLine);
            for (long pid : workers) {
                assertTrue(Children.alive(pid), "parked worker " + pid + " runs before the kill");
            }
            Children.killParentAndAwaitWorkers(parent, workers, "parked worker");
        } finally {
            parent.destroyForcibly();
            for (long pid : workers) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            Files.deleteIfExists(argFile);
            Files.deleteIfExists(dir);
        }
    }
}
