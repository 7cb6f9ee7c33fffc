package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Frames: what is written is read back whole; corruption is an error, never a hang. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FrameChannelTest {
    private Path dir;
    private SocketChannel writerSide;
    private SocketChannel readerSide;

    @BeforeEach
    void connect() throws IOException {
        dir = Launcher.privateDirectory();
        Path sock = dir.resolve("t.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            writerSide = SocketChannel.open(UnixDomainSocketAddress.of(sock));
            readerSide = server.accept();
        }
        Files.delete(sock);
    }

    @AfterEach
    void close() throws IOException {
        writerSide.close();
        readerSide.close();
        Files.deleteIfExists(dir);
    }

    /** Writes the bytes a FrameChannel would write for this frame, for tampering. */
    private static byte[] frameBytes(byte type, long id, byte[] payload) throws IOException {
        Path d = Launcher.privateDirectory();
        Path sock = d.resolve("f.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            try (SocketChannel a = SocketChannel.open(UnixDomainSocketAddress.of(sock));
                    SocketChannel b = server.accept()) {
                new FrameChannel(a).write(type, id, payload);
                a.shutdownOutput();
                ByteBuffer all = ByteBuffer.allocate(12 + 9 + payload.length);
                while (all.hasRemaining() && b.read(all) >= 0) {
                    // keep reading
                }
                return all.array();
            }
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(d);
        }
    }

    @Test
    @DisplayName("frames of any size are read back whole, in order, and end of stream between frames is null")
    void roundTrip() throws Exception {
        FrameChannel w = new FrameChannel(writerSide);
        FrameChannel r = new FrameChannel(readerSide);
        byte[] big = new byte[1 << 20];
        new Random(7).nextBytes(big);
        Thread t = new Thread(() -> {
            try {
                w.write(FrameChannel.TASK, 1, new byte[0]);
                w.write(FrameChannel.RESULT, 2, big);
                w.write(FrameChannel.ERROR, Long.MAX_VALUE, FrameChannel.twoParts(new byte[] {1, 2}, new byte[] {3}));
                writerSide.shutdownOutput();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        t.start();
        FrameChannel.Frame a = r.read();
        assertEquals(FrameChannel.TASK, a.type());
        assertEquals(1, a.id());
        assertEquals(0, a.payload().length);
        FrameChannel.Frame b = r.read();
        assertEquals(2, b.id());
        assertArrayEquals(big, b.payload());
        FrameChannel.Frame c = r.read();
        assertEquals(Long.MAX_VALUE, c.id());
        assertArrayEquals(new byte[] {1, 2}, FrameChannel.firstPart(c.payload()));
        assertArrayEquals(new byte[] {3}, FrameChannel.secondPart(c.payload()));
        assertNull(r.read());
        t.join();
    }

    @Test
    @DisplayName("a flipped bit in the body is a checksum error")
    void corruptedBody() throws Exception {
        byte[] bytes = frameBytes(FrameChannel.RESULT, 5, "hello, parent".getBytes());
        bytes[bytes.length - 3] ^= 0x10;
        writerSide.write(ByteBuffer.wrap(bytes));
        StreamCorruptedException e = assertThrows(StreamCorruptedException.class, () -> new FrameChannel(readerSide).read());
        assertEquals("frame checksum mismatch (22 bytes)", e.getMessage());
    }

    @Test
    @DisplayName("a damaged length is an error at once, not a wait for gigabytes that never come")
    void corruptedLength() throws Exception {
        byte[] bytes = frameBytes(FrameChannel.RESULT, 5, "hello".getBytes());
        bytes[0] = 0x7f; // length now about 2 GB; its complement no longer matches
        writerSide.write(ByteBuffer.wrap(bytes));
        assertThrows(StreamCorruptedException.class, () -> new FrameChannel(readerSide).read());
    }

    @Test
    @DisplayName("a header claiming more than the channel's limit is refused at once, before any body arrives")
    void overTheLimit() throws Exception {
        int length = FrameChannel.MAX_BODY;
        writerSide.write(ByteBuffer.allocate(12).putInt(length).putInt(~length).putInt(0).flip());
        FrameChannel.MessageTooLargeException e = assertThrows(FrameChannel.MessageTooLargeException.class,
                () -> new FrameChannel(readerSide, 1 << 20).read());
        assertEquals("a message of " + FrameChannel.MAX_PAYLOAD + " bytes, more than the limit of 1048576 bytes",
                e.getMessage());
    }

    @Test
    @DisplayName("a header claiming 2 GB that the limit allows costs only the bytes that arrive, not 2 GB at once")
    void claimedLengthNotAllocated() throws Exception {
        int length = FrameChannel.MAX_BODY;
        writerSide.write(ByteBuffer.allocate(12 + 9 + 1000).putInt(length).putInt(~length).putInt(0)
                .put(FrameChannel.RESULT).putLong(1).flip());
        writerSide.shutdownOutput();
        long before = CodecLimitsTest.allocated();
        assertThrows(EOFException.class, () -> new FrameChannel(readerSide).read());
        long after = CodecLimitsTest.allocated();
        if (before >= 0 && after >= 0) {
            assertTrue(after - before < 16 << 20, "allocated " + (after - before) + " bytes");
        }
    }

    @Test
    @DisplayName("text printed into the channel by mistake is an error, not a frame")
    void strayText() throws Exception {
        writerSide.write(ByteBuffer.wrap("Picked up JAVA_TOOL_OPTIONS: -Xmx1g\n".getBytes()));
        assertThrows(StreamCorruptedException.class, () -> new FrameChannel(readerSide).read());
    }

    @Test
    @DisplayName("a channel that ends inside a frame is an EOFException")
    void truncated() throws Exception {
        byte[] bytes = frameBytes(FrameChannel.RESULT, 5, new byte[100]);
        writerSide.write(ByteBuffer.wrap(bytes, 0, 50));
        writerSide.shutdownOutput();
        assertThrows(EOFException.class, () -> new FrameChannel(readerSide).read());
    }
}
