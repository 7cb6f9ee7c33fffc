package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executors;
import futures.spi.ExecutorConfig;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The workers' class-data cache ({@code class_cache}): when it is on and off, that it is created
 * by a first pool and used by the next one, and that a damaged or stale archive never breaks a
 * pool nor prints anything; each for both kinds, the AOT cache (on this JDK, if 25 or later) and
 * the CDS archive. The end-to-end cases run an application from jars on the class path (this
 * module's tests run from directories with {@code --patch-module}, where the JVM has no CDS).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClassCacheTest {
    private static final String JAVA = Launcher.currentJava();

    @TempDir
    Path tmp;

    /** Refused directories log a WARNING (OwnershipTest checks them): kept off the build's output here. */
    @org.junit.jupiter.api.BeforeEach
    void quiet() {
        Launcher.warningSink = w -> { };
    }

    @org.junit.jupiter.api.AfterEach
    void logAgain() {
        Launcher.warningSink = null;
    }

    // ------------------------------------------------------------------ when the cache is on

    private List<String> argsWith(String classPath) {
        return List.of("-Xlog:disable", "-cp", classPath, "futures.providers.process.WorkerMain");
    }

    private Path jar(String name) throws IOException {
        Path j = tmp.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(j))) {
            out.putNextEntry(new ZipEntry("x.txt"));
            out.write(name.getBytes(StandardCharsets.UTF_8));
        }
        return j;
    }

    private Path privateDir(String name) throws IOException {
        return Files.createDirectory(tmp.resolve(name),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    @Test
    @DisplayName("with jars only, the cache is on and names one archive per set-up in the given directory")
    void onForJars() throws IOException {
        Path a = jar("a.jar");
        Path dir = privateDir("cache");
        ClassCache c = ClassCache.of(dir.toString(), JAVA, argsWith(a.toString()), List.of());
        assertTrue(c.enabled(), c.status());
        assertEquals(dir, c.archive().getParent());
        assertEquals(c.archive(), ClassCache.of(dir.toString(), JAVA, argsWith(a.toString()), List.of()).archive(),
                "the same set-up gives the same archive");
        assertNotEquals(c.archive(), ClassCache.of(dir.toString(), JAVA,
                List.of("-Xmx64m", "-cp", a.toString(), "futures.providers.process.WorkerMain"), List.of()).archive(),
                "other options give another archive");
        Files.setLastModifiedTime(a, FileTime.from(Instant.now().plusSeconds(5)));
        assertNotEquals(c.archive(), ClassCache.of(dir.toString(), JAVA, argsWith(a.toString()), List.of()).archive(),
                "a jar changed on disk gives another archive");
    }

    @Test
    @DisplayName("a module path directory of jars is cached; a jar added to it gives another archive; an exploded module turns the cache off")
    void modulePathDirectories() throws IOException {
        Path mods = Files.createDirectory(tmp.resolve("mods"));
        Files.move(jar("m1.jar"), mods.resolve("m1.jar"));
        String dir = privateDir("cache").toString();
        List<String> args = List.of("--module-path=" + mods, "-m", "futures.providers/futures.providers.process.WorkerMain");
        ClassCache c = ClassCache.of(dir, JAVA, args, List.of());
        assertTrue(c.enabled(), c.status());
        Files.move(jar("m2.jar"), mods.resolve("m2.jar"));
        assertNotEquals(c.archive(), ClassCache.of(dir, JAVA, args, List.of()).archive());
        Files.createDirectory(mods.resolve("exploded"));
        assertFalse(ClassCache.of(dir, JAVA, args, List.of()).enabled());
    }

    /** A jar whose manifest's Class-Path attribute is {@code classPath}. */
    private Path jarNaming(String name, String classPath) throws IOException {
        Path j = tmp.resolve(name);
        java.util.jar.Manifest m = new java.util.jar.Manifest();
        m.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, classPath);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(j), m)) {
            out.putNextEntry(new ZipEntry("x.txt"));
            out.write(name.getBytes(StandardCharsets.UTF_8));
        }
        return j;
    }

    @Test
    @DisplayName("a jar named by a class path jar's manifest Class-Path is part of the key: rebuilt, added or a directory, it gives another archive or none (the JDK 25 AOT cache would serve its old classes)")
    void manifestClassPathIsPartOfTheKey() throws IOException {
        Path app = jarNaming("app.jar", "lib/dep.jar lib/later.jar");
        Path lib = Files.createDirectory(tmp.resolve("lib"));
        Path dep = lib.resolve("dep.jar");
        Files.writeString(dep, "aaaa");
        String dir = privateDir("cache").toString();
        ClassCache c = ClassCache.of(dir, JAVA, argsWith(app.toString()), List.of());
        assertTrue(c.enabled(), c.status());
        Files.writeString(dep, "bbbbb"); // (same size and time: jarContentIsPartOfTheKey, in a fresh JVM)
        ClassCache rebuilt = ClassCache.of(dir, JAVA, argsWith(app.toString()), List.of());
        assertNotEquals(c.archive(), rebuilt.archive(), "a rebuilt jar named in the manifest gives another archive");
        Files.writeString(lib.resolve("later.jar"), "cccc");
        ClassCache added = ClassCache.of(dir, JAVA, argsWith(app.toString()), List.of());
        assertNotEquals(rebuilt.archive(), added.archive(), "a named jar that appears gives another archive");
        Files.delete(lib.resolve("later.jar"));
        Files.createDirectory(lib.resolve("later.jar"));
        assertFalse(ClassCache.of(dir, JAVA, argsWith(app.toString()), List.of()).enabled(),
                "a directory named in the manifest turns the cache off");
    }

    @Test
    @DisplayName("the JVM options in JDK_JAVA_OPTIONS, JAVA_TOOL_OPTIONS and _JAVA_OPTIONS, which workers inherit, count like jvm_options and are part of the key")
    void environmentOptions() throws IOException {
        Path a = jar("a.jar");
        String dir = privateDir("cache").toString();
        ClassCache plain = ClassCache.of(dir, JAVA, argsWith(a.toString()), List.of(), true, java.util.Map.of());
        assertTrue(plain.enabled(), plain.status());
        for (String variable : List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS")) {
            for (String choice : List.of("-Xshare:off", "-XX:SharedArchiveFile=x.jsa", "-XX:VMOptionsFile=opts",
                    "--patch-module=m=x")) {
                ClassCache c = ClassCache.of(dir, JAVA, argsWith(a.toString()), List.of(), true,
                        java.util.Map.of(variable, "-Xmx64m " + choice));
                assertFalse(c.enabled(), variable + "=" + choice + ": " + c.status());
            }
            ClassCache other = ClassCache.of(dir, JAVA, argsWith(a.toString()), List.of(), true,
                    java.util.Map.of(variable, "-Xmx64m"));
            assertTrue(other.enabled(), other.status());
            assertNotEquals(plain.archive(), other.archive(), variable + " is part of the key");
            ClassCache agent = ClassCache.of(dir, JAVA, argsWith(a.toString()), List.of(), true,
                    java.util.Map.of(variable, "-javaagent:x.jar"));
            assertFalse(agent.aot(), variable + " with an agent: not an AOT cache");
        }
    }

    @Test
    @DisplayName("a directory on the class path turns the cache off also when there is a module path")
    void classPathDirectoryWithModulePath() throws IOException {
        Path mods = Files.createDirectory(tmp.resolve("mods"));
        Files.move(jar("m1.jar"), mods.resolve("m1.jar"));
        Path classes = Files.createDirectory(tmp.resolve("classes"));
        Files.writeString(classes.resolve("A.class"), "not really");
        ClassCache c = ClassCache.of(privateDir("cache").toString(), JAVA, List.of("--module-path=" + mods,
                "-cp", classes.toString(), "-m", "futures.providers/futures.providers.process.WorkerMain"), List.of());
        assertFalse(c.enabled(), c.status());
    }

    @Test
    @DisplayName("the cache is off when configured off, for a directory on the class path, with the user's own CDS options, and with --patch-module")
    void offWhenItCannotOrShouldNotWork() throws IOException {
        Path a = jar("a.jar");
        String dir = privateDir("cache").toString();
        assertFalse(ClassCache.of("off", JAVA, argsWith(a.toString()), List.of()).enabled());
        assertFalse(ClassCache.of(dir, JAVA, argsWith(a + File.pathSeparator + tmp), List.of()).enabled(),
                "a directory cannot be archived");
        assertFalse(ClassCache.of(dir, JAVA, argsWith(tmp.resolve("missing.jar").toString()), List.of()).enabled());
        assertFalse(ClassCache.of(dir, JAVA, argsWith(a.toString()), List.of("-Xshare:off")).enabled());
        assertFalse(ClassCache.of(dir, JAVA, argsWith(a.toString()), List.of("-XX:AOTCache=x.aot")).enabled());
        assertFalse(ClassCache.of(dir, JAVA, List.of("--patch-module=m=" + tmp, "-cp", a.toString(), "Main"), List.of())
                .enabled());
    }

    @Test
    @DisplayName("the cache is off when its directory may be entered by others or is a link")
    void offForADirectoryThatIsNotPrivate() throws IOException {
        Path a = jar("a.jar");
        Path open = Files.createDirectory(tmp.resolve("open"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        assertFalse(ClassCache.of(open.toString(), JAVA, argsWith(a.toString()), List.of()).enabled());
        Path link = Files.createSymbolicLink(tmp.resolve("link"), privateDir("real"));
        assertFalse(ClassCache.of(link.toString(), JAVA, argsWith(a.toString()), List.of()).enabled());
        Path made = tmp.resolve("made").resolve("cds");
        assertTrue(ClassCache.of(made.toString(), JAVA, argsWith(a.toString()), List.of()).enabled());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made)),
                "a missing directory is created private");
    }

    /** The cache of a pool whose workers run from {@code jar}, in {@code dir}: an AOT cache where the JDK has it, if {@code aot}. */
    private ClassCache cacheFor(String dir, Path jar, boolean aot) {
        return ClassCache.of(dir, JAVA, argsWith(jar.toString()), List.of(), aot);
    }

    /** The options of a worker that uses the archive. */
    private static List<String> using(ClassCache c) {
        return List.of((c.aot() ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + c.archive());
    }

    /** Writes a file as the pool does: a new file moved into place. */
    private static void replace(Path file, byte[] bytes) throws IOException {
        Path t = file.resolveSibling(file.getFileName() + ".new");
        Files.write(t, bytes);
        Files.move(t, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes the checksum file of an archive as its training does. */
    private static void writeChecksum(Path archive) throws IOException {
        Files.writeString(ClassCache.checksumFile(archive), ClassCache.checksum(archive) + "\n");
    }

    /** Puts an archive with these bytes in place, with its checksum, as a training does. */
    private static void installArchive(Path archive, byte[] bytes) throws IOException {
        replace(archive, bytes);
        writeChecksum(archive);
    }

    @Test
    @DisplayName("on JDK 25 and later the cache is an AOT cache, else a CDS archive; the two never share a file")
    void kindByJdk() throws IOException {
        Path a = jar("a.jar");
        String dir = privateDir("cache").toString();
        ClassCache c = cacheFor(dir, a, true);
        assertEquals(Runtime.version().feature() >= ClassCache.AOT_FROM, c.aot(), c.status());
        assertTrue(c.archive().getFileName().toString().endsWith(c.aot() ? ".aot" : ".jsa"), c.status());
        ClassCache cds = cacheFor(dir, a, false);
        assertFalse(cds.aot());
        assertTrue(cds.archive().getFileName().toString().endsWith(".jsa"), cds.status());
        if (c.aot()) {
            assertNotEquals(ClassCache.checksumFile(c.archive()), ClassCache.checksumFile(cds.archive()));
            assertEquals(List.of("-Xlog:cds*=off:stderr", "-Xlog:aot*=off:stderr"), c.quiet());
        }
        assertEquals(List.of("-Xlog:cds*=off:stderr"), cds.quiet());
        assertFalse(ClassCache.of(dir, JAVA, argsWith(a.toString()), List.of("-javaagent:agent.jar"), true).aot(),
                "an agent would run in the AOT cache's assembly step: a CDS archive then");
    }

    @ParameterizedTest(name = "AOT cache where available: {0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("a worker is given the archive only with its own checksum beside it, and without -XX:+VerifySharedSpaces")
    void archiveOnlyWhenItsChecksumMatches(boolean aot) throws IOException {
        Path a = jar("a.jar");
        String dir = privateDir("cache").toString();
        ClassCache c = cacheFor(dir, a, aot);
        ClassCache.Launch first = c.next();
        List<String> training = c.aot()
                ? List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + first.training(),
                        "-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput")
                : List.of("-XX:ArchiveClassesAtExit=" + first.training());
        assertTrue(first.training() != null && first.options().equals(training),
                "no archive yet: this worker trains; " + first);
        assertEquals(ClassCache.Launch.NONE, c.next(), "one training worker per pool");
        assertEquals(ClassCache.Launch.NONE, cacheFor(dir, a, aot).next(), "and per JVM: another pool waits for it");
        c.trained(first, 1); // it failed: no other pool of this JVM trains it again
        assertEquals(ClassCache.Launch.NONE, cacheFor(dir, a, aot).next(), "a failed training is not repeated");
        ClassCache.forgetFailure(c.archive());

        Path archive = c.archive();
        replace(archive, new byte[] {1, 2, 3, 4});
        ClassCache unchecked = cacheFor(dir, a, aot);
        ClassCache.Launch retrain = unchecked.next();
        assertTrue(retrain.training() != null, "no checksum beside it: not used, and this worker trains a new one");
        unchecked.trained(retrain, 1);
        ClassCache.forgetFailure(archive);
        writeChecksum(archive);
        ClassCache later = cacheFor(dir, a, aot);
        assertEquals(using(later), later.next().options());
        assertEquals(using(later), later.next().options(), "checked once, used by every worker");
        assertFalse(later.next().options().toString().contains("VerifySharedSpaces"));

        replace(archive, new byte[] {1, 2, 3, 5}); // same size, other bytes
        ClassCache damaged = cacheFor(dir, a, aot);
        assertTrue(damaged.next().training() != null, "a damaged archive is not used; this worker trains a new one");
    }

    @ParameterizedTest(name = "AOT cache where available: {0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("an archive another pool moves into place after this pool checked the one before is checked again before a worker gets it")
    void replacedArchiveCheckedAgain(boolean aot) throws IOException {
        Path a = jar("a.jar");
        String dir = privateDir("cache").toString();
        ClassCache pool = cacheFor(dir, a, aot);
        Path archive = pool.archive();
        installArchive(archive, new byte[] {1, 2, 3, 4});
        assertEquals(using(pool), pool.next().options());
        // as another pool's trained() does, but with a file of the same size whose checksum does not match
        replace(archive, new byte[] {1, 2, 3, 5});
        ClassCache.Launch next = pool.next();
        assertFalse(next.options().contains(using(pool).get(0)),
                "a replaced archive of the same size was given to a worker unchecked: " + next);
        assertTrue(next.training() != null, "this pool trains a new one: " + next);
    }

    @ParameterizedTest(name = "AOT cache where available: {0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("a jar rebuilt while the pool lives: its next worker gets no archive and trains none, and what a training worker wrote is not put in place")
    void jarChangedWhileThePoolLives(boolean aot) throws IOException {
        Path a = jar("a.jar");
        Path dir = privateDir("cache");
        // a CDS training (an AOT one would also need its assembly step to pass)
        ClassCache c = ClassCache.of(dir.toString(), JAVA, argsWith(a.toString()), List.of(), false);
        ClassCache.Launch training = c.next();
        assertTrue(training.training() != null, "the first worker trains");
        Files.writeString(training.training(), "what the worker wrote");
        Files.setLastModifiedTime(a, FileTime.from(Instant.now().plusSeconds(5))); // rebuilt meanwhile
        c.trained(training, 0);
        assertFalse(Files.exists(c.archive()), "not put in place: it may hold the new jar's classes");
        assertFalse(Files.exists(ClassCache.checksumFile(c.archive())));

        ClassCache before = ClassCache.of(dir.toString(), JAVA, argsWith(a.toString()), List.of(), aot);
        installArchive(before.archive(), "an archive".getBytes(StandardCharsets.UTF_8));
        assertEquals(using(before), before.next().options(), "the archive is offered while the jar is as it was");
        Files.setLastModifiedTime(a, FileTime.from(Instant.now().plusSeconds(10)));
        assertEquals(ClassCache.Launch.NONE, before.next(), "not after it changed");
    }

    @Test
    @DisplayName("after a training worker exits with 0, its archive and checksum are in place and no training file is left; after a failure, nothing is, and no later pool of the JVM trains that set-up again")
    void trainedMovesArchiveAndChecksum() throws IOException {
        Path dir = privateDir("cache");
        Path a = jar("a.jar");
        ClassCache c = cacheFor(dir.toString(), a, false);
        ClassCache.Launch failed = c.next();
        Files.write(failed.training(), new byte[] {9, 9});
        c.trained(failed, 1);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.toList(), "a failed training leaves nothing");
        }
        assertEquals(ClassCache.Launch.NONE, cacheFor(dir.toString(), a, false).next(),
                "a later pool of this JVM runs without the cache rather than train again");
        ClassCache empty = cacheFor(dir.toString(), jar("e.jar"), false);
        ClassCache.Launch wroteNothing = empty.next();
        empty.trained(wroteNothing, 0);
        assertEquals(ClassCache.Launch.NONE, cacheFor(dir.toString(), tmp.resolve("e.jar"), false).next(),
                "nor after a training that exited with 0 but wrote nothing");
        ClassCache again = cacheFor(dir.toString(), jar("b.jar"), false);
        ClassCache.Launch ok = again.next();
        Files.write(ok.training(), new byte[] {7, 7, 7});
        again.trained(ok, 0);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(Set.of(again.archive(), ClassCache.checksumFile(again.archive())), Set.copyOf(s.toList()));
        }
        assertEquals(ClassCache.checksum(again.archive()) + "\n", Files.readString(ClassCache.checksumFile(again.archive())));
        assertEquals(using(again), again.next().options(), "the pool's next worker uses what its training wrote");
    }

    @Test
    @DisplayName("a training tells once per JVM, at DEBUG (not printed by default), where the cache goes and how to turn it off")
    void toldOnceAtDebug() throws IOException {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("futures.providers.process");
        List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        java.util.logging.Level level = jul.getLevel();
        jul.setLevel(java.util.logging.Level.ALL);
        jul.addHandler(h);
        boolean told = ClassCache.TOLD.getAndSet(false);
        try {
            Path dir = privateDir("cache");
            for (String name : List.of("a.jar", "b.jar")) {
                ClassCache c = cacheFor(dir.toString(), jar(name), false);
                ClassCache.Launch training = c.next();
                Files.write(training.training(), new byte[] {7});
                c.trained(training, 0);
            }
            assertEquals(1, records.size(), records.toString());
            java.util.logging.LogRecord r = records.get(0);
            assertEquals(java.util.logging.Level.FINE, r.getLevel(), "System.Logger's DEBUG");
            assertTrue(r.getMessage().contains(dir.toString()) && r.getMessage().contains("class_cache=off")
                    && r.getMessage().contains("-Dfutures.class_cache=off"), r.getMessage());
        } finally {
            jul.removeHandler(h);
            jul.setLevel(level);
            ClassCache.TOLD.set(told || ClassCache.TOLD.get());
        }
    }

    @Test
    @DisplayName("an AOT cache whose assembly step fails (a damaged recording) is not put in place, and no file is left")
    void failedAssemblyLeavesNothing() throws Exception {
        Path dir = privateDir("cache");
        Path a = jar("a.jar");
        ClassCache c = cacheFor(dir.toString(), a, true);
        if (!c.aot()) {
            return; // this JDK has no AOT cache: the CDS cases above cover it
        }
        ClassCache.Launch rec = c.next();
        Files.write(rec.training(), new byte[] {7, 7, 7});
        c.trained(rec, 0);
        assertTrue(ClassCache.awaitAssemblies(120_000), "the assembly step ends");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.toList(), "nothing in place, nothing left");
        }
        assertEquals(ClassCache.Launch.NONE, cacheFor(dir.toString(), a, true).next(),
                "the next pool of this JVM does not train again: it runs without the cache");
    }

    @Test
    @DisplayName("an assembled archive left by an exited parent is adopted by the next pool; its checksum is written under a name of its own, so another adopter's at once cannot tear it")
    void adoptedWithAChecksumOfItsOwn() throws IOException {
        Path dir = privateDir("cache");
        ClassCache c = cacheFor(dir.toString(), jar("a.jar"), true);
        if (!c.aot()) {
            return; // this JDK has no AOT cache: nothing is assembled
        }
        Path ready = dir.resolve(c.archive().getFileName() + ".99999-1-abc.ready");
        Files.write(ready, new byte[] {1, 2, 3});
        Path othersTmp = dir.resolve(ready.getFileName() + ".crc.tmp"); // the name every adopter used before
        Files.writeString(othersTmp, "another adopter, half way");
        assertEquals(using(c), c.next().options(), "adopted and given to the worker");
        assertEquals(List.of(c.archive()), archives(dir));
        assertEquals(ClassCache.checksum(c.archive()) + "\n", Files.readString(ClassCache.checksumFile(c.archive())));
        assertEquals("another adopter, half way", Files.readString(othersTmp), "another's file untouched");
        assertFalse(Files.exists(ready));
    }

    @Test
    @DisplayName("an assembled archive renamed before this machine booted (a power loss may have left its name with zeroed data) is deleted, not adopted: the pool trains again")
    void readyFromBeforeTheBootIsNotAdopted() throws IOException {
        Path dir = privateDir("cache");
        ClassCache c = cacheFor(dir.toString(), jar("a.jar"), true);
        if (!c.aot()) {
            return; // this JDK has no AOT cache: nothing is assembled
        }
        Path ready = dir.resolve(c.archive().getFileName() + ".99999-1-abc.ready");
        Files.write(ready, new byte[] {1, 2, 3});
        Files.setLastModifiedTime(ready, FileTime.from(Instant.parse("1971-01-01T00:00:00Z")));
        ClassCache.Launch next = c.next();
        assertTrue(next.training() != null, "not adopted: this worker trains; " + next);
        assertFalse(Files.exists(ready), "deleted");
        assertEquals(List.of(), archives(dir));
        c.trained(next, 1);
    }

    @Test
    @DisplayName("a training's files are named by the archive, this JVM's pid, a counter and random bits (a pid is unique only per host; cloned hosts may share an NFS home)")
    void trainingNamesHaveRandomBits() throws IOException {
        Path dir = privateDir("cache");
        ClassCache c = cacheFor(dir.toString(), jar("a.jar"), true);
        ClassCache.Launch training = c.next();
        try {
            String name = training.training().getFileName().toString();
            String pattern = java.util.regex.Pattern.quote(c.archive().getFileName().toString()) + "\\."
                    + ProcessHandle.current().pid() + "-[0-9]+-[0-9a-f]{1,12}\\.tmp";
            assertTrue(name.matches(pattern), name + " !~ " + pattern);
        } finally {
            c.trained(training, 1);
        }
    }

    @Test
    @DisplayName("without a shell for the AOT cache's assembly step (a distroless image) the cache is a CDS archive; an assembly step that cannot start leaves nothing and is trained at most once per JVM")
    void noShell() throws Exception {
        Path dir = privateDir("cache");
        Path a = jar("a.jar");
        String before = ClassCache.shell;
        try {
            ClassCache.shell = tmp.resolve("no-such-shell").toString();
            ClassCache c = cacheFor(dir.toString(), a, true);
            assertTrue(c.enabled(), c.status());
            assertFalse(c.aot(), "no AOT cache without a shell to assemble it");
            ClassCache.shell = before;
            ClassCache aot = cacheFor(dir.toString(), a, true);
            if (!aot.aot()) {
                return; // this JDK has no AOT cache: there is no assembly step
            }
            ClassCache.Launch rec = aot.next();
            Files.write(rec.training(), new byte[] {7, 7, 7});
            ClassCache.shell = tmp.resolve("no-such-shell").toString(); // gone between the pool's making and its training
            aot.trained(rec, 0);
            assertEquals(List.of(), ClassCache.assemblyPids(), "no assembly step started");
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(List.of(), s.toList(), "nothing left");
            }
            ClassCache.shell = before;
            assertEquals(ClassCache.Launch.NONE, cacheFor(dir.toString(), a, true).next(),
                    "a later pool of this JVM does not train that set-up again");
        } finally {
            ClassCache.shell = before;
        }
    }

    @Test
    @DisplayName("an AOT cache is made also for a class path longer than the kernel allows one command-line argument (128 kB on Linux)")
    void assemblyWithALongClassPath() throws Exception {
        Path dir = privateDir("cache");
        Path app = tmp.resolve("a-jar-with-a-name-long-enough-to-make-the-class-path-long.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(app))) {
            out.putNextEntry(new ZipEntry("x.txt"));
            out.write(1);
        }
        List<String> entries = new ArrayList<>();
        for (int i = 0; entries.size() * (app.toString().length() + 1) < 200_000; i++) {
            entries.add(app.toString());
        }
        String cp = String.join(File.pathSeparator, entries);
        List<String> args = List.of("-Xlog:disable", "-cp", cp, "-version"); // -version: no main class needed
        ClassCache c = ClassCache.of(dir.toString(), JAVA, args, List.of(), true);
        assertTrue(c.enabled(), c.status());
        if (!c.aot()) {
            return; // this JDK has no AOT cache: there is no assembly step
        }
        ClassCache.Launch rec = c.next();
        List<String> trainee = new ArrayList<>(rec.options());
        trainee.addAll(args);
        Path argFile = tmp.resolve("trainee.args");
        Launcher.writeArgs(argFile, trainee);
        Process p = new ProcessBuilder(JAVA, "@" + argFile).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals(0, p.waitFor(), "the training JVM");
        c.trained(rec, 0);
        assertFalse(ClassCache.assemblyPids().isEmpty(), "trained() returns while the assembly step runs");
        assertEquals(ClassCache.Launch.NONE, ClassCache.of(dir.toString(), JAVA, args, List.of(), true).next(),
                "another pool of the JVM neither trains again nor waits meanwhile: its workers start without it");
        assertTrue(ClassCache.awaitAssemblies(120_000), "the assembly step ends");
        assertEquals(List.of(c.archive()), archives(dir), "the assembly step made the archive");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count(), "the archive and its checksum; the recording and the argfile are gone");
        }
    }

    @Test
    @DisplayName("in this test JVM (--patch-module, no CDS) the default cache is off, so no pool of these tests leaves a training worker or an assembly step behind (Children.outlivingTheirPools relies on it)")
    void offUnderPatchModule() throws IOException {
        List<String> args = Launcher.javaArgs(WorkerMain.class, List.of());
        ClassCache c = ClassCache.of(ClassCache.defaultSetting(), JAVA, args, List.of());
        assertFalse(c.enabled(), c.status());
    }

    @Test
    @DisplayName("the JDK's feature version is read from its release file")
    void featureVersion() {
        assertEquals(21, ClassCache.feature("IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"21.0.2\"\n"));
        assertEquals(25, ClassCache.feature("JAVA_VERSION=\"25\"\n"));
        assertEquals(1, ClassCache.feature("JAVA_VERSION=\"1.8.0_292\"\n"));
        assertEquals(-1, ClassCache.feature("nothing"));
    }

    @Test
    @DisplayName("a class_cache value other than auto, off or an absolute path is rejected at create")
    void badSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Executors.create("process",
                ExecutorConfig.builder().property(ProcessProvider.CLASS_CACHE, "relative/dir").build()));
        assertTrue(e.getMessage().contains("'class_cache' must be 'auto' (the default: a per-user cache directory), 'off'"),
                e.getMessage());
        assertTrue(e.getMessage().contains("relative/dir"), e.getMessage());
    }

    @Test
    @DisplayName("the default is auto; the system property futures.class_cache sets it for the JVM's pools that do not set class_cache, and a bad value is rejected at create")
    void defaultAndSystemProperty() {
        String before = System.getProperty(ClassCache.PROPERTY);
        try {
            System.clearProperty(ClassCache.PROPERTY);
            assertEquals(ClassCache.AUTO, ClassCache.defaultSetting());
            System.setProperty(ClassCache.PROPERTY, "off");
            assertEquals(ClassCache.OFF, ClassCache.defaultSetting());
            System.setProperty(ClassCache.PROPERTY, tmp.toString());
            assertEquals(tmp.toString(), ClassCache.defaultSetting());
            System.setProperty(ClassCache.PROPERTY, "of");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Executors.create("process", ExecutorConfig.builder().build()));
            assertTrue(e.getMessage().startsWith("system property 'futures.class_cache' (the default of config key"
                    + " 'class_cache') must be 'auto', 'off' or an absolute directory path, got 'of'"), e.getMessage());
            Executors.create("process", ExecutorConfig.builder().property(ProcessProvider.CLASS_CACHE, "off").build())
                    .shutdown(); // a pool's own setting wins
        } finally {
            if (before == null) {
                System.clearProperty(ClassCache.PROPERTY);
            } else {
                System.setProperty(ClassCache.PROPERTY, before);
            }
        }
    }

    @Test
    @DisplayName("the cache keeps the most recently used archives, at most 4 and 64 MB (the newest always), and counts an assembled one not yet in place")
    void bounded() throws IOException {
        Path dir = privateDir("cache");
        Path a = jar("a.jar");
        ClassCache c = cacheFor(dir.toString(), a, true);
        List<Path> made = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // oldest first
            Path archive = dir.resolve("worker-" + "0".repeat(31) + i + ".aot");
            installArchive(archive, new byte[] {(byte) i});
            Files.setLastModifiedTime(ClassCache.checksumFile(archive), FileTime.from(Instant.now().minusSeconds(600 - i)));
            made.add(archive);
        }
        Path ready = dir.resolve("worker-" + "1".repeat(32) + ".aot.99999-1.ready");
        Files.write(ready, new byte[] {9});
        Files.setLastModifiedTime(ready, FileTime.from(Instant.now().minusSeconds(300)));
        c.prune();
        assertEquals(List.of(made.get(3), made.get(4), made.get(5)), archives(dir), "the newest 4: 3 archives and the ready one");
        assertTrue(Files.exists(ready));
        for (Path gone : made.subList(0, 3)) {
            assertFalse(Files.exists(ClassCache.checksumFile(gone)), "its checksum goes with it");
        }

        // by size: the newest is kept even alone over the limit; older ones go once the sum passes it
        Path big = made.get(5);
        try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(big,
                java.nio.file.StandardOpenOption.WRITE)) {
            f.write(java.nio.ByteBuffer.wrap(new byte[] {0}), ClassCache.KEEP_BYTES); // sparse: no disk used
        }
        writeChecksum(big);
        c.prune();
        assertEquals(List.of(big), archives(dir), "only the newest, over 64 MB alone");
        assertFalse(Files.exists(ready));
    }

    /** A sparse file of {@code size} bytes (no disk used) modified {@code secondsAgo}. */
    private static Path sparse(Path file, long size, long secondsAgo) throws IOException {
        try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            f.write(java.nio.ByteBuffer.wrap(new byte[] {0}), size - 1);
        }
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(secondsAgo)));
        return file;
    }

    @Test
    @DisplayName("training files left over count in the 64 MB budget: beyond it the oldest go at the next prune; this JVM's training under way and a fresh one (maybe another JVM's) stay")
    void leftoversInTheBudget() throws IOException {
        Path dir = privateDir("cache");
        ClassCache c = cacheFor(dir.toString(), jar("a.jar"), true);
        Path archive = dir.resolve("worker-" + "0".repeat(32) + ".aot");
        installArchive(archive, new byte[] {1});
        long size = 25L << 20;
        String left = "worker-" + "2".repeat(32) + ".aot.99999-";
        Path newer = sparse(dir.resolve(left + "1-a.tmp"), size, 600);
        Path older = sparse(dir.resolve(left + "2-b.made.tmp"), size, 1200);
        Path oldest = sparse(dir.resolve(left + "3-c.args.tmp"), size, 1800);
        Path fresh = sparse(dir.resolve(left + "4-d.tmp"), size, 30);
        ClassCache.Launch training = c.next();
        assertTrue(training.training() != null, "this pool trains");
        Path mine = sparse(training.training(), size, 3000); // however old: under way in this JVM
        try {
            c.prune();
            assertTrue(Files.exists(newer) && Files.exists(older), "the newest that fit in 64 MB with the archive stay");
            assertFalse(Files.exists(oldest), "the oldest beyond the budget goes");
            assertTrue(Files.exists(fresh), "a fresh one may be another JVM's training under way");
            assertTrue(Files.exists(mine), "this JVM's training under way stays");
            assertEquals(List.of(archive), archives(dir), "the archives come first");
        } finally {
            c.trained(training, 1);
        }
        assertFalse(Files.exists(mine));
        Files.setLastModifiedTime(fresh, FileTime.from(Instant.now().minusSeconds(300)));
        c.prune();
        assertFalse(Files.exists(older), "once the fresh one is old, the budget holds only the two newest");
        assertTrue(Files.exists(newer) && Files.exists(fresh));
    }

    // ------------------------------------------------------------------ end to end, from jars

    /** This test JVM's module path and class path, with every directory packed into a jar. */
    private String jarredClassPath() throws IOException {
        Set<String> entries = new LinkedHashSet<>();
        for (String p : (System.getProperty("jdk.module.path", "") + File.pathSeparator
                + System.getProperty("java.class.path", "")).split(File.pathSeparator)) {
            if (!p.isBlank()) {
                entries.add(p);
            }
        }
        entries.add(Path.of(CacheMain.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString());
        List<String> jars = new ArrayList<>();
        int n = 0;
        for (String e : entries) {
            Path p = Path.of(e);
            if (Files.isDirectory(p)) {
                Path j = tmp.resolve("cp" + n++ + ".jar");
                try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(j));
                        Stream<Path> files = Files.walk(p)) {
                    for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        out.putNextEntry(new ZipEntry(p.relativize(f).toString().replace(File.separatorChar, '/')));
                        Files.copy(f, out);
                    }
                }
                jars.add(j.toString());
            } else if (Files.isRegularFile(p)) {
                jars.add(e);
            }
        }
        return String.join(File.pathSeparator, jars);
    }

    private record Run(String stdout, String stderr, int exit, String classLog) {}

    private Run runApp(String classPath, Path cache) throws Exception {
        return runApp(classPath, cache, true);
    }

    /** Runs {@link CacheMain}; with {@code aot} false, its cache is a CDS archive on any JDK. */
    private Run runApp(String classPath, Path cache, boolean aot) throws Exception {
        return runApp(classPath, cache, aot, java.util.Map.of());
    }

    /** As {@link #runApp(String, Path, boolean)}, with these environment variables set. */
    private Run runApp(String classPath, Path cache, boolean aot, java.util.Map<String, String> env) throws Exception {
        return runApp(classPath, cache.toString(), aot, env, false);
    }

    /**
     * Runs {@link CacheMain} with this {@code class_cache} setting ({@code default}: none given);
     * with {@code exitAtOnce}, it exits at once after its pool, without waiting for the assembly step.
     */
    private Run runApp(String classPath, String cache, boolean aot, java.util.Map<String, String> env, boolean exitAtOnce)
            throws Exception {
        Path log = tmp.resolve("classes.log"); // one name: jvm_options are part of the cache key
        Path err = tmp.resolve("stderr-" + System.nanoTime() + ".txt");
        ProcessBuilder pb = new ProcessBuilder(JAVA, "-Xlog:disable", "-Xlog:all=warning:stderr", "-cp", classPath,
                CacheMain.class.getName(), cache, log.toString(), aot ? "aot" : "cds", exitAtOnce ? "exit" : "wait");
        pb.environment().putAll(env);
        Process app = pb.redirectError(err.toFile()).start();
        try {
            String out = new String(app.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = app.waitFor();
            return new Run(out, Files.readString(err), exit, Files.exists(log) ? Files.readString(log) : "");
        } finally {
            app.destroyForcibly();
            try (Stream<Path> old = Files.list(tmp)) {
                for (Path p : (Iterable<Path>) old.filter(p -> p.getFileName().toString().startsWith("classes.log"))::iterator) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void assertServed(Run r) {
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().startsWith("RESULT 42 "), r.toString());
        assertEquals(1, r.stdout().lines().count(), "nothing else on stdout: " + r);
        assertEquals("", r.stderr(), "nothing on stderr");
    }

    /** The archives in a cache directory; each must have its checksum file beside it. */
    private static List<Path> archives(Path dir) throws IOException {
        List<Path> archives;
        try (Stream<Path> s = Files.list(dir)) {
            archives = s.filter(p -> p.getFileName().toString().matches(".*\\.(jsa|aot)")).sorted().toList();
        }
        for (Path a : archives) {
            assertTrue(Files.isRegularFile(ClassCache.checksumFile(a)), "no checksum beside " + a);
        }
        return archives;
    }

    /** Runs the application once, which trains the cache, and returns the one archive it made. */
    private Path trainedArchive(String cp, Path cache) throws Exception {
        assertServed(runApp(cp, cache));
        List<Path> made = archives(cache);
        assertEquals(1, made.size(), made.toString());
        return made.get(0);
    }

    private static boolean workerFromArchive(Run r) {
        return r.classLog().lines().anyMatch(l -> l.contains("futures.providers.process.WorkerMain source: shared objects file"));
    }

    @ParameterizedTest(name = "AOT cache where available: {0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("a first pool creates the archive when its worker exits, and the next pool's worker loads its classes from it")
    void createdThenReused(boolean aot) throws Exception {
        String cp = jarredClassPath();
        Path cache = tmp.resolve("cache");
        Run first = runApp(cp, cache, aot);
        assertServed(first);
        assertFalse(workerFromArchive(first), "no archive yet");
        assertTrue(first.stdout().contains(" parked=false"), "the training worker is never parked: " + first);
        List<Path> made = archives(cache);
        assertEquals(1, made.size(), made.toString());
        String kind = aot && Runtime.version().feature() >= ClassCache.AOT_FROM ? "aot" : "jsa";
        assertTrue(made.get(0).getFileName().toString().matches("worker-[0-9a-f]{32}\\." + kind), made.toString());
        try (Stream<Path> all = Files.list(cache)) {
            assertEquals(2, all.count(), "the archive and its checksum, no training file left");
        }

        Run second = runApp(cp, cache, aot);
        assertServed(second);
        assertTrue(workerFromArchive(second), "the worker's classes came from the archive");
        assertTrue(second.stdout().contains(" parked=true"), "a worker that did not train is parked: " + second);
        assertEquals(made, archives(cache), "reused, not made again");
    }

    @Test
    @DisplayName("by default (auto) the cache goes to $XDG_CACHE_HOME/futures/cds; an application that exits right after its first pool leaves the assembly step to finish, and its next run's pool moves the archive into place and uses it")
    void assembledAfterTheParentExited() throws Exception {
        String cp = jarredClassPath();
        Path xdg = tmp.resolve("xdg");
        Path cache = xdg.resolve("futures").resolve("cds");
        java.util.Map<String, String> env = java.util.Map.of("XDG_CACHE_HOME", xdg.toString());
        Run first = runApp(cp, "default", true, env, true);
        assertServed(first);
        assertFalse(workerFromArchive(first));
        if (Runtime.version().feature() < ClassCache.AOT_FROM) {
            assertEquals(1, archives(cache).size(), "a CDS archive needs no assembly: in place when the worker exited");
            return;
        }
        // the application has exited; its assembly step (a shell whose arguments name the cache
        // directory) may still run: wait for it as for any process, with a hang guard
        List<ProcessHandle> assembling = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(cache.toString())).orElse(false)).toList();
        for (ProcessHandle p : assembling) {
            p.onExit().get(120, TimeUnit.SECONDS); // it takes 1-2 s
        }
        assertEquals(List.of(), archives(cache), "no parent moved it into place");
        try (Stream<Path> s = Files.list(cache)) {
            List<String> names = s.map(p -> p.getFileName().toString()).toList();
            assertEquals(1, names.size(), "only the assembled archive, waiting for the next pool: " + names);
            assertTrue(names.get(0).endsWith(".ready"), names.toString());
        }
        Run second = runApp(cp, "default", true, env, false);
        assertServed(second);
        assertTrue(workerFromArchive(second), "the next run's worker used it: " + second);
        try (Stream<Path> s = Files.list(cache)) {
            assertEquals(2, s.count(), "the archive and its checksum, nothing else");
        }
    }

    @Test
    @DisplayName("what a dead parent's training left (over an hour old) goes at the next JVM's first pool, even when it trains nothing; a fresh one stays")
    void leftoversSweptOncePerJvm() throws Exception {
        String cp = jarredClassPath();
        Path cache = tmp.resolve("cache");
        Path archive = trainedArchive(cp, cache);
        Path old = cache.resolve(archive.getFileName() + ".99999-1.made.tmp");
        Path fresh = cache.resolve(archive.getFileName() + ".99999-2.tmp");
        Path oldSum = cache.resolve("worker-00000000000000000000000000000000.crc");
        for (Path p : List.of(old, fresh, oldSum)) {
            Files.writeString(p, "left");
        }
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(7200)));
        Files.setLastModifiedTime(oldSum, FileTime.from(Instant.now().minusSeconds(7200)));
        Run second = runApp(cp, cache);
        assertServed(second);
        assertTrue(workerFromArchive(second), "no training in this run");
        assertFalse(Files.exists(old), "an hour-old training file is deleted");
        assertFalse(Files.exists(oldSum), "an hour-old checksum without its archive is deleted");
        assertTrue(Files.exists(fresh), "a fresh one may be another JVM's training: kept");
        assertEquals(List.of(archive), archives(cache));
    }

    @Test
    @DisplayName("a damaged archive is never given to a worker: the pool serves, trains a new one, and nothing is printed")
    void damagedArchiveIsIgnored() throws Exception {
        String cp = jarredClassPath();
        Path cache = tmp.resolve("cache");
        Path archive = trainedArchive(cp, cache);
        byte[] b = Files.readAllBytes(archive);
        for (int i = 4096; i < b.length; i += 997) {
            b[i] ^= 0x5a; // the header stays valid (by hand, such damage crashed an unverified JVM: SIGSEGV)
        }
        Files.write(archive, b);
        Run damaged = runApp(cp, cache);
        assertServed(damaged);
        assertFalse(workerFromArchive(damaged));
        assertTrue(workerFromArchive(runApp(cp, cache)), "the damaged archive was replaced by a new one");

        Files.write(archive, "not an archive".getBytes(StandardCharsets.UTF_8));
        assertServed(runApp(cp, cache));
    }

    @Test
    @DisplayName("a jar rewritten in place with the same size and modification time gives another archive (the JDK 25 AOT cache would serve the old classes, JDK-8377932)")
    void jarContentIsPartOfTheKey() throws Exception {
        Path extra = tmp.resolve("extra.jar");
        Files.writeString(extra, "aaaa");
        String cp = jarredClassPath() + File.pathSeparator + extra;
        Path cache = tmp.resolve("cache");
        assertServed(runApp(cp, cache));
        List<Path> before = archives(cache);
        assertEquals(1, before.size(), before.toString());
        FileTime time = Files.getLastModifiedTime(extra);
        Object inode = Files.readAttributes(extra, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        Files.writeString(extra, "bbbb"); // in place: same file, same size
        Files.setLastModifiedTime(extra, time);
        assertEquals(inode, Files.readAttributes(extra, java.nio.file.attribute.BasicFileAttributes.class).fileKey());
        Run changed = runApp(cp, cache);
        assertServed(changed);
        assertFalse(workerFromArchive(changed), "the archive of the old content was not used");
        assertEquals(2, archives(cache).size(), "a second archive, for the new content");
    }

    @Test
    @DisplayName("with CDS turned off in JDK_JAVA_OPTIONS or JAVA_TOOL_OPTIONS the cache stays off and the pool serves")
    void optionsFromTheEnvironment() throws Exception {
        String cp = jarredClassPath();
        for (String variable : List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS")) {
            Path cache = tmp.resolve("cache-" + variable);
            Run r = runApp(cp, cache, true, java.util.Map.of(variable, "-Xshare:off"));
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.stdout().startsWith("RESULT 42 "), r.toString());
            assertFalse(Files.exists(cache) && archives(cache).size() > 0, "no archive");
        }
    }

    @Test
    @DisplayName("a CDS archive written for other jars is refused by the JVM: the pool serves, and nothing is printed")
    void staleArchiveIsIgnored() throws Exception {
        String cp = jarredClassPath();
        Path cache = tmp.resolve("cache");
        assertServed(runApp(cp, cache, false));
        Path old = archives(cache).get(0);
        Path jar = Path.of(cp.split(File.pathSeparator)[0]);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(10)));
        // the changed jar gives another key, so a second archive; then the old one goes under the
        // new name, as if a key had collided (the JDK 25 AOT cache does not check this itself,
        // JDK-8377932: the key is all there is, see jarContentIsPartOfTheKey)
        assertServed(runApp(cp, cache, false));
        List<Path> both = new ArrayList<>(archives(cache));
        assertEquals(2, both.size(), both.toString());
        both.remove(old);
        Files.copy(old, both.get(0), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(ClassCache.checksumFile(old), ClassCache.checksumFile(both.get(0)), StandardCopyOption.REPLACE_EXISTING);
        Run stale = runApp(cp, cache, false);
        assertServed(stale);
        assertFalse(workerFromArchive(stale), "the JVM refused the archive of the unchanged jar");
    }
}
