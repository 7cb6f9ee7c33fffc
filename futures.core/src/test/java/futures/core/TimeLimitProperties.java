package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.spi.CallTimeoutException;
import futures.spi.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A seeded model of time limits on a pool whose calls run in this JVM: random programs of calls
 * that return at once, throw, sleep until interrupted, or ignore their interrupt, each with a
 * random limit or none, submitted together to two workers. The model says how each future ends:
 * the quick ones with their value or exception (their limits are far longer than they run), the
 * ones that would run forever with {@link CallTimeoutException}; and no call ever starts on a
 * thread with an interrupt left over from another call's deadline. After each program the executor
 * terminates (every item settled) and the deadlock detector holds no registration.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TimeLimitProperties {

    enum Kind { QUICK, THROWS, SLEEPS, STUBBORN }

    /** One call: what it does, and its limit in milliseconds (0: none; never 0 for one that would run forever). */
    record Step(Kind kind, long limitMillis) {
        @Override
        public String toString() {
            return kind + (limitMillis == 0 ? "" : " limit " + limitMillis + " ms");
        }
    }

    static List<Step> generate(SplittableRandom r) {
        int n = 2 + r.nextInt(8);
        List<Step> steps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Kind kind = Kind.values()[r.nextInt(Kind.values().length)];
            boolean forever = kind == Kind.SLEEPS || kind == Kind.STUBBORN;
            long limit = forever || r.nextBoolean() ? 100 + r.nextInt(200) : 0;
            if (!forever && limit != 0) {
                limit += 2000; // a quick call's limit is far longer than it runs, even on a busy machine
            }
            steps.add(new Step(kind, limit));
        }
        return steps;
    }

    /** What each call returns: whether its thread carried an interrupt when it began. */
    static String began() {
        return Thread.currentThread().isInterrupted() ? "began interrupted" : "clean";
    }

    static void check(List<Step> steps) {
        Executor ex = ThreadsPool.executorInJvm(2);
        List<Future<String>> futures = new ArrayList<>();
        List<CountDownLatch> releases = new ArrayList<>();
        try {
            for (Step s : steps) {
                CountDownLatch release = new CountDownLatch(1);
                releases.add(release);
                Task<String> task = switch (s.kind) {
                    case QUICK -> TimeLimitProperties::began;
                    case THROWS -> () -> {
                        throw new IllegalStateException(began());
                    };
                    case SLEEPS -> () -> {
                        String b = began();
                        Thread.sleep(Long.MAX_VALUE);
                        return b;
                    };
                    case STUBBORN -> () -> {
                        String b = began();
                        while (true) {
                            try {
                                release.await();
                                return b;
                            } catch (InterruptedException ignored) {
                                // ignores its interrupt: runs on until released
                            }
                        }
                    };
                };
                Future<String> f = s.limitMillis == 0 ? ex.submit(task) : ex.submit(Duration.ofMillis(s.limitMillis), task);
                f.addDoneCallback(done -> release.countDown()); // a stubborn call ends once its future has failed
                futures.add(f);
            }
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                Future<String> f = futures.get(i);
                Throwable e = f.exception(Duration.ofSeconds(60));
                switch (s.kind) {
                    case QUICK -> assertEquals("clean", f.result(), "call " + i + " (" + s + ")");
                    case THROWS -> assertEquals("clean", assertInstanceOf(IllegalStateException.class, e).getMessage(),
                            "call " + i + " (" + s + ")");
                    case SLEEPS, STUBBORN -> {
                        CallTimeoutException t = assertInstanceOf(CallTimeoutException.class, e, "call " + i + " (" + s + ")");
                        assertTrue(t.getMessage().contains("time limit of " + s.limitMillis + " ms"), t.getMessage());
                    }
                }
            }
            ex.shutdown(false);
            assertTrue(ex.termination().exception(Duration.ofSeconds(60)) == null && ex.isTerminated(),
                    "every call's item is settled");
            assertEquals(0, Deadlocks.registeredForTests());
            for (Future<String> f : futures) {
                Throwable e = f.exception();
                if (e != null) {
                    assertSame(e, f.exception(), "an outcome never changes");
                }
            }
        } finally {
            releases.forEach(CountDownLatch::countDown);
            ex.shutdown(false);
        }
    }

    @Test
    @DisplayName("Random calls with random limits end as the model says; no deadline's interrupt reaches another call")
    void model() {
        PropertyRunner.check("time limits on a pool in this JVM", 8, TimeLimitProperties::generate,
                TimeLimitProperties::check);
    }
}
