package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Workers never outlive their parent, whether it exits normally or is killed with SIGKILL. */
class ParentKilledTest {

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    @DisplayName("when the parent JVM is killed with SIGKILL while its workers run long tasks, no worker is left")
    void workersDieWithKilledParent() throws Exception {
        Path dir = Launcher.privateDirectory();
        Path argFile = Launcher.writeArgFile(dir, Launcher.javaArgs(KillParentMain.class, List.of(
                "-Xlog:disable", "-Xlog:all=warning:stderr")));
        Process parent = new ProcessBuilder(Launcher.currentJava(), "@" + argFile)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<Long> workers = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
            while (workers.size() < 2) {
                String line = out.readLine();
                if (line == null) {
                    assertNotNull(line, "the parent ended before its workers reported: exit " + parent.waitFor());
                }
                if (line.startsWith("WORKER ")) {
                    workers.add(Long.parseLong(line.substring(7).trim()));
                }
            }
            for (long pid : workers) {
                assertTrue(Children.alive(pid), "worker " + pid + " runs before the kill");
                assertEquals(parent.pid(), ProcessHandle.of(pid).flatMap(ProcessHandle::parent)
                        .map(ProcessHandle::pid).orElse(-1L), "worker " + pid + " is the parent's child");
            }
            Children.killParentAndAwaitWorkers(parent, workers, "worker");
        } finally {
            parent.destroyForcibly();
            for (long pid : workers) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            Files.deleteIfExists(argFile);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    @DisplayName("when the parent JVM exits normally with idle workers it never shut down, it exits and no worker is left; what the workers printed reached the parent's stdout and stderr")
    void workersDieWithParentExitingNormally() throws Exception {
        Path dir = Launcher.privateDirectory();
        Path argFile = Launcher.writeArgFile(dir, Launcher.javaArgs(KillParentMain.class, List.of(
                "-Xlog:disable", "-Xlog:all=warning:stderr")));
        Process parent = new ProcessBuilder(Launcher.currentJava(), "@" + argFile, "exit-normally")
                .redirectErrorStream(true) // the parent's stderr, which its workers inherit, is read here too
                .start();
        List<Long> workers = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
                if (line.startsWith("WORKER ")) {
                    workers.add(Long.parseLong(line.substring(7).trim()));
                }
            }
            for (long pid : workers) {
                assertTrue(lines.contains("STDOUT OF WORKER " + pid), "a worker's System.out reaches the parent's: " + lines);
                assertTrue(lines.contains("STDERR OF WORKER " + pid), "a worker's System.err reaches the parent's: " + lines);
            }
            // end of its stdout: the parent is ending; the @Timeout guards a parent that never exits
            assertEquals(0, parent.waitFor(), "the parent's exit status");
            assertFalse(workers.isEmpty(), "the parent reported no worker");
            for (long pid : workers) {
                assertTrue(Children.gone(pid), "worker " + pid + " outlived its parent, which exited normally");
            }
        } finally {
            parent.destroyForcibly();
            for (long pid : workers) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            Files.deleteIfExists(argFile);
            Files.deleteIfExists(dir);
        }
    }
}
