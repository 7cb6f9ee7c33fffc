package futures.providers.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import futures.core.DeadlockException;
import futures.core.DoneAndNotDone;
import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.core.Futures;
import futures.core.ReturnWhen;
import futures.spi.ExecutorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * Stress for the races between a wait starting (and its detector check) and the futures it waits
 * for completing: near-deadlocks whose way out completes at a random moment around the check must
 * never be reported, and the true deadlock each scenario ends in always must. See the race
 * argument in futures.core.Deadlocks.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeadlockRaceTest {
    private static final int ROUNDS = Integer.getInteger("deadlock.race.rounds", 2000);
    private static final Duration GUARD = Duration.ofSeconds(30);
    private final List<Executor> executors = new ArrayList<>();

    @AfterEach
    void shutDown() {
        executors.forEach(e -> e.shutdown(true, true));
    }

    private Executor executor(String provider, int workers) {
        Executor e = Executors.create(provider, ExecutorConfig.builder().maxWorkers(workers).build());
        executors.add(e);
        return e;
    }

    /** Busy-waits up to a few microseconds, so completions land before, during and after a check. */
    private static int spin() {
        int n = ThreadLocalRandom.current().nextInt(2000);
        int x = 0;
        for (int i = 0; i < n; i++) {
            x += i;
            Thread.onSpinWait();
        }
        return x;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"thread", "virtual"})
    @DisplayName("asCompleted over a call that can never start and calls completing around each next(): every one of those is returned, then the wait for the last fails")
    void asCompletedRaces(String provider) {
        Executor one = executor(provider, 1);
        Executor others = executor(provider, 3);
        for (int round = 0; round < ROUNDS; round++) {
            Future<Integer> outer = one.submit(() -> {
                Future<Integer> never = one.submit(() -> -1); // queued behind this call, on its only worker
                List<Future<Integer>> fs = new ArrayList<>(List.of(never));
                for (int i = 0; i < 3; i++) {
                    fs.add(others.submit(DeadlockRaceTest::spin));
                }
                int returned = 0;
                try {
                    for (Future<Integer> f : Futures.asCompleted(fs)) {
                        assertEquals(false, f == never, "the call that cannot start is never returned");
                        returned++;
                    }
                } catch (DeadlockException expected) {
                    return returned;
                }
                return -returned;
            });
            assertEquals(3, outer.result(GUARD), "round " + round + ": all 3 returned, then the deadlock");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"thread", "virtual"})
    @DisplayName("wait(FIRST_COMPLETED) and result() on calls completing around the check never fail; ALL_COMPLETED with a call that cannot start always does")
    void waitRaces(String provider) {
        Executor one = executor(provider, 1);
        Executor others = executor(provider, 2);
        for (int round = 0; round < ROUNDS; round++) {
            Future<String> outer = one.submit(() -> {
                Future<Integer> never = one.submit(() -> -1);
                Future<Integer> soon = others.submit(DeadlockRaceTest::spin);
                DoneAndNotDone<Future<Integer>> r = Futures.wait(List.of(never, soon), ReturnWhen.FIRST_COMPLETED);
                assertEquals(List.of(soon), List.copyOf(r.done()));
                others.submit(DeadlockRaceTest::spin).result();
                try {
                    Futures.wait(List.of(never, others.submit(DeadlockRaceTest::spin)));
                    return "not detected";
                } catch (DeadlockException expected) {
                    return "detected";
                }
            });
            assertEquals("detected", outer.result(GUARD), "round " + round);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"thread", "virtual"})
    @DisplayName("A cycle that a completing call breaks at a random moment: a waits for b, b waits for c, c ends on its own; never reported")
    void brokenCycleRaces(String provider) {
        Executor e1 = executor(provider, 1);
        Executor e2 = executor(provider, 1);
        Executor e3 = executor(provider, 1);
        for (int round = 0; round < ROUNDS; round++) {
            Future<Integer> c = e3.submit(DeadlockRaceTest::spin);
            Future<Integer> b = e2.submit(() -> c.result() + spin());
            Future<Integer> a = e1.submit(() -> {
                spin();
                return b.result();
            });
            assertNull(a.exception(GUARD), "round " + round);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"thread", "virtual"})
    @DisplayName("Saturation that a completing call avoids at a random moment: both workers wait, one for a call elsewhere that ends on its own; never reported")
    void nearSaturationRaces(String provider) {
        Executor two = executor(provider, 2);
        Executor other = executor(provider, 1);
        for (int round = 0; round < ROUNDS; round++) {
            Future<Integer> x = two.submit(() -> two.submit(DeadlockRaceTest::spin).result());
            Future<Integer> w = two.submit(() -> other.submit(DeadlockRaceTest::spin).result());
            assertNull(x.exception(GUARD), "round " + round);
            assertNull(w.exception(GUARD), "round " + round);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"thread", "virtual"})
    @DisplayName("Example 1 with random timing: exactly one of the two waits detects it, every round")
    void exampleOneRaces(String provider) {
        Executor two = executor(provider, 2);
        for (int round = 0; round < ROUNDS; round++) {
            @SuppressWarnings("unchecked")
            Future<Integer>[] ab = new Future[2];
            java.util.concurrent.CountDownLatch set = new java.util.concurrent.CountDownLatch(1);
            ab[0] = two.submit(() -> {
                set.await();
                spin();
                return ab[1].result();
            });
            ab[1] = two.submit(() -> {
                set.await();
                spin();
                return ab[0].result();
            });
            set.countDown();
            Throwable e0 = ab[0].exception(GUARD);
            Throwable e1 = ab[1].exception(GUARD);
            assertInstanceOf(DeadlockException.class, e0, "round " + round);
            assertEquals(e0, e1, "round " + round + ": one detection, passed on through result()");
        }
    }
}
