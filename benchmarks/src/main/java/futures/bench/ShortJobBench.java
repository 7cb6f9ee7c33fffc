package futures.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload 3b, a fresh pool's short job (issue 18 item 5): from {@code create} to the last of
 * {@value #TASKS} no-op results (all submitted, then all read), with 2 process workers. The pool's
 * shutdown happens after the clock stops. "Fresh" has three readings, measured apart:
 * <ul>
 *   <li>{@link #freshJvm}: the first pool of a fresh parent JVM: {@value #FRESH_FORKS} forks, one
 *       single shot each, no warm-up, so each sample pays everything a program that starts, runs
 *       one short job and exits pays (the parent's JIT and class loading included, JMH's own start
 *       excluded);</li>
 *   <li>{@link #freshWorkers}: a fresh pool with fresh workers ({@code reuse_workers=false}) in a
 *       parent that has run such jobs before: the workers' own cold start and warm-up;</li>
 *   <li>{@link #parkedWorkers}: the defaults in such a parent: the pool takes the workers the pool
 *       before it parked at its shutdown (their JIT is warm).</li>
 * </ul>
 * Beside (in bench.py): CPython's spawn context (the goal), forkserver and fork, each a fresh
 * {@code ProcessPoolExecutor} per sample. Each measurement's pool is {@link ColdStartBench.Cold}'s,
 * shut down untimed after it.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ShortJobBench {
    /** The job: this many no-op tasks. */
    static final int TASKS = 2000;

    /** Forks of {@link #freshJvm}, each one sample. */
    static final int FRESH_FORKS = 3;

    @Benchmark
    @Fork(FRESH_FORKS)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public long freshJvm(ColdStartBench.Cold p) {
        p.ex = Pools.open("process");
        return Pools.submitAllThenReadAll(p.ex, TASKS);
    }

    @Benchmark
    @Fork(1)
    @Warmup(iterations = 2)
    @Measurement(iterations = 4)
    public long freshWorkers(ColdStartBench.Cold p) {
        p.ex = Pools.openCold();
        return Pools.submitAllThenReadAll(p.ex, TASKS);
    }

    @Benchmark
    @Fork(1)
    @Warmup(iterations = 2)
    @Measurement(iterations = 4)
    public long parkedWorkers(ColdStartBench.Cold p) {
        p.ex = Pools.open("process");
        return Pools.submitAllThenReadAll(p.ex, TASKS);
    }
}
