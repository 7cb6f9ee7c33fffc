/**
 * Provider {@code "cluster"}: the executor API of {@code futures.core} across machines, on Hazelcast
 * Platform (open-source edition). Users reach it by name, {@code Executors.create("cluster", config)};
 * the exported package holds only the member launcher ({@link futures.cluster.Member}) and the
 * exceptions a cluster adds. No Hazelcast type appears in it. See {@code docs/cluster-provider.md}.
 */
module futures.cluster {
    requires transitive futures.spi; // BrokenClusterException extends futures.spi.BrokenExecutorException
    requires com.hazelcast.core;
    requires java.logging;
    // What the engine needs at run time and, being an automatic module, cannot ask for itself.
    requires jdk.unsupported;
    requires java.sql;
    requires java.transaction.xa;
    requires jdk.net; // keeps the engine from warning that it cannot set TCP keep-alive options

    exports futures.cluster;

    // The engine instantiates the logger factory by name, and runs the calls by serialization.
    opens futures.cluster.internal to com.hazelcast.core;

    provides futures.spi.ExecutorProvider with futures.cluster.internal.ClusterProvider;
}
