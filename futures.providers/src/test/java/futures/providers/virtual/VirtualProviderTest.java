package futures.providers.virtual;

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
import futures.spi.BrokenThreadPoolException;
import futures.spi.ExecutorConfig;
import futures.spi.ExecutorProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The "virtual" provider: a virtual thread per call, an optional bound, the thread provider's options. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VirtualProviderTest {
    /** Released after each test so no task stays blocked (the exit guard would wait for it). */
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Executor> executors = new ArrayList<>();

    @AfterEach
    void releaseAndShutDown() {
        release.countDown();
        for (Executor e : executors) {
            e.shutdown(true, true);
        }
    }

    private Executor virtual(ExecutorConfig config) {
        Executor e = Executors.create("virtual", config);
        executors.add(e);
        return e;
    }

    private static ExecutorConfig maxWorkers(int n) {
        return ExecutorConfig.builder().maxWorkers(n).build();
    }

    private static boolean await(CountDownLatch latch) throws InterruptedException {
        return latch.await(30, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("the provider is found by name, and says it accepts max_workers, thread_name_prefix and initializer")
    void providerIsDiscovered() {
        ExecutorProvider p = Executors.providers().stream()
                .filter(x -> x.name().equals("virtual")).findFirst().orElseThrow();
        assertEquals(Set.of("max_workers", "thread_name_prefix", "initializer"), p.configKeys());
        Executor e = virtual(ExecutorConfig.defaults());
        assertEquals("virtual", e.providerName());
    }

    @Test
    @DisplayName("a config key the provider does not accept is rejected, naming the accepted ones")
    void unknownKeyIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Executors.create("virtual",
                ExecutorConfig.builder().maxTasksPerChild(3).build()));
        assertTrue(e.getMessage().contains("max_tasks_per_child"), e.getMessage());
        assertTrue(e.getMessage().contains("initializer, max_workers, thread_name_prefix"), e.getMessage());
    }

    @Test
    @DisplayName("max_workers can come from properties as a string; zero or less is rejected")
    void maxWorkersFromProperties() {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("max_workers", "4");
        props.setProperty("thread_name_prefix", "io");
        Executor e = virtual(ExecutorConfig.of(props));
        assertEquals(4, e.maxWorkers());
        assertTrue(e.toString().contains("max_workers=4"), e.toString());
        assertThrows(IllegalArgumentException.class, () -> ExecutorConfig.builder().maxWorkers(0));
    }

    @Test
    @DisplayName("each call runs in its own new virtual thread")
    void eachCallInItsOwnVirtualThread() {
        Executor e = virtual(ExecutorConfig.defaults());
        List<Future<Thread>> fs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            fs.add(e.submit(Thread::currentThread));
        }
        Set<Thread> seen = new HashSet<>();
        for (Future<Thread> f : fs) {
            Thread t = f.result();
            assertTrue(t.isVirtual(), t + " is not virtual");
            assertTrue(seen.add(t), "a thread ran two calls: " + t);
        }
    }

    @Test
    @DisplayName("without max_workers there is no bound: 200 calls all run at once")
    void unboundedByDefault() throws Exception {
        Executor e = virtual(ExecutorConfig.defaults());
        assertEquals(Integer.MAX_VALUE, e.maxWorkers());
        int n = 200;
        CountDownLatch allStarted = new CountDownLatch(n);
        List<Future<Boolean>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fs.add(e.submit(() -> {
                allStarted.countDown();
                return allStarted.await(30, TimeUnit.SECONDS); // true only if all n run together
            }));
        }
        for (Future<Boolean> f : fs) {
            assertTrue(f.result(), "a call waited for a slot although no bound was set");
        }
    }

    @Test
    @DisplayName("max_workers bounds how many calls run at once; the others stay pending until a slot frees")
    void maxWorkersBoundsConcurrency() throws Exception {
        int max = 3;
        Executor e = virtual(maxWorkers(max));
        assertEquals(max, e.maxWorkers());
        AtomicInteger running = new AtomicInteger();
        AtomicInteger highWater = new AtomicInteger();
        CountDownLatch firstStarted = new CountDownLatch(max);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            fs.add(e.submit(() -> {
                int now = running.incrementAndGet();
                highWater.accumulateAndGet(now, Math::max);
                firstStarted.countDown();
                go.await(30, TimeUnit.SECONDS);
                running.decrementAndGet();
                return now;
            }));
        }
        try {
            assertTrue(await(firstStarted));
            assertEquals(max, running.get());
            long runningFutures = fs.stream().filter(Future::running).count();
            assertEquals(max, runningFutures, "only calls holding a slot are marked running");
            for (Future<Integer> f : fs) {
                assertTrue(f.running() || !f.done(), "nothing finished yet");
            }
        } finally {
            go.countDown();
        }
        for (Future<Integer> f : fs) {
            f.result();
        }
        assertEquals(max, highWater.get());
    }

    @Test
    @DisplayName("many short calls through a small bound never exceed it and all complete")
    void manyCallsThroughSmallBound() {
        Executor e = virtual(maxWorkers(4));
        AtomicInteger running = new AtomicInteger();
        AtomicInteger highWater = new AtomicInteger();
        List<Future<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            int x = i;
            fs.add(e.submit(() -> {
                highWater.accumulateAndGet(running.incrementAndGet(), Math::max);
                Thread.yield();
                running.decrementAndGet();
                return x * 2;
            }));
        }
        for (int i = 0; i < fs.size(); i++) {
            assertEquals(i * 2, fs.get(i).result());
        }
        assertTrue(highWater.get() <= 4, "high-water mark " + highWater.get());
    }

    @Test
    @DisplayName("a call waiting for a slot can be cancelled, and then never runs")
    void cancelWhileWaitingForSlot() throws Exception {
        Executor e = virtual(maxWorkers(1));
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean secondRan = new AtomicBoolean();
        Future<String> first = e.submit(() -> {
            started.countDown();
            release.await();
            return "first";
        });
        Future<String> second = e.submit(() -> {
            secondRan.set(true);
            return "second";
        });
        Future<String> third = e.submit(() -> "third");
        assertTrue(await(started));
        assertFalse(second.running());
        assertTrue(second.cancel());
        assertTrue(second.cancelled());
        assertFalse(first.cancel(), "a running call cannot be cancelled");
        release.countDown();
        assertEquals("first", first.result());
        assertEquals("third", third.result());
        e.shutdown();
        assertFalse(secondRan.get());
    }

    @Test
    @DisplayName("thread_name_prefix names the threads prefix_0, prefix_1, ...")
    void threadNamePrefix() {
        Executor e = virtual(ExecutorConfig.builder().threadNamePrefix("loader").build());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            names.add(e.submit(() -> Thread.currentThread().getName()).result());
        }
        assertEquals(Set.of("loader_0", "loader_1", "loader_2"), names);
    }

    @Test
    @DisplayName("without a prefix threads are named futures-virtual-N_i")
    void defaultThreadNames() {
        Executor e = virtual(ExecutorConfig.defaults());
        String name = e.submit(() -> Thread.currentThread().getName()).result();
        assertTrue(name.matches("futures-virtual-\\d+_0"), name);
    }

    @Test
    @DisplayName("the initializer runs once in each virtual thread, before its call")
    void initializerRunsOncePerThread() {
        Set<Thread> initialized = ConcurrentHashMap.newKeySet();
        AtomicInteger runs = new AtomicInteger();
        Executor e = virtual(ExecutorConfig.builder().maxWorkers(2).initializer(() -> {
            runs.incrementAndGet();
            initialized.add(Thread.currentThread());
        }).build());
        List<Future<Boolean>> fs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            fs.add(e.submit(() -> initialized.contains(Thread.currentThread())));
        }
        for (Future<Boolean> f : fs) {
            assertTrue(f.result(), "the call ran before its thread's initializer");
        }
        assertEquals(10, runs.get());
    }

    @Test
    @DisplayName("an initializer that throws breaks the pool: its call and the waiting ones fail, later submits throw")
    @SuppressWarnings("try") // the log is checked when the block closes
    void initializerFailureBreaksPool() throws Exception {
        try (futures.providers.InitializerLog initializerLog = new futures.providers.InitializerLog(1)) {
            CountDownLatch gate = new CountDownLatch(1);
            Executor e = virtual(ExecutorConfig.builder().maxWorkers(1).initializer(() -> {
                gate.await(30, TimeUnit.SECONDS);
                throw new IllegalStateException("no database");
            }).build());
            List<Future<String>> fs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                fs.add(e.submit(() -> "never"));
            }
            gate.countDown();
            for (Future<String> f : fs) {
                Throwable t = f.exception();
                assertInstanceOf(BrokenThreadPoolException.class, t);
                assertTrue(t.getMessage().contains("no database"), t.getMessage());
            }
            assertThrows(BrokenThreadPoolException.class, () -> e.submit(() -> "later"));
            assertTrue(e.toString().contains("broken"), e.toString());
        }
    }

    @Test
    @DisplayName("shutdown(wait=true) returns only when every call, running or waiting, is done")
    void shutdownWaitsForEveryCall() {
        Executor e = virtual(maxWorkers(2));
        List<Future<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int x = i;
            fs.add(e.submit(() -> {
                Thread.yield();
                return x;
            }));
        }
        e.shutdown(true);
        for (Future<Integer> f : fs) {
            assertTrue(f.done(), f.toString());
        }
    }

    @Test
    @DisplayName("shutdown(cancelFutures=true) cancels the calls waiting for a slot; the running one finishes")
    void shutdownCancelsWaitingCalls() throws Exception {
        Executor e = virtual(maxWorkers(1));
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        Future<String> first = e.submit(() -> {
            started.countDown();
            release.await();
            return "first";
        });
        List<Future<Integer>> waiting = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiting.add(e.submit(ran::incrementAndGet));
        }
        assertTrue(await(started));
        e.shutdown(false, true);
        for (Future<Integer> f : waiting) {
            assertTrue(f.cancelled(), f.toString());
        }
        assertThrows(RejectedExecutionException.class, () -> e.submit(() -> 1));
        release.countDown();
        e.shutdown(true);
        assertEquals("first", first.result());
        assertEquals(0, ran.get());
    }

    @Test
    @DisplayName("shutdown(wait=true) from one of the pool's own calls throws, after shutting down")
    void shutdownWaitFromOwnCallThrows() {
        Executor e = virtual(maxWorkers(2));
        Future<Object> f = e.submit(() -> {
            e.shutdown(true);
            return "unreachable";
        });
        assertInstanceOf(IllegalStateException.class, f.exception());
        assertTrue(e.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> e.submit(() -> 1));
        e.shutdown(true); // and from outside it returns
    }

    @Test
    @DisplayName("shutdown(wait=false) from one of the pool's own calls returns, and the call finishes")
    void shutdownNoWaitFromOwnCall() {
        Executor e = virtual(maxWorkers(1));
        Future<String> f = e.submit(() -> {
            e.shutdown(false);
            return "done";
        });
        assertEquals("done", f.result());
        e.shutdown(true);
        assertTrue(e.isShutdown());
    }

    @Test
    @DisplayName("interrupting a call's thread does not reach the next call, which has its own thread")
    void interruptsDoNotLeak() {
        Executor e = virtual(maxWorkers(1));
        e.submit(() -> {
            Thread.currentThread().interrupt();
            return null;
        }).result();
        assertFalse(e.submit(() -> Thread.currentThread().isInterrupted()).result());
    }

    @Test
    @DisplayName("calls from as_completed come back as they finish on virtual threads")
    void asCompletedOverVirtualCalls() {
        Executor e = virtual(ExecutorConfig.defaults());
        List<Future<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int x = i;
            fs.add(e.submit(() -> x));
        }
        int count = 0;
        for (Future<Integer> f : Futures.asCompleted(fs, Duration.ofSeconds(30))) {
            assertTrue(f.done());
            count++;
        }
        assertEquals(10, count);
        assertNotEquals(0, count);
    }
}
