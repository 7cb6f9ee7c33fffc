package futures.providers.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.spi.BrokenExecutorException;
import futures.spi.BrokenThreadPoolException;
import futures.spi.ExecutorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Races on the thread pool's lock-free submit, taken once every thread is started: a submit that
 * comes while the pool is being shut down (with its queue cancelled, or handed back by
 * shutdownNow) or broken must end one way only: refused, run, or cancelled and never run, with no
 * future left pending for ever.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ThreadPoolFastPathRaceTest {
    private static final int ROUNDS = 500;
    private static final int TASKS = 400;
    private static final Duration LONG = Duration.ofSeconds(20);

    /** A 2-worker executor with both threads started, so that submit takes the lock-free path. */
    private static Executor fullPool() {
        Executor ex = Executors.create("thread", ExecutorConfig.builder().maxWorkers(2).build());
        CountDownLatch both = new CountDownLatch(2);
        List<Future<Boolean>> starters = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            starters.add(ex.submit(() -> {
                both.countDown();
                return both.await(20, TimeUnit.SECONDS);
            }));
        }
        for (Future<Boolean> f : starters) {
            assertTrue(f.result(LONG), "both workers ran at once");
        }
        return ex;
    }

    /** Lets the submitter get {@code n} calls in (n may be 0) before the caller goes on. */
    private static void awaitSubmitted(AtomicInteger submitted, int n, Thread submitter) {
        while (submitted.get() < n && submitter.isAlive()) {
            Thread.onSpinWait();
        }
    }

    @Test
    @DisplayName("a submit racing shutdown(cancel_futures=True) is refused, runs, or is cancelled and never runs; no future stays pending")
    void submitRacingCancelFutures() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Executor ex = fullPool();
            AtomicIntegerArray ran = new AtomicIntegerArray(TASKS);
            List<Future<Integer>> accepted = new ArrayList<>();
            AtomicInteger submitted = new AtomicInteger();
            int[] refusedAt = {-1};
            Thread submitter = new Thread(() -> {
                for (int i = 0; i < TASKS; i++) {
                    int n = i;
                    try {
                        accepted.add(ex.submit(() -> {
                            ran.set(n, 1);
                            return n;
                        }));
                    } catch (RejectedExecutionException e) {
                        refusedAt[0] = n;
                        return;
                    }
                    submitted.incrementAndGet();
                }
            });
            submitter.start();
            awaitSubmitted(submitted, ThreadLocalRandom.current().nextInt(TASKS / 2), submitter);
            ex.shutdown(false, true);
            submitter.join();
            assertTimeoutPreemptively(LONG, () -> ex.shutdown(true), "the workers did not leave");
            for (int i = 0; i < accepted.size(); i++) {
                Future<Integer> f = accepted.get(i);
                assertTrue(f.done(), "round " + round + ": future " + i + " left pending: " + f);
                if (f.cancelled()) {
                    assertEquals(0, ran.get(i), "round " + round + ": call " + i + " ran although cancelled");
                } else {
                    assertEquals(i, f.resultNow());
                    assertEquals(1, ran.get(i));
                }
            }
            if (refusedAt[0] >= 0) {
                assertEquals(0, ran.get(refusedAt[0]), "round " + round + ": a refused call ran");
            }

            assertTrue(ex.asExecutorService().isTerminated(), "round " + round + ": " + ex);
        }
    }

    @Test
    @DisplayName("a command racing shutdownNow is refused, runs, or is handed back unrun, exactly one of them")
    void submitRacingShutdownNow() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Executor ex = fullPool();
            ExecutorService view = ex.asExecutorService();
            AtomicIntegerArray ran = new AtomicIntegerArray(TASKS);
            List<Runnable> accepted = new ArrayList<>();
            Map<Runnable, Integer> index = new IdentityHashMap<>();
            AtomicInteger submitted = new AtomicInteger();
            Thread submitter = new Thread(() -> {
                for (int i = 0; i < TASKS; i++) {
                    int n = i;
                    Runnable r = () -> ran.incrementAndGet(n);
                    try {
                        view.execute(r);
                    } catch (RejectedExecutionException e) {
                        return;
                    }
                    accepted.add(r);
                    submitted.incrementAndGet();
                }
            });
            submitter.start();
            awaitSubmitted(submitted, ThreadLocalRandom.current().nextInt(TASKS / 2), submitter);
            List<Runnable> dropped = view.shutdownNow();
            submitter.join();
            assertTrue(view.awaitTermination(20, TimeUnit.SECONDS), "round " + round + ": not terminated: " + ex);
            for (int i = 0; i < accepted.size(); i++) {
                index.put(accepted.get(i), i);
            }
            int last = -1;
            for (Runnable r : dropped) {
                Integer i = index.get(r);
                assertTrue(i != null, "round " + round + ": shutdownNow handed back a command never accepted");
                assertTrue(i > last, "round " + round + ": handed back out of submission order");
                last = i;
                assertEquals(0, ran.get(i), "round " + round + ": command " + i + " was handed back and ran");
            }
            for (int i = 0; i < accepted.size(); i++) {
                boolean handedBack = dropped.stream().anyMatch(accepted.get(i)::equals);
                assertEquals(handedBack ? 0 : 1, ran.get(i),
                        "round " + round + ": command " + i + " neither ran once nor was handed back");
            }
        }
    }

    @Test
    @DisplayName("a submit racing the pool's break is refused, runs, or fails with BrokenThreadPoolException; no future stays pending")
    @SuppressWarnings("try") // the log is checked when the block closes
    void submitRacingBreak() throws Exception {
        try (futures.providers.InitializerLog initializerLog = new futures.providers.InitializerLog(ROUNDS / 10)) {
            for (int round = 0; round < ROUNDS / 10; round++) {
                AtomicInteger inits = new AtomicInteger();
                CountDownLatch secondInitEntered = new CountDownLatch(1);
                CountDownLatch failSecondInit = new CountDownLatch(1);
                CountDownLatch releaseFirst = new CountDownLatch(1);
                Executor ex = Executors.create("thread", ExecutorConfig.builder().maxWorkers(2).initializer(() -> {
                    if (inits.incrementAndGet() == 2) {
                        secondInitEntered.countDown();
                        failSecondInit.await();
                        throw new IllegalStateException("second initializer fails");
                    }
                }).build());
                List<Future<Integer>> accepted = new CopyOnWriteArrayList<>();
                try {
                    CountDownLatch firstStarted = new CountDownLatch(1);
                    Future<Boolean> first = ex.submit(() -> {
                        firstStarted.countDown();
                        return releaseFirst.await(20, TimeUnit.SECONDS);
                    });
                    firstStarted.await();
                    accepted.add(ex.submit(() -> -1)); // starts the second thread: every thread is started
                    secondInitEntered.await();
                    AtomicInteger submitted = new AtomicInteger();
                    RejectedExecutionException[] refusal = {null};
                    Thread submitter = new Thread(() -> {
                        for (int i = 0; i < TASKS; i++) {
                            int n = i;
                            try {
                                accepted.add(ex.submit(() -> n));
                            } catch (RejectedExecutionException e) {
                                refusal[0] = e;
                                return;
                            }
                            submitted.incrementAndGet();
                        }
                    });
                    submitter.start();
                    awaitSubmitted(submitted, ThreadLocalRandom.current().nextInt(TASKS / 2), submitter);
                    failSecondInit.countDown();
                    submitter.join();
                    releaseFirst.countDown();
                    assertTrue(first.result(LONG));
                    if (refusal[0] != null) {
                        assertInstanceOf(BrokenExecutorException.class, refusal[0], "round " + round);
                    }
                    for (Future<Integer> f : accepted) {
                        Throwable e = f.exception(LONG); // a future left pending times out here
                        if (e != null) {
                            assertInstanceOf(BrokenThreadPoolException.class, e, "round " + round);
                        }
                    }
                } finally {
                    failSecondInit.countDown();
                    releaseFirst.countDown();
                    for (Future<Integer> f : accepted) {
                        f.cancel();
                    }
                    ex.shutdown(false);
                }
                assertTimeoutPreemptively(LONG, () -> ex.shutdown(true), "the workers did not leave the broken pool");
            }
        }
    }
}
