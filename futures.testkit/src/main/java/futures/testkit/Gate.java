package futures.testkit;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A gate that tasks wait at and the test opens, and a register of which tasks got there: the
 * test's handle on tasks that may run in another process, where a latch of the test's JVM cannot
 * reach.
 *
 * <p>The test makes a gate with {@link #open()} and hands its {@link #key()} (a small
 * serializable value) to its tasks. A task calls {@link Key#pass(String)} to arrive and block until
 * the test calls {@link #release()} or {@link #releaseOldest()}, or {@link Key#mark(String)} to
 * arrive and go on at once. The test sees who arrived with {@link #arrivals()} and waits for
 * arrivals with {@link #awaitArrivals(int)}: "the task is running now", which is what a started
 * latch says in one JVM.
 *
 * <p>It works for tasks in this JVM and in any process of the same user on this machine: the gate
 * is a Unix-domain socket in a temporary directory only this user can enter. A task arrives by
 * connecting and sending its tag; the gate lets it through by sending one byte back. Nothing polls
 * and nothing sleeps. {@link #close()} lets every waiting task through, so a test that fails never
 * leaves a task blocked; a task that arrives after close fails with an exception instead of hanging.
 */
public final class Gate implements AutoCloseable {
    /*
     * Invariants: `arrivals`, `waiting`, `peak`, `released` and `closed` are guarded by this
     * object's monitor, and every change is followed by notifyAll (awaitArrivals waits on it).
     * `waiting` holds the connections of tasks that arrived with pass() and were not let through;
     * a connection leaves it only to be answered and closed. Once `released` or `closed` is true,
     * `waiting` stays empty. Only the acceptor thread reads from connections.
     */
    private static final byte PASS = 'P';
    private static final byte MARK = 'M';
    private static final byte GO = 1;
    /** A hang guard for awaitArrivals; far above anything a passing test needs. */
    private static final Duration ARRIVAL_LIMIT = Duration.ofSeconds(60);

    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final List<String> arrivals = new ArrayList<>();
    private final ArrayDeque<SocketChannel> waiting = new ArrayDeque<>();
    private int peak;
    private boolean released;
    private boolean closed;

    private Gate(Path dir) throws IOException {
        this.dir = dir;
        this.socket = dir.resolve("gate");
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket), 256);
        this.acceptor = new Thread(this::accept, "futures-testkit-gate-" + dir.getFileName());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Opens a gate, closed to {@link Key#pass(String)} until {@link #release()}.
     *
     * @return the new gate; close it after the test
     * @throws UncheckedIOException if the socket cannot be made
     */
    public static Gate open() {
        try {
            return new Gate(privateDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a test gate (a Unix-domain socket)", e);
        }
    }

    /**
     * The handle tasks use to arrive at this gate; serializable, so it crosses to worker processes.
     *
     * @return the gate's key
     */
    public Key key() {
        return new Key(socket.toString());
    }

    /**
     * The tags of every task that arrived, in the order they arrived.
     *
     * @return a copy of the tags, in arrival order
     */
    public synchronized List<String> arrivals() {
        return List.copyOf(arrivals);
    }

    /**
     * How many tasks are waiting at the gate now.
     *
     * @return the number of tasks blocked at the gate
     */
    public synchronized int waiting() {
        return waiting.size();
    }

    /**
     * The most tasks that were ever waiting at the gate at once.
     *
     * @return the peak number of tasks blocked at the gate
     */
    public synchronized int peakWaiting() {
        return peak;
    }

    /**
     * Waits until at least {@code n} tasks have arrived. Interruptible; fails with an
     * {@link AssertionError} naming who did arrive if that takes more than a minute, a hang guard
     * far above what any passing test needs.
     *
     * @param n how many arrivals to wait for
     * @return the tags that arrived, in order
     * @throws IllegalStateException if the thread is interrupted (its interrupt flag stays set)
     */
    public synchronized List<String> awaitArrivals(int n) {
        long deadline = System.nanoTime() + ARRIVAL_LIMIT.toNanos();
        while (arrivals.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + n + " task(s) at the gate within " + ARRIVAL_LIMIT
                        + ", but only these arrived: " + arrivals);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for tasks at the gate", e);
            }
        }
        return List.copyOf(arrivals);
    }

    /**
     * Waits until at least one of {@code tags} has arrived, and returns the one that arrived first.
     * Interruptible; fails with an {@link AssertionError} naming who did arrive after {@code limit}.
     *
     * @param tags the tags to wait for; not empty
     * @param limit the hang guard: how long to wait at most
     * @return the tag among {@code tags} that arrived first
     * @throws IllegalArgumentException if {@code tags} is empty
     * @throws IllegalStateException if the thread is interrupted (its interrupt flag stays set)
     */
    public synchronized String awaitFirstOf(java.util.Collection<String> tags, Duration limit) {
        if (tags.isEmpty()) {
            throw new IllegalArgumentException("no tags to wait for");
        }
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            for (String a : arrivals) {
                if (tags.contains(a)) {
                    return a;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected one of " + tags + " at the gate within " + limit
                        + ", but only these arrived: " + arrivals);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for tasks at the gate", e);
            }
        }
    }

    /** Lets every waiting task through, and every task that arrives later. */
    public void release() {
        List<SocketChannel> go;
        synchronized (this) {
            released = true;
            go = new ArrayList<>(waiting);
            waiting.clear();
            notifyAll();
        }
        go.forEach(Gate::letThrough);
    }

    /**
     * Lets the task that has waited longest through; the gate stays closed to the others.
     *
     * @return false if no task was waiting
     */
    public boolean releaseOldest() {
        SocketChannel c;
        synchronized (this) {
            c = waiting.poll();
            notifyAll();
        }
        if (c == null) {
            return false;
        }
        letThrough(c);
        return true;
    }

    /**
     * Lets every waiting task through, stops taking arrivals and deletes the socket. A task that
     * arrives later fails with an {@link UncheckedIOException}. Harmless if called again.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        release();
        try {
            server.close(); // ends the acceptor's accept() with AsynchronousCloseException
        } catch (IOException ignored) {
            // nothing more to free
        }
        try {
            acceptor.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a stray empty directory in the temporary folder; the OS cleans it
        }
    }

    @Override
    public synchronized String toString() {
        return "Gate[" + socket + ", arrived=" + arrivals + ", waiting=" + waiting.size()
                + (released ? ", released" : "") + (closed ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------ the gate's side

    private void accept() {
        while (true) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (ClosedChannelException closedByClose) {
                return;
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
                continue; // one failed connection does not stop the gate
            }
            try {
                arrive(c);
            } catch (IOException | RuntimeException e) {
                closeQuietly(c); // the task sees EOF and fails instead of hanging
            }
        }
    }

    private void arrive(SocketChannel c) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(3);
        readFully(c, head);
        byte mode = head.get(0);
        int length = Short.toUnsignedInt(head.getShort(1));
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(c, body);
        String tag = new String(body.array(), StandardCharsets.UTF_8);
        boolean goNow;
        synchronized (this) {
            arrivals.add(tag);
            goNow = mode == MARK || released || closed;
            if (!goNow) {
                waiting.add(c);
                peak = Math.max(peak, waiting.size());
            }
            notifyAll();
        }
        if (goNow) {
            letThrough(c);
        }
    }

    private static void readFully(SocketChannel c, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (c.read(buf) < 0) {
                throw new IOException("the task hung up before it said who it was");
            }
        }
    }

    private static void letThrough(SocketChannel c) {
        try {
            c.write(ByteBuffer.wrap(new byte[] {GO}));
        } catch (IOException ignored) {
            // the task is gone already (its executor was shut down or it was interrupted)
        } finally {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing more to free
        }
    }

    /** A directory only this user can enter, with a path short enough for a Unix-domain socket. */
    private static Path privateDirectory() throws IOException {
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        if (base.toAbsolutePath().toString().length() > 60 && Files.isDirectory(Path.of("/tmp"))) {
            base = Path.of("/tmp"); // socket paths must stay under ~100 bytes
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempDirectory(base, "fg",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Files.createTempDirectory(base, "fg");
    }

    // ------------------------------------------------------------------ the task's side

    /**
     * What a task needs to arrive at a {@link Gate}: its socket's path. Serializable, so a task
     * that captures it can run in a worker process on this machine.
     *
     * @param socket the gate's socket path
     */
    public record Key(String socket) implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Checks the path. */
        public Key {
            Objects.requireNonNull(socket, "socket");
        }

        /**
         * Arrives at the gate as {@code tag} and blocks until the test lets this task through.
         *
         * @param tag the name the test knows this task by
         * @throws UncheckedIOException if the gate is closed or cannot be reached
         */
        public void pass(String tag) {
            call(PASS, tag);
        }

        /**
         * Arrives at the gate as {@code tag} and goes on at once: it records that this task ran.
         *
         * @param tag the name the test knows this task by
         * @throws UncheckedIOException if the gate is closed or cannot be reached
         */
        public void mark(String tag) {
            call(MARK, tag);
        }

        private void call(byte mode, String tag) {
            byte[] text = tag.getBytes(StandardCharsets.UTF_8);
            if (text.length > 0xFFFF) {
                throw new IllegalArgumentException("gate tags are at most 65535 bytes");
            }
            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                ByteBuffer out = ByteBuffer.allocate(3 + text.length);
                out.put(mode).putShort((short) text.length).put(text).flip();
                while (out.hasRemaining()) {
                    c.write(out);
                }
                ByteBuffer in = ByteBuffer.allocate(1);
                if (c.read(in) != 1) {
                    throw new UncheckedIOException(new IOException(
                            "the gate at " + socket + " closed before it let '" + tag + "' through"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot reach the gate at " + socket + " as '" + tag + "'", e);
            }
        }
    }
}
