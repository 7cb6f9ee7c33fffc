package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** When a worker's JVM is started relative to the work that needs it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StartUpTest {
    /** These tests look at this JVM's children: no warm worker of an earlier test may be among them. */
    @org.junit.jupiter.api.BeforeEach
    void emptyPark() throws InterruptedException {
        assertTrue(WorkerPark.clear(30_000), "parked workers of earlier tests exit");
    }

    /** Set by {@link SeesAWorker#writeObject}: whether a worker process existed while the task was serialized. */
    static final AtomicBoolean WORKER_SEEN = new AtomicBoolean();

    /** Captured by a task: while it is written, waits (at most 30 s) for a child process of this JVM. */
    static final class SeesAWorker implements Serializable {
        private static final long serialVersionUID = 1L;
        final boolean failToSerialize;

        SeesAWorker(boolean failToSerialize) {
            this.failToSerialize = failToSerialize;
        }

        private void writeObject(ObjectOutputStream out) throws IOException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ProcessHandle.current().children().findAny().isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            WORKER_SEEN.set(ProcessHandle.current().children().findAny().isPresent());
            if (failToSerialize) {
                throw new IOException("refused on purpose");
            }
            out.defaultWriteObject();
        }
    }

    @Test
    @DisplayName("a submit that needs a new worker starts its JVM before the task is serialized, so both go on at once")
    void workerStartsWhileTheTaskIsSerialized() {
        WORKER_SEEN.set(false);
        try (Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1).build())) {
            SeesAWorker probe = new SeesAWorker(false);
            assertEquals(7, ex.submit(() -> probe.failToSerialize ? 0 : 7).result());
            assertTrue(WORKER_SEEN.get(), "a worker process existed while the task was being serialized");
        }
    }

    @Test
    @DisplayName("a task that cannot be serialized still fails at once, and the worker started for it serves the next task")
    void workerStartedForATaskThatFailsToSerializeServesTheNext() {
        try (Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1).build())) {
            SeesAWorker bad = new SeesAWorker(true);
            UncheckedIOException e = org.junit.jupiter.api.Assertions.assertThrows(UncheckedIOException.class,
                    () -> ex.submit(() -> bad.failToSerialize ? 1 : 2).result());
            assertTrue(e.getMessage().contains("refused on purpose"), e.getMessage());
            long first = ex.submit(() -> ProcessHandle.current().pid()).result();
            assertEquals(first, ex.submit(() -> ProcessHandle.current().pid()).result(), "one worker, reused");
            assertEquals(1, ProcessHandle.current().children().count(), "no second worker was started");
        }
    }

    @Test
    @DisplayName("a worker's connect waits for a socket the parent binds only after starting it")
    void connectWaitsForTheSocket(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("w.sock");
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
        CompletableFuture<SocketChannel> connected = CompletableFuture.supplyAsync(() -> {
            try {
                return WorkerMain.connect(address, ProcessHandle.current().pid());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertTrue(Files.notExists(path), "no socket yet when the connect starts");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(address);
            try (SocketChannel accepted = server.accept(); SocketChannel worker = connected.get(60, TimeUnit.SECONDS)) {
                assertTrue(worker.isConnected() && accepted.isConnected());
            }
        }
    }
}
