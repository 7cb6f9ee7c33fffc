package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import futures.core.Executors;
import futures.spi.ExecutorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A {@code java} older than the futures classes' minimum is refused at {@code create}, naming the minimum and the binary. */
class WorkerJdkTest {

    /** A java binary of a JDK older than 21 on this machine, if any (the usual JVM folder). */
    static Optional<Path> oldJava() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(jvms)) {
            return s.map(d -> d.resolve("bin/java")).filter(Files::isExecutable)
                    .filter(j -> {
                        int f = Launcher.javaFeature(j);
                        return f > 0 && f < Launcher.MINIMUM_JAVA;
                    }).sorted().findFirst();
        }
    }

    @Test
    @DisplayName("java pointing at a JDK older than 21: create fails, naming Java 21 and the binary, instead of a pool broken with 'exit code 1'")
    void oldJdkRefused() throws IOException {
        Optional<Path> old = oldJava();
        assumeTrue(old.isPresent(), "no JDK older than 21 under /usr/lib/jvm");
        String java = old.get().toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Executors.create("process",
                ExecutorConfig.builder().maxWorkers(1).property(ProcessProvider.JAVA, java).build()));
        assertTrue(e.getMessage().contains("workers need Java 21 or newer"), e.getMessage());
        assertTrue(e.getMessage().contains(java), e.getMessage());
        System.out.println("refused: " + e.getMessage());
    }

    @Test
    @DisplayName("release files of JDK 8 (also through jre/bin/java), 17 and 25 layouts are read")
    void releaseFileLayouts(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path jdk8 = fakeJdk(dir.resolve("jdk8"), "jre/bin/java", "JAVA_VERSION=\"1.8.0_402\"");
        assertEquals(8, Launcher.javaFeature(jdk8));
        assertEquals(8, Launcher.javaFeature(jdk8.getParent().getParent().getParent().resolve("bin/java")));
        assertEquals(17, Launcher.javaFeature(fakeJdk(dir.resolve("jdk17"), "bin/java", "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"17.0.2\"")));
        assertEquals(25, Launcher.javaFeature(fakeJdk(dir.resolve("jdk25"), "bin/java", "JAVA_VERSION=\"25\"")));
        assertEquals(-1, Launcher.javaFeature(fakeJdk(dir.resolve("odd"), "bin/java", "JAVA_VERSION=\"\"")));
        String java = jdk8.toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Executors.create("process",
                ExecutorConfig.builder().maxWorkers(1).property(ProcessProvider.JAVA, java).build()));
        assertTrue(e.getMessage().contains("a Java 8 runtime; workers need Java 21 or newer"), e.getMessage());
    }

    private static Path fakeJdk(Path home, String java, String release) throws IOException {
        Path bin = home.resolve(java);
        Files.createDirectories(bin.getParent());
        Files.writeString(bin, "#!/bin/sh\nexit 1\n");
        bin.toFile().setExecutable(true);
        if (java.startsWith("jre/")) {
            Files.createDirectories(home.resolve("bin"));
            Files.copy(bin, home.resolve("bin/java"));
            home.resolve("bin/java").toFile().setExecutable(true);
        }
        Files.writeString(home.resolve("release"), release + "\n");
        return bin;
    }

    @Test
    @DisplayName("the JDK's version is read from its release file, through links; this JVM's own is at least 21")
    void versionFromReleaseFile() throws IOException {
        assertTrue(Launcher.javaFeature(Path.of(Launcher.currentJava())) >= 21);
        Path usrBin = Path.of("/usr/bin/java");
        if (Files.isExecutable(usrBin) && oldJava().isPresent()) {
            assertTrue(Launcher.javaFeature(usrBin) > 0, "a link to a JDK is followed");
        }
        assertTrue(Launcher.javaFeature(Path.of("/no/such/java")) < 0);
    }
}
