package futures.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.cluster.MemberLostException;
import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.spi.ExecutorConfig;
import futures.testkit.Gate;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A member started in a child JVM with the member launcher joins the shared pair; it is SIGKILLed
 * while it runs a call: that call's future fails with {@link MemberLostException} within 10 s, the
 * calls on the other members finish, and the executor keeps serving.
 */
@ExtendWith(TestCluster.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MemberLossTest {

    /** The child's command: the member launcher, on the module path when this JVM is on it. */
    static List<String> command(String clusterName, String members) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "--sun-misc-unsafe-memory-access=allow", "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null) {
            Path testClasses = Path.of(System.getProperty("basedir", "."), "target", "test-classes");
            // As Surefire runs this JVM: the module's tests patched in, the test dependencies
            // (futures.core, futures.testkit) on the class path.
            cmd.addAll(List.of("-p", modulePath, "-cp", System.getProperty("java.class.path"),
                    "--patch-module", "futures.cluster=" + testClasses, "--add-reads", "futures.cluster=ALL-UNNAMED",
                    "--add-modules", "ALL-MODULE-PATH", "-m", "futures.cluster/futures.cluster.Member"));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "futures.cluster.Member"));
        }
        cmd.addAll(List.of("--cluster-name", clusterName, "--members", members));
        return cmd;
    }

    @Test
    void killedMemberFailsItsCallAndTheExecutorKeepsServing() throws Exception {
        TestCluster.Pair pair = TestCluster.pair();
        Path err = Files.createTempFile("futures-cluster-member", ".err");
        Process child = new ProcessBuilder(command(pair.clusterName(), pair.addresses()))
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(100);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.offer(line);
                }
            } catch (IOException e) {
                // the child is gone
            }
        }, "member-stdout");
        reader.setDaemon(true);
        reader.start();
        // Declared so that they close in this order: the gate (letting every call through), then the executor.
        try (Executor ex = Executors.create("cluster", TestCluster.attached(ExecutorConfig.builder().maxWorkers(3).build()));
                Gate gate = Gate.open()) {
            String ready = lines.poll(60, TimeUnit.SECONDS);
            assertTrue(ready != null && ready.startsWith("member 127.0.0.1:") && ready.endsWith("ready (3 members)"),
                    "the launcher's line: " + ready + "; stderr: " + Files.readString(err));
            assertEquals(List.of(), Listening.nonLoopback(child.pid()), "the child member listens beyond loopback");
            assertTrue(Listening.addresses(child.pid()).size() >= 1, "the child member listens");

            List<Future<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                fs.add(ex.submit(KillTasks.passAs(gate.key(), i)));
            }
            long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (gate.arrivals().size() < 3 && System.nanoTime() < limit) {
                for (Future<Long> f : fs) {
                    if (f.done()) {
                        throw new AssertionError("a call ended before the kill; child stderr: " + Files.readString(err),
                                f.exception());
                    }
                }
                Thread.sleep(20); // a poll of futures that may fail early; the gate's own wait is the hang guard
            }
            int onChild = -1;
            for (String tag : gate.awaitArrivals(3)) {
                String[] f = tag.split(":");
                if (Long.parseLong(f[1]) == child.pid()) {
                    onChild = Integer.parseInt(f[0]);
                }
            }
            assertTrue(onChild >= 0, "one call runs on the child member: " + gate.arrivals());

            long t0 = System.nanoTime();
            child.destroyForcibly(); // SIGKILL
            Future<Long> lost = fs.get(onChild);
            MemberLostException e = assertThrows(MemberLostException.class, () -> lost.result(Duration.ofSeconds(10)));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.println("member loss reported after " + ms + " ms: " + e.getMessage());
            assertTrue(ms < 10_000, "reported after " + ms + " ms");
            assertTrue(e.member().startsWith("127.0.0.1:"), e.member());

            gate.release();
            for (int i = 0; i < 3; i++) {
                if (i != onChild) {
                    assertEquals(ProcessHandle.current().pid(), fs.get(i).result(), "the other calls finish");
                }
            }
            List<Future<Long>> after = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                after.add(ex.submit(KillTasks.pid()));
            }
            for (Future<Long> f : after) {
                assertEquals(ProcessHandle.current().pid(), f.result(), "served by the members that remain");
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(err);
        }
        assertNotEquals(0, child.exitValue());
    }
}
