package futures.providers.process;

import java.io.EOFException;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Framed messages over one worker's Unix-domain socket.
 *
 * <p>A frame is a 12-byte header, then the body: {@code int length} of the body, {@code int ~length}
 * (so a damaged length is caught before anything is allocated or awaited), {@code int} CRC32 of the
 * body; the body is {@code byte type}, {@code long id}, then the payload ({@link Codec}'s serialization bytes).
 * Any mismatch is a {@link StreamCorruptedException}: corruption is an error, never a hang.
 *
 * <p>Nothing a peer sends is trusted: a payload over the channel's limit is refused from its header
 * alone ({@link MessageTooLargeException}), and a payload's array grows only as its bytes arrive,
 * so a header is never taken at its word for an allocation. How long a frame has been under way
 * is visible to another thread ({@link #stalledNanos}), which bounds the wait for a peer that
 * stops in the middle of a frame, and closes the channel then.
 *
 * <p>Thread-safety: one thread reads ({@link #read()}, which owns the input buffer and
 * {@code readCrc}); writers are serialized by the monitor of {@code out}. Reading and writing may
 * go on at once. {@code readSince} and {@code writeSince} are volatile: written by the reader and
 * the writer, read by any thread.
 */
final class FrameChannel implements AutoCloseable {
    /** Parent to worker: a serialized {@code Task}, under its item id. */
    static final byte TASK = 1;
    /** Parent to worker, first frame if any: a serialized {@code Initializer}. */
    static final byte INIT = 2;
    /** Worker to parent: the serialized value of task {@code id}. */
    static final byte RESULT = 3;
    /** Worker to parent: task {@code id} threw; payload from {@link #twoParts}. */
    static final byte ERROR = 4;
    /** Worker to parent: the initializer threw; payload from {@link #twoParts}. The worker then exits. */
    static final byte INIT_FAILED = 5;
    /** Worker to parent: the bytes of the class named in the payload (UTF-8), please; answered by {@link #CLASS_BYTES} with the same id. */
    static final byte CLASS_REQUEST = 6;
    /** Parent to worker: the answer to the {@link #CLASS_REQUEST} of this id (see {@code ClassServer#reply}). */
    static final byte CLASS_BYTES = 7;
    /**
     * Parent to worker, only to an idle worker whose last result the parent has read: the pool is
     * handing it to the {@link WorkerPark}; answered at once by {@link #PARKED}, after which the
     * worker sends nothing until its next task (see {@code WorkerMain}'s reader).
     */
    static final byte PARK = 8;
    /** Worker to parent: the answer to {@link #PARK}, the last frame it sends before its next task. */
    static final byte PARKED = 9;
    /**
     * Worker to parent: task {@code id} threw an error after which the worker is not trusted (an
     * {@code OutOfMemoryError}, or another {@code VirtualMachineError} but a
     * {@code StackOverflowError}); payload as {@link #ERROR}. The worker exits right after it, and
     * the parent takes that exit as a retirement, not a death.
     */
    static final byte LAST_ERROR = 10;

    private static final int HEADER = 12;
    private static final int BODY_PREFIX = 9;
    /** Larger frames are refused: the most a Java array can hold, minus the header. */
    static final int MAX_BODY = Integer.MAX_VALUE - 64;
    /** The most a payload may be: {@link #MAX_BODY} less the type and id. */
    static final int MAX_PAYLOAD = MAX_BODY - BODY_PREFIX;
    /** A payload's array grows in steps of at most this (see {@link #read}); smaller ones are allocated whole. */
    static final int CHUNK = 1 << 20;

    /** One received frame. */
    record Frame(byte type, long id, byte[] payload) {}

    private final SocketChannel channel;
    /** The largest payload {@link #read} accepts. */
    private final int maxPayload;
    /**
     * {@link System#nanoTime} when the frame now being read began to arrive (never 0 then), or 0
     * between frames. Written by the reading thread only; read by the watchdog (volatile).
     */
    private volatile long readSince;
    /** The same for the frame now being written, written under {@code out}. */
    private volatile long writeSince;
    /** Read side: bytes received and not yet consumed lie between position and limit. */
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024).flip();
    private final CRC32 readCrc = new CRC32();
    /** Write-side monitor; also guards {@code writeCrc}. */
    private final Object out = new Object();
    private final CRC32 writeCrc = new CRC32();

    /** A channel that accepts payloads up to {@link #MAX_PAYLOAD} bytes (a worker's, reading its trusted parent). */
    FrameChannel(SocketChannel channel) {
        this(channel, MAX_PAYLOAD);
    }

    /** A channel whose {@link #read} refuses payloads over {@code maxPayload} bytes. */
    FrameChannel(SocketChannel channel, int maxPayload) {
        this.channel = channel;
        this.maxPayload = Math.min(maxPayload, MAX_PAYLOAD);
    }

    /**
     * Sends one frame; whole, or not at all if the channel fails.
     *
     * <p>Any thread may call it, with its interrupt status set or not: a {@code SocketChannel} is
     * interruptible, and a write by a thread whose status is set would close the channel, which
     * the other side takes for a dead peer (the pool breaks). So the status is cleared for the write
     * and restored after it. An interrupt that arrives during the write itself would still close
     * the channel, so only threads nothing interrupts call this: the pool's own threads and its
     * {@link Sender}, never a user's thread.
     */
    void write(byte type, long id, byte[] payload) throws IOException {
        int bodyLength = BODY_PREFIX + payload.length;
        if (payload.length > MAX_BODY - BODY_PREFIX) {
            throw new IOException("message of " + payload.length + " bytes is too large to send");
        }
        ByteBuffer head = ByteBuffer.allocate(HEADER + BODY_PREFIX);
        head.putInt(bodyLength).putInt(~bodyLength).putInt(0).put(type).putLong(id).flip();
        boolean interrupted = Thread.interrupted();
        try {
            writeLocked(head, payload);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void writeLocked(ByteBuffer head, byte[] payload) throws IOException {
        ByteBuffer body = ByteBuffer.wrap(payload);
        synchronized (out) {
            writeCrc.reset();
            writeCrc.update(head.array(), HEADER, BODY_PREFIX);
            writeCrc.update(payload);
            head.putInt(8, (int) writeCrc.getValue());
            ByteBuffer[] bufs = {head, body};
            long now = System.nanoTime();
            writeSince = now == 0 ? 1 : now;
            try {
                while (head.hasRemaining() || body.hasRemaining()) {
                    channel.write(bufs);
                }
            } finally {
                writeSince = 0;
            }
        }
    }

    /**
     * Receives one frame. The payload's array grows as its bytes arrive (in steps of at most
     * {@link #CHUNK}, doubling), so a header that claims more bytes than ever come costs nothing
     * but the wait, which the pool's watchdog bounds ({@link #stalledNanos}).
     *
     * @return the frame, or null if the peer closed the channel between frames
     * @throws EOFException if the channel ended inside a frame
     * @throws StreamCorruptedException if the header or checksum does not match
     * @throws MessageTooLargeException if the header claims a payload over this channel's limit
     */
    Frame read() throws IOException {
        if (in.hasRemaining()) {
            markRead(); // a frame's first bytes came with the previous one
        }
        try {
            if (!fill(HEADER, true)) {
                return null;
            }
            int length = in.getInt();
            int check = in.getInt();
            int crc = in.getInt();
            if (check != ~length || length < BODY_PREFIX || length > MAX_BODY) {
                throw new StreamCorruptedException("corrupted frame header (length " + length + ", check "
                        + Integer.toHexString(check) + ")");
            }
            int size = length - BODY_PREFIX;
            if (size > maxPayload) {
                throw new MessageTooLargeException(size, maxPayload);
            }
            fill(BODY_PREFIX, false);
            readCrc.reset();
            readCrc.update(in.array(), in.position(), BODY_PREFIX);
            byte type = in.get();
            long id = in.getLong();
            byte[] payload = readPayload(size);
            readCrc.update(payload);
            if ((int) readCrc.getValue() != crc) {
                throw new StreamCorruptedException("frame checksum mismatch (" + length + " bytes)");
            }
            return new Frame(type, id, payload);
        } finally {
            readSince = 0;
        }
    }

    /** Reads a payload of {@code size} bytes, the array growing as they arrive (see {@link #read}). */
    private byte[] readPayload(int size) throws IOException {
        int have = Math.min(in.remaining(), size);
        byte[] p = new byte[size <= CHUNK ? size : Math.max(have, CHUNK)];
        in.get(p, 0, have);
        int filled = have;
        while (filled < size) {
            if (filled == p.length) {
                p = Arrays.copyOf(p, (int) Math.min(size, 2L * p.length));
            }
            // at most CHUNK per read: the JDK copies through a temporary direct buffer of the read's size
            int n = channel.read(ByteBuffer.wrap(p, filled, Math.min(p.length - filled, CHUNK)));
            if (n < 0) {
                throw new EOFException("channel closed inside a frame of " + (size + BODY_PREFIX) + " bytes");
            }
            filled += n;
        }
        return p;
    }

    /** Makes {@code n} bytes available in {@code in}; false on EOF before any byte if allowed. */
    private boolean fill(int n, boolean eofAllowed) throws IOException {
        while (in.remaining() < n) {
            boolean empty = !in.hasRemaining();
            in.compact();
            int r;
            try {
                r = channel.read(in);
            } finally {
                in.flip();
            }
            if (r < 0) {
                if (empty && eofAllowed) {
                    return false;
                }
                throw new EOFException("channel closed inside a frame header");
            }
            if (r > 0 && readSince == 0) {
                markRead();
            }
        }
        return true;
    }

    private void markRead() {
        long now = System.nanoTime();
        readSince = now == 0 ? 1 : now;
    }

    /**
     * How long the frame being read or written has been under way, in nanoseconds, at
     * {@code now} ({@link System#nanoTime}); 0 if none is. A read counts from its frame's first
     * byte (not while waiting between frames), a write from its start; either may be called from
     * any thread (the pool's watchdog). See {@link #read}.
     */
    long stalledNanos(long now) {
        long r = readSince;
        long w = writeSince;
        long longest = 0;
        if (r != 0) {
            longest = now - r;
        }
        if (w != 0) {
            longest = Math.max(longest, now - w);
        }
        return longest;
    }

    /** Whether a read (rather than a write) is under way: for the watchdog's message. */
    boolean reading() {
        return readSince != 0;
    }

    /**
     * A frame whose header claims a payload over the channel's limit: refused before anything
     * is allocated. The rest of the frame is not read, so the channel cannot be used after it.
     */
    static final class MessageTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;
        final long size;

        MessageTooLargeException(long size, long limit) {
            super("a message of " + size + " bytes, more than the limit of " + limit + " bytes");
            this.size = size;
        }
    }

    /** Packs two byte arrays in one payload: {@code int} length of the first, the first, the second. */
    static byte[] twoParts(byte[] first, byte[] second) {
        return ByteBuffer.allocate(4 + first.length + second.length)
                .putInt(first.length).put(first).put(second).array();
    }

    /** The first part of a {@link #twoParts} payload. */
    static byte[] firstPart(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        byte[] first = new byte[b.getInt()];
        b.get(first);
        return first;
    }

    /** The second part of a {@link #twoParts} payload. */
    static byte[] secondPart(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        int n = b.getInt();
        byte[] second = new byte[payload.length - 4 - n];
        b.position(4 + n).get(second);
        return second;
    }

    /** Closes the socket: the peer reads end of stream. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }
}
