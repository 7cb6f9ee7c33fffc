package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * At JVM exit a pool's private directory goes (one shutdown hook for all pools, not a
 * {@code deleteOnExit} entry per pool), but only after the core's exit guard has waited for the
 * pending futures, which may need the pool's argfile to start workers.
 */
class ExitCleanupTest {

    /** Runs {@link ExitCleanupMain} with {@code java.io.tmpdir} = {@code tmp}; its output. */
    private static String runParent(Path tmp, String... args) throws Exception {
        Path dir = Launcher.privateDirectory();
        Path argFile = Launcher.writeArgFile(dir, Launcher.javaArgs(ExitCleanupMain.class, List.of(
                "-Xlog:disable", "-Djava.io.tmpdir=" + tmp)));
        List<String> command = new java.util.ArrayList<>(List.of(Launcher.currentJava(), "@" + argFile));
        command.addAll(List.of(args));
        Process parent = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (InputStream in = parent.getInputStream()) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            String out = buf.toString(StandardCharsets.UTF_8);
            parent.waitFor(60, TimeUnit.SECONDS);
            assertEquals(0, parent.exitValue(), out);
            return out;
        } finally {
            parent.destroyForcibly();
            Launcher.deleteNow(dir);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @DisplayName("System.exit while a worker starts leaves at most a directory without an argfile, which the next sweep removes")
    void explicitExitWhileWorkersStart(@TempDir Path tmp) throws Exception {
        assumeFalse(System.getProperty("os.name", "").startsWith("Windows"), "POSIX");
        runParent(tmp, "exit");
        Path own = Files.createDirectory(tmp.resolve("futures-" + ProcessHandle.current().pid() + "-1"));
        try (Stream<Path> left = Files.list(tmp)) {
            for (Path d : left.filter(p -> p.getFileName().toString().startsWith("futures-") && !p.equals(own)).toList()) {
                assertFalse(Files.exists(d.resolve(Launcher.ARG_FILE)), "the argfile went at exit: " + d);
                Files.setLastModifiedTime(d, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
                        - 3_600_000));
            }
        }
        Launcher.sweepStaleDirectories(own);
        Files.delete(own);
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("futures-"))
                    .toList(), "nothing of the dead JVM's pool is left after a sweep");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @DisplayName("a normal exit with pending futures runs them all, starting workers as needed, then removes the pool's directory")
    void directoryGoesAfterPendingFutures(@TempDir Path tmp) throws Exception {
        assumeFalse(System.getProperty("os.name", "").startsWith("Windows"), "POSIX");
        Path dir = Launcher.privateDirectory();
        Path argFile = Launcher.writeArgFile(dir, Launcher.javaArgs(ExitCleanupMain.class, List.of(
                "-Xlog:disable", "-Djava.io.tmpdir=" + tmp)));
        Process parent = new ProcessBuilder(Launcher.currentJava(), "@" + argFile)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out;
        try (InputStream in = parent.getInputStream()) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            out = buf.toString(StandardCharsets.UTF_8);
        } finally {
            parent.waitFor(60, TimeUnit.SECONDS);
            parent.destroyForcibly();
            Launcher.deleteNow(dir);
        }
        assertEquals(0, parent.exitValue(), out);
        assertEquals(List.of("RESULT 0", "RESULT 1", "RESULT 2"),
                out.lines().filter(l -> l.startsWith("RESULT") || l.startsWith("FAILED")).toList(), out);
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("futures-"))
                    .toList(), "the pool's directory is gone after exit");
        }
    }
}
