package futures.providers.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.core.WaitTimeoutException;
import futures.spi.CallTimeoutException;
import futures.spi.ExecutorConfig;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Time limits on the providers whose calls run on threads of this JVM, where the core interrupts
 * the call's thread at the deadline: the interrupt never reaches the thread's next call, and a
 * call that ignores it fails at its deadline anyway while its thread stays busy.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ThreadTimeLimitTest {

    /** Busy for {@code nanos}, ignoring interrupts; returns whether its thread was interrupted at the end. */
    private static boolean spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
        return Thread.currentThread().isInterrupted();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"thread", "virtual"})
    @DisplayName("Calls that end right at their deadline, thousands of rounds: the deadline's interrupt never reaches the next call on that thread")
    void interruptNeverReachesTheNextCall(String provider) {
        long seed = System.nanoTime();
        System.out.println("ThreadTimeLimitTest." + provider + " seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        int rounds = 3000;
        int timedOut = 0;
        int inTime = 0;
        try (Executor ex = Executors.create(provider, ExecutorConfig.builder().maxWorkers(1).build())) {
            for (int round = 0; round < rounds; round++) {
                long limitNanos = 200_000 + random.nextLong(300_000); // 0.2-0.5 ms
                long runNanos = limitNanos - 100_000 + random.nextLong(200_000); // within 0.1 ms of it, either side
                Future<Boolean> limited = ex.submit(Duration.ofNanos(limitNanos), () -> spin(runNanos));
                // Queued behind it, so the same thread runs it next (one worker; the virtual
                // pool's thread takes the queued call when it is done).
                Future<String> next = ex.submit(() -> {
                    boolean atStart = Thread.currentThread().isInterrupted();
                    boolean atEnd = spin(50_000);
                    return atStart || atEnd ? "interrupted" : "clean";
                });
                Throwable e = limited.exception(Duration.ofSeconds(30));
                if (e == null) {
                    inTime++;
                } else {
                    assertInstanceOf(CallTimeoutException.class, e);
                    timedOut++;
                }
                assertEquals("clean", next.result(Duration.ofSeconds(30)),
                        "round " + round + " (seed " + seed + "): a deadline's interrupt reached the next call");
            }
        }
        System.out.println("ThreadTimeLimitTest." + provider + ": " + timedOut + " timed out, " + inTime + " in time");
        assertTrue(timedOut > 0, "the deadline must fire in some rounds, or the test shows nothing");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"thread", "virtual"})
    @DisplayName("A call that ignores interrupts fails at its deadline; its thread stays busy until it returns, and the next call sees no interrupt")
    void callIgnoringInterrupts(String provider) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger interrupts = new AtomicInteger();
        try (Executor ex = Executors.create(provider, ExecutorConfig.builder().maxWorkers(1).build())) {
            Future<String> stubborn = ex.submit(Duration.ofMillis(200), () -> {
                while (true) {
                    try {
                        release.await();
                        return "late";
                    } catch (InterruptedException ignored) {
                        interrupts.incrementAndGet();
                    }
                }
            });
            CallTimeoutException e = assertInstanceOf(CallTimeoutException.class, stubborn.exception(Duration.ofSeconds(30)));
            assertTrue(e.getMessage().contains("interrupted thread"), e.getMessage());
            Future<Boolean> next = ex.submit(() -> Thread.currentThread().isInterrupted());
            assertThrows(WaitTimeoutException.class, () -> next.result(Duration.ofMillis(300)),
                    "the one worker is still busy with the call that ignores its interrupt");
            assertFalse(next.running());
            release.countDown();
            assertFalse(next.result(Duration.ofSeconds(30)), "no interrupt reaches the next call");
            assertEquals(1, interrupts.get(), "the call was interrupted once");
            assertInstanceOf(CallTimeoutException.class, stubborn.exception(), "its late value is discarded");
        }
    }
    @ParameterizedTest
    @ValueSource(strings = {"thread", "virtual"})
    @DisplayName("a worker's initializer does not count against its first call's time limit")
    @Timeout(60)
    void initializerTimeDoesNotCount(String provider) throws Exception {
        CountDownLatch initializing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Executor ex = Executors.create(provider, ExecutorConfig.builder().maxWorkers(1).initializer(() -> {
            initializing.countDown();
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        }).build());
        try {
            Future<Integer> f = ex.submit(Duration.ofMillis(300), () -> 42);
            assertTrue(initializing.await(30, TimeUnit.SECONDS));
            Thread.sleep(1000); // not synchronisation: lets a deadline armed before the initializer pass
            release.countDown();
            assertEquals(42, f.result(Duration.ofSeconds(30)), "the limit counted the initializer's time");
        } finally {
            release.countDown();
            ex.shutdown(true);
        }
    }
}
