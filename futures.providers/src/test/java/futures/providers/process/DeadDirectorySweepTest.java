package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep removes any dead JVM's private directory, also one left without an argfile (a JVM
 * that exited while its pool was being made or cleaned up), and a sweep looks at a bounded number
 * of entries, so a temp directory full of others' {@code futures-*} entries cannot slow a pool's start.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeadDirectorySweepTest {
    @TempDir
    Path base;
    private long dead;
    private Path own;

    @BeforeEach
    void setUp() throws Exception {
        assumeFalse(System.getProperty("os.name", "").startsWith("Windows"), "POSIX only");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(); // reaped: its pid names no process now
        dead = gone.pid();
        own = Files.createDirectory(base.resolve("futures-" + ProcessHandle.current().pid() + "-1"));
    }

    private Path old(Path p) throws Exception {
        Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        return p;
    }

    @Test
    @DisplayName("a dead JVM's directory without an argfile (empty, or with a worker's socket) is removed; a young one stays")
    void withoutArgFile() throws Exception {
        Path empty = old(Files.createDirectory(base.resolve("futures-" + dead + "-a1")));
        Path socketOnly = Files.createDirectory(base.resolve("futures-" + dead + "-a2"));
        Files.writeString(socketOnly.resolve("w0.sock"), "left by a worker that was connecting");
        old(socketOnly);
        Path young = Files.createDirectory(base.resolve("futures-" + dead + "-a3"));
        assertEquals(2, Launcher.sweepStaleDirectories(own));
        assertFalse(Files.exists(empty));
        assertFalse(Files.exists(socketOnly));
        assertTrue(Files.exists(young), "a directory changed in the last minute stays: its pool may be starting");
    }

    @Test
    @DisplayName("a sweep examines at most SWEEP_EXAMINED futures-* entries: the rest go at later sweeps")
    void bounded() throws Exception {
        int n = Launcher.SWEEP_EXAMINED + 100;
        for (int i = 0; i < n; i++) {
            old(Files.createDirectory(base.resolve("futures-" + dead + "-" + Integer.toHexString(0x1000 + i))));
        }
        int first = Launcher.sweepStaleDirectories(own);
        assertTrue(first <= Launcher.SWEEP_EXAMINED && first >= Launcher.SWEEP_EXAMINED - 1,
                "removed " + first + " of " + n + " in one sweep");
        int second = Launcher.sweepStaleDirectories(own);
        assertEquals(n, first + second, "the rest at the next sweep");
    }
}
