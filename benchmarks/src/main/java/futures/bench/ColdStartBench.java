package futures.bench;

import futures.core.Executor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload 3, cold start of a 2-worker process pool: from {@code create} to the first result, and
 * to the moment both workers have answered (10 ms tasks in waves of 2, until two different pids
 * came back; the same definition in bench.py). Each measurement is one fresh pool; its shutdown
 * happens after the clock stops. Beside (in bench.py): CPython's spawn context (and fork and
 * forkserver, for context). The same two again with the opt-in class-data cache
 * ({@code class_cache}, see docs/process-provider.md): the first warm-up pool trains the
 * archive, so the measured ones map it. These pools are cold ({@code reuse_workers=false}, see
 * {@link Pools#openCold()}).
 *
 * <p>{@link #reuseCycle}: one cycle of a program that makes a pool per request, with the defaults
 * (warm workers are reused across executors): create, submit one no-op, its result, close. The
 * first cycle (the warm-up iteration) starts a worker; the 19 measured ones take the worker the
 * cycle before parked. Beside (in bench.py): the same loop with CPython's spawn and forkserver.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 8)
@Fork(1)
public class ColdStartBench {

    /** The pool of one measurement, shut down untimed after it. */
    @State(Scope.Thread)
    public static class Cold {
        Executor ex;

        @TearDown(Level.Invocation)
        public void close() {
            if (ex != null) {
                ex.shutdown();
                ex = null;
            }
        }
    }

    @Benchmark
    public Integer firstResult(Cold c) {
        c.ex = Pools.openCold();
        return c.ex.submit(Tasks::identity, 1).result();
    }

    @Benchmark
    public int everyWorker(Cold c) {
        c.ex = Pools.openCold();
        return everyAnswered(c.ex);
    }

    @Benchmark
    public Integer firstResultClassCache(Cold c) {
        c.ex = Pools.openWithClassCache();
        return c.ex.submit(Tasks::identity, 1).result();
    }

    @Benchmark
    public int everyWorkerClassCache(Cold c) {
        c.ex = Pools.openWithClassCache();
        return everyAnswered(c.ex);
    }

    /** Create, submit, result, close: timed whole, the close included (it parks the worker). */
    @Benchmark
    @Warmup(iterations = 1)
    @Measurement(iterations = 19)
    public Integer reuseCycle() {
        try (Executor ex = Pools.open("process")) {
            return ex.submit(Tasks::identity, 1).result();
        }
    }

    private static int everyAnswered(Executor ex) {
        int answered = Pools.untilEveryWorkerAnswered(ex);
        if (answered < Pools.WORKERS) {
            throw new IllegalStateException("only " + answered + " of " + Pools.WORKERS + " workers answered in 100 waves");
        }
        return answered;
    }
}
