package futures.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import futures.core.Executors;
import futures.spi.ExecutorConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Each example prints what the reference's Python prints (or, for WaitExample, always the same lines). */
@Timeout(120) // a hang guard only: each example takes well under a second on threads
class ExamplesTest {

    /** What the reference's ProcessPoolExecutor example prints under CPython. */
    static final List<String> REFERENCE_PRIMES_OUTPUT = List.of(
            "112272535095293 is prime: True",
            "112582705942171 is prime: True",
            "112272535095293 is prime: True",
            "115280095190773 is prime: True",
            "115797848077099 is prime: True",
            "1099726899285419 is prime: False");

    private interface Body {
        void run(PrintStream out) throws Exception;
    }

    private static List<String> lines(Body body) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            body.run(out);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    @DisplayName("submit(Math::pow, 323.0, 1235.0) overflows to Infinity; BigInteger::pow prints what Python's pow(323, 1235) prints")
    void powExample() throws Exception {
        String python;
        try (InputStream in = ExamplesTest.class.getResourceAsStream("python-pow-323-1235.txt")) {
            python = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
        assertEquals(3099, python.length(), "the stored output of python3 -c 'print(pow(323, 1235))'");
        assertEquals(List.of("Infinity", python), lines(PowExample::run));
    }

    @Test
    @DisplayName("the with-block copy example makes its four copies and deletes every file it made")
    void copyExample(@TempDir Path dir) throws Exception {
        assertEquals(List.of(
                "dest1.txt: the text of src1.txt",
                "dest2.txt: the text of src2.txt",
                "dest3.txt: the text of src3.txt",
                "dest4.txt: the text of src3.txt"), lines(out -> CopyExample.run(out, dir)));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    @DisplayName("the URL example on the virtual provider prints one line per URL, as the reference does, one of them failed")
    void urlExample() throws Exception {
        List<String> out = lines(UrlExample::run);
        assertEquals(5, out.size(), out.toString());
        String url = "'http://127\\.0\\.0\\.1:\\d+/";
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("foxnews", url + "foxnews' page is 52734 bytes");
        expected.put("cnn", url + "cnn' page is 127480 bytes");
        expected.put("wsj", url + "wsj' page is 8911 bytes");
        expected.put("bbc", url + "bbc' page is 301207 bytes");
        expected.put("missing", url + "some-made-up-page' generated an exception: HTTP Error 404: Not Found");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertEquals(1, out.stream().filter(line -> line.matches(e.getValue())).count(),
                    "exactly one line for " + e.getKey() + " in " + out);
        }
    }

    @Test
    @DisplayName("the primes example on the thread provider prints the reference's output")
    void primesOnThreads() throws Exception {
        assertEquals(REFERENCE_PRIMES_OUTPUT, lines(out -> PrimesExample.run(out, "thread")));
    }

    @Test
    @DisplayName("the primes example on the process provider prints the reference's output")
    void primesOnProcesses() throws Exception {
        assumeTrue(Executors.providers().stream().anyMatch(p -> p.name().equals("process")),
                "provider 'process' is not on the module path");
        assertEquals(REFERENCE_PRIMES_OUTPUT, lines(out -> PrimesExample.run(out, "process")));
    }

    @Test
    @DisplayName("the primes example on the cluster provider (a member of its own test cluster) prints the reference's output")
    void primesOnCluster() throws Exception {
        assumeTrue(Executors.providers().stream().anyMatch(p -> p.name().equals("cluster")),
                "provider 'cluster' is not on the module path");
        ExecutorConfig config = ExecutorConfig.builder()
                .property("cluster_name", "futures-examples-" + java.util.UUID.randomUUID())
                .property("port", "5751").build(); // its join probes 5751-5753: no other test cluster's
        assertEquals(REFERENCE_PRIMES_OUTPUT, lines(out -> PrimesExample.run(out, "cluster", config)));
    }

    @Test
    @DisplayName("the primes example takes its provider from the system property futures.examples.provider")
    void primesProviderFromProperty() throws Exception {
        String before = System.getProperty(PrimesExample.PROVIDER_PROPERTY);
        System.setProperty(PrimesExample.PROVIDER_PROPERTY, "no-such-provider");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lines(PrimesExample::run));
            assertTrue(e.getMessage().startsWith("unknown provider 'no-such-provider'; available: "), e.getMessage());
            System.setProperty(PrimesExample.PROVIDER_PROPERTY, "thread");
            assertEquals(REFERENCE_PRIMES_OUTPUT, lines(PrimesExample::run));
        } finally {
            if (before == null) {
                System.clearProperty(PrimesExample.PROVIDER_PROPERTY);
            } else {
                System.setProperty(PrimesExample.PROVIDER_PROPERTY, before);
            }
        }
    }

    @Test
    @DisplayName("isPrime agrees with the reference's is_prime on small numbers, even ones included")
    void isPrimeSmall() {
        // The reference's is_prime says 2 is not prime (2 % 2 == 0) and 1 is; kept line for line.
        List<Long> primes = Stream.iterate(1L, n -> n + 1).limit(60).filter(PrimesExample::isPrime).toList();
        assertEquals(List.of(1L, 3L, 5L, 7L, 11L, 13L, 17L, 19L, 23L, 29L, 31L, 37L, 41L, 43L, 47L, 53L, 59L), primes);
    }

    @Test
    @DisplayName("the wait and as_completed example prints the same lines on every run")
    void waitExample() throws Exception {
        assertEquals(List.of(
                "wait(FIRST_COMPLETED): done=[quick] not_done=[slow]",
                "wait(timeout=50ms): done=[] not_done=[slow]",
                "wait(ALL_COMPLETED): done=[quick, slow] not_done=[]",
                "wait(FIRST_EXCEPTION): done=[failing] not_done=[waiting]",
                "failing raised java.lang.IllegalStateException: no such page",
                "as_completed: early returned EARLY",
                "as_completed: c returned C",
                "as_completed: a returned A",
                "as_completed: b returned B",
                "as_completed(timeout=50ms): 1 (of 1) futures unfinished"), lines(WaitExample::run));
    }

    @Test
    @DisplayName("Main runs every example under a header, reports one that throws, runs the rest and counts it")
    void mainCountsFailures() throws Exception {
        Map<String, Main.Example> examples = new LinkedHashMap<>();
        examples.put("First", out -> out.println("first ran"));
        examples.put("Broken", out -> {
            throw new IOException("broken on purpose");
        });
        examples.put("Last", out -> out.println("last ran"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int[] failed = new int[1];
        List<String> out = lines(o -> failed[0] = Main.run(examples, o, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertEquals(1, failed[0]);
        assertEquals(List.of("== First ==", "first ran", "== Broken ==", "== Last ==", "last ran"), out);
        String errText = err.toString(StandardCharsets.UTF_8);
        assertTrue(errText.contains("Broken FAILED: java.io.IOException: broken on purpose"), errText);
        assertTrue(errText.contains("1 of 3 examples failed: Broken"), errText);
    }

    @Test
    @DisplayName("Main lists every example of the reference, in order, and rejects an unknown name listing the known ones")
    void mainSelect() {
        List<String> all = List.copyOf(Main.select(List.of()).keySet());
        // in the reference's order; other examples (such as the URL one) may stand between them
        assertEquals(List.of("PowExample", "CopyExample", "PrimesExample", "WaitExample"),
                all.stream().filter(List.of("PowExample", "CopyExample", "PrimesExample", "WaitExample")::contains).toList());
        assertEquals(List.of("WaitExample", "PowExample"),
                List.copyOf(Main.select(List.of("WaitExample", "PowExample")).keySet()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Main.select(List.of("Nope")));
        assertEquals("unknown example 'Nope'; available: " + String.join(", ", all), e.getMessage());
    }
}
