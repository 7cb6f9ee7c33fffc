package futures.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import futures.core.DeadlockException;
import futures.core.DoneAndNotDone;
import futures.core.Executor;
import futures.core.Future;
import futures.core.Futures;
import futures.core.MapIterator;
import futures.core.ReturnWhen;
import futures.core.WaitTimeoutException;
import futures.spi.BrokenExecutorException;
import futures.spi.CallTimeoutException;
import futures.spi.ExecutorConfig;
import futures.spi.WorkerDiedException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The behaviour every executor provider must have: what Python's documentation of
 * {@code concurrent.futures} promises for {@code submit}, {@code map}, {@code shutdown},
 * {@code cancel}, {@code wait} and {@code as_completed}, seen through the public API of
 * {@code futures.core} only.
 *
 * <p>To run it against your provider, extend it and make executors the way users do:
 *
 * <pre>{@code
 * class MyProviderBehaviourTest extends ExecutorBehaviourSuite {
 *     @Override
 *     protected Executor newExecutor(ExecutorConfig config) {
 *         return Executors.create("mine", config);
 *     }
 * }
 * }</pre>
 *
 * <p>Override a capability hook only when your provider legitimately lacks that capability; each
 * hook says which tests it skips (they are reported as skipped, not passed). Three hooks name
 * capabilities beyond Python's rules and default to false: {@link #stopsWorkers()},
 * {@link #stopsRunningCalls()} and {@link #survivesWorkerDeath()}; a provider that has one returns
 * true and is held to it (for the last, {@link #workerDeathConfig(int)} gives the config in which
 * a worker's death costs only its call, such as the process provider's
 * {@code on_worker_death=fail_call}).
 *
 * <p>How the tests synchronise. Tasks may run in other processes, where a latch of the test's JVM
 * cannot reach, so the suite never shares memory with a task. It uses the futures themselves,
 * return values, and a {@link Gate}: a Unix-domain socket that a task arrives at (which tells the
 * test "this task is running now") and, if asked, blocks at until the test lets it through.
 * Nothing sleeps to synchronise. The call bodies live in a separate class so that no lambda
 * captures the test instance and none is compiled into a class whose signatures mention JUnit.
 *
 * <p>Cost. One instance runs all tests (per-class lifecycle) and shares one executor of
 * {@value #SHARED_WORKERS} workers for the tests that neither shut it down nor need a particular
 * configuration; the others make their own small executor, shut down after the test. Each test is
 * guarded by {@link Timeout} against hangs; no timeout here is a speed assertion.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.SAME_THREAD) // one test at a time, even where JUnit runs classes in parallel
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class ExecutorBehaviourSuite {
    /** Workers of the executor the independent tests share. */
    protected static final int SHARED_WORKERS = 2;

    /*
     * Fields are touched only by the JUnit thread that runs this instance's tests one after the
     * other (@Execution(SAME_THREAD) keeps it so under parallel execution); the lists are
     * concurrent-safe anyway, so a stray callback cannot corrupt them.
     */
    private final List<Executor> opened = new CopyOnWriteArrayList<>();
    private final List<Gate> gates = new CopyOnWriteArrayList<>();
    private Executor shared;

    /** For subclasses: JUnit makes one instance of each concrete suite class and runs all its tests on it. */
    protected ExecutorBehaviourSuite() {}

    // ------------------------------------------------------------------ what a provider supplies

    /**
     * Makes a new executor of the provider under test with {@code config}, the way users do:
     * {@code Executors.create(name, config)}. Each call must return a new executor. It must let
     * an {@link IllegalArgumentException} for a bad config through.
     *
     * @param config the settings of the executor; the suite sets {@code max_workers} or nothing
     * @return a new executor of your provider
     */
    protected abstract Executor newExecutor(ExecutorConfig config);

    /**
     * Whether a task runs apart from the thread that submits it, so that the test can go on while
     * a task waits at a gate. True for pools of threads or processes. An executor that runs each
     * task inside {@code submit}, on the caller's thread, returns false: the tests that need a
     * task to be running, pending or blocked while the test acts (cancel a pending call, shutdown
     * with waiting or cancelled work, timeouts, the worker bound, completion order) are skipped.
     *
     * @return true (the default) if calls run apart from the submitting thread
     */
    protected boolean runsTasksAsynchronously() {
        return true;
    }

    /**
     * Whether tasks run on this machine as this user, so they can reach a {@link Gate} (a
     * Unix-domain socket in a private temporary directory). True for threads and for child
     * processes. A provider whose tasks run on other machines returns false, and the tests that
     * need a gate are skipped; prefer giving those tasks a way back instead.
     *
     * @return true (the default) if tasks can reach a Unix-domain socket of this machine
     */
    protected boolean tasksRunOnThisMachine() {
        return true;
    }

    /**
     * Whether the provider's executors support {@link Executor#terminateWorkers()} and
     * {@link Executor#killWorkers()} (its pool's {@code WorkerPool.stopsWorkers()}). If true (as
     * for "process"), the suite checks that they fail the running call with a
     * {@code BrokenExecutorException}, cancel the pending ones and break the executor; if false
     * (the default, as for "thread" and "virtual"), that they throw
     * {@link UnsupportedOperationException} and change nothing.
     *
     * @return true if the provider can stop its workers; false by default
     */
    protected boolean stopsWorkers() {
        return false;
    }

    /**
     * Whether the provider's executors can stop one running call, for {@link Future#cancelRunning()}
     * (its pool's {@code WorkerPool.stopsRunningCalls()}). If true (as for "process"), the suite
     * checks that {@code cancel()} still refuses a running call, that {@code cancelRunning()}
     * cancels it, and that the executor goes on serving; if false (the default, as for "thread"
     * and "virtual"), that {@code cancelRunning()} refuses it too and the call completes.
     *
     * @return true if the provider can stop a running call; false by default
     */
    protected boolean stopsRunningCalls() {
        return false;
    }

    /**
     * Whether a call past its time limit ({@link Executor#submit(Duration, futures.spi.Task)},
     * config key {@code time_limit}) is stopped where it runs, freeing its worker: true if the
     * core interrupts it (a provider whose calls run on threads of this JVM, {@link #detectsDeadlocks()})
     * or the pool stops it ({@link #stopsRunningCalls()}), which is the default. Whatever this
     * says, the suite checks that the call's future fails with {@link CallTimeoutException} at the
     * deadline; if true, also that the executor's one worker takes the next call while the expired
     * call would still be blocked; if false (the call runs on, its outcome discarded), the test
     * unblocks the call before it goes on.
     *
     * @return whether a call past its time limit is stopped; by default
     *     {@code detectsDeadlocks() || stopsRunningCalls()}
     */
    protected boolean stopsCallsAtTimeLimit() {
        return detectsDeadlocks() || stopsRunningCalls();
    }

    /**
     * Whether a worker's death can cost only the call it held, on executors made with
     * {@link #workerDeathConfig(int)}: the worker's process ended while it held a call, that call
     * fails with a {@link WorkerDiedException} naming the worker's pid and exit status, a new worker
     * takes its place, and the executor is not broken (pebble's {@code ProcessExpired}; the process
     * provider's {@code on_worker_death=fail_call}). If true, the suite checks exactly that with a
     * call that ends its own process with {@code System.exit(3)}. False by default, and then that
     * test is skipped: it must never run where calls run in the test's own JVM, which
     * {@code System.exit} would end.
     *
     * @return true if executors made with {@link #workerDeathConfig(int)} survive a worker's death;
     *     false by default
     */
    protected boolean survivesWorkerDeath() {
        return false;
    }

    /**
     * The config of an executor of {@code workers} workers on which a worker's death costs only the
     * call it held; used only if {@link #survivesWorkerDeath()} is true. By default just
     * {@code max_workers}; the process provider's suite adds {@code on_worker_death=fail_call}.
     *
     * @param workers the number of workers, 1 or more
     * @return the config for the worker-death test
     */
    protected ExecutorConfig workerDeathConfig(int workers) {
        return workers(workers);
    }

    /** Fails every test at once, saying what to change, when an older JUnit runs the suite. */
    @BeforeAll
    void checkJUnitVersion() {
        JUnitVersion.check();
    }

    /**
     * Whether the provider runs calls on threads of this JVM and says so to the core
     * ({@code WorkerPool.runsCallsInThisJvm()}), so that a wait inside a call that can never end
     * fails with {@link DeadlockException} (docs/deadlocks.md). False by default: override it to
     * return true for such a provider ("thread" and "virtual" do), and the deadlock tests run;
     * otherwise they are skipped.
     *
     * @return whether this provider's calls run on threads of this JVM and deadlocks are detected
     */
    protected boolean detectsDeadlocks() {
        return false;
    }

    // ------------------------------------------------------------------ submit

    @Test
    @DisplayName("submit(fn) schedules fn() and returns a future of its value")
    void submitWithoutArguments() {
        assertEquals(42, shared().submit(Tasks.answer()).result());
    }

    @Test
    @DisplayName("submit(fn, a) schedules fn(a) and returns a future of its value")
    void submitWithOneArgument() {
        assertEquals(49, shared().submit(Tasks.square(), 7).result());
    }

    @Test
    @DisplayName("submit(fn, a, b) schedules fn(a, b): submit(pow, 2.0, 10.0) is 1024.0")
    void submitWithTwoArguments() {
        assertEquals(1024.0, shared().submit(Tasks.pow(), 2.0, 10.0).result());
    }

    @Test
    @DisplayName("a call that returns null gives a future whose result and exception are both null")
    void nullResult() {
        Future<String> f = shared().submit(Tasks.nothing());
        assertNull(f.result());
        assertNull(f.exception());
        assertTrue(f.done());
        assertFalse(f.cancelled());
    }

    @Test
    @DisplayName("if the call raised an unchecked exception, result() raises the same exception")
    void uncheckedExceptionPropagatesAsIs() {
        Future<Integer> f = shared().submit(Tasks.throwUnchecked("boom"));
        Tasks.Boom thrown = assertThrows(Tasks.Boom.class, f::result);
        assertEquals("boom", thrown.getMessage());
        Throwable e = f.exception();
        assertInstanceOf(Tasks.Boom.class, e);
        assertEquals("boom", e.getMessage());
        assertTrue(f.done());
    }

    @Test
    @DisplayName("if the call raised a checked exception, result() raises it wrapped in CompletionException")
    void checkedExceptionIsWrapped() {
        Future<Integer> f = shared().submit(Tasks.throwChecked("disk full"));
        CompletionException thrown = assertThrows(CompletionException.class, f::result);
        assertInstanceOf(IOException.class, thrown.getCause());
        assertEquals("disk full", thrown.getCause().getMessage());
        assertInstanceOf(IOException.class, f.exception(), "exception() returns the call's own exception");
    }

    @Test
    @DisplayName("get() wraps whatever the call raised in ExecutionException, as the JDK documents")
    void getWrapsInExecutionException() {
        Future<Integer> f = shared().submit(Tasks.throwUnchecked("via get"));
        ExecutionException thrown = assertThrows(ExecutionException.class, f::get);
        assertInstanceOf(Tasks.Boom.class, thrown.getCause());
        assertEquals(java.util.concurrent.Future.State.FAILED, f.state());
    }

    @Test
    @DisplayName("execute(command) runs the command")
    void executeRunsTheCommand() {
        Gate ran = gate();
        shared().execute(Tasks.markRunnable(ran.key(), "command"));
        assertEquals(List.of("command"), ran.awaitArrivals(1));
    }

    @Test
    @DisplayName("a done callback is called with the future, once, when the call finishes")
    void doneCallbackRuns() throws InterruptedException {
        Future<Integer> f = shared().submit(Tasks.square(), 5);
        CountDownLatch called = new CountDownLatch(1);
        AtomicReference<Future<Integer>> seen = new AtomicReference<>();
        f.addDoneCallback(done -> {
            seen.set(done);
            called.countDown();
        });
        assertTrue(called.await(30, TimeUnit.SECONDS), "callback not called");
        assertSame(f, seen.get());
        assertEquals(25, seen.get().resultNow());
    }

    @Test
    @DisplayName("added callables are always called in a thread belonging to the process that added them")
    void callbackRunsInTheAddingProcess() throws InterruptedException {
        Future<Integer> f = shared().submit(Tasks.square(), 6);
        CountDownLatch called = new CountDownLatch(1);
        AtomicLong calledInPid = new AtomicLong(-1);
        f.addDoneCallback(done -> {
            calledInPid.set(ProcessHandle.current().pid());
            called.countDown();
        });
        assertTrue(called.await(30, TimeUnit.SECONDS), "callback not called");
        assertEquals(ProcessHandle.current().pid(), calledInPid.get(), "the callback ran in another process");
        assertEquals(36, f.resultNow());
    }

    @Test
    @DisplayName("many small calls all complete, each with its own result, also when submitted from several threads")
    void manySmallTasksAllComplete() throws InterruptedException {
        Executor ex = shared();
        int perThread = 100;
        int threads = 3;
        List<List<Future<Integer>>> byThread = new ArrayList<>();
        List<Thread> submitters = new ArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Future<Integer>> mine = Collections.synchronizedList(new ArrayList<>());
            byThread.add(mine);
            int base = t * perThread;
            Thread s = new Thread(() -> {
                try {
                    for (int i = 0; i < perThread; i++) {
                        mine.add(ex.submit(Tasks.square(), base + i));
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "suite-submitter-" + t);
            submitters.add(s);
            s.start();
        }
        for (Thread s : submitters) {
            s.join();
        }
        assertEquals(List.of(), errors);
        for (int t = 0; t < threads; t++) {
            List<Future<Integer>> mine = byThread.get(t);
            assertEquals(perThread, mine.size());
            for (int i = 0; i < perThread; i++) {
                int x = t * perThread + i;
                assertEquals(x * x, mine.get(i).result(), "result of call " + x);
            }
        }
    }

    // ------------------------------------------------------------------ map

    @Test
    @DisplayName("map returns the results in input order")
    void mapKeepsInputOrder() {
        List<Integer> in = IntStream.range(0, 40).boxed().toList();
        assertEquals(in.stream().map(x -> x * x).toList(), collect(shared().map(Tasks.square(), in)));
    }

    @Test
    @DisplayName("map over two inputs takes them in step and stops at the shortest")
    void mapTwoInputsStopsAtShortest() {
        assertEquals(List.of(11, 22), collect(shared().map(Tasks.add(), List.of(1, 2, 3), List.of(10, 20))));
        assertEquals(List.of(), collect(shared().map(Tasks.add(), List.of(1, 2), List.of())));
    }

    @Test
    @DisplayName("map with chunks returns every result in input order, whether the last chunk is full or not")
    void mapWithChunks() {
        List<Integer> in = IntStream.range(0, 10).boxed().toList();
        List<Integer> squares = in.stream().map(x -> x * x).toList();
        for (int chunk : new int[] {1, 3, 5, 10, 50}) {
            assertEquals(squares, collect(shared().map(Tasks.square(), in, Futures.NO_TIMEOUT, chunk)),
                    "chunk size " + chunk);
        }
        assertEquals(List.of(11, 22, 33),
                collect(shared().map(Tasks.add(), List.of(1, 2, 3), List.of(10, 20, 30, 40), Futures.NO_TIMEOUT, 2)));
    }

    @Test
    @DisplayName("if a call raises, map raises that exception when its value is retrieved, and iteration ends")
    void mapRaisesWhenTheFailedValueIsReached() {
        for (int chunk : new int[] {1, 3}) {
            MapIterator<Integer> it = shared().map(Tasks.squareFailingAt(3), List.of(1, 2, 3, 4, 5), Futures.NO_TIMEOUT, chunk);
            assertEquals(1, it.next(), "chunk size " + chunk);
            assertEquals(4, it.next(), "chunk size " + chunk);
            Tasks.Boom thrown = assertThrows(Tasks.Boom.class, it::next, "chunk size " + chunk);
            assertEquals("item 3", thrown.getMessage());
            assertFalse(it.hasNext(), "iteration ends after the exception");
            assertThrows(NoSuchElementException.class, it::next);
        }
    }

    @Test
    @DisplayName("map's iterator raises WaitTimeoutException if a result isn't available timeout after the call to map")
    void mapTimeout() {
        requireAsync();
        Gate gate = gate();
        Executor ex = open(workers(1));
        Duration timeout = Duration.ofMillis(200);
        long start = System.nanoTime();
        MapIterator<Integer> it = ex.map(Tasks.squareAfterPass(gate.key()), List.of(7), timeout);
        assertThrows(WaitTimeoutException.class, it::next);
        long waited = System.nanoTime() - start;
        assertTrue(waited >= timeout.toNanos(), "gave up after " + waited + " ns, before the timeout");
        assertFalse(it.hasNext(), "iteration ends after the timeout");
    }

    @Test
    @DisplayName("closing map's iterator early cancels the calls that have not started")
    void closingMapCancelsWhatHasNotStarted() {
        requireAsync();
        Gate first = gate();
        Gate rest = gate();
        Executor ex = open(workers(1));
        // a holder keeps the only worker at `first`; the map's items 1..9 only record at `rest`
        // that they ran (a provider may hand a few ahead to the busy worker, never all)
        ex.submit(Tasks.passThen(first.key(), "holder"));
        first.awaitArrivals(1);
        MapIterator<Integer> it = ex.map(Tasks.squareAfterMark(rest.key()), IntStream.range(1, 10).boxed().toList());
        it.close();
        first.release();
        ex.shutdown(true);
        List<String> ran = rest.arrivals();
        assertFalse(ran.contains("item-9"), "the last call had not started, yet it ran: " + ran);
        assertTrue(ran.size() < 9, "no call was cancelled: " + ran);
        assertFalse(it.hasNext());
    }

    /** 0, 1, 2, ... without end; records how far ahead of {@code taken} the input was ever read. */
    private static java.util.Iterator<Integer> endless(AtomicLong read, AtomicLong taken, AtomicLong mostAhead) {
        return new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                long i = read.getAndIncrement();
                mostAhead.accumulateAndGet(i - taken.get(), Math::max);
                return (int) i;
            }
        };
    }

    @Test
    @DisplayName("map with bufferSize (Python 3.14's buffersize) maps an endless input, never more than bufferSize calls ahead of the consumer")
    void mapWithBufferReadsAnEndlessInputLazily() {
        for (int chunk : new int[] {1, 5}) {
            int buffer = 4;
            AtomicLong read = new AtomicLong();
            AtomicLong taken = new AtomicLong();
            AtomicLong mostAhead = new AtomicLong();
            try (MapIterator<Integer> it = shared().map(Tasks.square(), () -> endless(read, taken, mostAhead),
                    Futures.NO_TIMEOUT, chunk, buffer)) {
                for (int k = 0; k < 1000; k++) {
                    assertEquals(k * k, it.next(), "result " + k + " (chunkSize " + chunk + ")");
                    taken.incrementAndGet();
                }
            }
            // the input item read furthest ahead of the one the consumer waits for: bufferSize calls
            // (chunks) behind the waited call, or chunk
            long bound = (long) chunk * (buffer + 1) - 1;
            assertEquals(bound, mostAhead.get(), "chunkSize " + chunk + ": items read ahead of the consumer");
            long readAtClose = read.get();
            assertTrue(readAtClose <= 1000 + (long) chunk * (buffer + 1), "read " + readAtClose + " items for 1000 results");
        }
    }

    @Test
    @DisplayName("map with bufferSize: closing it early cancels the buffered calls not started and reads no more input")
    void closingABufferedMapCancelsAndStopsReading() {
        requireAsync();
        Gate first = gate();
        Gate rest = gate();
        Executor ex = open(workers(1));
        ex.submit(Tasks.passThen(first.key(), "holder"));
        first.awaitArrivals(1);
        AtomicLong read = new AtomicLong();
        MapIterator<Integer> it = ex.map(Tasks.squareAfterMark(rest.key()), () -> endless(read, new AtomicLong(),
                new AtomicLong()), Futures.NO_TIMEOUT, 1, 3);
        assertEquals(3, read.get(), "map scheduled bufferSize calls");
        it.close();
        first.release();
        ex.shutdown(true);
        assertEquals(3, read.get(), "a closed map reads no more input");
        assertTrue(rest.arrivals().size() < 3, "no buffered call was cancelled: " + rest.arrivals());
        assertFalse(it.hasNext());
    }

    @Test
    @DisplayName("map with bufferSize: a result not ready timeout after the call to map raises WaitTimeoutException and ends the iteration")
    void bufferedMapTimeout() {
        requireAsync();
        Gate gate = gate();
        Executor ex = open(workers(1));
        Duration timeout = Duration.ofMillis(200);
        long start = System.nanoTime();
        MapIterator<Integer> it = ex.map(Tasks.squareAfterPass(gate.key()), List.of(7, 8, 9), timeout, 1, 1);
        assertThrows(WaitTimeoutException.class, it::next);
        assertTrue(System.nanoTime() - start >= timeout.toNanos());
        assertFalse(it.hasNext(), "iteration ends after the timeout");
    }

    @Test
    @DisplayName("terminateWorkers and killWorkers (Python 3.14): pending calls cancelled, the running call fails with BrokenExecutorException, the executor is broken")
    void stoppingWorkersBreaksTheExecutor() {
        if (!stopsWorkers()) {
            Executor ex = open(workers(1));
            assertThrows(UnsupportedOperationException.class, ex::terminateWorkers);
            assertThrows(UnsupportedOperationException.class, ex::killWorkers);
            assertFalse(ex.isShutdown(), "an unsupported terminateWorkers must change nothing");
            assertEquals(49, ex.submit(Tasks.square(), 7).result());
            return;
        }
        requireAsync();
        for (boolean kill : new boolean[] {false, true}) {
            Gate gate = gate();
            Executor ex = open(workers(1));
            Future<String> running = ex.submit(Tasks.passThen(gate.key(), "running"));
            gate.awaitArrivals(1);
            Future<String> pending = ex.submit(Tasks.passThen(gate.key(), "pending"));
            if (kill) {
                ex.killWorkers();
            } else {
                ex.terminateWorkers();
            }
            String what = kill ? "killWorkers" : "terminateWorkers";
            assertTrue(pending.cancelled(), what + ": the call that had not started is cancelled");
            BrokenExecutorException e = assertThrows(BrokenExecutorException.class,
                    () -> running.result(Duration.ofSeconds(30)), what + ": the running call fails");
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), what + ": the failure says why");
            assertTrue(ex.isShutdown());
            assertThrows(RejectedExecutionException.class, () -> ex.submit(Tasks.answer()));
            gate.release(); // a thread provider's call that ignored the interrupt may go on now
            ex.shutdown(true);
            assertEquals(List.of("running"), gate.arrivals(), what + ": the cancelled call never ran");
            ex.killWorkers(); // again: harmless
        }
    }

    @Test
    @DisplayName("cancelRunning: cancel() refuses a running call (Python's rule); cancelRunning cancels it where the provider can stop it, and the executor goes on")
    void cancelRunningStopsARunningCall() {
        requireAsync();
        Gate gate = gate();
        Executor ex = open(workers(1));
        Future<String> running = ex.submit(Tasks.passThen(gate.key(), "running"));
        gate.awaitArrivals(1);
        assertFalse(running.cancel(), "cancel() must keep refusing a running call");
        if (!stopsRunningCalls()) {
            assertFalse(running.cancelRunning(), "a provider that cannot stop a running call must refuse");
            gate.release();
            assertEquals("running", running.result());
            return;
        }
        assertTrue(running.cancelRunning());
        assertTrue(running.cancelled());
        assertThrows(CancellationException.class, running::result);
        gate.release(); // a call that ignored its interrupt may end now
        assertEquals(49, ex.submit(Tasks.square(), 7).result(Duration.ofSeconds(60)), "the executor goes on serving");
        assertTrue(running.cancelRunning(), "again: still cancelled");
    }

    // ------------------------------------------------------------------ time limits (pebble's schedule(timeout=))

    @Test
    @DisplayName("A call still running at its 200 ms time limit fails with CallTimeoutException within 1 s of its start, and the executor serves on")
    void timeLimitEndsACallThatRunsForever() {
        requireAsync();
        Gate gate = gate();
        Executor ex = open(workers(1));
        // a worker is ready, and the submit path of a limited call has run once in this JVM
        assertEquals(42, ex.submit(Duration.ofSeconds(60), Tasks.answer()).result(Duration.ofSeconds(60)));
        long submitted = System.nanoTime();
        Future<String> forever = ex.submit(Duration.ofMillis(200), Tasks.passThen(gate.key(), "forever"));
        Throwable e = forever.exception(Duration.ofSeconds(30));
        long tookMillis = (System.nanoTime() - submitted) / 1_000_000;
        CallTimeoutException timeout = assertInstanceOf(CallTimeoutException.class, e);
        assertTrue(timeout.getMessage().contains("time limit of 200 ms"), timeout.getMessage());
        assertTrue(tookMillis >= 200, "failed before its deadline: " + tookMillis + " ms");
        assertTrue(tookMillis < 1000, "failed " + tookMillis + " ms after its submit (its start is later still): "
                + timeout.getMessage());
        assertFalse(forever.cancelled());
        if (!stopsCallsAtTimeLimit()) {
            gate.release(); // the call runs on where it is: let it end, so the one worker is free
        }
        assertEquals(49, ex.submit(Tasks.square(), 7).result(Duration.ofSeconds(60)), "the executor goes on serving");
        assertSame(e, forever.exception(), "the outcome stays the time limit's");
    }

    @Test
    @DisplayName("A call that ends within its time limit keeps its value or its exception")
    void timeLimitKeepsOutcomesInTime() {
        Executor ex = shared();
        assertEquals(42, ex.submit(Duration.ofSeconds(60), Tasks.answer()).result(Duration.ofSeconds(60)));
        Future<Integer> fails = ex.submit(Duration.ofSeconds(60), Tasks.throwUnchecked("in time"));
        Tasks.Boom boom = assertInstanceOf(Tasks.Boom.class, fails.exception(Duration.ofSeconds(60)));
        assertEquals("in time", boom.getMessage());
        assertNull(ex.submit(Duration.ofSeconds(60), Tasks.nothing()).result(Duration.ofSeconds(60)));
    }

    @Test
    @DisplayName("The time limit counts from when the call starts running, not from submit: a limited call queued behind a busy worker is not failed")
    void timeLimitCountsFromStart() {
        requireAsync();
        Gate gate = gate();
        Executor ex = open(workers(1));
        Future<String> held = ex.submit(Tasks.passThen(gate.key(), "held"));
        gate.awaitArrivals(1);
        Future<String> queued = ex.submit(Duration.ofMillis(200), Tasks.markThen(gate.key(), "queued"));
        // Waiting is the point here: three times its limit passes while it is queued.
        assertThrows(WaitTimeoutException.class, () -> queued.result(Duration.ofMillis(600)));
        assertFalse(queued.done(), "a queued call must not fail for its time in the queue");
        gate.release();
        assertEquals("held", held.result(Duration.ofSeconds(60)));
        assertEquals("queued", queued.result(Duration.ofSeconds(60)));
    }

    @Test
    @DisplayName("Config key time_limit (seconds) is every call's default, map's too; submit(Duration, task) overrides it")
    void timeLimitExecutorDefault() {
        requireAsync();
        Gate gate = gate();
        // 1.5 s: long enough for a fresh worker's first calls (a process worker loads their classes)
        Executor ex = open(ExecutorConfig.of(Map.of("max_workers", "1", "time_limit", "1.5")));
        assertEquals(List.of(1, 4, 9), collect(ex.map(Tasks.square(), List.of(1, 2, 3))), "calls in time keep their values");
        Future<String> forever = ex.submit(Tasks.passThen(gate.key(), "forever"));
        CallTimeoutException e = assertInstanceOf(CallTimeoutException.class, forever.exception(Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains("time limit of 1.5 s"), e.getMessage());
        if (!stopsCallsAtTimeLimit()) {
            gate.release();
        }
        Gate second = gate(); // a released gate stays open
        Future<String> longer = ex.submit(Duration.ofSeconds(60), Tasks.passThen(second.key(), "longer"));
        second.awaitArrivals(1);
        assertThrows(WaitTimeoutException.class, () -> longer.result(Duration.ofMillis(1600)),
                "its own limit of 60 s overrides the default of 1.5 s");
        second.release();
        assertEquals("longer", longer.result(Duration.ofSeconds(60)));
    }

    @Test
    @DisplayName("A time limit that is null, zero, negative or over 365 days is refused, saying what is accepted; the executor serves on")
    void timeLimitBadInput() {
        Executor ex = shared();
        assertThrows(NullPointerException.class, () -> ex.submit((Duration) null, Tasks.answer()));
        assertThrows(NullPointerException.class, () -> ex.submit(Duration.ofSeconds(1), (futures.spi.Task<Integer>) null));
        for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(-1), Duration.ofDays(366))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ex.submit(bad, Tasks.answer()));
            assertEquals("timeLimit must be more than 0 and at most 31536000 seconds (365 days), got " + bad, e.getMessage());
        }
        for (String bad : List.of("soon", "0", "-1", "31536001", "NaN", "PT0S", "-PT1S", "P366D")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ExecutorConfig.builder().property("time_limit", bad));
            assertEquals("time_limit must be a number of seconds (such as 0.2 or 30) or an ISO-8601 duration (PT0.2S),"
                    + " more than 0 and at most 31536000 seconds (365 days), got '" + bad + "'", e.getMessage());
        }
        assertEquals(Duration.ofMillis(1500), ExecutorConfig.of(Map.of("time_limit", 1.5)).timeLimit().orElseThrow());
        ExecutorConfig iso = ExecutorConfig.builder().property("time_limit", "PT0.25S").build();
        assertEquals(Duration.ofMillis(250), iso.timeLimit().orElseThrow());
        assertEquals(iso, ExecutorConfig.builder().property("time_limit", iso.property("time_limit").orElseThrow()).build(),
                "a time_limit read back as a property sets the same limit");
        assertEquals(42, ex.submit(Tasks.answer()).result(Duration.ofSeconds(60)));
    }

    // ------------------------------------------------------------------ shutdown

    @Test
    @DisplayName("submit, map and execute after shutdown raise RejectedExecutionException")
    void submitAfterShutdownIsRejected() {
        Executor ex = open(workers(1));
        assertEquals(42, ex.submit(Tasks.answer()).result());
        ex.shutdown();
        assertTrue(ex.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> ex.submit(Tasks.answer()));
        assertThrows(RejectedExecutionException.class, () -> ex.submit(Tasks.square(), 2));
        assertThrows(RejectedExecutionException.class, () -> ex.submit(Tasks.pow(), 2.0, 2.0));
        assertThrows(RejectedExecutionException.class, () -> ex.map(Tasks.square(), List.of(1, 2)));
        assertThrows(RejectedExecutionException.class, () -> ex.execute(() -> {}));
    }

    @Test
    @DisplayName("calling shutdown twice, in any form, is harmless")
    void shutdownTwiceIsHarmless() {
        Executor ex = open(workers(1));
        Future<Integer> f = ex.submit(Tasks.square(), 3);
        ex.shutdown();
        ex.shutdown();
        ex.shutdown(false);
        ex.shutdown(true, true);
        ex.close();
        assertEquals(9, f.result());
        assertTrue(ex.isShutdown());
    }

    @Test
    @DisplayName("shutdown(wait=true) does not return until all the pending futures are done executing")
    void shutdownWaitsForPendingWork() throws InterruptedException {
        requireAsync();
        Gate gate = gate();
        Executor ex = open(workers(1));
        List<Future<String>> fs = List.of(
                ex.submit(Tasks.passThen(gate.key(), "a")),
                ex.submit(Tasks.passThen(gate.key(), "b")),
                ex.submit(Tasks.passThen(gate.key(), "c")));
        gate.awaitArrivals(1);
        Thread releaser = releaseOnceShutDown(ex, gate);
        ex.shutdown(true);
        for (Future<String> f : fs) {
            assertTrue(f.done(), "shutdown(wait=true) returned before " + f + " was done");
        }
        assertEquals(List.of("a", "b", "c"), fs.stream().map(Future::result).toList());
        releaser.join();
    }

    @Test
    @DisplayName("shutdown(wait=true) returns only after the done callbacks of the pending calls have returned, as Python's, which joins the threads that run them")
    void shutdownWaitsForDoneCallbacks() throws InterruptedException {
        requireAsync();
        Gate gate = gate();
        Executor ex = open(workers(1));
        Future<String> f = ex.submit(Tasks.passThen(gate.key(), "done"));
        gate.awaitArrivals(1); // running, so the callback below runs in the completing thread, not here
        CountDownLatch inCallback = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Boolean> callbackEnded = new AtomicReference<>(false);
        f.addDoneCallback(done -> {
            inCallback.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            callbackEnded.set(true);
        });
        gate.release();
        AtomicReference<Boolean> endedWhenShutdownReturned = new AtomicReference<>();
        Thread shutter = new Thread(() -> {
            ex.shutdown(true);
            endedWhenShutdownReturned.set(callbackEnded.get());
        }, "suite-shutter");
        try {
            inCallback.await();
            shutter.start();
            // Let the callback go once shutdown either blocks or has returned: a condition, not a clock.
            Set<Thread.State> settled = Set.of(Thread.State.WAITING, Thread.State.TIMED_WAITING, Thread.State.TERMINATED);
            while (!settled.contains(shutter.getState())) {
                Thread.onSpinWait();
            }
        } finally {
            release.countDown();
        }
        shutter.join();
        assertEquals(true, endedWhenShutdownReturned.get(),
                "shutdown(wait=true) returned while a done callback of a pending call was still running");
        assertEquals("done", f.result());
    }

    @Test
    @DisplayName("shutdown(wait=false) returns at once, and the pending futures still run to completion")
    void shutdownWithoutWaitReturnsAtOnce() {
        requireAsync();
        Gate gate = gate();
        Executor ex = open(workers(1));
        Future<String> running = ex.submit(Tasks.passThen(gate.key(), "running"));
        Future<String> queued = ex.submit(Tasks.passThen(gate.key(), "queued"));
        gate.awaitArrivals(1);
        ex.shutdown(false); // returns although `running` is held at the gate
        assertFalse(running.done());
        assertTrue(ex.isShutdown());
        gate.release();
        assertEquals("running", running.result());
        assertEquals("queued", queued.result());
    }

    @Test
    @DisplayName("shutdown(cancelFutures=true) cancels the futures that have not started; running ones finish")
    void shutdownCancelsWhatHasNotStarted() {
        requireAsync();
        Gate first = gate();
        Gate rest = gate();
        Executor ex = open(workers(1));
        Future<String> running = ex.submit(Tasks.passThen(first.key(), "running"));
        first.awaitArrivals(1);
        List<Future<String>> queued = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            queued.add(ex.submit(Tasks.markThen(rest.key(), "queued-" + i)));
        }
        ex.shutdown(false, true);
        assertFalse(running.cancelled(), "a running call is never cancelled");
        first.release();
        ex.shutdown(true);
        assertEquals("running", running.result());
        List<String> ran = rest.arrivals();
        int cancelled = 0;
        for (int i = 0; i < queued.size(); i++) {
            Future<String> f = queued.get(i);
            assertTrue(f.done());
            if (f.cancelled()) {
                cancelled++;
                assertFalse(ran.contains("queued-" + i), "queued-" + i + " was cancelled, yet it ran");
                assertThrows(CancellationException.class, f::result);
            } else {
                assertEquals("queued-" + i, f.result());
            }
        }
        assertTrue(queued.get(7).cancelled(), "the last call queued behind a busy worker was not cancelled");
        assertTrue(cancelled > 0);
    }

    @Test
    @DisplayName("try-with-resources shuts the executor down, waiting as shutdown(wait=true) does")
    void tryWithResourcesWaits() throws InterruptedException {
        requireAsync();
        Gate gate = gate();
        List<Future<String>> fs = new ArrayList<>();
        Thread releaser;
        try (Executor ex = newExecutor(workers(1))) {
            fs.add(ex.submit(Tasks.passThen(gate.key(), "x")));
            fs.add(ex.submit(Tasks.passThen(gate.key(), "y")));
            gate.awaitArrivals(1);
            releaser = releaseOnceShutDown(ex, gate);
        }
        for (Future<String> f : fs) {
            assertTrue(f.done(), "close() returned before " + f + " was done");
        }
        assertEquals(List.of("x", "y"), fs.stream().map(Future::result).toList());
        releaser.join();
    }

    @Test
    @DisplayName("try-with-resources runs the calls submitted in its block")
    void tryWithResourcesRunsTheCalls() {
        Future<Integer> f;
        try (Executor ex = newExecutor(workers(1))) {
            f = ex.submit(Tasks.square(), 12);
        }
        assertTrue(f.done());
        assertEquals(144, f.result());
    }

    // ------------------------------------------------------------------ configuration

    @Test
    @DisplayName("max_workers less than or equal to 0 raises IllegalArgumentException when the config is made")
    void maxWorkersMustBePositive() {
        for (int bad : new int[] {0, -1, Integer.MIN_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ExecutorConfig.builder().maxWorkers(bad));
            assertTrue(e.getMessage().contains("max_workers"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ExecutorConfig.of(Map.of(ExecutorConfig.MAX_WORKERS, 0)));
        Properties p = new Properties();
        p.setProperty(ExecutorConfig.MAX_WORKERS, "-3");
        assertThrows(IllegalArgumentException.class, () -> ExecutorConfig.of(p));
    }

    @Test
    @DisplayName("the executor reports the max_workers it was given, and a positive default")
    void maxWorkersIsReported() {
        try (Executor ex = newExecutor(workers(3))) {
            assertEquals(3, ex.maxWorkers());
        }
        try (Executor ex = newExecutor(ExecutorConfig.defaults())) {
            assertTrue(ex.maxWorkers() > 0, "default max_workers " + ex.maxWorkers());
        }
    }

    @Test
    @DisplayName("a config key the provider does not know is rejected, naming the key and the accepted ones")
    void unknownConfigKeyIsRejected() {
        ExecutorConfig bad = ExecutorConfig.builder().maxWorkers(1).property("no_such_key", "1").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> open(bad));
        assertTrue(e.getMessage().contains("'no_such_key'"), e.getMessage());
        assertTrue(e.getMessage().contains("accepted: "), e.getMessage());
        assertTrue(e.getMessage().contains(ExecutorConfig.MAX_WORKERS), e.getMessage());
        assertEquals(42, open(workers(1)).submit(Tasks.answer()).result(), "the provider keeps serving");
    }

    @Test
    @DisplayName("no more than max_workers calls run at once")
    void neverMoreThanMaxWorkersAtOnce() {
        requireAsync();
        Gate gate = gate();
        Executor ex = open(workers(2));
        assertEquals(2, ex.maxWorkers());
        int calls = 6;
        List<Future<String>> fs = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            fs.add(ex.submit(Tasks.passThen(gate.key(), "call-" + i)));
        }
        // Let the calls through one at a time, each time once the pool has had the chance to
        // start as many as it may: at most two may ever be inside the gate together.
        for (int let = 0; let < calls; let++) {
            gate.awaitArrivals(Math.min(let + 2, calls));
            assertTrue(gate.waiting() <= 2, "more than 2 calls running at once: " + gate);
            assertTrue(gate.releaseOldest());
        }
        assertEquals(IntStream.range(0, calls).mapToObj(i -> "call-" + i).toList(),
                fs.stream().map(Future::result).toList());
        assertEquals(2, gate.peakWaiting(), "calls running at once, at most");
    }

    // ------------------------------------------------------------------ cancel

    @Test
    @DisplayName("cancel() of a call that has not started returns true, and the call never runs")
    void cancelPendingCall() {
        requireAsync();
        Gate first = gate();
        Gate rest = gate();
        Executor ex = open(workers(1));
        Future<String> running = ex.submit(Tasks.passThen(first.key(), "running"));
        first.awaitArrivals(1);
        // A provider may hand a few calls ahead to a busy worker (Python's process pool queues one
        // more than it has workers); the last of eight is still waiting for a worker on any sane one.
        List<Future<String>> queued = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            queued.add(ex.submit(Tasks.markThen(rest.key(), "queued-" + i)));
        }
        Future<String> last = queued.get(7);
        assertTrue(last.cancel(), "a call queued behind a busy worker could not be cancelled");
        assertTrue(last.cancelled());
        assertTrue(last.done());
        assertFalse(last.running());
        assertThrows(CancellationException.class, last::result);
        assertThrows(CancellationException.class, last::exception);
        first.release();
        ex.shutdown(true);
        assertEquals("running", running.result());
        assertFalse(rest.arrivals().contains("queued-7"), "the cancelled call ran: " + rest.arrivals());
        for (int i = 0; i < 7; i++) {
            assertEquals("queued-" + i, queued.get(i).result(), "a call that was not cancelled still runs");
        }
    }

    @Test
    @DisplayName("cancel() of a running call returns false and the call finishes")
    void cancelRunningCall() {
        requireAsync();
        Gate gate = gate();
        Future<String> f = shared().submit(Tasks.passThen(gate.key(), "running"));
        gate.awaitArrivals(1);
        assertTrue(f.running());
        assertFalse(f.cancel());
        assertFalse(f.cancelled());
        gate.release();
        assertEquals("running", f.result());
        assertFalse(f.cancelled());
    }

    @Test
    @DisplayName("cancel() of a finished call returns false and the result stays")
    void cancelFinishedCall() {
        Future<Integer> f = shared().submit(Tasks.answer());
        assertEquals(42, f.result());
        assertFalse(f.cancel());
        assertFalse(f.cancelled());
        assertEquals(42, f.result());
    }

    // ------------------------------------------------------------------ wait and asCompleted

    @Test
    @DisplayName("wait(ALL_COMPLETED) returns every future done; duplicates are returned once")
    void waitAllCompleted() {
        Executor ex = shared();
        Future<Integer> a = ex.submit(Tasks.square(), 2);
        Future<Integer> b = ex.submit(Tasks.throwUnchecked("b"));
        Future<Integer> c = ex.submit(Tasks.square(), 4);
        DoneAndNotDone<Future<Integer>> r = Futures.wait(List.of(a, b, c, a), ReturnWhen.ALL_COMPLETED);
        assertEquals(Set.of(a, b, c), r.done());
        assertEquals(Set.of(), r.notDone());
    }

    @Test
    @DisplayName("wait(FIRST_EXCEPTION) with no exception is equivalent to ALL_COMPLETED")
    void waitFirstExceptionWithoutException() {
        Executor ex = shared();
        List<Future<Integer>> fs = List.of(ex.submit(Tasks.square(), 1), ex.submit(Tasks.square(), 2));
        DoneAndNotDone<Future<Integer>> r = Futures.wait(fs, ReturnWhen.FIRST_EXCEPTION);
        assertEquals(Set.copyOf(fs), r.done());
        assertEquals(Set.of(), r.notDone());
    }

    @Test
    @DisplayName("wait(FIRST_COMPLETED) returns when any future finishes")
    void waitFirstCompleted() {
        requireAsync();
        Gate gate = gate();
        Executor ex = shared();
        Future<String> held = ex.submit(Tasks.passThen(gate.key(), "held"));
        gate.awaitArrivals(1);
        Future<String> quick = ex.submit(Tasks.markThen(gate.key(), "quick"));
        DoneAndNotDone<Future<String>> r = Futures.wait(List.of(held, quick), ReturnWhen.FIRST_COMPLETED);
        assertEquals(Set.of(quick), r.done());
        assertEquals(Set.of(held), r.notDone());
    }

    @Test
    @DisplayName("wait(FIRST_EXCEPTION) returns when any future finishes by raising an exception")
    void waitFirstException() {
        requireAsync();
        Gate gate = gate();
        Executor ex = shared();
        Future<String> held = ex.submit(Tasks.passThen(gate.key(), "held"));
        gate.awaitArrivals(1);
        Future<Integer> failing = ex.submit(Tasks.throwUnchecked("first"));
        DoneAndNotDone<Future<?>> r = Futures.wait(List.<Future<?>>of(held, failing), ReturnWhen.FIRST_EXCEPTION);
        assertEquals(Set.of(failing), r.done());
        assertEquals(Set.of(held), r.notDone());
    }

    @Test
    @DisplayName("wait returns the futures not done when the timeout expires")
    void waitTimeout() {
        requireAsync();
        Gate gate = gate();
        Executor ex = shared();
        Future<String> held = ex.submit(Tasks.passThen(gate.key(), "held"));
        Future<Integer> quick = ex.submit(Tasks.answer());
        assertEquals(42, quick.result());
        DoneAndNotDone<Future<?>> r = Futures.wait(List.<Future<?>>of(held, quick), Duration.ofMillis(100));
        assertEquals(Set.of(quick), r.done());
        assertEquals(Set.of(held), r.notDone());
    }

    @Test
    @DisplayName("asCompleted yields futures that completed before the call first, in the order given, each once")
    void asCompletedYieldsDoneFirstAndEachOnce() {
        Executor ex = shared();
        List<Future<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fs.add(ex.submit(Tasks.square(), i));
        }
        fs.forEach(Future::result);
        List<Future<Integer>> withDuplicates = new ArrayList<>(fs);
        withDuplicates.addAll(fs);
        List<Future<Integer>> yielded = new ArrayList<>();
        Futures.asCompleted(withDuplicates).forEach(yielded::add);
        assertEquals(fs, yielded);
    }

    @Test
    @DisplayName("asCompleted yields futures as they complete")
    void asCompletedYieldsInCompletionOrder() {
        requireAsync();
        Gate gate = gate();
        Executor ex = shared();
        Future<String> held = ex.submit(Tasks.passThen(gate.key(), "held"));
        gate.awaitArrivals(1);
        Future<String> quick = ex.submit(Tasks.markThen(gate.key(), "quick"));
        List<Future<String>> yielded = new ArrayList<>();
        for (Future<String> f : Futures.asCompleted(List.of(held, quick, held))) {
            yielded.add(f);
            if (f == quick) {
                gate.release();
            }
        }
        assertEquals(List.of(quick, held), yielded);
    }

    @Test
    @DisplayName("asCompleted raises WaitTimeoutException when a future is not done timeout after the call")
    void asCompletedTimeout() {
        requireAsync();
        Gate gate = gate();
        Executor ex = shared();
        Future<String> held = ex.submit(Tasks.passThen(gate.key(), "held"));
        var it = Futures.asCompleted(List.of(held), Duration.ofMillis(100)).iterator();
        WaitTimeoutException e = assertThrows(WaitTimeoutException.class, it::next);
        assertTrue(e.getMessage().contains("1 (of 1) futures unfinished"), e.getMessage());
        assertFalse(held.done());
    }

    // ------------------------------------------------------------------ a worker's death

    @Test
    @DisplayName("A call whose worker process dies (System.exit(3)) fails alone with WorkerDiedException naming the pid and exit status 3; a new worker runs the call queued behind it, and the executor serves on")
    void workerDeathCostsOneCall() {
        assumeTrue(survivesWorkerDeath(), "this provider's executors do not survive a worker's death");
        Executor ex = open(workerDeathConfig(1));
        Duration limit = Duration.ofSeconds(30);
        long pid = ex.submit(Tasks.pid()).result(limit);
        Future<Integer> dies = ex.submit(Tasks.exitProcess(3));
        Future<Long> queued = ex.submit(Tasks.pid());
        WorkerDiedException e = assertInstanceOf(WorkerDiedException.class, dies.exception(limit));
        assertEquals(pid, e.pid(), e.getMessage());
        assertEquals(3, e.exitStatus(), e.getMessage());
        assertTrue(e.getMessage().contains(Long.toString(pid)), "the message names the pid: " + e.getMessage());
        long next = queued.result(limit);
        assertNotEquals(pid, next, "a new worker runs the queued call");
        assertEquals(42, ex.submit(Tasks.answer()).result(limit));
        assertNull(ex.submit(Tasks.nothing()).exception(limit), "the executor is not broken");
    }

    // ------------------------------------------------------------------ the executor itself

    @Test
    @DisplayName("toString names the provider and max_workers, and says when the executor is shut down")
    void executorToString() {
        Executor ex = open(workers(2));
        String running = ex.toString();
        assertFalse(ex.providerName().isBlank());
        assertTrue(running.contains(ex.providerName()), running);
        assertTrue(running.contains("max_workers=2"), running);
        assertFalse(running.contains("shut down"), running);
        ex.shutdown();
        assertTrue(ex.toString().contains("shut down"), ex.toString());
    }

    // ------------------------------------------------------------------ deadlocks (providers in this JVM)

    @Test
    @DisplayName("The reference's wait_on_future on a one-worker executor fails with DeadlockException instead of hanging; then pow(5, 2) runs")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void deadlockOnOwnExecutorFails() {
        assumeTrue(detectsDeadlocks(), "this provider's calls do not run on threads of this JVM");
        Executor ex = open(workers(1));
        AtomicReference<Future<Double>> inner = new AtomicReference<>();
        Future<Double> outer = ex.submit(InJvmTasks.waitOnOwnExecutor(ex, inner));
        DeadlockException e = assertInstanceOf(DeadlockException.class, outer.exception(Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains("docs/deadlocks.md"), e.getMessage());
        assertEquals(25.0, inner.get().result(Duration.ofSeconds(30)));
    }

    @Test
    @DisplayName("The reference's wait_on_b / wait_on_a: one wait fails with DeadlockException and the other call gets the same exception")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void deadlockCycleFails() {
        assumeTrue(detectsDeadlocks(), "this provider's calls do not run on threads of this JVM");
        Executor ex = open(workers(2));
        AtomicReference<Future<Integer>> a = new AtomicReference<>();
        AtomicReference<Future<Integer>> b = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        a.set(ex.submit(InJvmTasks.resultOfOther(b, go, 5)));
        b.set(ex.submit(InJvmTasks.resultOfOther(a, go, 6)));
        go.countDown();
        Throwable ea = a.get().exception(Duration.ofSeconds(30));
        assertInstanceOf(DeadlockException.class, ea);
        assertSame(ea, b.get().exception(Duration.ofSeconds(30)));
    }

    @Test
    @DisplayName("With deadlock_detection=false, wait_on_future waits out its own timeout, as in CPython")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void deadlockDetectionOff() {
        assumeTrue(detectsDeadlocks(), "this provider's calls do not run on threads of this JVM");
        Executor ex = open(ExecutorConfig.builder().maxWorkers(1).deadlockDetection(false).build());
        Future<Double> outer = ex.submit(InJvmTasks.waitOnOwnExecutor(ex, Duration.ofMillis(100)));
        assertInstanceOf(WaitTimeoutException.class, outer.exception(Duration.ofSeconds(30)));
    }

    // ------------------------------------------------------------------ helpers for the tests

    /**
     * The executor of {@value #SHARED_WORKERS} workers shared by tests that do not shut it down.
     *
     * @return the shared executor, made on first use
     */
    protected final Executor shared() {
        if (shared == null) {
            shared = newExecutor(workers(SHARED_WORKERS));
        }
        return shared;
    }

    /**
     * A new executor from {@link #newExecutor}, shut down after the test.
     *
     * @param config the executor's settings
     * @return the new executor
     */
    protected final Executor open(ExecutorConfig config) {
        Executor ex = newExecutor(config);
        opened.add(ex);
        return ex;
    }

    /**
     * A new {@link Gate}, closed after the test (which lets every task waiting at it through).
     *
     * @return the new gate
     */
    protected final Gate gate() {
        assumeTrue(tasksRunOnThisMachine(), "tasks of this provider cannot reach a gate on this machine");
        Gate g = Gate.open();
        gates.add(g);
        return g;
    }

    /**
     * A config of {@code n} workers.
     *
     * @param n the number of workers, 1 or more
     * @return a config that sets {@code max_workers} only
     */
    protected static ExecutorConfig workers(int n) {
        return ExecutorConfig.builder().maxWorkers(n).build();
    }

    private void requireAsync() {
        assumeTrue(runsTasksAsynchronously(),
                "this executor runs each call inside submit, so no call can be pending or held while the test acts");
    }

    /**
     * A thread that opens the gate once {@code ex} is shut down: the test thread is then inside
     * (or about to enter) a waiting shutdown, so the calls still pending must finish before it
     * returns. It waits with onSpinWait on a flag that the test thread sets right away, never on a
     * clock.
     */
    private static Thread releaseOnceShutDown(Executor ex, Gate gate) {
        Thread t = new Thread(() -> {
            while (!ex.isShutdown()) {
                Thread.onSpinWait();
            }
            gate.release();
        }, "suite-releaser");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static <T> List<T> collect(Iterable<T> results) {
        List<T> out = new ArrayList<>();
        results.forEach(out::add);
        return out;
    }

    @AfterEach
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void releaseGatesAndShutDown() {
        for (Gate g : gates) {
            g.close();
        }
        gates.clear();
        for (Executor ex : opened) {
            ex.shutdown(true, true);
        }
        opened.clear();
    }

    @AfterAll
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shutDownShared() {
        if (shared != null) {
            shared.shutdown(true, true);
            shared = null;
        }
    }
}
