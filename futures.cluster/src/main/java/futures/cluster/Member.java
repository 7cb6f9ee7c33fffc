package futures.cluster;

import futures.cluster.internal.Engines;
import futures.cluster.internal.Settings;
import futures.spi.ExecutorConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Starts a cluster member that runs the calls of executors of provider {@code "cluster"}: start
 * one on every machine that should take work, with the application's jars and this library's on
 * its path (the open-source engine cannot ship classes: a call's classes must be on every member):
 *
 * <pre>
 * java --sun-misc-unsafe-memory-access=allow -p &lt;application and futures jars, hazelcast-5.7.0.jar&gt; \
 *      --add-modules ALL-MODULE-PATH -m futures.cluster/futures.cluster.Member \
 *      --cluster-name orders --members 10.0.0.5,10.0.0.6 --bind 10.0.0.5
 * </pre>
 *
 * <p>Options (each also a config key of the provider, same meaning): {@code --cluster-name}
 * ({@code cluster_name}), {@code --members} ({@code members}), {@code --bind}
 * ({@code bind_address}; loopback by default), {@code --port} ({@code port}), {@code --config}
 * ({@code config_file}), {@code --threads} ({@code member_threads}), {@code --allow}
 * ({@code serialization_allow}), {@code --deny} ({@code serialization_deny}),
 * {@code --max-message-size} ({@code max_message_size}). When the member has
 * joined, it prints one line to standard output, {@code member <host:port> of cluster <name>
 * ready (<n> members)}, then runs until it is stopped (SIGTERM or SIGINT shut it down).
 * Exit codes: 0 when stopped, 2 for a bad option, 1 if it could not start.
 */
public final class Member {
    private Member() {}

    private static final Map<String, String> OPTIONS = Map.of(
            "--cluster-name", "cluster_name", "--members", "members", "--bind", "bind_address", "--port", "port",
            "--config", "config_file", "--threads", "member_threads", "--allow", "serialization_allow",
            "--deny", "serialization_deny", "--max-message-size", "max_message_size");

    /**
     * Starts the member and waits until it stops.
     *
     * @param args the options above, each followed by its value
     * @throws InterruptedException if the main thread is interrupted while the member runs
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> settings = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String key = OPTIONS.get(args[i]);
            if (key == null || i + 1 == args.length) {
                usage(key == null ? "unknown option '" + args[i] + "'" : "option " + args[i] + " needs a value");
                return;
            }
            settings.put(key, args[++i]);
        }
        Settings s;
        try {
            s = Settings.of(ExecutorConfig.of(settings));
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
            return;
        }
        com.hazelcast.core.HazelcastInstance hz;
        try {
            hz = Engines.startMember(s);
        } catch (RuntimeException e) {
            System.err.println("futures.cluster.Member: could not start a member of cluster '"
                    + (s.clusterName() == null ? "futures" : s.clusterName()) + "': " + e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        hz.getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == com.hazelcast.core.LifecycleEvent.LifecycleState.SHUTDOWN) {
                stopped.countDown();
            }
        });
        var a = hz.getCluster().getLocalMember().getAddress();
        System.out.println("member " + a.getHost() + ":" + a.getPort() + " of cluster " + hz.getConfig().getClusterName()
                + " ready (" + hz.getCluster().getMembers().size() + " members)");
        System.out.flush();
        if (!hz.getLifecycleService().isRunning()) {
            return;
        }
        stopped.await();
    }

    private static void usage(String problem) {
        System.err.println("futures.cluster.Member: " + problem);
        System.err.println("usage: java -p <jars> --add-modules ALL-MODULE-PATH -m futures.cluster/futures.cluster.Member"
                + " [--cluster-name NAME] [--members HOST[:PORT],...] [--bind ADDRESS] [--port PORT]"
                + " [--config FILE.xml|.yaml] [--threads N] [--allow PREFIX,...] [--deny PREFIX,...]"
                + " [--max-message-size BYTES]");
        System.exit(2);
    }
}
