package futures.bench;

import futures.core.Executor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload 5, CPU-bound: the reference's primes example ({@code map(is_prime, PRIMES)}) and a
 * longer run over {@link Tasks#LONG_PRIMES} (a few seconds on one thread), each on one thread (a
 * plain loop in the benchmark thread), on 2 platform threads (provider "thread") and on 2 warm
 * process workers (provider "process"). The score is the time of the whole run.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class PrimesBench {

    @State(Scope.Benchmark)
    public static class Threads {
        Executor ex;

        @Setup(Level.Trial)
        public void open() {
            ex = Pools.warm(Pools.open("thread"));
            drain(ex, Tasks.REFERENCE_PRIMES); // compiles is_prime in the workers before measuring
        }

        @TearDown(Level.Trial)
        public void close() {
            ex.shutdown();
        }
    }

    @State(Scope.Benchmark)
    public static class Processes {
        Executor ex;

        @Setup(Level.Trial)
        public void open() {
            ex = Pools.warm(Pools.open("process"));
            drain(ex, Tasks.REFERENCE_PRIMES); // compiles is_prime in both worker JVMs
            drain(ex, Tasks.REFERENCE_PRIMES);
        }

        @TearDown(Level.Trial)
        public void close() {
            ex.shutdown();
        }
    }

    static int drain(Executor ex, List<Long> numbers) {
        int primes = 0;
        for (Boolean p : ex.map(Tasks::isPrime, numbers)) {
            primes += p ? 1 : 0;
        }
        return expect(primes, numbers);
    }

    static int oneThread(List<Long> numbers) {
        int primes = 0;
        for (Long n : numbers) {
            primes += Tasks.isPrime(n) ? 1 : 0;
        }
        return expect(primes, numbers);
    }

    /** Checks the count of primes found: all of LONG_PRIMES, 5 of the reference's 6. */
    private static int expect(int primes, List<Long> numbers) {
        int want = numbers == Tasks.REFERENCE_PRIMES ? 5 : numbers.size();
        if (primes != want) {
            throw new AssertionError(primes + " of " + numbers.size() + " numbers reported prime, expected " + want);
        }
        return primes;
    }

    @Benchmark
    @Warmup(iterations = 3)
    @Measurement(iterations = 6)
    public int referenceOneThread() {
        return oneThread(Tasks.REFERENCE_PRIMES);
    }

    @Benchmark
    @Warmup(iterations = 3)
    @Measurement(iterations = 6)
    public int referenceThreads(Threads t) {
        return drain(t.ex, Tasks.REFERENCE_PRIMES);
    }

    @Benchmark
    @Warmup(iterations = 3)
    @Measurement(iterations = 6)
    public int referenceProcesses(Processes p) {
        return drain(p.ex, Tasks.REFERENCE_PRIMES);
    }

    @Benchmark
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public int longOneThread() {
        return oneThread(Tasks.LONG_PRIMES);
    }

    @Benchmark
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public int longThreads(Threads t) {
        return drain(t.ex, Tasks.LONG_PRIMES);
    }

    @Benchmark
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public int longProcesses(Processes p) {
        return drain(p.ex, Tasks.LONG_PRIMES);
    }
}
