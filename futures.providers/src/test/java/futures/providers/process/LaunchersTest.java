package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.providers.launchapp.LayoutMain;
import futures.providers.launchapp.LoaderApp;
import futures.providers.launchapp.UrlHost;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Workers see what the parent sees, whatever launched the parent: each test starts a real parent
 * JVM in the layout in question (Surefire's own differs) that opens a process pool and prints
 * what came back.
 */
class LaunchersTest {
    private Path tmp;

    @BeforeEach
    void makeTmp() throws IOException {
        tmp = Files.createTempDirectory("launchers");
    }

    @AfterEach
    void removeTmp() throws IOException {
        try (Stream<Path> s = Files.walk(tmp)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    record Run(int exit, String out, String err) {
        String line(String prefix) {
            return out.lines().filter(l -> l.startsWith(prefix)).findFirst()
                    .orElse("no " + prefix + "line; exit " + exit + ", stdout:\n" + out + "\nstderr:\n" + err);
        }
    }

    /** Runs {@code cmd} with stdout and stderr apart; a hang guard of 120 s. */
    static Run run(List<String> cmd, Path dir, Map<String, String> env) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the parent JVM did not end within 120 s: " + cmd);
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static String where(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String spi() {
        return where(futures.spi.Task.class);
    }

    static String core() {
        return where(futures.core.Executors.class);
    }

    /** The futures.providers classes: target/classes, not the test classes patched into the module. */
    static String providers() {
        return where(Launcher.class);
    }

    static String testClasses() {
        return where(LaunchersTest.class);
    }

    static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Launcher.currentJava(), "-Xlog:disable", "-Xlog:all=warning:stderr"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static String path(String... entries) {
        return String.join(File.pathSeparator, entries);
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    @DisplayName("application on the class path, futures on the module path: a task uses java.sql and gets a Timestamp argument; the worker's boot layer is the parent's")
    void jdkModulesOfTheParent() throws Exception {
        Run r = run(java("--module-path", path(spi(), core(), providers()), "--add-modules", "futures.core",
                "-cp", testClasses(), LayoutMain.class.getName()), tmp, Map.of());
        String line = r.line("RESULT ");
        assertEquals(0, r.exit(), line);
        String[] f = line.substring("RESULT ".length()).split("\\|");
        assertEquals("2020-01-01 00:00:00.0", f[0], line);
        assertEquals("2021-02-03 04:05:06.0 in java.sql", f[1], line);
        assertTrue(Set.of(f[3].split(",")).contains("java.sql"), line);
        assertEquals(f[3], f[2], "the worker's boot layer holds the parent's modules, no more and no less");
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    @DisplayName("a jar on the module path that the parent never resolves, whose requirement is missing (futures.testkit without JUnit), does not kill the workers")
    void unresolvedModuleOnTheModulePath() throws Exception {
        Run r = run(java("--module-path", path(spi(), core(), providers(), where(futures.testkit.ExecutorBehaviourSuite.class)),
                "--add-modules", "futures.core", "-cp", testClasses(), LayoutMain.class.getName()), tmp, Map.of());
        String line = r.line("RESULT ");
        assertEquals(0, r.exit(), line);
        String[] f = line.substring("RESULT ".length()).split("\\|");
        assertFalse(Set.of(f[2].split(",")).contains("futures.testkit"), line);
        assertEquals(f[3], f[2], "the worker's boot layer holds the parent's modules, no more and no less");
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    @DisplayName("under a URLClassLoader host (as mvn exec:java), the worker gets the futures jars from their code sources and fetches the application's classes from the parent")
    void urlClassLoaderHost() throws Exception {
        Path hostDir = tmp.resolve("host");
        Path hostClass = hostDir.resolve(UrlHost.class.getName().replace('.', '/') + ".class");
        Files.createDirectories(hostClass.getParent());
        try (InputStream in = UrlHost.class.getResourceAsStream("UrlHost.class")) {
            Files.write(hostClass, in.readAllBytes());
        }
        Run r = run(java("-cp", hostDir.toString(), UrlHost.class.getName(),
                path(spi(), core(), providers(), testClasses()), LoaderApp.class.getName()), tmp, Map.of());
        String line = r.line("RESULT ");
        assertEquals(0, r.exit(), line);
        assertFalse(r.err().contains("were the futures jars replaced"), r.err());
        String[] f = line.split(" ");
        assertEquals("42", f[1], line);
        assertEquals("futures-parent-classes", f[2], "the worker fetched the application's classes from the parent: " + line);
        assertFalse(f[3].equals(f[4]), "the task ran in another process: " + line);
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    @DisplayName("the JDK's single-file source launcher (java Main.java): classes only in memory reach the worker, and a record of them comes back")
    void sourceLauncher() throws Exception {
        Path src = tmp.resolve("Main.java");
        Files.writeString(src, """
                import futures.core.Executor;
                import futures.core.Executors;
                import futures.spi.ExecutorConfig;

                public class Main {
                    record Box(int value, String loader) implements java.io.Serializable {}

                    static class Helper {
                        static int plus(int a, int b) {
                            return a + b;
                        }
                    }

                    public static void main(String[] args) {
                        int base = 40;
                        try (Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1).build())) {
                            Box b = ex.submit(x -> new Box(Helper.plus(x, base),
                                    String.valueOf(Main.class.getClassLoader().getName())), 2).result();
                            System.out.println("RESULT " + b.value() + " " + b.loader() + " " + b.getClass().getName());
                        }
                    }
                }
                """);
        Run r = run(java("-cp", path(spi(), core(), providers()), src.toString()), tmp, Map.of());
        String line = r.line("RESULT ");
        assertEquals(0, r.exit(), line);
        assertEquals("RESULT 42 futures-parent-classes Main$Box", line);
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    @DisplayName("a shaded fat jar (java -jar app.jar with the futures classes inside) runs a lambda of its own in a worker")
    void shadedFatJar() throws Exception {
        Path jar = tmp.resolve("app-all.jar");
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LoaderApp.class.getName());
        Set<String> seen = new HashSet<>();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
            seen.add("META-INF/MANIFEST.MF");
            for (String part : List.of(spi(), core(), providers())) {
                addAll(out, Path.of(part), seen, "");
            }
            addAll(out, Path.of(testClasses()), seen, "futures/providers/launchapp/");
        }
        Run r = run(java("-jar", jar.toString()), tmp, Map.of());
        String line = r.line("RESULT ");
        assertEquals(0, r.exit(), line);
        String[] f = line.split(" ");
        assertEquals("42", f[1], line);
        assertEquals("app", f[2], "the worker loaded the application from the fat jar: " + line);
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    @DisplayName("jshell: a snippet's lambda, calling a snippet method and returning a snippet record, runs in a worker")
    void jshell() throws Exception {
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(jshell), "no jshell in this JDK");
        Path script = tmp.resolve("pool.jsh");
        Files.writeString(script, """
                import futures.core.*;
                import futures.spi.*;
                record Box(int v) implements java.io.Serializable {}
                int twice(int x) { return 2 * x; }
                var ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1).build());
                System.out.println("RESULT " + ex.submit(x -> new Box(twice(x)), 21).result());
                ex.shutdown(true);
                /exit
                """);
        Run r = run(List.of(jshell.toString(), "--class-path", path(spi(), core(), providers()), script.toString()),
                tmp, Map.of());
        assertEquals("RESULT Box[v=42]", r.line("RESULT "));
    }

    @Test
    @DisplayName("code sources a worker can put on its class path: file and jar:file URIs; not a Spring Boot nested jar, and the error names the fix")
    void codeSources() throws Exception {
        Path jar = Path.of(core());
        assertEquals(jar.toString(), Launcher.classPathEntry(jar.toUri()));
        assertEquals(jar.toString(), Launcher.classPathEntry(new java.net.URI("jar:" + jar.toUri() + "!/")));
        assertEquals(null, Launcher.classPathEntry(new java.net.URI("jar:nested:/srv/app.jar/!BOOT-INF/lib/futures.core.jar!/")));
        assertEquals(null, Launcher.classPathEntry(new java.net.URI("jar:file:/srv/app.jar!/BOOT-INF/lib/futures.core.jar!/")));
        assertEquals(null, Launcher.classPathEntry(new java.net.URI("jrt:/java.base")));
        String m = Launcher.notFromFiles(Launcher.class);
        assertTrue(m.contains("requiresUnpack"), m);
        assertTrue(m.contains("futures.providers.process.Launcher was loaded from"), m);
    }

    /** Adds a jar's or directory's entries under {@code prefix}, as the shade plugin does (no module-info, first wins). */
    private static void addAll(JarOutputStream out, Path from, Set<String> seen, String prefix) throws IOException {
        if (Files.isDirectory(from)) {
            try (Stream<Path> s = Files.walk(from)) {
                for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                    String name = from.relativize(p).toString().replace(File.separatorChar, '/');
                    if (name.startsWith(prefix) && !name.endsWith("module-info.class") && seen.add(name)) {
                        out.putNextEntry(new JarEntry(name));
                        Files.copy(p, out);
                        out.closeEntry();
                    }
                }
            }
            return;
        }
        try (JarFile jf = new JarFile(from.toFile())) {
            for (JarEntry e : jf.stream().filter(e -> !e.isDirectory()).toList()) {
                String name = e.getName();
                if (name.startsWith(prefix) && !name.endsWith("module-info.class") && seen.add(name)) {
                    out.putNextEntry(new JarEntry(name));
                    try (InputStream in = jf.getInputStream(e)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
    }

}
