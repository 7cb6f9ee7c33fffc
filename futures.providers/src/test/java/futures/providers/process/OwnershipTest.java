package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Other users on the same machine: a directory the pool trusts (the class cache's, the one its
 * private directory goes in) is refused when another user could change what its path names, as
 * OpenSSH's StrictModes refuses. Another user is simulated by {@code chown} to an unused uid,
 * which only root can do: those cases are skipped for other users; a directory writable by group
 * or others needs no other user and is tested always.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OwnershipTest {
    /** A uid no account on a test machine has. */
    private static final int STRANGER = 54321;
    private static final String JAVA = Launcher.currentJava();

    @TempDir
    Path tmp;

    /** The WARNINGs logged during a test, kept off the build's output. */
    private final List<String> warnings = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    @BeforeEach
    void posix() {
        assumeFalse(System.getProperty("os.name", "").startsWith("Windows"), "POSIX owners and modes");
        Launcher.warningSink = warnings::add;
    }

    @org.junit.jupiter.api.AfterEach
    void logAgain() {
        Launcher.warningSink = null;
    }

    private static void chown(Path p, int uid) throws IOException {
        Files.setAttribute(p, "unix:uid", uid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    private static void mode(Path p, String perms) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    }

    private static void assumeRoot() {
        assumeTrue(Ownership.uid() == 0, "only root can give a directory to another user");
    }

    /** A sticky, world-writable directory another user owns, as one would make for sharing. */
    private Path strangersSticky() throws IOException {
        Path d = Files.createDirectory(tmp.resolve("shared"));
        mode(d, "rwxrwxrwx");
        Files.setAttribute(d, "unix:mode", 01777);
        chown(d, STRANGER);
        return d;
    }

    private List<String> args() throws IOException {
        Path j = tmp.resolve("a.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(j))) {
            out.putNextEntry(new ZipEntry("x.txt"));
            out.write("a".getBytes(StandardCharsets.UTF_8));
        }
        return List.of("-Xlog:disable", "-cp", j.toString(), "futures.providers.process.WorkerMain");
    }

    @Test
    @DisplayName("root-owned /, a root-owned sticky /tmp and this user's private directories pass")
    void safePathsPass() throws IOException {
        assertNull(Ownership.problem(Path.of("/")));
        assertNull(Ownership.problem(tmp), "a @TempDir under the temp directory");
        Path mine = Files.createDirectories(tmp.resolve("a/b"));
        assertNull(Ownership.problem(mine));
    }

    @Test
    @DisplayName("a class_cache directory under a directory another user owns, even sticky 1777, is refused with one WARNING saying why")
    void cacheUnderStrangersDirectoryRefused() throws IOException {
        assumeRoot();
        Path shared = strangersSticky();
        Path cache = Files.createDirectory(shared.resolve("cache"));
        mode(cache, "rwx------"); // the last component itself looks fine: only an ancestor is wrong
        int warnings = Launcher.WARNINGS.get();
        ClassCache c = ClassCache.of(cache.toString(), JAVA, args(), List.of(), true, Map.of());
        assertFalse(c.enabled());
        assertTrue(c.status().contains(shared + " is owned by uid " + STRANGER + ", neither root nor this user"),
                c.status());
        assertFalse(ClassCache.of(cache.toString(), JAVA, args(), List.of(), true, Map.of()).enabled());
        assertEquals(warnings + 1, Launcher.WARNINGS.get(), "one WARNING, not one per pool");
        assertEquals(List.of("the process pool's class cache is off: the directory " + cache + " is not safe from other"
                + " users: " + shared + " is owned by uid " + STRANGER + ", neither root nor this user (uid 0)"),
                this.warnings);
    }

    @Test
    @DisplayName("XDG_CACHE_HOME under a directory another user owns: the auto cache is refused, and nothing is created there")
    void xdgUnderStrangersDirectoryRefused() throws IOException {
        assumeRoot();
        Path shared = strangersSticky();
        Path xdg = shared.resolve("xdg");
        ClassCache c = ClassCache.of(ClassCache.AUTO, JAVA, args(), List.of(), true, Map.of("XDG_CACHE_HOME",
                xdg.toString()));
        assertFalse(c.enabled());
        assertTrue(c.status().contains("is owned by uid " + STRANGER), c.status());
        assertFalse(Files.exists(xdg), "nothing is made under the other user's directory");
    }

    @Test
    @DisplayName("a class_cache directory under one writable by group or others (not root's sticky) is refused")
    void cacheUnderWritableDirectoryRefused() throws IOException {
        Path open = Files.createDirectory(tmp.resolve("open"));
        mode(open, "rwxrwxrwx");
        Path cache = Files.createDirectory(open.resolve("cache"));
        mode(cache, "rwx------");
        ClassCache c = ClassCache.of(cache.toString(), JAVA, args(), List.of(), true, Map.of());
        assertFalse(c.enabled());
        assertTrue(c.status().contains(open + " (mode 777, owner uid " + Ownership.uid()
                + ") is writable by other users and is not a root-owned sticky directory"), c.status());
        mode(open, "rwxr-xr-x");
        assertTrue(ClassCache.of(cache.toString(), JAVA, args(), List.of(), true, Map.of()).enabled(),
                "the same directory once only its owner may write its parent");
    }

    @Test
    @DisplayName("an archive another user owns is not used, and an intact one goes to the worker as a link in the pool's private directory")
    void archiveOwnerAndLink() throws IOException {
        Path cache = Files.createDirectory(tmp.resolve("cache"));
        mode(cache, "rwx------");
        ClassCache c = ClassCache.of(cache.toString(), JAVA, args(), List.of(), true, Map.of());
        assertTrue(c.enabled(), c.status());
        Files.writeString(c.archive(), "an archive");
        Files.writeString(ClassCache.checksumFile(c.archive()), ClassCache.checksum(c.archive()) + "\n");
        Path pool = Launcher.privateDirectory();
        try {
            List<String> options = c.next(pool).options();
            Path link = pool.resolve(ClassCache.LINK + (c.aot() ? "aot" : "jsa"));
            assertEquals(List.of((c.aot() ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + link), options,
                    "same file system: a hard link in the pool's private directory");
            assertTrue(Files.isSameFile(link, c.archive()));
        } finally {
            Launcher.deleteNow(pool);
        }
        assertFalse(Files.exists(pool), "the pool's directory goes with its link");
        assumeRoot();
        chown(c.archive(), STRANGER);
        ClassCache again = ClassCache.of(cache.toString(), JAVA, args(), List.of(), true, Map.of());
        List<String> options = again.next().options();
        assertTrue(options.isEmpty() || options.stream().noneMatch(o -> o.endsWith(c.archive().toString())),
                "the stranger's archive is not offered: " + options);
    }

    @Test
    @DisplayName("java.io.tmpdir under a directory another user owns is not used: $XDG_RUNTIME_DIR, else /tmp, with a WARNING")
    void tmpdirFallback() throws IOException {
        Path open = Files.createDirectory(tmp.resolve("opentmp"));
        mode(open, "rwxrwxrwx"); // writable by all, not sticky: anyone could rename the pool's directory
        Path runtime = Files.createDirectory(tmp.resolve("runtime"));
        mode(runtime, "rwx------");
        int warnings = Launcher.WARNINGS.get();
        assertEquals(runtime.toRealPath(), Launcher.baseDirectory(open.toString(), runtime.toString()));
        assertEquals(warnings + 1, Launcher.WARNINGS.get());
        assertEquals(Path.of("/tmp").toRealPath(), Launcher.baseDirectory(open.toString(), null));
        assertEquals(Path.of("/tmp").toRealPath(), Launcher.baseDirectory(open.toString(), open.toString()),
                "a $XDG_RUNTIME_DIR that is not safe either");
        assertEquals(warnings + 1, Launcher.WARNINGS.get(), "one WARNING per JVM and directory");
        Path mine = Files.createDirectory(tmp.resolve("minetmp"));
        assertEquals(mine.toRealPath(), Launcher.baseDirectory(mine.toString(), null));
        if (Ownership.uid() == 0) {
            Path shared = strangersSticky();
            Path under = Files.createDirectory(shared.resolve("t"));
            assertEquals(runtime.toRealPath(), Launcher.baseDirectory(under.toString(), runtime.toString()),
                    "a directory of this user's under a sticky one another user owns");
        }
    }
}
