package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker reads no frame in a format its parent does not share: it compares its
 * {@link Codec#fingerprint()} with the one the parent passes, and exits with code 5 if they differ.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FingerprintTest {

    @Test
    @DisplayName("the fingerprint is computed once per JVM from the known classes")
    void stable() {
        String f = Codec.fingerprint();
        assertTrue(f.matches("[0-9a-f]{1,16}"), f);
        assertEquals(f, Codec.fingerprint());
    }

    @Test
    @DisplayName("the known classes are looked up from the codec's own loader, which sees futures.core, not from futures.spi's")
    void knownClassesSeenFromTheCodec() {
        assertTrue(Codec.TABLE.hasCore(), Codec.KNOWN.toString());
        assertTrue(Codec.KNOWN.size() > 11, Codec.KNOWN.toString());
        // from a loader that does not see futures.core (the boot loader here; a parent layer of the
        // core's in an application server) the wrappers are not in the table, and its fingerprint
        // tells the two apart: the table follows the loader it is given
        futures.spi.internal.KnownClasses boot = futures.spi.internal.KnownClasses.seenFrom(Object.class);
        assertFalse(boot.hasCore());
        assertEquals(11, boot.list().size(), boot.list().toString());
        assertFalse(boot.fingerprint().equals(Codec.fingerprint()));
    }

    @Test
    @DisplayName("a worker given another fingerprint exits with code 5 before it reads a frame, and says why on stderr")
    void workerWithAnotherFingerprintExits() throws Exception {
        Run run = startWorker(Codec.fingerprint() + "0");
        assertEquals(Codec.SKEW_EXIT, run.exit(), run.stderr());
        assertTrue(run.stderr().contains("this worker's futures classes are not the parent's"), run.stderr());
        assertTrue(run.stderr().contains(Codec.fingerprint()), run.stderr());
        assertTrue(Launcher.describeExit(Codec.SKEW_EXIT).contains("were the futures jars replaced while the pool ran?"));
    }

    @Test
    @DisplayName("a worker given the parent's own fingerprint serves, and exits with 0 when its channel closes")
    void workerWithTheSameFingerprintServes() throws Exception {
        Run run = startWorker(Codec.fingerprint());
        assertEquals(0, run.exit(), run.stderr());
        assertFalse(run.stderr().contains("not the parent's"), run.stderr());
    }

    private record Run(int exit, String stderr) {}

    /**
     * Starts a worker as the pool does and accepts its connection. Given another fingerprint, the
     * worker must exit by itself, with the channel still open; given the parent's, it waits for
     * frames, so the channel is closed and it exits with 0, as at a pool's shutdown.
     */
    private static Run startWorker(String fingerprint) throws Exception {
        Path dir = Launcher.privateDirectory();
        Path socket = Launcher.socketPath(dir, 0);
        Path err = dir.resolve("stderr.txt");
        Path argFile = Launcher.writeArgFile(dir, Launcher.javaArgs(WorkerMain.class, List.of("-Xlog:disable")));
        List<String> command = new ArrayList<>(List.of(Launcher.currentJava(), "@" + argFile, socket.toString(),
                Long.toString(ProcessHandle.current().pid()), fingerprint));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Process worker = new ProcessBuilder(command).redirectError(err.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                SocketChannel channel = server.accept();
                try {
                    if (!fingerprint.equals(Codec.fingerprint())) {
                        assertTrue(worker.waitFor(60, TimeUnit.SECONDS), "the worker did not exit by itself");
                    }
                } finally {
                    channel.close(); // the pool's shutdown: a worker that waits for frames exits with 0
                }
                assertTrue(worker.waitFor(60, TimeUnit.SECONDS), "the worker did not exit");
                return new Run(worker.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                worker.destroyForcibly();
                Files.deleteIfExists(socket);
                Files.deleteIfExists(err);
                Files.deleteIfExists(argFile);
                Files.deleteIfExists(dir);
            }
        }
    }

}
