package futures.providers.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What happens when main returns without shutdown, in a child JVM started with this JVM's java
 * binary. The child runs on the class path made of this test JVM's module path and class path
 * (providers' classes, futures.spi, futures.core, test classes): the exit behaviour does not depend
 * on module or class path, and this way needs no --patch-module for the test's own main classes.
 */
@Timeout(180)
class ExitBehaviourTest {
    private static final long GENEROUS_SECONDS = 60;

    record Child(int exitCode, List<String> lines) {}

    private static Child run(Class<?> main, String... args) throws IOException, InterruptedException {
        Set<String> path = new LinkedHashSet<>();
        for (String prop : List.of("jdk.module.path", "java.class.path")) {
            String v = System.getProperty(prop);
            if (v != null) {
                for (String e : v.split(File.pathSeparator)) {
                    if (!e.isBlank()) {
                        path.add(e);
                    }
                }
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", String.join(File.pathSeparator, path), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try {
            boolean exited = p.waitFor(GENEROUS_SECONDS, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(exited, main.getSimpleName() + " did not exit within " + GENEROUS_SECONDS + " s; output so far: " + out);
            List<String> lines = new ArrayList<>(out.lines().filter(l -> !l.isBlank()).toList());
            return new Child(p.exitValue(), lines);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    @DisplayName("Regardless of the value of wait, the entire program will not exit until all pending futures are done executing")
    void pendingFuturesFinishBeforeExit() throws Exception {
        Child c = run(ExitWithPendingMain.class);
        assertEquals(List.of("main returns", "task finished after the JVM began to exit"), c.lines());
        assertEquals(0, c.exitCode());
    }

    @Test
    @DisplayName("The program will not exit until the queued futures are done too, and a cancelled one does not hold it up")
    void queuedFuturesFinishBeforeExit() throws Exception {
        Child c = run(ExitWithQueuedMain.class);
        assertEquals(List.of("main returns", "call queued ran after the JVM began to exit"), c.lines());
        assertEquals(0, c.exitCode());
    }

    @Test
    @DisplayName("Regardless of the value of wait, the program will not exit until all pending futures are done: on the virtual provider, whose threads are daemons")
    void pendingFuturesFinishBeforeExitVirtual() throws Exception {
        Child c = run(ExitWithPendingMain.class, "virtual");
        assertEquals(List.of("main returns", "task finished after the JVM began to exit"), c.lines());
        assertEquals(0, c.exitCode());
    }

    @Test
    @DisplayName("Regardless of the value of wait, the program will not exit until all pending futures are done: on the process provider, the call running in a worker")
    void pendingFuturesFinishBeforeExitProcess() throws Exception {
        Child c = run(ExitWithPendingMain.class, "process");
        assertEquals(List.of("main returns", "task finished after the JVM began to exit"), c.lines());
        assertEquals(0, c.exitCode());
    }

    @Test
    @DisplayName("An idle executor that was never shut down does not keep the JVM alive")
    void idleExecutorLetsJvmExit() throws Exception {
        Child c = run(ExitIdleMain.class);
        assertEquals(List.of("result 25.0"), c.lines());
        assertEquals(0, c.exitCode());
    }

    @Test
    @DisplayName("An idle executor that was never shut down does not keep the JVM alive: virtual and process providers too")
    void idleExecutorLetsJvmExitVirtualAndProcess() throws Exception {
        for (String provider : List.of("virtual", "process")) {
            Child c = run(ExitIdleMain.class, provider);
            assertEquals(List.of("result 25.0"), c.lines(), provider);
            assertEquals(0, c.exitCode(), provider);
        }
    }

    @Test
    @DisplayName("A task that calls System.exit ends the JVM with its status: an explicit exit does not wait for pending futures")
    void systemExitFromTaskEndsJvm() throws Exception {
        Child c = run(ExitFromTaskMain.class);
        assertEquals(List.of("task calls System.exit(3)"), c.lines());
        assertEquals(3, c.exitCode());
    }
}
