package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool's private directory outlives a JVM killed with SIGKILL (ParentKilledTest leaves one per
 * run): the next JVM's first pool removes such directories, and nothing else.
 */
class StaleDirectorySweepTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("the sweep removes the directory of a pool whose JVM is gone, and leaves alone live JVMs' directories, locked or recent ones, unknown files, links and other names")
    void sweepRemovesOnlyStaleDirectories(@TempDir Path base) throws Exception {
        assumeFalse(System.getProperty("os.name", "").startsWith("Windows"), "POSIX names and permissions");
        long me = ProcessHandle.current().pid();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(); // reaped by the JDK: its pid names no process now
        long dead = gone.pid();

        Path own = Files.createDirectory(base.resolve("futures-" + me + "-1"));
        Path stale = poolDirectory(base, "futures-" + dead + "-abc");
        Files.writeString(stale.resolve("w0.sock"), "a socket left by a worker that was connecting");
        Path unknownFile = poolDirectory(base, "futures-" + dead + "-abd");
        Files.writeString(unknownFile.resolve("notes.txt"), "not a pool's file");
        Path live = poolDirectory(base, "futures-" + me + "-abe");
        Path target = poolDirectory(base, "elsewhere");
        Path link = Files.createSymbolicLink(base.resolve("futures-" + dead + "-abf"), target);
        Path otherName = poolDirectory(base, "futures-notapid-abc");
        Path young = poolDirectory(base, "futures-" + dead + "-abb");
        Path locked = poolDirectory(base, "futures-" + dead + "-aba");
        for (Path d : List.of(stale, unknownFile, live, target, otherName, locked)) {
            Files.setLastModifiedTime(d, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        }

        // a pool alive in another PID namespace holds its argfile's lock (here: this JVM holds it)
        try (FileChannel held = Launcher.lockArgFile(locked.resolve(Launcher.ARG_FILE))) {
            assertTrue(held != null, "this file system can lock");
            assertEquals(1, Launcher.sweepStaleDirectories(own));
        }

        assertFalse(Files.exists(stale), "the stale directory is removed");
        assertTrue(Files.exists(unknownFile.resolve("notes.txt")), "a directory holding a file no pool makes stays");
        assertTrue(Files.exists(live.resolve(Launcher.ARG_FILE)), "a live JVM's directory stays");
        assertTrue(Files.isSymbolicLink(link) && Files.exists(target.resolve(Launcher.ARG_FILE)),
                "a link is neither followed nor removed");
        assertTrue(Files.exists(otherName.resolve(Launcher.ARG_FILE)), "another name stays");
        assertTrue(Files.isDirectory(own), "this JVM's own directory stays");
        assertTrue(Files.exists(young.resolve(Launcher.ARG_FILE)), "a directory changed in the last minute stays");
        assertTrue(Files.exists(locked.resolve(Launcher.ARG_FILE)), "a directory whose argfile is locked stays");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @DisplayName("a directory whose argfile another live process has locked stays, and goes once that process is gone")
    void lockHeldByAnotherProcessKeepsTheDirectory(@TempDir Path base) throws Exception {
        assumeFalse(System.getProperty("os.name", "").startsWith("Windows"), "POSIX names and permissions");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path own = Files.createDirectory(base.resolve("futures-" + ProcessHandle.current().pid() + "-1"));
        // the pid in the name is dead here, as a live pool's pid in another PID namespace would be
        Path pool = poolDirectory(base, "futures-" + gone.pid() + "-abc");
        Files.setLastModifiedTime(pool, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        Path holder = Files.writeString(base.resolve("Holder.java"), """
                public class Holder {
                    public static void main(String[] a) throws Exception {
                        var ch = java.nio.channels.FileChannel.open(java.nio.file.Path.of(a[0]),
                                java.nio.file.StandardOpenOption.WRITE);
                        System.out.println(ch.tryLock() != null ? "locked" : "not locked");
                        System.out.flush();
                        System.in.read(); // until the test closes this process's input
                    }
                }
                """);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                holder.toString(), pool.resolve(Launcher.ARG_FILE).toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                assertEquals("locked", out.readLine());
                assertEquals(0, Launcher.sweepStaleDirectories(own));
                assertTrue(Files.exists(pool.resolve(Launcher.ARG_FILE)), "the live holder's directory stays");
                p.getOutputStream().close();
                assertEquals(0, p.waitFor());
            }
            assertEquals(1, Launcher.sweepStaleDirectories(own), "the lock went with its process");
            assertFalse(Files.exists(pool));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    @DisplayName("an interrupted thread still locks its pool's argfile, and stays interrupted")
    void interruptedThreadLocksTheArgFile(@TempDir Path base) throws Exception {
        assumeFalse(System.getProperty("os.name", "").startsWith("Windows"), "no lock on Windows");
        Path file = poolDirectory(base, "d").resolve(Launcher.ARG_FILE);
        Thread.currentThread().interrupt();
        FileChannel ch = null;
        try {
            ch = Launcher.lockArgFile(file);
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is kept");
            assertTrue(ch != null && ch.isOpen(), "the argfile is locked");
        } finally {
            Thread.interrupted();
            if (ch != null) {
                ch.close();
            }
        }
    }

    @Test
    @DisplayName("on Windows the argfile is not locked: a lock there is mandatory and the worker's launcher must read the file")
    void noLockOnWindows(@TempDir Path base) throws Exception {
        Path file = poolDirectory(base, "d").resolve(Launcher.ARG_FILE);
        String os = System.getProperty("os.name");
        System.setProperty("os.name", "Windows 11");
        try (FileChannel ch = Launcher.lockArgFile(file)) {
            assertNull(ch);
        } finally {
            System.setProperty("os.name", os);
        }
    }

    private static Path poolDirectory(Path base, String name) throws Exception {
        Path d = Files.createDirectory(base.resolve(name));
        Files.writeString(d.resolve(Launcher.ARG_FILE), "\"-cp\"\n");
        return d;
    }
}
