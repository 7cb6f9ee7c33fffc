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
import futures.core.WaitTimeoutException;
import futures.spi.CallTimeoutException;
import futures.spi.ExecutorConfig;
import futures.testkit.Gate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Time limits where calls really run: a call that sleeps forever ends at its limit on each
 * built-in provider, and on "process" the worker running it, and only that one, is killed and
 * replaced.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessTimeLimitTest {

    static long pid() {
        return ProcessHandle.current().pid();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"thread", "virtual", "process"})
    @DisplayName("A call that sleeps forever with a 200 ms limit fails within 1 s of its start, and its worker serves the next call")
    void sleepsForeverFailsWithinOneSecond(String provider) {
        try (Executor ex = Executors.create(provider, ExecutorConfig.builder().maxWorkers(1).build())) {
            // a worker is ready, and the submit path of a limited call has run once in this JVM
            assertEquals(1, ex.submit(Duration.ofSeconds(60), () -> 1).result(Duration.ofSeconds(60)));
            long submitted = System.nanoTime();
            Future<Integer> forever = ex.submit(Duration.ofMillis(200), () -> {
                Thread.sleep(Long.MAX_VALUE);
                return 0;
            });
            Throwable e = forever.exception(Duration.ofSeconds(30));
            long tookMillis = (System.nanoTime() - submitted) / 1_000_000;
            assertInstanceOf(CallTimeoutException.class, e);
            System.out.println("ProcessTimeLimitTest." + provider + ": 200 ms limit, failed " + tookMillis
                    + " ms after submit: " + e.getMessage());
            assertTrue(tookMillis >= 200 && tookMillis < 1000, provider + ": failed " + tookMillis
                    + " ms after its submit, which is before its start: " + e.getMessage());
            assertTrue(e.getMessage().contains(provider.equals("process") ? "killed worker pid" : "interrupted thread"),
                    e.getMessage());
            // one worker: it was freed (interrupted out of its sleep) or replaced (killed)
            assertEquals(2, ex.submit(() -> 2).result(Duration.ofSeconds(60)));
        }
    }

    @Test
    @DisplayName("process: the time limit kills exactly the worker running the call; the call on the other worker and the pool go on")
    void killsExactlyTheWorkerRunningTheCall() throws Exception {
        try (Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(2).build());
                Gate gate = Gate.open()) { // closed first: a call still at the gate is let go before the executor waits
            Gate.Key key = gate.key();
            Future<Long> other = ex.submit(() -> {
                key.pass("other " + pid());
                return pid();
            });
            gate.awaitArrivals(1);
            Future<Long> expired = ex.submit(Duration.ofMillis(300), () -> {
                key.mark("expired " + pid());
                Thread.sleep(Long.MAX_VALUE);
                return 0L;
            });
            CallTimeoutException e = assertInstanceOf(CallTimeoutException.class, expired.exception(Duration.ofSeconds(60)));
            List<String> arrivals = gate.awaitArrivals(2);
            long otherPid = pidOf(arrivals, "other ");
            long killedPid = pidOf(arrivals, "expired ");
            assertNotEquals(otherPid, killedPid);
            assertTrue(e.getMessage().contains("time limit of 300 ms"), e.getMessage());
            assertTrue(e.getMessage().contains("killed worker pid " + killedPid + "; another worker starts when work waits"),
                    e.getMessage());
            ProcessHandle.of(killedPid).ifPresent(p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join());
            assertFalse(ProcessHandle.of(killedPid).map(ProcessHandle::isAlive).orElse(false), "the worker is gone");
            assertFalse(other.done(), "the call on the other worker is not affected");
            // the pool is not broken: a new worker takes the killed one's place
            List<Future<Long>> more = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                more.add(ex.submit(ProcessTimeLimitTest::pid));
            }
            for (Future<Long> f : more) {
                long p = f.result(Duration.ofSeconds(60));
                assertNotEquals(killedPid, p);
                assertNotEquals(otherPid, p, "the other worker is still busy with its call");
            }
            gate.release();
            assertEquals(otherPid, other.result(Duration.ofSeconds(60)));
            assertFalse(ex.toString().contains("broken"), ex.toString());
        }
    }

    @Test
    @DisplayName("process: a call that ends in time keeps its worker, and a limit that is not reached kills nothing")
    void inTimeKillsNothing() {
        try (Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1).timeLimit(Duration.ofSeconds(30))
                .build())) {
            long first = ex.submit(ProcessTimeLimitTest::pid).result(Duration.ofSeconds(60));
            for (int i = 0; i < 20; i++) {
                assertEquals(first, ex.submit(Duration.ofSeconds(30), ProcessTimeLimitTest::pid).result(Duration.ofSeconds(60)));
            }
            Future<Long> slow = ex.submit(Duration.ofMillis(600), () -> {
                Thread.sleep(100);
                return pid();
            });
            assertEquals(first, slow.result(Duration.ofSeconds(60)));
            // wait past the first limit: a deadline forgotten when its call ended kills nothing
            assertThrows(WaitTimeoutException.class, () -> new Future<Void>().result(Duration.ofMillis(700)));
            assertEquals(first, ex.submit(ProcessTimeLimitTest::pid).result(Duration.ofSeconds(60)));
        }
    }

    private static long pidOf(List<String> arrivals, String prefix) {
        for (String a : arrivals) {
            if (a.startsWith(prefix)) {
                return Long.parseLong(a.substring(prefix.length()));
            }
        }
        throw new AssertionError("no arrival '" + prefix + "...' in " + arrivals);
    }
}
