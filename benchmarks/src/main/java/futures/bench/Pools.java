package futures.bench;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.spi.ExecutorConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Opening and warming the pools the benchmarks measure. */
final class Pools {
    private Pools() {}

    /** How many workers every pool in the comparison has: the machine's 2 cores. */
    static final int WORKERS = 2;

    /** A {@code WORKERS}-worker executor of the named provider. */
    static Executor open(String provider) {
        return Executors.create(provider, ExecutorConfig.builder().maxWorkers(WORKERS).build());
    }

    /**
     * A {@code WORKERS}-worker process pool that starts its own workers: {@code reuse_workers=false},
     * so it neither takes the workers an earlier pool of this JVM parked at its shutdown nor parks
     * its own. A cold start measured with the default would measure the warm workers of the
     * pool measured before it. Its class cache is the default's ({@code auto}), kept where
     * {@link Main} points every benchmark JVM's pools ({@code -Dfutures.class_cache}, a directory
     * in the results directory, not the user's home).
     */
    static Executor openCold() {
        return Executors.create("process", ExecutorConfig.builder().maxWorkers(WORKERS)
                .property("reuse_workers", "false").build());
    }

    /** As {@link #openCold()}, with the class cache off ({@code class_cache=off}): every worker loads its classes. */
    static Executor openColdWithoutClassCache() {
        return Executors.create("process", ExecutorConfig.builder().maxWorkers(WORKERS)
                .property("class_cache", "off").property("reuse_workers", "false").build());
    }

    /**
     * Submits {@code n} no-op tasks ({@code Tasks::identity}), then reads every result in order;
     * the round trip both RoundTripBench and ProcessPoolBench measure.
     *
     * @return the sum of the results, for the benchmark to return
     */
    static long submitAllThenReadAll(Executor ex, int n) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Future<Integer>[] fs = new Future[n];
        for (int i = 0; i < n; i++) {
            fs[i] = ex.submit(Tasks::identity, i);
        }
        long sum = 0;
        for (Future<Integer> f : fs) {
            sum += f.result();
        }
        return sum;
    }

    /**
     * Makes a pool warm: every worker started and answered (by 10 ms tasks in waves of
     * {@code WORKERS}, until each worker has answered or 100 waves passed), then 2,000 no-op round
     * trips so that the JIT has compiled the paths on both sides.
     */
    static Executor warm(Executor ex) {
        untilEveryWorkerAnswered(ex);
        for (int round = 0; round < 2; round++) {
            submitAllThenReadAll(ex, 1000);
        }
        return ex;
    }

    /**
     * Submits waves of {@code WORKERS} tasks that sleep 10 ms and return their pid, until
     * {@code WORKERS} different pids came back. For a pool in this JVM every pid is the same, so
     * it stops after 100 waves (one second) and returns 1.
     *
     * @return the number of different worker processes that answered
     */
    static int untilEveryWorkerAnswered(Executor ex) {
        Set<Long> pids = new HashSet<>();
        for (int wave = 0; wave < 100 && pids.size() < WORKERS; wave++) {
            List<Future<Long>> fs = new ArrayList<>(WORKERS);
            for (int i = 0; i < WORKERS; i++) {
                fs.add(ex.submit(Tasks::sleepThenPid, i));
            }
            for (Future<Long> f : fs) {
                pids.add(f.result());
            }
        }
        return pids.size();
    }
}
