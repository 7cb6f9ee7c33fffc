package futures.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import futures.cluster.BrokenClusterException;
import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.spi.ExecutorConfig;
import futures.testkit.Gate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When the engine instance an executor uses stops under it (here: its member, shut down by someone
 * else), the executor is broken: the call in flight and the queued one fail with their own
 * BrokenClusterException, and submit is refused with one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BrokenClusterTest {

    @Test
    void ownEngineStoppingBreaksTheExecutor() throws Exception {
        String name = "futures-test-" + UUID.randomUUID();
        HazelcastInstance hz = Engines.startMember(Settings.of(ExecutorConfig.of(Map.of(
                "cluster_name", name, "instance_name", name, "port", "5821"))));
        Thread stopper = null;
        try (Executor ex = Executors.create("cluster", ExecutorConfig.builder().maxWorkers(1)
                .property("instance_name", name).build());
                Gate gate = Gate.open()) {
            Gate.Key key = gate.key();
            Future<String> running = ex.submit(() -> {
                key.pass("running");
                return "running";
            });
            Future<String> queued = ex.submit(() -> "queued");
            assertEquals(List.of("running"), gate.awaitArrivals(1));
            stopper = new Thread(hz::shutdown, "stopper");
            stopper.start();
            for (Future<String> f : List.of(running, queued)) {
                Throwable e = assertThrows(BrokenClusterException.class, () -> f.result(Duration.ofSeconds(30)));
                assertTrue(e.getMessage().contains("instance '" + name + "'"), e.getMessage());
            }
            assertTrue(running.exception() != queued.exception(), "each future has its own exception");
            BrokenClusterException refused = assertThrows(BrokenClusterException.class, () -> ex.submit(() -> 1));
            assertInstanceOf(java.util.concurrent.RejectedExecutionException.class, refused);
            gate.release();
        } finally {
            if (stopper != null) {
                stopper.join(TimeUnit.SECONDS.toMillis(30));
            }
            hz.getLifecycleService().terminate();
        }
    }
}
