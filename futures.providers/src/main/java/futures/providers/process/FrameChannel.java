package futures.providers.process;

import java.io.EOFException;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.zip.CRC32;

/**
 * Framed messages over one worker's Unix-domain socket.
 *
 * <p>A frame is a 12-byte header, then the body: {@code int length} of the body, {@code int ~length}
 * (so a damaged length is caught before anything is allocated or awaited), {@code int} CRC32 of the
 * body; the body is {@code byte type}, {@code long id}, then the payload ({@link Codec}'s serialization bytes).
 * Any mismatch is a {@link StreamCorruptedException}: corruption is an error, never a hang.
 *
 * <p>Thread-safety: one thread reads ({@link #read()}, which owns the input buffer); writers are
 * serialized by the monitor of {@code out}. Reading and writing may go on at once.
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

    private static final int HEADER = 12;
    private static final int BODY_PREFIX = 9;
    /** Larger frames are refused: the most a Java array can hold, minus the header. */
    static final int MAX_BODY = Integer.MAX_VALUE - 64;

    /** One received frame. */
    record Frame(byte type, long id, byte[] payload) {}

    private final SocketChannel channel;
    /** Read side: bytes received and not yet consumed lie between position and limit. */
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024).flip();
    private final CRC32 readCrc = new CRC32();
    /** Write-side monitor; also guards {@code writeCrc}. */
    private final Object out = new Object();
    private final CRC32 writeCrc = new CRC32();

    FrameChannel(SocketChannel channel) {
        this.channel = channel;
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
            while (head.hasRemaining() || body.hasRemaining()) {
                channel.write(bufs);
            }
        }
    }

    /**
     * Receives one frame.
     *
     * @return the frame, or null if the peer closed the channel between frames
     * @throws EOFException if the channel ended inside a frame
     * @throws StreamCorruptedException if the header or checksum does not match
     */
    Frame read() throws IOException {
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
        byte[] body = new byte[length];
        int have = Math.min(in.remaining(), length);
        in.get(body, 0, have);
        ByteBuffer rest = ByteBuffer.wrap(body, have, length - have);
        while (rest.hasRemaining()) {
            if (channel.read(rest) < 0) {
                throw new EOFException("channel closed inside a frame of " + length + " bytes");
            }
        }
        readCrc.reset();
        readCrc.update(body);
        if ((int) readCrc.getValue() != crc) {
            throw new StreamCorruptedException("frame checksum mismatch (" + length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(body);
        byte type = b.get();
        long id = b.getLong();
        byte[] payload = new byte[length - BODY_PREFIX];
        b.get(payload);
        return new Frame(type, id, payload);
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
        }
        return true;
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
