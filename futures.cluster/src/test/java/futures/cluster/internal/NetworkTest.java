package futures.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.spi.ExecutorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Nothing of this JVM listens on a non-loopback address while members (shared, owned, and a
 * client's cluster) are up; and mode client runs calls on an embedded cluster.
 */
@ExtendWith(TestCluster.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetworkTest {
    private static final long PID = ProcessHandle.current().pid();

    @Test
    void membersListenOnLoopbackOnly() throws Exception {
        // An executor that starts (and owns) a member of its own cluster, besides the shared pair.
        try (Executor own = Executors.create("cluster", ExecutorConfig.builder().maxWorkers(1)
                .property("cluster_name", "futures-test-" + UUID.randomUUID()).property("port", "5801").build())) {
            assertEquals(7, own.submit(() -> 7).result());
            List<String> listening = Listening.addresses(PID);
            assertTrue(listening.size() >= 3, "the three members listen: " + listening);
            assertEquals(List.of(), Listening.nonLoopback(PID), "listening beyond loopback");
        }
    }

    @Test
    void clientModeRunsCallsOnTheMembers() throws Exception {
        ExecutorConfig config = ExecutorConfig.builder().maxWorkers(4)
                .property("mode", "client")
                .property("cluster_name", TestCluster.pair().clusterName())
                .property("members", TestCluster.pair().addresses())
                .build();
        int before = Listening.addresses(PID).size();
        try (Executor client = Executors.create("cluster", config)) {
            assertEquals(4, client.maxWorkers());
            List<Future<String>> fs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                fs.add(client.submit(ClusterTest::where));
            }
            Set<String> where = new TreeSet<>();
            for (Future<String> f : fs) {
                where.add(f.result());
            }
            assertEquals(Set.of("a", "b"), where, "the client's calls ran on both members");
            assertEquals(before, Listening.addresses(PID).size(), "a client listens on nothing");
            assertEquals(List.of(), Listening.nonLoopback(PID));
        }
    }

    @Test
    void loopbackParsing() {
        assertTrue(Listening.isLoopback("0100007F:1645"));
        assertFalse(Listening.isLoopback("00000000:1645"));
        assertTrue(Listening.isLoopback("0000000000000000FFFF00000100007F:1645"));
        assertFalse(Listening.isLoopback("00000000000000000000000000000000:1645"));
    }
}
