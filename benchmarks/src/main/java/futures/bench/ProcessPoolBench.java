package futures.bench;

import futures.core.Executor;
import futures.core.Futures;
import futures.core.MapIterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload 2, trivial tasks on a warm 2-worker process pool: the time per task with
 * submit-then-result, with {@code map} unchunked, and with {@code map} in chunks of 100.
 * Beside (in bench.py): CPython's {@code ProcessPoolExecutor(2)} with fork, forkserver and spawn.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// The workers are JVMs that compile the task path only after tens of thousands of tasks: with
// 2-3 warm-up seconds the first measured iterations still ran at a third of the steady rate
// (300 -> 190 -> 130 -> 57 -> 43 us per task, second by second), which made the median swing 3x
// between runs. 8 warm-up seconds reach the steady state.
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(1)
public class ProcessPoolBench {
    static final int TASKS = 2000;
    static final int CHUNKED_TASKS = 20000;
    static final List<Integer> ITEMS = IntStream.range(0, TASKS).boxed().toList();
    static final List<Integer> CHUNKED_ITEMS = IntStream.range(0, CHUNKED_TASKS).boxed().toList();

    @State(Scope.Benchmark)
    public static class Pool {
        Executor ex;

        @Setup(Level.Trial)
        public void open() {
            ex = Pools.warm(Pools.open("process"));
        }

        @TearDown(Level.Trial)
        public void close() {
            ex.shutdown();
        }
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long submitResult(Pool p) {
        return Pools.submitAllThenReadAll(p.ex, TASKS);
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long mapChunk1(Pool p) {
        return drain(p.ex.map(Tasks::identity, ITEMS, Futures.NO_TIMEOUT, 1));
    }

    @Benchmark
    @OperationsPerInvocation(CHUNKED_TASKS)
    public long mapChunk100(Pool p) {
        return drain(p.ex.map(Tasks::identity, CHUNKED_ITEMS, Futures.NO_TIMEOUT, 100));
    }

    private static long drain(MapIterator<Integer> results) {
        long sum = 0;
        for (Integer r : results) {
            sum += r;
        }
        return sum;
    }
}
