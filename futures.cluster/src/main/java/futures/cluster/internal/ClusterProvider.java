package futures.cluster.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import futures.spi.ExecutorConfig;
import futures.spi.ExecutorProvider;
import futures.spi.WorkerPool;
import java.io.ObjectInputFilter;
import java.io.Serializable;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Provider {@code "cluster"}: calls run on the members of a Hazelcast cluster. Mode
 * {@code embedded} (the default) starts a member in this JVM, which joins the members listed (or
 * forms a cluster of its own) and runs calls too; mode {@code client} connects to a running
 * cluster. Keys: {@code max_workers} (calls in flight at most; default: the members' cores when
 * the executor opens), {@code mode}, {@code cluster_name}, {@code members}, {@code config_file},
 * {@code bind_address}, {@code port}, {@code instance_name}, {@code serialization_allow},
 * {@code serialization_deny}, {@code member_threads}. See {@code docs/cluster-provider.md}.
 */
public final class ClusterProvider implements ExecutorProvider {
    /** For {@link java.util.ServiceLoader}. */
    public ClusterProvider() {}

    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public String description() {
        return "the members of a Hazelcast cluster (open-source edition), embedded or as a client";
    }

    @Override
    public Set<String> configKeys() {
        return Settings.KEYS;
    }

    /**
     * @throws IllegalArgumentException for a value that cannot be used, or if the engine cannot
     *     start or connect (the message says why)
     */
    @Override
    public WorkerPool open(ExecutorConfig config) {
        Settings s = Settings.of(config);
        HazelcastInstance hz;
        boolean owned;
        ObjectInputFilter filter;
        if (s.mode().equals(Settings.CLIENT)) {
            var cc = Engines.clientConfig(s);
            filter = Call.filter(cc.getSerializationConfig().getJavaSerializationFilterConfig());
            hz = start(() -> com.hazelcast.client.HazelcastClient.newHazelcastClient(cc), s);
            owned = true;
        } else {
            HazelcastInstance running = s.instanceName() == null ? null : Engines.runningMember(s.instanceName());
            if (running != null) {
                if (s.clusterName() != null && !s.clusterName().equals(running.getConfig().getClusterName())) {
                    throw new IllegalArgumentException("config key '" + Settings.INSTANCE_NAME + "' names member '"
                            + s.instanceName() + "' of this JVM, which is in cluster '"
                            + running.getConfig().getClusterName() + "', not '" + s.clusterName() + "'");
                }
                hz = running;
                owned = false;
            } else {
                var mc = Engines.memberConfig(s);
                hz = start(() -> com.hazelcast.core.Hazelcast.newHazelcastInstance(mc), s);
                owned = true;
            }
            filter = Call.filter(hz);
        }
        int workers = s.maxWorkers().orElseGet(() -> cores(hz));
        return new ClusterPool(hz, owned, filter, workers, s.maxMessageSize());
    }

    private interface Starter {
        HazelcastInstance start();
    }

    private static HazelcastInstance start(Starter starter, Settings s) {
        try {
            return starter.start();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("could not " + (s.mode().equals(Settings.CLIENT)
                    ? "connect to cluster '" + (s.clusterName() == null ? Settings.DEFAULT_CLUSTER_NAME : s.clusterName())
                            + "' at " + (s.members().isEmpty() ? "127.0.0.1:5701" : String.join(",", s.members()))
                    : "start a cluster member") + ": " + e, e);
        }
    }

    /** The members' processors, summed: asked of each member, at most 10 s. */
    static int cores(HazelcastInstance hz) {
        int total = 0;
        try {
            Map<Member, Future<Integer>> answers = hz.getExecutorService(Engines.EXECUTOR).submitToAllMembers(new Cores());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (Future<Integer> f : answers.values()) {
                try {
                    total += f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    // a member that does not answer in time adds nothing
                }
            }
        } catch (RuntimeException e) {
            // no member reachable now: fall back below
        }
        return Math.max(total, Runtime.getRuntime().availableProcessors());
    }

    /** Asks a member for its processors. */
    static final class Cores implements Callable<Integer>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer call() {
            return Runtime.getRuntime().availableProcessors();
        }
    }
}
