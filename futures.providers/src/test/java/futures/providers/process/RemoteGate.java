package futures.providers.process;

import java.io.IOException;
import java.io.Serializable;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A latch across processes, for tests: a task in a worker calls {@link Pass#await()}, which
 * connects to this gate's Unix-domain socket (that is its "I have started" signal) and blocks until
 * the test calls {@link #release()}, or the gate is closed, or the test JVM dies. No sleeping, no
 * polling. Use it in try-with-resources so a waiting task is always let go.
 *
 * <p>Invariant: {@code accepted} is touched only by the test thread that owns the gate.
 */
final class RemoteGate implements AutoCloseable {
    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;
    private final List<SocketChannel> accepted = new ArrayList<>();

    RemoteGate() throws IOException {
        dir = Launcher.privateDirectory();
        socket = dir.resolve("gate.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
    }

    /** What a task captures; serializable. */
    Pass pass() {
        return new Pass(socket.toString());
    }

    /** Waits until {@code n} more tasks have reached {@link Pass#await()}. */
    void awaitArrivals(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            accepted.add(server.accept());
        }
    }

    /** Lets every task that arrived go on. */
    void release() throws IOException {
        for (SocketChannel c : accepted) {
            c.write(ByteBuffer.wrap(new byte[] {1}));
            c.close();
        }
        accepted.clear();
    }

    @Override
    public void close() throws IOException {
        for (SocketChannel c : accepted) {
            c.close();
        }
        server.close();
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
    }

    /** The worker's side of a gate. */
    record Pass(String socket) implements Serializable {
        /** Signals arrival, then blocks until released; returns true if released, false if the gate closed. */
        boolean await() throws IOException {
            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(Path.of(socket)))) {
                return c.read(ByteBuffer.allocate(1)) == 1;
            } catch (IOException e) {
                return false;
            }
        }
    }

}
