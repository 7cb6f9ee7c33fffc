package futures.cluster.internal;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.XmlClientConfigBuilder;
import com.hazelcast.client.config.YamlClientConfigBuilder;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the engine's instances with this library's safe defaults: an explicit cluster name;
 * multicast and auto-detection off; a TCP/IP join with explicit members (loopback unless told);
 * bound to one interface, loopback unless told, never the wildcard; phone-home off; the engine's
 * logging through {@link System.Logger} ({@link EngineLog}); the Java serialization filter on
 * ({@link SerialFilter}); member loss detected within seconds. A Hazelcast XML or YAML file
 * ({@code config_file}) replaces the defaults for network and join; the keys set explicitly
 * still win, and phone-home, logging and the filter are still set unless the file sets them.
 *
 * <p>Stateless apart from a counter for instance names.
 */
public final class Engines {
    private Engines() {}

    /** The name of the engine's executor service that runs this library's calls. */
    static final String EXECUTOR = "futures";

    /**
     * The member config property that carries its {@code max_message_size} to the calls it runs
     * ({@link Call}), which refuse a larger task and replace a larger outcome by an error.
     */
    static final String MAX_MESSAGE_PROPERTY = "futures.max_message_size";

    private static final System.Logger LOG = System.getLogger("futures.cluster");
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    static {
        // Before the engine's first class reads it: its static loggers come up before any config.
        if (System.getProperty("hazelcast.logging.type") == null && System.getProperty("hazelcast.logging.class") == null) {
            System.setProperty("hazelcast.logging.class", EngineLog.class.getName());
        }
    }

    /** The member config for {@code s} (mode embedded, or the member launcher). */
    static Config memberConfig(Settings s) {
        Config c;
        if (s.configFile() != null) {
            try {
                c = Config.loadFromFile(s.configFile().toFile());
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("config key '" + Settings.CONFIG_FILE + "': cannot read '"
                        + s.configFile() + "' as a Hazelcast member configuration: " + e.getMessage(), e);
            }
        } else {
            c = new Config();
            c.setClusterName(Settings.DEFAULT_CLUSTER_NAME);
            NetworkConfig net = c.getNetworkConfig();
            net.setPort(Settings.DEFAULT_PORT).setPortAutoIncrement(true);
            JoinConfig join = net.getJoin();
            join.getMulticastConfig().setEnabled(false);
            join.getAutoDetectionConfig().setEnabled(false);
            join.getTcpIpConfig().setEnabled(true);
            String bind = s.bindAddress() == null ? Settings.LOOPBACK : s.bindAddress();
            net.getInterfaces().setEnabled(true).addInterface(bind);
            if (s.members().isEmpty()) {
                join.getTcpIpConfig().addMember(bind.contains("*") || bind.contains("-") ? Settings.LOOPBACK : bind);
            }
            setIfAbsent(c, "hazelcast.socket.bind.any", "false");
        }
        if (s.clusterName() != null) {
            c.setClusterName(s.clusterName());
        }
        if (!s.members().isEmpty()) {
            JoinConfig join = c.getNetworkConfig().getJoin();
            join.getMulticastConfig().setEnabled(false);
            join.getAutoDetectionConfig().setEnabled(false);
            join.getTcpIpConfig().setEnabled(true).setMembers(s.members());
        }
        if (s.port() != 0) {
            c.getNetworkConfig().setPort(s.port());
        }
        if (s.bindAddress() != null && s.configFile() != null) {
            c.getNetworkConfig().getInterfaces().setEnabled(true).clear().addInterface(s.bindAddress());
            c.setProperty("hazelcast.socket.bind.any", "false");
        }
        if (s.instanceName() != null) {
            c.setInstanceName(s.instanceName());
        } else if (c.getInstanceName() == null) {
            c.setInstanceName("futures-cluster-" + INSTANCES.incrementAndGet());
        }
        setIfAbsent(c, "hazelcast.phone.home.enabled", "false");
        setIfAbsent(c, "hazelcast.logging.class", EngineLog.class.getName());
        setIfAbsent(c, "hazelcast.heartbeat.interval.seconds", "1");
        setIfAbsent(c, "hazelcast.max.no.heartbeat.seconds", "10");
        c.getExecutorConfig(EXECUTOR).setPoolSize(s.memberThreads());
        c.setProperty(MAX_MESSAGE_PROPERTY, Integer.toString(s.maxMessageSize()));
        filter(c.getSerializationConfig(), s);
        warnIfExposed(c);
        return c;
    }

    /** The client config for {@code s} (mode client). */
    static ClientConfig clientConfig(Settings s) {
        ClientConfig c;
        if (s.configFile() != null) {
            String path = s.configFile().toString();
            try {
                c = path.toLowerCase(Locale.ROOT).endsWith(".xml")
                        ? new XmlClientConfigBuilder(path).build()
                        : new YamlClientConfigBuilder(path).build();
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("config key '" + Settings.CONFIG_FILE + "': cannot read '"
                        + path + "' as a Hazelcast client configuration: " + e.getMessage(), e);
            }
        } else {
            c = new ClientConfig();
            c.setClusterName(Settings.DEFAULT_CLUSTER_NAME);
            c.getNetworkConfig().getAutoDetectionConfig().setEnabled(false);
            c.getNetworkConfig().addAddress(Settings.LOOPBACK + ":" + Settings.DEFAULT_PORT);
            c.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(20_000);
        }
        if (s.clusterName() != null) {
            c.setClusterName(s.clusterName());
        }
        if (!s.members().isEmpty()) {
            c.getNetworkConfig().getAutoDetectionConfig().setEnabled(false);
            c.getNetworkConfig().setAddresses(s.members());
        }
        if (s.instanceName() != null) {
            c.setInstanceName(s.instanceName());
        }
        if (c.getProperty("hazelcast.phone.home.enabled") == null) {
            c.setProperty("hazelcast.phone.home.enabled", "false");
        }
        if (c.getProperty("hazelcast.logging.class") == null && c.getProperty("hazelcast.logging.type") == null) {
            c.setProperty("hazelcast.logging.class", EngineLog.class.getName());
        }
        if (c.getProperty("hazelcast.client.heartbeat.timeout") == null) {
            c.setProperty("hazelcast.client.heartbeat.timeout", "10000");
        }
        filter(c.getSerializationConfig(), s);
        return c;
    }

    /** Starts a member; the caller owns it. */
    public static HazelcastInstance startMember(Settings s) {
        return Hazelcast.newHazelcastInstance(memberConfig(s));
    }

    /** A running member of this JVM with that instance name, or null. */
    static HazelcastInstance runningMember(String name) {
        HazelcastInstance hz = Hazelcast.getHazelcastInstanceByName(name);
        return hz != null && hz.getLifecycleService().isRunning() ? hz : null;
    }

    private static void filter(SerializationConfig sc, Settings s) {
        if (sc.getJavaSerializationFilterConfig() == null || !s.allow().isEmpty() || !s.deny().isEmpty()) {
            sc.setJavaSerializationFilterConfig(SerialFilter.config(s.allow(), s.deny()));
        }
    }

    private static void setIfAbsent(Config c, String key, String value) {
        if (c.getProperty(key) == null) {
            c.setProperty(key, value);
        }
    }

    /** WARNING when a member will listen on an address other machines can reach. */
    private static void warnIfExposed(Config c) {
        var interfaces = c.getNetworkConfig().getInterfaces();
        boolean bindAny = !"false".equalsIgnoreCase(c.getProperty("hazelcast.socket.bind.any"));
        String exposed = null;
        if (!interfaces.isEnabled() || interfaces.getInterfaces().isEmpty()) {
            exposed = bindAny ? "every network interface (no interface configured)" : "an interface the engine picks";
        } else {
            for (String i : interfaces.getInterfaces()) {
                if (!isLoopback(i)) {
                    exposed = i;
                    break;
                }
            }
            if (exposed == null && bindAny) {
                exposed = "every network interface (hazelcast.socket.bind.any is not false)";
            }
        }
        if (exposed != null) {
            LOG.log(System.Logger.Level.WARNING, "cluster member '" + c.getInstanceName() + "' of cluster '"
                    + c.getClusterName() + "' will listen on " + exposed + ". In the open-source edition members"
                    + " and clients neither authenticate nor encrypt, and a member runs any call that reaches it:"
                    + " anyone who can reach that address can run code as this user. Bind to loopback, or keep"
                    + " the network private (see docs/cluster-provider.md, Security)");
        }
    }

    static boolean isLoopback(String address) {
        if (address.contains("*") || address.contains("-")) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
