package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JVM's own messages of workers go to the parent's stderr, never into the user's stdout. */
class WorkerOutputTest {

    @Test
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    @DisplayName("a worker's OOM line, boot-layer error and -verbose:gc from JAVA_TOOL_OPTIONS reach the parent's stderr, not its stdout")
    void vmOutputOnStderr() throws Exception {
        Path tmp = Files.createTempDirectory("output");
        try {
            List<String> cmd = new ArrayList<>(List.of(Launcher.currentJava(), "-Xlog:disable", "-Xlog:all=warning:stderr",
                    // the parent's own GC log to a file: JAVA_TOOL_OPTIONS=-verbose:gc is meant for the workers here
                    "-Xloggc:" + tmp.resolve("parent-gc.log")));
            cmd.addAll(Launcher.javaArgs(OutputMain.class, List.of("-Xlog:disable", "-Xlog:all=warning:stderr")));
            cmd.add(tmp.toString());
            LaunchersTest.Run r = LaunchersTest.run(cmd, tmp, Map.of("JAVA_TOOL_OPTIONS", "-verbose:gc"));
            List<String> out = r.out().lines().toList();
            String both = "stdout:\n" + r.out() + "\nstderr:\n" + r.err();
            assertEquals(List.of("OK done", "OOM BrokenProcessPoolException", "START BrokenProcessPoolException"), out, "stdout holds the program's own lines only; " + both);
            assertEquals(0, r.exit(), both);
            for (String s : List.of("Terminating due to java.lang.OutOfMemoryError", "Error occurred during initialization of boot layer", "FindException: Module no.such.module not found",
                    "][gc")) {
                assertTrue(r.err().contains(s), "stderr has '" + s + "': " + both);
            }
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    @DisplayName("logging options of the JVM option variables move to stderr, after the pool's own; other options stay")
    void loggingMoved() {
        Launcher.LoggingMove m = Launcher.moveLogging(Map.of(
                "JAVA_TOOL_OPTIONS", "-verbose:gc -Dx=1",
                "_JAVA_OPTIONS", "-Xlog:gc+heap=debug -Xlog:safepoint:stdout:uptime -Xlog:gc:file=/tmp/g.log",
                "JDK_JAVA_OPTIONS", "-XX:+PrintGCDetails"));
        assertEquals(List.of("-Xlog:gc:stderr", "-Xlog:gc*:stderr",
                "-Xlog:gc+heap=debug:stderr", "-Xlog:safepoint:stderr:uptime"), m.options());
        assertEquals("-Dx=1", m.variables().get("JAVA_TOOL_OPTIONS"));
        assertEquals("-Xlog:gc:file=/tmp/g.log", m.variables().get("_JAVA_OPTIONS"));
        assertTrue(m.variables().containsKey("JDK_JAVA_OPTIONS"));
        assertNull(m.variables().get("JDK_JAVA_OPTIONS"), "emptied: removed");
        assertTrue(Launcher.moveLogging(Map.of("JAVA_TOOL_OPTIONS", "-Dmsg=\"a b\" -verbose:gc")).options().isEmpty(),
                "a variable with quotes is left alone");
        assertNull(Launcher.toStderr("-Xlog:disable"));
        assertNull(Launcher.toStderr("-Xmx1g"));
    }
}
