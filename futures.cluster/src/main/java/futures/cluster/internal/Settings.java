package futures.cluster.internal;

import futures.spi.ExecutorConfig;
import futures.spi.internal.StreamLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The settings of provider "cluster", checked. See {@code docs/cluster-provider.md} for each key.
 *
 * @param mode {@code embedded} (a member in this JVM) or {@code client}
 * @param clusterName the cluster's name, or null for the default (or the config file's)
 * @param members member addresses ({@code host} or {@code host:port}); empty for the default
 * @param configFile a Hazelcast XML or YAML file, or null
 * @param bindAddress the address members bind to, or null for the default (loopback)
 * @param port the first port a member tries, or 0 for the default
 * @param instanceName the engine instance's name in this JVM, or null
 * @param allow extra package prefixes the serialization filter allows
 * @param deny extra package prefixes it denies
 * @param maxWorkers calls in flight at most, or empty for the members' cores
 * @param memberThreads threads per member that run calls
 * @param maxMessageSize the largest call or outcome this JVM sends or reads, in bytes
 */
public record Settings(String mode, String clusterName, List<String> members, Path configFile, String bindAddress,
        int port, String instanceName, List<String> allow, List<String> deny, OptionalInt maxWorkers,
        int memberThreads, int maxMessageSize) {

    static final String MODE = "mode";
    static final String CLUSTER_NAME = "cluster_name";
    static final String MEMBERS = "members";
    static final String CONFIG_FILE = "config_file";
    static final String BIND_ADDRESS = "bind_address";
    static final String PORT = "port";
    static final String INSTANCE_NAME = "instance_name";
    static final String SERIALIZATION_ALLOW = "serialization_allow";
    static final String SERIALIZATION_DENY = "serialization_deny";
    static final String MEMBER_THREADS = "member_threads";
    static final String MAX_MESSAGE_SIZE = "max_message_size";

    static final String EMBEDDED = "embedded";
    static final String CLIENT = "client";
    static final String DEFAULT_CLUSTER_NAME = "futures";
    static final String LOOPBACK = "127.0.0.1";
    static final int DEFAULT_PORT = 5701;
    static final int DEFAULT_MEMBER_THREADS = 16;
    /** Default of {@code max_message_size}: 256 MiB, as provider "process". */
    static final int DEFAULT_MAX_MESSAGE_SIZE = 256 << 20;

    static final Set<String> KEYS = Set.of(ExecutorConfig.MAX_WORKERS, MODE, CLUSTER_NAME, MEMBERS, CONFIG_FILE,
            BIND_ADDRESS, PORT, INSTANCE_NAME, SERIALIZATION_ALLOW, SERIALIZATION_DENY, MEMBER_THREADS, MAX_MESSAGE_SIZE);

    public static Settings of(ExecutorConfig config) {
        String mode = config.property(MODE).orElse(EMBEDDED).strip().toLowerCase(Locale.ROOT);
        if (!mode.equals(EMBEDDED) && !mode.equals(CLIENT)) {
            throw new IllegalArgumentException("config key '" + MODE + "' must be 'embedded' (a member in this JVM)"
                    + " or 'client' (a client of a running cluster); got '" + config.property(MODE).get() + "'");
        }
        String name = config.property(CLUSTER_NAME).map(String::strip).orElse(null);
        if (name != null && name.isEmpty()) {
            throw new IllegalArgumentException("config key '" + CLUSTER_NAME + "' must not be empty");
        }
        Path file = config.property(CONFIG_FILE).map(f -> checkFile(f)).orElse(null);
        String bind = config.property(BIND_ADDRESS).map(String::strip).orElse(null);
        if (bind != null && bind.isEmpty()) {
            throw new IllegalArgumentException("config key '" + BIND_ADDRESS + "' must not be empty");
        }
        if (bind != null && (bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("*"))) {
            throw new IllegalArgumentException("config key '" + BIND_ADDRESS + "' must name one interface's address;"
                    + " a wildcard ('" + bind + "') would listen on every network, which this provider never does");
        }
        int port = config.property(PORT).map(p -> positive(PORT, p, 65535)).orElse(0);
        int threads = config.property(MEMBER_THREADS).map(p -> positive(MEMBER_THREADS, p, 10_000))
                .orElse(DEFAULT_MEMBER_THREADS);
        int maxMessage = config.property(MAX_MESSAGE_SIZE)
                .map(v -> StreamLimits.parseSize(MAX_MESSAGE_SIZE, v, StreamLimits.MAX_MESSAGE_SIZE))
                .orElse(DEFAULT_MAX_MESSAGE_SIZE);
        String instance = config.property(INSTANCE_NAME).map(String::strip).orElse(null);
        if (mode.equals(CLIENT) && (bind != null || port != 0 || config.property(MEMBER_THREADS).isPresent())) {
            throw new IllegalArgumentException("config keys '" + BIND_ADDRESS + "', '" + PORT + "' and '"
                    + MEMBER_THREADS + "' are for mode 'embedded' (a client listens on nothing and runs no calls)");
        }
        return new Settings(mode, name, members(config.property(MEMBERS).orElse("")), file, bind, port, instance,
                SerialFilter.prefixes(SERIALIZATION_ALLOW, config.property(SERIALIZATION_ALLOW).orElse(null)),
                SerialFilter.prefixes(SERIALIZATION_DENY, config.property(SERIALIZATION_DENY).orElse(null)),
                config.maxWorkers(), threads, maxMessage);
    }

    static List<String> members(String value) {
        List<String> out = new ArrayList<>();
        for (String m : value.split(",")) {
            String s = m.strip();
            if (s.isEmpty()) {
                continue;
            }
            if (!s.matches("[\\w.:\\[\\]-]+")) {
                throw new IllegalArgumentException("config key '" + MEMBERS + "' takes addresses separated by commas,"
                        + " each host or host:port, such as '10.0.0.5:5701,10.0.0.6'; got '" + value + "'");
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    static Path checkFile(String f) {
        Path p = Path.of(f.strip());
        String n = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!n.endsWith(".xml") && !n.endsWith(".yaml") && !n.endsWith(".yml")) {
            throw new IllegalArgumentException("config key '" + CONFIG_FILE + "' must name a Hazelcast .xml, .yaml"
                    + " or .yml file; got '" + f + "'");
        }
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new IllegalArgumentException("config key '" + CONFIG_FILE + "' names '" + f
                    + "', which is not a readable file");
        }
        return p;
    }

    static int positive(String key, String value, int max) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is accepted
        }
        throw new IllegalArgumentException("config key '" + key + "' must be a whole number from 1 to " + max
                + "; got '" + value + "'");
    }
}
