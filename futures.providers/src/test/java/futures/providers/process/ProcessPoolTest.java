package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.core.Futures;
import futures.core.MapIterator;
import futures.spi.BrokenProcessPoolException;
import futures.spi.ExecutorConfig;
import futures.spi.RemoteTaskException;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The process provider: tasks run in child JVMs with Python's {@code ProcessPoolExecutor}
 * semantics. Every lambda here is defined in this test class, so every test also proves that the
 * workers load classes of a module patched by Surefire (the module-path case).
 *
 * <p>No test sleeps to synchronise: a task that must block waits on a {@link RemoteGate}, which
 * the test opens. After each test every executor is shut down with {@code wait=true}, every gate is
 * closed, and no child process of this JVM may be left alive.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessPoolTest {
    /** The reference's example list. */
    static final List<Long> PRIMES = List.of(112272535095293L, 112582705942171L, 112272535095293L,
            115280095190773L, 115797848077099L, 1099726899285419L);

    private final List<Executor> executors = new ArrayList<>();
    private final List<RemoteGate> gates = new ArrayList<>();

    /** The reference's {@code is_prime}, line for line. */
    static boolean isPrime(long n) {
        if (n % 2 == 0) {
            return false;
        }
        long sqrtN = (long) Math.floor(Math.sqrt(n));
        for (long i = 3; i < sqrtN + 1; i += 2) {
            if (n % i == 0) {
                return false;
            }
        }
        return true;
    }

    private Executor pool(ExecutorConfig.Builder config) {
        Executor ex = Executors.create("process", config.build());
        executors.add(ex);
        return ex;
    }

    private Executor pool(int workers) {
        return pool(ExecutorConfig.builder().maxWorkers(workers));
    }

    private RemoteGate gate() throws IOException {
        RemoteGate g = new RemoteGate();
        gates.add(g);
        return g;
    }

    /** Tests here count this JVM's children: no warm worker of an earlier test may be among them. */
    @org.junit.jupiter.api.BeforeEach
    void emptyPark() throws InterruptedException {
        assertTrue(WorkerPark.clear(30_000), "parked workers of earlier tests exit");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (RemoteGate g : gates) {
            g.close();
        }
        for (Executor ex : executors) {
            ex.shutdown(true, true);
        }
        List<ProcessHandle> left = Children.outlivingTheirPools();
        assertTrue(left.isEmpty(), "worker processes outlived their pool: " + left);
        assertTrue(WorkerPark.clear(30_000), "parked workers exit when closed");
    }

    static long pid() {
        return ProcessHandle.current().pid();
    }

    /** Asserts a BrokenProcessPoolException naming {@code pid} (or any pid if -1) and {@code status}. */
    private static BrokenProcessPoolException assertBroken(Throwable t, long pid, String status) {
        BrokenProcessPoolException b = assertInstanceOf(BrokenProcessPoolException.class, t);
        String m = b.getMessage();
        Matcher pidMatch = Pattern.compile("worker pid (\\d+)").matcher(m);
        assertTrue(pidMatch.find(), "message names a worker pid: " + m);
        if (pid != -1) {
            assertEquals(pid, Long.parseLong(pidMatch.group(1)), m);
        }
        assertTrue(m.contains(status), "message names the exit status '" + status + "': " + m);
        return b;
    }

    /** Asserts that the pool is broken: submit throws, and shutdown returns. */
    private static void assertStaysBroken(Executor ex, long pid, String status) {
        BrokenProcessPoolException later = assertThrows(BrokenProcessPoolException.class,
                () -> ex.submit(ProcessPoolTest::pid));
        assertBroken(later, pid, status);
        ex.shutdown(true);
    }

    /** Waits for a worker killed from outside, then checks that the pool broke. */
    private static void awaitBrokenAfterDeath(Executor ex, long pid, String status) throws Exception {
        ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
        try {
            Future<Long> f = ex.submit(ProcessPoolTest::pid);
            assertBroken(f.exception(), pid, status); // the pool noticed after this submit
        } catch (BrokenProcessPoolException e) {
            assertBroken(e, pid, status);
        }
        assertStaysBroken(ex, pid, status);
    }

    // ------------------------------------------------------------------ the basics

    @Test
    @DisplayName("the reference's primes example prints the reference's output on the process provider")
    void primesExample() {
        List<String> lines = new ArrayList<>();
        try (Executor executor = Executors.create("process")) {
            executors.add(executor);
            MapIterator<Boolean> results = executor.map(ProcessPoolTest::isPrime, PRIMES);
            for (long number : PRIMES) {
                boolean prime = results.next();
                lines.add(String.format("%d is prime: %s", number, prime ? "True" : "False"));
            }
            assertFalse(results.hasNext());
        }
        assertEquals(List.of(
                "112272535095293 is prime: True",
                "112582705942171 is prime: True",
                "112272535095293 is prime: True",
                "115280095190773 is prime: True",
                "115797848077099 is prime: True",
                "1099726899285419 is prime: False"), lines);
    }

    @Test
    @DisplayName("a task runs in another process, and an idle worker is reused")
    void runsInAnotherProcessAndReusesWorkers() {
        Executor ex = pool(1);
        long first = ex.submit(ProcessPoolTest::pid).result();
        long second = ex.submit(ProcessPoolTest::pid).result();
        assertNotEquals(pid(), first);
        assertEquals(first, second);
        assertEquals(1024.0, ex.submit(Math::pow, 2.0, 10.0).result());
        int captured = 41;
        assertEquals(42, ex.submit(x -> x + captured, 1).result());
    }

    @Test
    @DisplayName("max_workers defaults to the number of processors, and <= 0 is an IllegalArgumentException")
    void maxWorkersDefault() {
        assertEquals(Runtime.getRuntime().availableProcessors(), pool(ExecutorConfig.builder()).maxWorkers());
        assertThrows(IllegalArgumentException.class,
                () -> Executors.create("process", ExecutorConfig.of(Map.of("max_workers", 0))));
        assertThrows(IllegalArgumentException.class,
                () -> Executors.create("process", ExecutorConfig.of(Map.of("max_workers", -3))));
    }

    @Test
    @DisplayName("workers start on demand: none before the first submit, never more than max_workers")
    void workersStartOnDemand() throws Exception {
        Executor ex = pool(2);
        assertEquals(0, ProcessHandle.current().children().count());
        RemoteGate gate = gate();
        RemoteGate.Pass pass = gate.pass();
        List<Future<Long>> fs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            fs.add(ex.submit(() -> {
                pass.await();
                return pid();
            }));
        }
        gate.awaitArrivals(2);
        assertEquals(2, ProcessHandle.current().children().count());
        gate.release();
        gate.awaitArrivals(2);
        gate.release();
        assertTrue(fs.stream().map(Future::result).distinct().count() <= 2);
    }

    @Test
    @DisplayName("unknown config keys and a java binary that does not exist are rejected with clear messages")
    void badConfig() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Executors.create("process",
                ExecutorConfig.builder().threadNamePrefix("x").build()));
        assertTrue(e.getMessage().contains("thread_name_prefix") && e.getMessage().contains("jvm_options"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Executors.create("process",
                ExecutorConfig.builder().property("java", "/no/such/java").build()));
        assertTrue(e.getMessage().contains("/no/such/java"), e.getMessage());
    }

    @Test
    @DisplayName("config key java names the binary that starts the workers: a wrapper script given there is what runs them")
    void configuredJavaBinaryIsUsed() throws IOException {
        Path dir = Files.createTempDirectory("futures-java-wrapper");
        Path wrapper = dir.resolve("java-wrapper");
        try {
            // The wrapper adds a system property that only a worker started through it can see.
            Files.writeString(wrapper, "#!/bin/sh\nexec '" + Launcher.currentJava()
                    + "' -Dfutures.test.startedBy=wrapper \"$@\"\n");
            assertTrue(wrapper.toFile().setExecutable(true, true), "cannot make the wrapper executable");
            Executor ex = pool(ExecutorConfig.builder().maxWorkers(1).property("java", wrapper.toString()));
            assertEquals("wrapper", ex.submit(() -> System.getProperty("futures.test.startedBy")).result());
            ex.shutdown();
        } finally {
            Files.deleteIfExists(wrapper);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    @DisplayName("the initializer runs in each worker before its first task")
    void initializerRuns() {
        Executor ex = pool(ExecutorConfig.builder().maxWorkers(2)
                .initializer(() -> System.setProperty("futures.test.init", "done in " + pid())));
        for (int i = 0; i < 4; i++) {
            Future<String> f = ex.submit(() -> System.getProperty("futures.test.init") + " ran in " + pid());
            String[] parts = f.result().split(" ");
            assertEquals("done", parts[0]);
            assertEquals(parts[2], parts[5], f.result());
        }
    }

    @Test
    @DisplayName("max_tasks_per_child: a worker is replaced after that many tasks, and that is not a break")
    void maxTasksPerChild() {
        Executor ex = pool(ExecutorConfig.builder().maxWorkers(1).maxTasksPerChild(2));
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pids.add(ex.submit(ProcessPoolTest::pid).result());
        }
        assertEquals(pids.get(0), pids.get(1));
        assertEquals(pids.get(2), pids.get(3));
        assertEquals(pids.get(4), pids.get(5));
        assertEquals(3, pids.stream().distinct().count(), pids.toString());
        // many at once: still at most two tasks per worker
        List<Future<Long>> fs = IntStream.range(0, 8).mapToObj(i -> ex.submit(ProcessPoolTest::pid)).toList();
        Map<Long, Long> perWorker = fs.stream().map(Future::result)
                .collect(java.util.stream.Collectors.groupingBy(p -> p, java.util.stream.Collectors.counting()));
        assertTrue(perWorker.values().stream().allMatch(n -> n <= 2), perWorker.toString());
    }

    @Test
    @DisplayName("map with chunks returns every result in order, and an item's exception surfaces at its place")
    void mapWithChunks() {
        Executor ex = pool(2);
        List<Integer> in = IntStream.range(0, 1000).boxed().toList();
        List<Integer> out = new ArrayList<>();
        ex.map((Integer x) -> x * x, in, Futures.NO_TIMEOUT, 100).forEachRemaining(out::add);
        assertEquals(in.stream().map(x -> x * x).toList(), out);

        MapIterator<Integer> it = ex.map((Integer x) -> {
            if (x == 7) {
                throw new IllegalStateException("item " + x);
            }
            return x;
        }, in.subList(0, 20), Futures.NO_TIMEOUT, 5);
        for (int i = 0; i < 7; i++) {
            assertEquals(i, it.next());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, it::next);
        assertEquals("item 7", e.getMessage());
    }

    @Test
    @DisplayName("cancelling a future whose task has not been handed to a worker succeeds, and it never runs")
    void cancelNotHandedOver() throws Exception {
        Executor ex = pool(1);
        RemoteGate gate = gate();
        RemoteGate.Pass pass = gate.pass();
        Future<Boolean> blocker = ex.submit(pass::await);
        gate.awaitArrivals(1);
        List<Future<Long>> later = IntStream.range(0, 3).mapToObj(i -> ex.submit(ProcessPoolTest::pid)).toList();
        Future<Long> next = later.get(0);
        assertTrue(next.cancel(), "the task right behind the running one has not been handed over: a worker holds one task");
        assertTrue(next.cancelled());
        gate.release();
        assertTrue(blocker.result());
        assertTrue(later.get(1).result() > 0);
        assertTrue(later.get(2).result() > 0);
        assertThrows(CancellationException.class, next::result);
    }

    @Test
    @DisplayName("while one worker runs a long task, short tasks keep completing on the other worker")
    void noWaitingBehindLongTask() throws Exception {
        Executor ex = pool(2);
        RemoteGate gate = gate();
        RemoteGate.Pass pass = gate.pass();
        Future<Long> longTask = ex.submit(() -> {
            pass.await();
            return pid();
        });
        gate.awaitArrivals(1);
        List<Future<Long>> shorts = IntStream.range(0, 10).mapToObj(i -> ex.submit(ProcessPoolTest::pid)).toList();
        long other = shorts.get(0).result();
        for (Future<Long> f : shorts) {
            assertEquals(other, f.result(), "every short task ran on the free worker");
        }
        assertFalse(longTask.done());
        gate.release();
        assertNotEquals(other, longTask.result());
    }

    @Test
    @DisplayName("shutdown(wait=false) returns at once, and the worker process exits when all pending futures are done executing")
    void shutdownNoWaitFreesWorkersLater() throws Exception {
        // reuse_workers=false: with the default, the idle worker is parked for the next pool instead (WorkerParkTest)
        Executor ex = pool(ExecutorConfig.builder().maxWorkers(1).property("reuse_workers", "false"));
        RemoteGate gate = gate();
        RemoteGate.Pass pass = gate.pass();
        Future<Long> running = ex.submit(() -> {
            pass.await();
            return pid();
        });
        Future<Long> queued = ex.submit(ProcessPoolTest::pid);
        gate.awaitArrivals(1);
        ex.shutdown(false); // returns although a call is running and one is queued
        assertFalse(running.done());
        assertFalse(queued.done());
        gate.release();
        long worker = running.result();
        assertEquals(worker, queued.result(), "the queued call still ran, on the same worker");
        Optional<ProcessHandle> h = ProcessHandle.of(worker);
        if (h.isPresent()) {
            h.get().onExit().get(30, TimeUnit.SECONDS); // a hang guard: the worker must end on its own
        }
        assertFalse(ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false), "worker " + worker + " outlived its pool");
    }

    @Test
    @DisplayName("shutdown(wait=true) waits for running tasks; shutdown(cancelFutures=true) cancels those not started")
    void shutdownWaitAndCancel() throws Exception {
        Executor ex = pool(1);
        RemoteGate gate = gate();
        RemoteGate.Pass pass = gate.pass();
        Future<Boolean> running = ex.submit(pass::await);
        gate.awaitArrivals(1);
        List<Future<Long>> queued = IntStream.range(0, 4).mapToObj(i -> ex.submit(ProcessPoolTest::pid)).toList();
        ex.shutdown(false, true);
        assertThrows(java.util.concurrent.RejectedExecutionException.class, () -> ex.submit(ProcessPoolTest::pid));
        assertTrue(queued.stream().allMatch(Future::cancelled), "tasks not handed over are cancelled");
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> ex.shutdown(true));
        assertFalse(running.done());
        gate.release();
        waiter.get(30, TimeUnit.SECONDS);
        assertTrue(running.result());
        for (Future<Long> f : queued) {
            assertTrue(f.done());
        }
        assertEquals(0, ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> !WorkerPark.pids().contains(p.pid())).count(), "no worker left but parked ones");
    }

    @Test
    @DisplayName("a worker printing to System.out and System.err does not corrupt the channel")
    void printingDoesNotCorrupt() {
        Executor ex = pool(1);
        Future<String> f = ex.submit(() -> {
            byte[] junk = new byte[4096];
            new java.util.Random(1).nextBytes(junk);
            System.out.write(junk);
            System.out.println("worker says hello on stdout");
            System.err.println("worker says hello on stderr");
            return "fine";
        });
        assertEquals("fine", f.result());
        assertEquals("fine", ex.submit(() -> "fine").result());
    }

    // ------------------------------------------------------------------ exceptions and serialization

    @Test
    @DisplayName("a worker's exception arrives as the future's exception with its remote stack trace")
    void remoteExceptionWithStackTrace() {
        Executor ex = pool(1);
        Future<Object> f = ex.submit(() -> {
            throw new IllegalStateException("boom in " + pid());
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, f::result);
        assertTrue(e.getMessage().startsWith("boom in "));
        assertNotEquals("boom in " + pid(), e.getMessage());
        assertTrue(Arrays.stream(e.getStackTrace()).anyMatch(s -> s.getClassName().equals(WorkerMain.class.getName())),
                "the stack trace is the worker's: " + Arrays.toString(e.getStackTrace()));
    }

    /** An exception that holds something that cannot be serialized. */
    static final class HoldsThread extends RuntimeException {
        final Object thread = new Object();

        HoldsThread(String message) {
            super(message);
        }
    }

    /** An exception that serializes but cannot be deserialized. */
    static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message);
        }

        private void readObject(ObjectInputStream in) throws IOException {
            throw new InvalidObjectException("Unreadable refuses to be read");
        }
    }

    @Test
    @DisplayName("an exception that cannot be serialized arrives as a stand-in with class name, message and stack")
    void unserializableExceptionStandIn() {
        Executor ex = pool(1);
        Future<Object> f = ex.submit(() -> {
            throw new HoldsThread("cannot cross");
        });
        RemoteTaskException e = assertThrows(RemoteTaskException.class, f::result);
        assertEquals(HoldsThread.class.getName(), e.remoteClassName());
        assertEquals("cannot cross", e.remoteMessage());
        assertTrue(e.getMessage().contains("could not be serialized"), e.getMessage());
        assertTrue(Arrays.stream(e.getStackTrace()).anyMatch(s -> s.getClassName().equals(WorkerMain.class.getName())));
    }

    @Test
    @DisplayName("an exception that cannot be deserialized in the parent arrives as a stand-in")
    void undeserializableExceptionStandIn() {
        Executor ex = pool(1);
        Future<Object> f = ex.submit(() -> {
            throw new Unreadable("read me if you can");
        });
        RemoteTaskException e = assertThrows(RemoteTaskException.class, f::result);
        assertEquals(Unreadable.class.getName(), e.remoteClassName());
        assertEquals("read me if you can", e.remoteMessage());
        assertEquals(1, e.getSuppressed().length, "the parent's deserialization failure is attached");
        assertEquals(3, ex.submit(x -> x + 1, 2).result());
    }

    @Test
    @DisplayName("execute() of a plain, non-serializable lambda throws at the call, naming its class and what is accepted; the pool keeps serving")
    void executeUnserializableThrows() {
        Executor ex = pool(1);
        Runnable plain = () -> System.setProperty("futures.test.never", "ran");
        java.util.concurrent.RejectedExecutionException e =
                assertThrows(java.util.concurrent.RejectedExecutionException.class, () -> ex.execute(plain));
        assertTrue(e.getMessage().contains(plain.getClass().getName()), e.getMessage());
        assertTrue(e.getMessage().contains("(Runnable & Serializable)"), e.getMessage());
        assertInstanceOf(UncheckedIOException.class, e.getCause());
        java.util.concurrent.RejectedExecutionException v = assertThrows(java.util.concurrent.RejectedExecutionException.class,
                () -> ex.asExecutorService().execute(plain));
        assertTrue(v.getMessage().contains(plain.getClass().getName()), v.getMessage());
        assertEquals(3, ex.submit(x -> x + 1, 2).result());
        assertTrue(ex.toString().contains("pending=0"), ex.toString());
    }

    @Test
    @DisplayName("a task or argument that cannot be serialized fails its own future at once; the pool keeps serving")
    void unserializableTask() {
        Executor ex = pool(1);
        Object notSerializable = new Object();
        Future<Integer> f = ex.submit(o -> o.hashCode(), notSerializable);
        UncheckedIOException e = assertInstanceOf(UncheckedIOException.class, f.exception());
        assertTrue(e.getMessage().contains("java.lang.Object") && e.getMessage().contains("not Serializable"),
                e.getMessage());
        Runnable plain = () -> {};
        Future<Object> g = ex.submit(() -> {
            plain.run();
            return null;
        });
        assertInstanceOf(UncheckedIOException.class, g.exception());
        assertEquals(3, ex.submit(x -> x + 1, 2).result());
    }

    @Test
    @DisplayName("a result that cannot be serialized in the worker fails that future; the pool keeps serving")
    void unserializableResult() {
        Executor ex = pool(1);
        Future<Object> f = ex.submit(Object::new);
        UncheckedIOException e = assertInstanceOf(UncheckedIOException.class, f.exception());
        assertTrue(e.getMessage().contains("result of java.lang.Object could not be serialized in worker pid"),
                e.getMessage());
        assertEquals(3, ex.submit(x -> x + 1, 2).result());
    }

    /** A value whose readObject throws: it can be written, never read. (Not a record: records ignore readObject.) */
    static final class Poison implements Serializable {
        final String where;

        Poison(String where) {
            this.where = where;
        }

        private void readObject(ObjectInputStream in) throws IOException {
            throw new InvalidObjectException("poison read in pid " + ProcessHandle.current().pid());
        }
    }

    @Test
    @DisplayName("a result that cannot be deserialized in the parent fails that future; the pool keeps serving")
    void undeserializableResult() {
        Executor ex = pool(1);
        Future<Object> f = ex.submit(() -> new Poison("result"));
        UncheckedIOException e = assertInstanceOf(UncheckedIOException.class, f.exception());
        assertTrue(e.getMessage().contains("could not be deserialized in the parent"), e.getMessage());
        assertInstanceOf(InvalidObjectException.class, e.getCause());
        assertEquals(3, ex.submit(x -> x + 1, 2).result());
    }

    /** Non-record so its readObject runs (records are read through their constructor). */
    static final class PoisonArg implements Serializable {
        private void readObject(ObjectInputStream in) throws IOException {
            throw new InvalidObjectException("poison argument read in pid " + ProcessHandle.current().pid());
        }
    }

    @Test
    @DisplayName("a task whose deserialization throws in the worker fails that future; the pool keeps serving")
    void undeserializableTask() {
        Executor ex = pool(1);
        Future<Integer> f = ex.submit(p -> p.hashCode(), new PoisonArg());
        UncheckedIOException e = assertInstanceOf(UncheckedIOException.class, f.exception());
        assertTrue(e.getMessage().contains("could not be deserialized in worker pid"), e.getMessage());
        assertTrue(e.getMessage().contains("poison argument"), e.getMessage());
        assertEquals(3, ex.submit(x -> x + 1, 2).result());
    }

    @Test
    @DisplayName("a task that captures an Executor or a Future fails clearly instead of deadlocking")
    void capturesExecutorOrFuture() {
        Executor ex = pool(1);
        Future<Object> f1 = ex.submit(() -> ex.toString());
        UncheckedIOException e1 = assertInstanceOf(UncheckedIOException.class, f1.exception());
        assertTrue(e1.getMessage().contains("the task captures an executor of the parent"), e1.getMessage());
        assertTrue(e1.getMessage().contains("deadlock"), e1.getMessage());
        Future<Long> other = ex.submit(ProcessPoolTest::pid);
        Future<Object> f2 = ex.submit(() -> other.result());
        UncheckedIOException e2 = assertInstanceOf(UncheckedIOException.class, f2.exception());
        assertTrue(e2.getMessage().contains("the task captures a future of the parent")
                && e2.getMessage().contains("deadlock"), e2.getMessage());
        assertTrue(other.result() > 0);
    }

    // ------------------------------------------------------------------ a worker dies: the pool breaks

    /** Submits work that stays pending behind {@code running} and asserts it all fails broken. */
    /**
     * Asserts every future failed with a BrokenProcessPoolException naming {@code pid} and
     * {@code status}, each with its own instance (DESIGN 5: a shared one would collect every
     * caller's suppressed exceptions and stack).
     */
    private static void assertAllBroken(List<? extends Future<?>> fs, long pid, String status) {
        Set<Throwable> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Future<?> f : fs) {
            assertBroken(f.exception(), pid, status);
            distinct.add(f.exception());
        }
        assertEquals(fs.size(), distinct.size(), "each future fails with its own BrokenProcessPoolException");
    }

    @Test
    @DisplayName("a worker that calls System.exit breaks the pool: running and pending futures fail")
    void systemExitBreaks() {
        Executor ex = pool(1);
        long pid = ex.submit(ProcessPoolTest::pid).result();
        Future<Object> f = ex.submit(() -> {
            System.exit(7);
            return null;
        });
        List<Future<Long>> pending = IntStream.range(0, 3).mapToObj(i -> ex.submit(ProcessPoolTest::pid)).toList();
        assertBroken(f.exception(), pid, "exit code 7");
        assertAllBroken(pending, pid, "exit code 7");
        assertStaysBroken(ex, pid, "exit code 7");
    }

    @Test
    @DisplayName("a worker that calls Runtime.halt breaks the pool")
    void haltBreaks() {
        Executor ex = pool(1);
        long pid = ex.submit(ProcessPoolTest::pid).result();
        Future<Object> f = ex.submit(() -> {
            Runtime.getRuntime().halt(13);
            return null;
        });
        assertBroken(f.exception(), pid, "exit code 13");
        assertStaysBroken(ex, pid, "exit code 13");
    }

    @Test
    @DisplayName("a worker killed with SIGKILL while running breaks the pool, naming pid and signal")
    void sigkillWhileRunningBreaks() throws Exception {
        Executor ex = pool(2);
        RemoteGate gate = gate();
        RemoteGate.Pass pass = gate.pass();
        Future<Long> victim = ex.submit(() -> {
            long me = pid();
            pass.await();
            return me;
        });
        Future<Boolean> bystander = ex.submit(pass::await);
        gate.awaitArrivals(2);
        List<Future<Long>> pending = IntStream.range(0, 4).mapToObj(i -> ex.submit(ProcessPoolTest::pid)).toList();
        // either worker will do: both run a blocked task
        ProcessHandle victimWorker = ProcessHandle.current().children().findFirst().orElseThrow();
        long pid = victimWorker.pid();
        victimWorker.destroyForcibly();
        String status = "killed by signal 9 (SIGKILL), exit code 137";
        List<Future<?>> all = new ArrayList<>(List.of(victim, bystander));
        all.addAll(pending);
        assertAllBroken(all, pid, status);
        assertStaysBroken(ex, pid, status);
    }

    @Test
    @DisplayName("a worker killed with SIGKILL while idle breaks the pool")
    void sigkillWhileIdleBreaks() throws Exception {
        Executor ex = pool(1);
        long pid = ex.submit(ProcessPoolTest::pid).result();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        awaitBrokenAfterDeath(ex, pid, "killed by signal 9 (SIGKILL)");
    }

    // A worker that runs out of memory: NoisyWorkerTest (its JVM's message is read there, not printed).

    /** An argument whose deserialization kills the worker. */
    static final class Crash implements Serializable {
        private void readObject(ObjectInputStream in) {
            Runtime.getRuntime().halt(42);
        }
    }

    @Test
    @DisplayName("a worker that crashes while deserializing a task breaks the pool")
    void crashDuringDeserializationBreaks() {
        Executor ex = pool(1);
        long pid = ex.submit(ProcessPoolTest::pid).result();
        Future<Integer> f = ex.submit(c -> c.hashCode(), new Crash());
        assertBroken(f.exception(), pid, "exit code 42");
        assertStaysBroken(ex, pid, "exit code 42");
    }

    @Test
    @DisplayName("an initializer that throws breaks the pool, naming the worker and the initializer's exception")
    @SuppressWarnings("try") // the log is checked when the block closes
    void initializerThrowsBreaks() {
        try (futures.providers.InitializerLog initializerLog = new futures.providers.InitializerLog(1)) {
            Executor ex = pool(ExecutorConfig.builder().maxWorkers(2).initializer(() -> {
                throw new IllegalStateException("no database here");
            }));
            Future<Long> f = ex.submit(ProcessPoolTest::pid);
            BrokenProcessPoolException b = assertBroken(f.exception(), -1, "exit code 1");
            assertTrue(b.getMessage().contains("initializer") && b.getMessage().contains("no database here"), b.getMessage());
            assertInstanceOf(IllegalStateException.class, b.getCause());
            assertThrows(BrokenProcessPoolException.class, () -> ex.submit(ProcessPoolTest::pid));
            ex.shutdown(true);
        }
    }

    // A worker JVM that dies before connecting: NoisyWorkerTest (its JVM's message is read there, not printed).

    @Test
    @DisplayName("shutdown of a pool that never ran anything returns at once and starts no worker")
    void shutdownUnused() {
        Executor ex = pool(3);
        ex.shutdown(true);
        ex.shutdown(true);
        assertEquals(0, ProcessHandle.current().children().count());
    }

    static int length(byte[] bytes) {
        return bytes.length;
    }

    @Test
    @DisplayName("a caller's thread interrupted again and again while it submits large tasks does not break the pool")
    void callerInterruptedDuringSubmitDoesNotBreakThePool() throws Exception {
        Executor ex = pool(1);
        ex.submit(ProcessPoolTest::pid).result(); // the worker is up and idle: the next submit writes at once
        byte[] big = new byte[8 << 20]; // a write of 8 MB blocks until the worker has read most of it
        int tasks = 20;
        List<Future<Integer>> futures = Collections.synchronizedList(new ArrayList<>());
        Thread caller = new Thread(() -> {
            for (int i = 0; i < tasks; i++) {
                futures.add(ex.submit(ProcessPoolTest::length, big));
            }
        }, "interrupted-caller");
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread interrupter = new Thread(() -> {
            while (!stop.get()) {
                caller.interrupt();
                Thread.yield();
            }
        }, "interrupter");
        caller.start();
        interrupter.start();
        caller.join();
        stop.set(true);
        interrupter.join();
        assertEquals(tasks, futures.size());
        for (Future<Integer> f : futures) {
            assertEquals(big.length, f.result());
        }
        assertNotEquals(pid(), (long) ex.submit(ProcessPoolTest::pid).result(), "the pool still serves, in a worker");
    }
}
