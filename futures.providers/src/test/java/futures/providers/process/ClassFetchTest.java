package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import futures.spi.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Classes of the parent's other class loaders reach workers by fetching (see {@link ClassServer}):
 * a task class compiled here into a directory no worker has on its paths, loaded by a
 * {@link java.net.URLClassLoader} (bytes available) or by a loader that defines classes without
 * serving their bytes (the error says so and names the fix).
 */
class ClassFetchTest {
    private static Path dir;

    @BeforeAll
    static void compile() throws IOException {
        dir = Files.createTempDirectory("fetch");
        Path src = dir.resolve("src/fetched/Hello.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                package fetched;

                public class Hello implements futures.spi.Task<String> {
                    private static final long serialVersionUID = 1L;

                    public String call() {
                        return "hello from " + getClass().getClassLoader().getName() + " " + Helper.answer();
                    }
                }

                class Helper {
                    static int answer() {
                        return 42;
                    }
                }
                """);
        StringBuilder parallel = new StringBuilder("""
                package fetched;

                /** Eight threads of the worker load eight classes at once, each fetched from the parent. */
                public class Parallel implements futures.spi.Task<String> {
                    private static final long serialVersionUID = 1L;

                    public String call() throws Exception {
                        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                        String[] out = new String[8];
                        Thread[] ts = new Thread[8];
                        for (int i = 0; i < 8; i++) {
                            int k = i;
                            ts[i] = new Thread(() -> {
                                try {
                                    go.await();
                                    out[k] = Class.forName("fetched.P" + k).getName();
                                } catch (Exception e) {
                                    out[k] = e.toString();
                                }
                            });
                            ts[i].start();
                        }
                        go.countDown();
                        for (Thread t : ts) {
                            t.join();
                        }
                        return String.join(",", out);
                    }
                }
                """);
        for (int i = 0; i < 8; i++) {
            parallel.append("class P").append(i).append(" {}\n");
        }
        Path par = dir.resolve("src/fetched/Parallel.java");
        Files.writeString(par, parallel);
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
        int rc = javac.run(System.out, System.err, "-d", dir.resolve("classes").toString(), "--release", "21",
                "-cp", LaunchersTest.spi(), src.toString(), par.toString());
        assertEquals(0, rc, "javac");
    }

    @AfterAll
    static void remove() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A loader that defines the compiled classes from their files but serves no resource. */
    static final class NoBytesLoader extends ClassLoader {
        NoBytesLoader() {
            super("no-bytes", ClassFetchTest.class.getClassLoader());
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            try {
                byte[] b = Files.readAllBytes(dir.resolve("classes").resolve(name.replace('.', '/') + ".class"));
                return defineClass(name, b, 0, b.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Task<String> hello(ClassLoader l) throws Exception {
        return (Task<String>) Class.forName("fetched.Hello", true, l).getConstructor().newInstance();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("a task class of a URLClassLoader runs in a worker, which fetches it and the classes it calls from the parent, once")
    void fetchedFromAUrlClassLoader() throws Exception {
        try (java.net.URLClassLoader l = new java.net.URLClassLoader("plugin",
                new java.net.URL[] {dir.resolve("classes").toUri().toURL()}, ClassFetchTest.class.getClassLoader());
                Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1).build())) {
            assertEquals("hello from futures-parent-classes 42", ex.submit(hello(l)).result());
            assertEquals("hello from futures-parent-classes 42", ex.submit(hello(l)).result(), "and again, from the worker's own copy");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("eight threads of a task fetch eight classes at once: each request gets its own answer")
    void concurrentFetches() throws Exception {
        try (java.net.URLClassLoader l = new java.net.URLClassLoader("plugin",
                new java.net.URL[] {dir.resolve("classes").toUri().toURL()}, ClassFetchTest.class.getClassLoader());
                Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1).build())) {
            @SuppressWarnings("unchecked")
            Task<String> task = (Task<String>) Class.forName("fetched.Parallel", true, l).getConstructor().newInstance();
            assertEquals("fetched.P0,fetched.P1,fetched.P2,fetched.P3,fetched.P4,fetched.P5,fetched.P6,fetched.P7",
                    ex.submit(task).result());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("a task class whose loader gives no bytes fails that future with a message that says so and names the fix; the pool keeps serving")
    void loaderWithoutBytes() throws Exception {
        try (Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1).build())) {
            Throwable e = ex.submit(hello(new NoBytesLoader())).exception();
            assertNotNull(e);
            assertTrue(e instanceof UncheckedIOException, String.valueOf(e));
            String m = e.getMessage();
            assertTrue(m.contains("fetched.Hello is defined by the parent's class loader no-bytes"), m);
            assertTrue(m.contains("gives no bytes for it"), m);
            assertTrue(m.contains("Fix: load the class from a jar or directory"), m);
            assertEquals(6, ex.submit((Integer x) -> x * 2, 3).result(), "the pool keeps serving");
        }
    }

    @Test
    @DisplayName("the parent serves only class names, only from the loaders of the pool's tasks, and says why not")
    void replies() throws Exception {
        ClassServer server = new ClassServer();
        byte[] none = server.reply("fetched.Hello");
        assertEquals(ClassServer.NONE, none[0]);
        assertTrue(text(none).contains("fetched.Hello is neither on the worker's class path"), text(none));
        try (java.net.URLClassLoader l = new java.net.URLClassLoader(
                new java.net.URL[] {dir.resolve("classes").toUri().toURL()}, ClassFetchTest.class.getClassLoader())) {
            server.note(Class.forName("fetched.Hello", false, l));
            server.note(String.class); // the JDK's: never noted
            server.note(ClassFetchTest.class); // the application loader: a worker has its classes
            assertEquals(List.of(l), server.loaders());
            byte[] b = server.reply("fetched.Hello");
            assertEquals(ClassServer.BYTES, b[0]);
            assertEquals(Files.size(dir.resolve("classes/fetched/Hello.class")), b.length - 1);
            assertEquals(ClassServer.BYTES, server.reply("fetched.Helper")[0], "reachable from the task's loader");
            for (String bad : List.of("../etc/passwd", "fetched/Hello", "java.lang.String", "", ".x", "a..b")) {
                byte[] r = server.reply(bad);
                assertEquals(ClassServer.NONE, r[0], bad);
                assertTrue(text(r).contains("not a class name"), text(r));
            }
            assertFalse(ClassServer.isClassName("a b"));
            assertTrue(ClassServer.isClassName("REPL.$JShell$7"));
        }
    }

    private static String text(byte[] reply) {
        return new String(reply, 1, reply.length - 1, StandardCharsets.UTF_8);
    }
}
