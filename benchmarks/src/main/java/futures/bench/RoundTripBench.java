package futures.bench;

import futures.core.Executor;
import futures.core.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload 1, round trip: submit {@value #TASKS} no-op tasks to a pool of 2 workers, then read
 * every result in order. The score is the time per task. Beside: the JDK's
 * {@code ThreadPoolExecutor} with 2 threads, and (in bench.py) CPython's
 * {@code ThreadPoolExecutor(2)}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public class RoundTripBench {
    static final int TASKS = 1000;

    /** One of our providers, 2 workers, warm. Main drops the providers that are not installed. */
    @State(Scope.Benchmark)
    public static class Pool {
        @Param({"thread", "virtual", "process"})
        public String provider;

        Executor ex;

        @Setup(Level.Trial)
        public void open() {
            ex = Pools.warm(Pools.open(provider));
        }

        @TearDown(Level.Trial)
        public void close() {
            ex.shutdown();
        }
    }

    /** The JDK's fixed pool of 2 platform threads (what {@code newFixedThreadPool(2)} makes). */
    @State(Scope.Benchmark)
    public static class Jdk {
        ExecutorService tpe;

        @Setup(Level.Trial)
        public void open() {
            tpe = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
        }

        @TearDown(Level.Trial)
        public void close() throws InterruptedException {
            tpe.shutdown();
            tpe.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long futures(Pool p) {
        return Pools.submitAllThenReadAll(p.ex, TASKS);
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long jdkThreadPool(Jdk j) throws Exception {
        @SuppressWarnings({"unchecked", "rawtypes"})
        java.util.concurrent.Future<Integer>[] fs = new java.util.concurrent.Future[TASKS];
        for (int i = 0; i < TASKS; i++) {
            Integer x = i;
            fs[i] = j.tpe.submit(() -> Tasks.identity(x));
        }
        long sum = 0;
        for (java.util.concurrent.Future<Integer> f : fs) {
            sum += f.get();
        }
        return sum;
    }
}
