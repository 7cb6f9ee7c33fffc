package futures.providers.process;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * A hostile or broken "worker" for {@link UntrustedWorkerTest}: started by a script given as the
 * pool's {@code java}, it connects to the pool's socket like a worker and then sends what its mode
 * says instead of answers. It uses the JDK only (it runs on the plain class path, without the
 * futures classes), so what it sends is its own bytes, not the pool's code.
 *
 * <p>Arguments: the mode, a hex payload (or {@code -}), then what the pool passes a worker, of
 * which only the socket path (third from the end) is used. Modes:
 * <ul>
 * <li>{@code huge-header}: a well-formed header claiming a body of about 2 GB, then nothing;
 * <li>{@code partial}: a header claiming 1000 bytes and only 10 of them, then nothing;
 * <li>{@code deaf}: nothing, and it reads nothing either;
 * <li>{@code result}: to each task, a whole, well-formed RESULT frame with the payload given.
 * </ul>
 * In every mode it then reads until the pool closes the channel (or kills it) and exits with 0.
 */
public final class FakeWorkerMain {
    private FakeWorkerMain() {}

    private static boolean readFully(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                return false;
            }
        }
        return true;
    }

    private static void answer(SocketChannel ch, long id, byte[] payload) throws IOException {
        ByteBuffer body = ByteBuffer.allocate(9 + payload.length).put((byte) 3).putLong(id).put(payload).flip();
        CRC32 crc = new CRC32();
        crc.update(body.duplicate());
        int length = body.remaining();
        ByteBuffer[] frame = {ByteBuffer.allocate(12).putInt(length).putInt(~length).putInt((int) crc.getValue()).flip(),
            body};
        while (frame[1].hasRemaining()) {
            ch.write(frame);
        }
    }

    public static void main(String[] args) throws IOException {
        String mode = args[0];
        byte[] payload = args[1].equals("-") ? new byte[0] : HexFormat.of().parseHex(args[1]);
        Path socket = Path.of(args[args.length - 3]);
        SocketChannel ch = null;
        for (int i = 0; ch == null; i++) {
            try {
                ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            } catch (java.net.SocketException notYet) {
                if (i > 30_000) {
                    throw notYet;
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
        switch (mode) {
            case "huge-header" -> {
                int length = Integer.MAX_VALUE - 64;
                ch.write(ByteBuffer.allocate(12).putInt(length).putInt(~length).putInt(0).flip());
            }
            case "partial" -> {
                int length = 1000;
                ch.write(ByteBuffer.allocate(22).putInt(length).putInt(~length).putInt(0)
                        .put((byte) 3).putLong(0).put((byte) 0).flip());
            }
            case "result" -> {
                // answers every task with the payload given, until the pool closes the channel
                ByteBuffer head = ByteBuffer.allocate(12);
                while (readFully(ch, head.clear())) {
                    int length = head.getInt(0);
                    ByteBuffer in = ByteBuffer.allocate(length);
                    if (!readFully(ch, in)) {
                        break;
                    }
                    if (in.get(0) == 1) {
                        answer(ch, in.getLong(1), payload);
                    }
                }
                System.exit(0);
            }
            case "deaf" -> {
                // reads nothing: the pool's writes fill the socket's buffer and block
                while (true) {
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
        ByteBuffer sink = ByteBuffer.allocate(1 << 16);
        while (ch.read(sink.clear()) >= 0) {
            // what the pool sends is ignored
        }
        System.exit(0);
    }
}
