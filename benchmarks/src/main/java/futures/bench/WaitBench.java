package futures.bench;

import futures.core.DoneAndNotDone;
import futures.core.Future;
import futures.core.Futures;
import futures.core.ReturnWhen;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload 4: {@code asCompleted} over N futures already done, and
 * {@code wait(fs, Duration.ZERO, FIRST_COMPLETED)} over N pending ones, for N = 10^4, 10^5, 10^6.
 * The futures are plain {@code new Future<>()}, finished by hand with {@code setResult}; bench.py
 * does the same with CPython's {@code Future()}. The score is the time of one call (for
 * asCompleted: the call and the whole iteration).
 *
 * <p>Three forks of three iterations each, not one fork of five, and a full collection at the end
 * of the set-up ({@link #settle}): what moved these figures was the fork, not the iteration. Two
 * forks at the same N differed by up to 2-3x (asCompleted at 10^5: 1.1-1.8 ms in one, 3.1-6.4 in
 * another), which alone moved the growth per ×10 between 10x and 38x from run to run. The table
 * takes the median of all nine.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class WaitBench {

    @State(Scope.Benchmark)
    public static class Done {
        @Param({"10000", "100000", "1000000"})
        public int n;

        List<Future<Object>> fs;

        @Setup(Level.Trial)
        public void make() {
            fs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Future<Object> f = new Future<>();
                f.setResult(i);
                fs.add(f);
            }
            settle();
        }
    }

    @State(Scope.Benchmark)
    public static class Pending {
        @Param({"10000", "100000", "1000000"})
        public int n;

        List<Future<Object>> fs;

        @Setup(Level.Trial)
        public void make() {
            fs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                fs.add(new Future<>());
            }
            settle();
        }
    }

    /**
     * A full collection after the set-up, so the futures are old before the first iteration. Else
     * they stay young through the first dozen or so young collections of the run (each call's
     * result set is garbage), each of which copies them, and that copying lands in the measured
     * calls: wait at 10^5, forks of one run, 0.86-1.76 ms in one and 2.2-2.9 in another; with the
     * futures promoted at once, 0.84-1.28 in all four.
     */
    static void settle() {
        System.gc();
    }

    @Benchmark
    public int asCompletedDone(Done d) {
        int seen = 0;
        for (Future<Object> f : Futures.asCompleted(d.fs)) {
            seen += f.done() ? 1 : 0;
        }
        if (seen != d.n) {
            throw new AssertionError("asCompleted yielded " + seen + " of " + d.n);
        }
        return seen;
    }

    @Benchmark
    public DoneAndNotDone<Future<Object>> waitFirstCompletedPending(Pending p) {
        DoneAndNotDone<Future<Object>> r = Futures.wait(p.fs, Duration.ZERO, ReturnWhen.FIRST_COMPLETED);
        if (r.notDone().size() != p.n) {
            throw new AssertionError("wait returned " + r.notDone().size() + " not done of " + p.n);
        }
        return r;
    }
}
