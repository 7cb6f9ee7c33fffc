package futures.bench;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import futures.core.Executor;
import futures.core.Executors;
import futures.core.Func;
import futures.spi.ExecutorConfig;
import java.io.Serializable;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
 * Workload 7, provider {@code "cluster"} (issue 16) on two embedded members on loopback, both in
 * the benchmark's JVM: the round trip of one call ({@code submit} then {@code result}, one at a
 * time; half the calls go to the other member) and calls per second ({@value #TASKS} submitted,
 * then every result read). Beside: the engine's own {@code IExecutorService} on the same two
 * members, used directly with a {@code Serializable} {@code Callable} (what this layer adds), and
 * provider {@code "process"} with 2 warm workers. The cluster executor's {@code max_workers} is
 * {@value #IN_FLIGHT}, so that its bound on calls in flight does not throttle the comparison with
 * the engine, which has none. The "process" rows use {@link ProcessPoolBench}'s warm pool.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClusterBench {
    static final int TASKS = 1000;
    static final int IN_FLIGHT = 256;

    /** The call the engine runs directly: a {@code Serializable} {@code Callable}. */
    record Identity(int x) implements Callable<Integer>, Serializable {
        @Override
        public Integer call() {
            return x;
        }
    }

    /** Two members (each owned by an executor of one worker), our executor, and the engine's. */
    @State(Scope.Benchmark)
    public static class Cluster {
        Executor memberA;
        Executor memberB;
        Executor ex;
        IExecutorService direct;

        @Setup(Level.Trial)
        public void open() {
            String name = "futures-bench-" + UUID.randomUUID();
            memberA = Executors.create("cluster", ExecutorConfig.builder().maxWorkers(1)
                    .property("cluster_name", name).property("instance_name", name + "-a").property("port", "5761").build());
            HazelcastInstance a = Hazelcast.getHazelcastInstanceByName(name + "-a");
            var address = a.getCluster().getLocalMember().getAddress();
            memberB = Executors.create("cluster", ExecutorConfig.builder().maxWorkers(1)
                    .property("cluster_name", name).property("instance_name", name + "-b")
                    .property("members", address.getHost() + ":" + address.getPort()).build());
            ex = Pools.warm(Executors.create("cluster", ExecutorConfig.builder().maxWorkers(IN_FLIGHT)
                    .property("cluster_name", name).property("instance_name", name + "-a").build()));
            direct = a.getExecutorService("direct");
        }

        @TearDown(Level.Trial)
        public void close() {
            ex.shutdown();
            memberB.shutdown();
            memberA.shutdown();
        }
    }

    private static final Func<Integer, Integer> IDENTITY = Tasks::identity;

    @Benchmark
    public Integer roundTripCluster(Cluster c) {
        return c.ex.submit(IDENTITY, 1).result();
    }

    @Benchmark
    public Integer roundTripEngine(Cluster c) throws InterruptedException, ExecutionException {
        return c.direct.submit(new Identity(1)).get();
    }

    @Benchmark
    public Integer roundTripProcess(ProcessPoolBench.Pool p) {
        return p.ex.submit(IDENTITY, 1).result();
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long callsCluster(Cluster c) {
        return Pools.submitAllThenReadAll(c.ex, TASKS);
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long callsEngine(Cluster c) throws InterruptedException, ExecutionException {
        @SuppressWarnings("unchecked")
        Future<Integer>[] fs = new Future[TASKS];
        for (int i = 0; i < TASKS; i++) {
            fs[i] = c.direct.submit(new Identity(i));
        }
        long sum = 0;
        for (Future<Integer> f : fs) {
            sum += f.get();
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long callsProcess(ProcessPoolBench.Pool p) {
        return Pools.submitAllThenReadAll(p.ex, TASKS);
    }
}
