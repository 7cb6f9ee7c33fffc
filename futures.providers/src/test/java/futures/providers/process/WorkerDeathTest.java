package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.spi.BrokenProcessPoolException;
import futures.spi.ExecutorConfig;
import futures.spi.Task;
import futures.spi.WorkerDiedException;
import futures.testkit.Gate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a worker's death costs ({@code on_worker_death}), and a call's {@code OutOfMemoryError}
 * in both modes. After each test every executor is shut down with {@code wait=true} and no child
 * process of this JVM may be left alive.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerDeathTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private final List<Executor> executors = new ArrayList<>();
    private final List<Gate> gates = new ArrayList<>();

    /** Keeps what {@link #fillHeapAndKeepIt} allocated reachable, in the worker's copy of this class. */
    static final List<long[]> HOG = new ArrayList<>();

    private Executor pool(ExecutorConfig.Builder config) {
        // reuse_workers=false: these tests count the workers left after their pools, none may be parked
        Executor ex = Executors.create("process", config.property("reuse_workers", "false").build());
        executors.add(ex);
        return ex;
    }

    private Executor failCallPool(int workers) {
        return pool(ExecutorConfig.builder().maxWorkers(workers).property("on_worker_death", "fail_call"));
    }

    private Gate gate() {
        Gate g = Gate.open();
        gates.add(g);
        return g;
    }

    @AfterEach
    void tearDown() {
        for (Gate g : gates) {
            g.close();
        }
        for (Executor ex : executors) {
            ex.shutdown(true, true);
        }
        List<ProcessHandle> left = Children.outlivingTheirPools();
        assertTrue(left.isEmpty(), "worker processes outlived their pool: " + left);
    }

    static long pid() {
        return ProcessHandle.current().pid();
    }

    /** Asserts a WorkerDiedException of worker {@code pid} with {@code status}, naming both. */
    private static WorkerDiedException assertDied(Throwable t, long pid, int status) {
        WorkerDiedException e = assertInstanceOf(WorkerDiedException.class, t);
        assertEquals(pid, e.pid(), e.getMessage());
        assertEquals(status, e.exitStatus(), e.getMessage());
        assertTrue(e.getMessage().contains("worker pid " + pid + " "), e.getMessage());
        assertTrue(e.getMessage().contains("exit code " + status), e.getMessage());
        return e;
    }

    private static void awaitGone(long pid) {
        ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join());
    }

    // ------------------------------------------------------------------ fail_call

    @Test
    @DisplayName("fail_call: a worker SIGKILLed in the middle of a call fails only that call, naming its pid and SIGKILL; the other call and those queued run, on a new worker")
    void sigkillFailsOnlyItsCall() {
        Executor ex = failCallPool(2);
        Gate gate = gate();
        Gate.Key key = gate.key();
        Future<Long> victim = ex.submit(() -> {
            key.pass("victim " + pid());
            return pid();
        });
        Future<Long> bystander = ex.submit(() -> {
            key.pass("bystander " + pid());
            return pid();
        });
        List<String> arrived = gate.awaitArrivals(2);
        long pid = arrived.stream().filter(a -> a.startsWith("victim ")).mapToLong(a -> Long.parseLong(a.substring(7)))
                .findFirst().orElseThrow();
        List<Future<Long>> queued = IntStream.range(0, 6).mapToObj(i -> ex.submit(WorkerDeathTest::pid)).toList();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        WorkerDiedException e = assertDied(victim.exception(LIMIT), pid, 137);
        assertEquals(9, e.signal().orElseThrow());
        assertTrue(e.getMessage().contains("SIGKILL"), e.getMessage());
        gate.release();
        long other = bystander.result(LIMIT);
        assertNotEquals(pid, other);
        for (Future<Long> f : queued) {
            assertNotEquals(pid, f.result(LIMIT)); // on the other worker or on the new one
        }
        long next = ex.submit(WorkerDeathTest::pid).result(LIMIT);
        assertNotEquals(pid, next);
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    @DisplayName("fail_call: a call that calls System.exit(3) fails alone with exit status 3; the pool serves on with a new worker")
    void systemExitFailsOnlyItsCall() {
        Executor ex = failCallPool(1);
        long pid = ex.submit(WorkerDeathTest::pid).result(LIMIT);
        Future<Object> dies = ex.submit(() -> {
            System.exit(3);
            return null;
        });
        List<Future<Long>> queued = IntStream.range(0, 3).mapToObj(i -> ex.submit(WorkerDeathTest::pid)).toList();
        WorkerDiedException e = assertDied(dies.exception(LIMIT), pid, 3);
        assertTrue(e.signal().isEmpty(), e.getMessage());
        long next = queued.get(0).result(LIMIT);
        assertNotEquals(pid, next);
        for (Future<Long> f : queued) {
            assertEquals(next, f.result(LIMIT));
        }
    }

    @Test
    @DisplayName("fail_call: a worker killed while idle costs no call; the next call runs on a new worker")
    void idleDeathCostsNothing() {
        Executor ex = failCallPool(1);
        long pid = ex.submit(WorkerDeathTest::pid).result(LIMIT);
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        awaitGone(pid);
        List<Future<Long>> next = IntStream.range(0, 3).mapToObj(i -> ex.submit(WorkerDeathTest::pid)).toList();
        for (Future<Long> f : next) {
            assertNotEquals(pid, f.result(LIMIT));
        }
    }

    @Test
    @DisplayName("fail_call: a call handed to a worker that died unnoticed (its pool thread busy in a done-callback) never reached it, so a new worker runs it instead of it failing")
    void callSentToUnnoticedDeadWorkerMoves() throws Exception {
        Executor ex = failCallPool(1);
        Gate gate = gate();
        Gate.Key key = gate.key();
        CountDownLatch inCallback = new CountDownLatch(1);
        CountDownLatch killed = new CountDownLatch(1);
        CountDownLatch submitted = new CountDownLatch(1);
        AtomicReference<Future<Long>> next = new AtomicReference<>();
        Future<Long> first = ex.submit(() -> {
            key.pass("first");
            return pid();
        });
        // Runs on the pool's thread for this worker (added before the call can finish), which reads
        // nothing meanwhile; a submit from that thread writes to the worker at once, in that thread.
        first.addDoneCallback(f -> {
            inCallback.countDown();
            try {
                if (killed.await(30, TimeUnit.SECONDS)) {
                    next.set(ex.submit(WorkerDeathTest::pid)); // handed to the dead worker: the write fails
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                submitted.countDown();
            }
        });
        gate.awaitArrivals(1);
        gate.release();
        assertTrue(inCallback.await(30, TimeUnit.SECONDS));
        long pid = first.result(LIMIT);
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        awaitGone(pid); // its socket is closed; the pool has not read that yet
        killed.countDown();
        assertTrue(submitted.await(30, TimeUnit.SECONDS));
        assertNotEquals(pid, next.get().result(LIMIT));
    }

    @Test
    @DisplayName("fail_call: a call moved off a dead worker and waiting to be sent again is stopped by cancelRunning, never run")
    void movedCallIsStoppedBeforeItIsSentAgain() throws Exception {
        Executor ex = failCallPool(1);
        Gate gate = gate();
        Gate.Key key = gate.key();
        Gate never = gate(); // the moved call would wait here for ever if it ran
        Gate.Key neverKey = never.key();
        CountDownLatch killed = new CountDownLatch(1);
        CountDownLatch submitted = new CountDownLatch(1);
        AtomicReference<Future<Long>> moved = new AtomicReference<>();
        AtomicBoolean stopped = new AtomicBoolean();
        Future<Long> first = ex.submit(() -> {
            key.pass("first");
            return pid();
        });
        first.addDoneCallback(f -> { // on the pool's thread of this worker, as in the test above
            try {
                if (killed.await(30, TimeUnit.SECONDS)) {
                    Future<Long> m = ex.submit(() -> {
                        neverKey.pass("moved call ran");
                        return pid();
                    });
                    moved.set(m); // handed to the dead worker, the write failed: back in the queue, marked running
                    stopped.set(m.cancelRunning());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                submitted.countDown();
            }
        });
        gate.awaitArrivals(1);
        gate.release();
        long pid = first.result(LIMIT);
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        awaitGone(pid);
        killed.countDown();
        assertTrue(submitted.await(30, TimeUnit.SECONDS));
        assertTrue(stopped.get(), "cancelRunning of the moved call");
        assertTrue(moved.get().cancelled());
        long next = ex.submit(WorkerDeathTest::pid).result(LIMIT); // the new worker is free: the moved call never ran
        assertNotEquals(pid, next);
        assertTrue(never.arrivals().isEmpty(), "the stopped call ran: " + never.arrivals());
    }

    @Test
    @DisplayName("fail_call: an initializer that throws still breaks the pool, as CPython's rule says")
    @SuppressWarnings("try") // the log is checked when the block closes
    void initializerStillBreaks() {
        try (futures.providers.InitializerLog initializerLog = new futures.providers.InitializerLog(1)) {
            Executor ex = pool(ExecutorConfig.builder().maxWorkers(1).property("on_worker_death", "fail_call")
                    .initializer(() -> {
                        throw new IllegalStateException("no database here");
                    }));
            BrokenProcessPoolException b = assertInstanceOf(BrokenProcessPoolException.class,
                    ex.submit(WorkerDeathTest::pid).exception(LIMIT));
            assertTrue(b.getMessage().contains("initializer") && b.getMessage().contains("no database here"), b.getMessage());
            assertThrows(BrokenProcessPoolException.class, () -> ex.submit(WorkerDeathTest::pid));
            ex.shutdown(true);
        }
    }

    @Test
    @DisplayName("fail_call: workers that die before their first call break the pool after " + ProcessPool.START_DEATHS_LIMIT + " in a row instead of being replaced without end")
    void respawnStormBreaks() throws IOException {
        Path dir = Files.createTempDirectory("futures-dying-java");
        Path java = dir.resolve("java");
        try {
            Files.writeString(java, "#!/bin/sh\nexit 9\n"); // a "java" whose every worker dies at once, silently
            assertTrue(java.toFile().setExecutable(true, true), "cannot make the script executable");
            Executor ex = pool(ExecutorConfig.builder().maxWorkers(1).property("java", java.toString())
                    .property("on_worker_death", "fail_call"));
            Future<Long> f = ex.submit(WorkerDeathTest::pid);
            BrokenProcessPoolException b = assertInstanceOf(BrokenProcessPoolException.class, f.exception(LIMIT));
            String m = b.getMessage();
            assertTrue(m.contains("exited before connecting") && m.contains("exit code 9")
                    && m.contains(ProcessPool.START_DEATHS_LIMIT + " workers in a row died before their first call"), m);
            assertThrows(BrokenProcessPoolException.class, () -> ex.submit(WorkerDeathTest::pid));
            ex.shutdown(true);
        } finally {
            Files.deleteIfExists(java);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    @DisplayName("fail_call: workers that connect but cannot run the pool's code (a version skew) count towards the restart guard")
    void skewedWorkersBreakThePool() throws IOException {
        Path dir = Files.createTempDirectory("futures-skewed-java");
        Path java = dir.resolve("java");
        try {
            String real = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // a worker's last argument is the parent's fingerprint: this "java" gives it another, so
            // each worker connects, is handed a call, and exits with the version skew's exit code
            Files.writeString(java, "#!/bin/bash\nif [ $# -ge 4 ]; then exec '" + real
                    + "' \"${@:1:$(($# - 1))}\" not-the-parents; fi\nexec '" + real + "' \"$@\"\n");
            assertTrue(java.toFile().setExecutable(true, true), "cannot make the script executable");
            Executor ex = pool(ExecutorConfig.builder().maxWorkers(1).property("java", java.toString())
                    .property("on_worker_death", "fail_call"));
            List<Future<Long>> calls = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                calls.add(ex.submit(WorkerDeathTest::pid));
            }
            for (Future<Long> f : calls) {
                assertNotNull(f.exception(LIMIT), "a call succeeded on a skewed worker");
            }
            Throwable last = calls.get(calls.size() - 1).exception(LIMIT);
            BrokenProcessPoolException b = assertInstanceOf(BrokenProcessPoolException.class, last,
                    "workers that never answered were replaced without end: " + last);
            assertTrue(b.getMessage().contains(ProcessPool.START_DEATHS_LIMIT + " workers in a row"), b.getMessage());
            assertThrows(BrokenProcessPoolException.class, () -> ex.submit(WorkerDeathTest::pid));
            ex.shutdown(true);
        } finally {
            Files.deleteIfExists(java);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    @DisplayName("on_worker_death accepts break_pool and fail_call only, saying so; thread and virtual reject the key")
    void badValueRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Executors.create("process",
                ExecutorConfig.builder().property("on_worker_death", "respawn").build()));
        assertTrue(e.getMessage().contains("'respawn'") && e.getMessage().contains("'break_pool'")
                && e.getMessage().contains("'fail_call'"), e.getMessage());
        for (String provider : List.of("thread", "virtual")) {
            e = assertThrows(IllegalArgumentException.class, () -> Executors.create(provider,
                    ExecutorConfig.builder().property("on_worker_death", "fail_call").build()));
            assertTrue(e.getMessage().contains("unknown config key 'on_worker_death'"), e.getMessage());
        }
    }

    // ------------------------------------------------------------------ out of memory, both modes

    /** Asks for an array larger than any heap: the JVM refuses at once ("Requested array size exceeds VM limit"). */
    static Object hugeArray() {
        return new long[Integer.MAX_VALUE].length;
    }

    /** Fills the heap with arrays it keeps reachable in {@link #HOG}, so the heap is still full when it is reported. */
    static Object fillHeapAndKeepIt() {
        while (true) {
            HOG.add(new long[1 << 17]);
            if (HOG.isEmpty()) {
                return null;
            }
        }
    }

    /**
     * The OutOfMemoryError of the call is its exception, the worker that threw it is replaced, and
     * the pool serves on; a StackOverflowError is a call's exception too, and keeps its worker.
     */
    private void outOfMemoryIsTheCallsException(String mode /* null: the default */, String jvmOptions) {
        ExecutorConfig.Builder config = ExecutorConfig.builder().maxWorkers(1);
        if (mode != null) {
            config.property("on_worker_death", mode);
        }
        if (jvmOptions != null) {
            config.property("jvm_options", jvmOptions);
        }
        Executor ex = pool(config);
        long pid = ex.submit(WorkerDeathTest::pid).result(LIMIT);
        Task<Object> call = jvmOptions == null ? WorkerDeathTest::hugeArray : WorkerDeathTest::fillHeapAndKeepIt;
        Future<Object> oom = ex.submit(call);
        Future<Long> queued = ex.submit(WorkerDeathTest::pid);
        OutOfMemoryError e = assertInstanceOf(OutOfMemoryError.class, oom.exception(LIMIT),
                () -> String.valueOf(oom.exception()));
        assertTrue(e.getMessage().contains(jvmOptions == null ? "Requested array size exceeds VM limit" : "Java heap space"),
                e.getMessage());
        long next = queued.result(LIMIT);
        assertNotEquals(pid, next, "the worker that ran out of memory is replaced");
        awaitGone(pid);
        Future<Integer> deep = ex.submit(() -> recurse(0));
        assertInstanceOf(StackOverflowError.class, deep.exception(LIMIT));
        assertEquals(next, ex.submit(WorkerDeathTest::pid).result(LIMIT), "a StackOverflowError keeps its worker");
    }

    static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    @Test
    @DisplayName("break_pool (the default): new long[Integer.MAX_VALUE] fails its call with OutOfMemoryError; the worker is replaced and the pool is not broken")
    void hugeArrayBreakPool() {
        outOfMemoryIsTheCallsException(null, null);
    }

    @Test
    @DisplayName("break_pool (the default): a call that fills the heap (-Xmx32m) and keeps it full fails with OutOfMemoryError: Java heap space; the pool is not broken")
    void heapExhaustedBreakPool() {
        outOfMemoryIsTheCallsException(null, "-Xmx32m");
    }

    @Test
    @DisplayName("fail_call: new long[Integer.MAX_VALUE] fails its call with OutOfMemoryError, not WorkerDiedException; the worker is replaced")
    void hugeArrayFailCall() {
        outOfMemoryIsTheCallsException("fail_call", null);
    }

    @Test
    @DisplayName("fail_call: a call that fills the heap (-Xmx32m) and keeps it full fails with OutOfMemoryError: Java heap space; the worker is replaced")
    void heapExhaustedFailCall() {
        outOfMemoryIsTheCallsException("fail_call", "-Xmx32m");
    }
}
