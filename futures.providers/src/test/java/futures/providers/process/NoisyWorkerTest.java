package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Workers whose JVM prints as it dies (out of memory, an unknown JVM option) break the pool. Each
 * case runs in a parent JVM of its own ({@link NoisyWorkerMain}) whose stdout and stderr this test
 * reads, so the JVM's messages are asserted on here instead of showing in the build output.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NoisyWorkerTest {

    /** Runs {@link NoisyWorkerMain} with {@code mode}; returns its stdout and stderr together. */
    private static String run(String mode) throws IOException, InterruptedException {
        Path dir = Launcher.privateDirectory();
        Path argFile = Launcher.writeArgFile(dir, Launcher.javaArgs(NoisyWorkerMain.class, List.of(
                "-Xlog:disable", "-Xlog:all=warning:stderr")));
        Path output = dir.resolve("output.txt");
        try {
            Process parent = new ProcessBuilder(Launcher.currentJava(), "@" + argFile, mode)
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!parent.waitFor(100, TimeUnit.SECONDS)) {
                parent.destroyForcibly();
                throw new AssertionError("the parent JVM did not end: " + Files.readString(output));
            }
            String out = Files.readString(output, StandardCharsets.UTF_8);
            assertEquals(0, parent.exitValue(), out);
            return out;
        } finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(argFile);
            Files.deleteIfExists(dir);
        }
    }

    private static String line(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + prefix + " in:\n" + out));
    }

    @Test
    @DisplayName("a worker given -XX:+ExitOnOutOfMemoryError in jvm_options that runs out of memory exits (saying so on stderr) and breaks the pool")
    void outOfMemoryBreaks() throws Exception {
        String out = run("oom");
        assertTrue(out.contains("Terminating due to java.lang.OutOfMemoryError: Java heap space"), out);
        String pid = line(out, "PID ").substring(4);
        String broken = line(out, "BROKEN ");
        assertTrue(broken.contains("BrokenProcessPoolException") && broken.contains("worker pid " + pid)
                && broken.contains("exit code 3"), broken);
        assertTrue(line(out, "STAYS ").contains("BrokenProcessPoolException"), out);
    }

    @Test
    @DisplayName("a worker JVM that dies before connecting (an unknown JVM option) breaks the pool instead of blocking it")
    void diesBeforeConnecting() throws Exception {
        String out = run("bad-option");
        assertTrue(out.contains("Unrecognized VM option 'NoSuchOptionForFutures'"), out);
        assertTrue(out.contains("Error: Could not create the Java Virtual Machine."), out);
        String broken = line(out, "BROKEN ");
        assertTrue(broken.contains("BrokenProcessPoolException") && broken.contains("before connecting")
                && broken.contains("exit code 1"), broken);
        assertTrue(line(out, "STAYS ").contains("BrokenProcessPoolException"), out);
    }
}
