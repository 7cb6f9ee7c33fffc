package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every stream {@link Codec} reads is held to limits derived from its own size: a stream that
 * claims more than its bytes can hold is refused before anything is allocated, with a message that
 * says so; real values of any size pass.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CodecLimitsTest {

    /** {@code new long[0]} in Codec's format, its length then changed to {@code n}: a short stream claiming a huge array. */
    static byte[] forgedLongArray(int n) throws IOException {
        byte[] bytes = Codec.serializePlain(new long[0]);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, n);
        return bytes;
    }

    /** The bytes this thread has allocated so far, or -1 where the JVM cannot tell (no jdk.management). */
    static long allocated() {
        try {
            Object bean = ManagementFactory.getThreadMXBean();
            Method m = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
            return (Long) m.invoke(bean);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return -1;
        }
    }

    @Test
    @DisplayName("a ~30-byte stream claiming long[500_000_000] is refused at once, allocating nothing of the sort, saying why")
    void forgedArrayRefused() throws Exception {
        byte[] forged = forgedLongArray(500_000_000);
        assertTrue(forged.length < 100, "a short stream: " + forged.length);
        long before = allocated();
        long start = System.nanoTime();
        InvalidObjectException e = assertThrows(InvalidObjectException.class, () -> Codec.deserialize(forged));
        long took = System.nanoTime() - start;
        long after = allocated();
        assertEquals("refused by the process pool's limits: a message of " + forged.length + " bytes claims an array"
                + " long[] of 500000000 elements, which needs at least 4000000000 bytes (more than a message of that"
                + " size can hold; the bytes are damaged or forged)", e.getMessage());
        assertTrue(took < TimeUnit.SECONDS.toNanos(5), "refused at once, took " + took / 1_000_000 + " ms");
        if (before >= 0 && after >= 0) {
            assertTrue(after - before < 16 << 20, "allocated " + (after - before) + " bytes");
        }
    }

    @Test
    @DisplayName("an ArrayList whose stream claims a huge size is refused before its array is made")
    void forgedCollectionRefused() throws Exception {
        byte[] bytes = Codec.serializePlain(new ArrayList<>(List.of(1, 2, 3)));
        // ArrayList writes its size twice: the field, then (in writeObject) the capacity read back; patch both
        byte[] size3 = {0, 0, 0, 3};
        int patched = 0;
        for (int i = 0; i + 4 <= bytes.length; i++) {
            if (bytes[i] == 0 && bytes[i + 1] == 0 && bytes[i + 2] == 0 && bytes[i + 3] == 3) {
                ByteBuffer.wrap(bytes).putInt(i, 400_000_000);
                patched++;
            }
        }
        assertTrue(patched >= 1, "found the size");
        InvalidObjectException e = assertThrows(InvalidObjectException.class, () -> Codec.deserialize(bytes));
        assertTrue(e.getMessage().contains("claims an array java.lang.Object[] of 400000000 elements"), e.getMessage());
    }

    @Test
    @DisplayName("real values pass the limits whatever their size: large primitive arrays, deep nesting, many references")
    void realValuesPass() throws Exception {
        long[] big = new long[1 << 20];
        big[12345] = 7;
        assertArrayEquals(big, (long[]) Codec.deserialize(Codec.serializePlain(big)));
        byte[] bytes = new byte[3 << 20];
        bytes[3] = 1;
        assertArrayEquals(bytes, (byte[]) Codec.deserialize(Codec.serializePlain(bytes)));
        Object[] nested = null;
        for (int i = 0; i < 500; i++) {
            nested = new Object[] {nested};
        }
        Object back = Codec.deserialize(Codec.serializePlain(nested));
        int depth = 0;
        for (Object o = back; o != null; o = ((Object[]) o)[0]) {
            depth++;
        }
        assertEquals(500, depth);
        List<Integer> shared = new ArrayList<>();
        Integer one = 1;
        for (int i = 0; i < 10_000; i++) {
            shared.add(one);
        }
        assertEquals(shared, Codec.deserialize(Codec.serializePlain(shared)));
        String s = "x".repeat(100_000);
        assertEquals(s, Codec.deserialize(Codec.serializePlain(s)));
    }
}
