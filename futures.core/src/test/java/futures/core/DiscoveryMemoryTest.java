package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What {@link Executors} remembers of a discovery (its class comment): a provider reached only
 * through a new context class loader is found; a name a remembered discovery lacks is looked up
 * afresh, so a provider added to a loader later is found; each executor gets its own provider
 * instance; a remembered loader is not kept alive. The provider is compiled here, into a directory
 * that only the test's loaders see (this module's tests have no provider of their own).
 */
@Timeout(60)
class DiscoveryMemoryTest {
    private static Path dir;

    /** A loader whose class path can grow, as some hosts' do. */
    private static final class Growing extends URLClassLoader {
        Growing() {
            super("growing", new URL[0], DiscoveryMemoryTest.class.getClassLoader());
        }

        void add(Path p) throws IOException {
            addURL(p.toUri().toURL());
        }
    }

    @BeforeAll
    static void compile() throws IOException {
        dir = Files.createTempDirectory("discovery-memory");
        Path src = dir.resolve("src/late/LateProvider.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                package late;

                public final class LateProvider implements futures.spi.ExecutorProvider {
                    public String name() { return "late"; }
                    public String description() { return "a provider compiled by DiscoveryMemoryTest"; }
                    public java.util.Set<String> configKeys() { return java.util.Set.of(); }
                    public futures.spi.WorkerPool open(futures.spi.ExecutorConfig config) {
                        throw new UnsupportedOperationException("late opened by instance " + System.identityHashCode(this));
                    }
                }
                """);
        Path classes = dir.resolve("classes");
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
        String spi = Path.of(futures.spi.Task.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .toString();
        assertEquals(0, javac.run(System.out, System.err, "-d", classes.toString(), "--release", "21", "-cp", spi,
                src.toString()), "javac");
        Path services = classes.resolve("META-INF/services/futures.spi.ExecutorProvider");
        Files.createDirectories(services.getParent());
        Files.writeString(services, "late.LateProvider\n");
    }

    @AfterAll
    static void remove() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static <T> T withContextLoader(ClassLoader l, Callable<T> body) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(l);
        try {
            return body.call();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    /** The message of opening "late": its instance's identity, or what create threw instead. */
    private static String openLate() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> Executors.create("late"));
        return e.getMessage();
    }

    @Test
    @DisplayName("a provider seen only through a new context class loader is found there, and not from the loader used before")
    void aNewLoaderSeesItsProvider() throws Exception {
        String before = openLate(); // remembers (or scans) this thread's loader first
        assertTrue(before.startsWith("unknown provider 'late'"), before);
        try (URLClassLoader l = new URLClassLoader(new URL[] {dir.resolve("classes").toUri().toURL()},
                DiscoveryMemoryTest.class.getClassLoader())) {
            String there = withContextLoader(l, DiscoveryMemoryTest::openLate);
            assertTrue(there.startsWith("late opened by instance"), there);
        }
        String after = openLate();
        assertTrue(after.startsWith("unknown provider 'late'"), after);
    }

    @Test
    @DisplayName("a provider added to a loader after a discovery through it is found: a name not remembered is looked up afresh")
    void aProviderAddedLaterIsFound() throws Exception {
        try (Growing l = new Growing()) {
            String first = withContextLoader(l, DiscoveryMemoryTest::openLate);
            assertTrue(first.startsWith("unknown provider 'late'"), first);
            l.add(dir.resolve("classes"));
            String later = withContextLoader(l, DiscoveryMemoryTest::openLate);
            assertTrue(later.startsWith("late opened by instance"), later);
            String again = withContextLoader(l, DiscoveryMemoryTest::openLate);
            assertNotEquals(later, again, "each create opens a new provider instance");
        }
    }

    @Test
    @DisplayName("a context class loader that discovery remembered is not kept alive by it")
    void aRememberedLoaderIsNotKeptAlive() throws Exception {
        Growing l = new Growing();
        withContextLoader(l, DiscoveryMemoryTest::openLate); // an empty discovery, remembered for l
        WeakReference<ClassLoader> ref = new WeakReference<>(l);
        l.close();
        l = null;
        assertTrue(Collectable.collected(ref), "the loader stays reachable after its last use");
    }
}
