package futures.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Func;
import futures.core.Future;
import futures.spi.ExecutorConfig;
import futures.spi.RemoteTaskException;
import futures.spi.Task;
import futures.testkit.Gate;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** What "cluster" adds to the behaviour suite: two members used, types kept, refusals at submit. */
@ExtendWith(TestCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterTest {
    private Executor ex;

    @BeforeAll
    void open() {
        ex = Executors.create("cluster", TestCluster.attached(ExecutorConfig.builder().maxWorkers(8).build()));
    }

    @AfterAll
    void close() {
        ex.shutdown();
    }

    /** Which member ran the call: the engine names its threads after the instance. */
    static String where() {
        String t = Thread.currentThread().getName();
        return t.contains("-a.") ? "a" : t.contains("-b.") ? "b" : t;
    }

    @Test
    void thousandTasksCompleteOnBothMembers() {
        Func<Integer, String> f = i -> (i * i) + "@" + where();
        List<Future<String>> fs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            fs.add(ex.submit(f, i));
        }
        Map<String, Integer> byMember = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            String[] r = fs.get(i).result().split("@");
            assertEquals(String.valueOf(i * i), r[0]);
            byMember.merge(r[1], 1, Integer::sum);
        }
        assertEquals(Map.of("a", byMember.get("a"), "b", byMember.get("b")), byMember, "only members a and b ran calls");
        assertTrue(byMember.get("a") >= 100 && byMember.get("b") >= 100, "both members used: " + byMember);
    }

    /** A user's exception type, unknown to the engine. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String m) {
            super(m);
        }
    }

    static Integer refuse() {
        throw new Refused("no " + where());
    }

    @Test
    void exceptionTypesAndRemoteFramesArePreserved() {
        Task<Integer> t = ClusterTest::refuse;
        Refused e = assertThrows(Refused.class, () -> ex.submit(t).result());
        assertTrue(e.getMessage().startsWith("no "), e.getMessage());
        assertTrue(Arrays.stream(e.getStackTrace()).anyMatch(s -> s.getMethodName().equals("refuse")),
                "the remote frames are kept: " + Arrays.toString(e.getStackTrace()));
        Task<Integer> checked = () -> {
            throw new IOException("disk full");
        };
        CompletionException c = assertThrows(CompletionException.class, () -> ex.submit(checked).result());
        assertInstanceOf(IOException.class, c.getCause());
        assertEquals("disk full", c.getCause().getMessage());
    }

    /** An exception that cannot be serialized: it holds a thread. */
    static final class Unsendable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("unused")
        private final Object lock = new Object();

        Unsendable(String m) {
            super(m);
        }
    }

    @Test
    void unserializableExceptionArrivesAsRemoteTaskException() {
        Task<Integer> t = () -> {
            throw new Unsendable("held");
        };
        RemoteTaskException e = assertThrows(RemoteTaskException.class, () -> ex.submit(t).result());
        assertEquals(Unsendable.class.getName(), e.remoteClassName());
        assertEquals("held", e.remoteMessage());
    }

    @Test
    void unserializableValueFailsItsFutureNamingTheClass() {
        Task<Object> t = () -> new Object();
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> ex.submit(t).result());
        assertTrue(e.getMessage().contains("java.lang.Object is not Serializable"), e.getMessage());
        assertEquals(42, ex.submit(() -> 42).result(), "the executor keeps serving");
    }

    /** A task that is not Serializable (the engine's Compact fallback would take it). */
    static final class PlainCallable implements Callable<Integer> {
        @Override
        public Integer call() {
            return 1;
        }
    }

    @Test
    void nonSerializableTaskIsRejectedAtSubmitNamingItsClass() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ex.asExecutorService().submit(new PlainCallable()));
        assertTrue(e.getMessage().contains(PlainCallable.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("Serializable"), e.getMessage());
        Object capture = new Object();
        Task<Integer> capturing = () -> capture.hashCode();
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> ex.submit(capturing));
        assertTrue(c.getMessage().contains("java.lang.Object is not Serializable"), c.getMessage());
        Func<Object, Integer> f = Object::hashCode;
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> ex.submit(f, new Object()));
        assertTrue(a.getMessage().contains("java.lang.Object is not Serializable"), a.getMessage());
        assertEquals(42, ex.submit(() -> 42).result(), "the executor keeps serving");
    }

    @Test
    void deniedClassIsRefusedByTheMembersFilter() {
        var denied = new futures.cluster.denied.Denied("x"); // the shared members deny its package
        Task<String> t = () -> denied.value();
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> ex.submit(t).result());
        assertTrue(e.getMessage().contains("futures.cluster.denied.Denied is not allowed by its serialization filter"),
                e.getMessage());
        assertEquals(42, ex.submit(() -> 42).result(), "the executor keeps serving");
    }

    @Test
    void queuedCancelPreventsTheRun() {
        try (Gate gate = Gate.open();
                Executor one = Executors.create("cluster", TestCluster.attached(ExecutorConfig.builder().maxWorkers(1).build()))) {
            Gate.Key key = gate.key();
            Future<String> running = one.submit(() -> {
                key.pass("first");
                return "first";
            });
            Future<String> queued = one.submit(() -> {
                key.mark("second");
                return "second";
            });
            assertEquals(List.of("first"), gate.awaitArrivals(1));
            assertTrue(queued.cancel(), "a call not yet sent can be cancelled");
            gate.release();
            assertEquals("first", running.result());
            assertEquals("third", one.submit(() -> {
                key.mark("third");
                return "third";
            }).result());
            assertEquals(List.of("first", "third"), gate.arrivals(), "the cancelled call never ran");
        }
    }

    @Test
    void doneCallbacksNeverRunOnTheEnginesResponseOrOperationThreads() throws InterruptedException {
        int n = 200;
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.CountDownLatch called = new java.util.concurrent.CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            int x = i;
            Future<Integer> f = ex.submit(() -> x);
            f.addDoneCallback(done -> {
                threads.add(Thread.currentThread().getName());
                called.countDown();
            });
        }
        assertTrue(called.await(30, TimeUnit.SECONDS), "every callback ran");
        for (String t : threads) {
            assertFalse(t.contains(".response-") || t.contains("operation.thread") || t.contains(".IO.")
                    || t.contains(".cached.thread"), "a done callback ran on the engine's thread " + t + " (all: " + threads + ")");
        }
    }

    /** Counted down by {@link #stoppable}'s calls (they run on this JVM's members). */
    static volatile java.util.concurrent.CountDownLatch started, interrupted;

    static String stoppable() {
        started.countDown();
        try {
            Thread.sleep(60_000);
            return "slept";
        } catch (InterruptedException e) {
            interrupted.countDown();
            return "interrupted";
        }
    }

    @Test
    void cancelRunningInterruptsTheCallOnItsMemberAndFreesItsSlot() throws InterruptedException {
        started = new java.util.concurrent.CountDownLatch(1);
        interrupted = new java.util.concurrent.CountDownLatch(1);
        try (Executor one = Executors.create("cluster", TestCluster.attached(ExecutorConfig.builder().maxWorkers(1).build()))) {
            Future<String> running = one.submit(ClusterTest::stoppable);
            assertTrue(started.await(30, TimeUnit.SECONDS), "the call started");
            assertFalse(running.cancel(), "cancel() refuses a running call");
            assertTrue(running.cancelRunning());
            assertTrue(running.cancelled());
            assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the member interrupted the call's thread");
            long t0 = System.nanoTime();
            assertEquals(42, one.submit(() -> 42).result(java.time.Duration.ofSeconds(30)),
                    "the only slot was freed: the next call runs");
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30));
        }
    }

    @Test
    void submitAfterShutdownIsRejected() {
        Executor e = Executors.create("cluster", TestCluster.attached(ExecutorConfig.builder().maxWorkers(1).build()));
        e.shutdown();
        assertThrows(RejectedExecutionException.class, () -> e.submit(() -> 1));
        assertTrue(TestCluster.pair().a().getLifecycleService().isRunning(), "an attached executor leaves the member running");
    }

    @Test
    void mapWithChunksReturnsEveryResultInOrder() {
        Func<Integer, Integer> sq = x -> x * x;
        List<Integer> in = IntStream.range(0, 101).boxed().toList();
        List<Integer> out = new ArrayList<>();
        ex.map(sq, in, java.time.Duration.ofSeconds(30), 10).forEachRemaining(out::add);
        assertEquals(in.stream().map(x -> x * x).toList(), out);
    }

    @Test
    void defaultMaxWorkersIsTheMembersCores() {
        try (Executor d = Executors.create("cluster", TestCluster.attached(ExecutorConfig.defaults()))) {
            assertEquals(2 * Runtime.getRuntime().availableProcessors(), d.maxWorkers());
        }
    }

    @Test
    void badValuesAreRejectedSayingWhatIsAccepted() {
        IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
                () -> Executors.create("cluster", ExecutorConfig.builder().property("mode", "cloud").build()));
        assertTrue(mode.getMessage().contains("'embedded'") && mode.getMessage().contains("'client'"), mode.getMessage());
        IllegalArgumentException wildcard = assertThrows(IllegalArgumentException.class,
                () -> Executors.create("cluster", ExecutorConfig.builder().property("bind_address", "0.0.0.0").build()));
        assertTrue(wildcard.getMessage().contains("wildcard"), wildcard.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Executors.create("cluster", ExecutorConfig.builder().maxTasksPerChild(3).build()));
        assertTrue(unknown.getMessage().contains("max_tasks_per_child"), unknown.getMessage());
    }

    @Test
    void plainAndObjectValuesComeBackEqual() {
        String longText = "x".repeat(40_000); // too long for the direct form: crosses as an object stream
        List<Object> values = Arrays.asList(null, 7, 7L, true, 2.5, "text", "", longText, List.of(1, 2), 'c');
        for (Object v : values) {
            Task<Object> t = () -> v;
            assertEquals(v, ex.submit(t).result());
        }
    }

    @Test
    void serializableMarker() {
        // the test's own lambdas cross because futures.core.Func and futures.spi.Task are Serializable
        assertFalse(Serializable.class.isAssignableFrom(PlainCallable.class));
    }
}
