package futures.bench;

import futures.core.Executor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Workload 3, cold start of a 2-worker process pool: from {@code create} to the first result, and
 * to the moment both workers have answered (10 ms tasks in waves of 2, until two different pids
 * came back; the same definition in bench.py). Each measurement is one fresh pool; its shutdown
 * happens after the clock stops. Beside (in bench.py): CPython's spawn context (and fork and
 * forkserver, for context). With the defaults, so with the class-data cache ({@code class_cache},
 * see docs/process-provider.md), trained before the measured pools ({@link Trained}) in a
 * directory of the results; and the same two again with the cache off. These pools are cold
 * ({@code reuse_workers=false}, see {@link Pools#openCold()}).
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

    /**
     * The class cache of the default set-up, trained once per benchmark JVM before its measured
     * pools, as a user's earlier run would have: a first pool runs one task, and its training
     * worker's archive is then assembled in the background, which this waits for (the archive
     * appears in the cache directory), so that no measured pool meets it half done.
     */
    @State(Scope.Benchmark)
    public static class Trained {
        @Setup(Level.Trial)
        public void train() throws Exception {
            String dir = System.getProperty("futures.class_cache");
            try (Executor ex = Pools.openCold()) {
                ex.submit(Tasks::identity, 1).result();
            }
            if (dir == null || !Path.of(dir).isAbsolute()) {
                return; // not run by Main: the user's own cache directory, trained or not
            }
            for (int i = 0; i < 1200 && !hasArchive(Path.of(dir)); i++) {
                Thread.sleep(50);
            }
            if (!hasArchive(Path.of(dir))) {
                throw new IllegalStateException("no class cache archive in " + dir + " within 60 s of its training");
            }
        }

        private static boolean hasArchive(Path dir) throws IOException {
            if (!Files.isDirectory(dir)) {
                return false;
            }
            try (Stream<Path> s = Files.list(dir)) {
                return s.anyMatch(p -> p.toString().endsWith(".aot") || p.toString().endsWith(".jsa"));
            }
        }
    }

    @Benchmark
    public Integer firstResult(Cold c, Trained t) {
        c.ex = Pools.openCold();
        return c.ex.submit(Tasks::identity, 1).result();
    }

    @Benchmark
    public int everyWorker(Cold c, Trained t) {
        c.ex = Pools.openCold();
        return everyAnswered(c.ex);
    }

    @Benchmark
    public Integer firstResultNoClassCache(Cold c) {
        c.ex = Pools.openColdWithoutClassCache();
        return c.ex.submit(Tasks::identity, 1).result();
    }

    @Benchmark
    public int everyWorkerNoClassCache(Cold c) {
        c.ex = Pools.openColdWithoutClassCache();
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
