package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import futures.spi.Task;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.lang.invoke.SerializedLambda;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Codec's stream format: the descriptor of a known class crosses as one byte, any other in full,
 * and every kind of value still makes the round trip.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CodecTest {

    /** A class of the user's: not known, so its descriptor crosses in full. */
    record Point(int x, int y) implements Serializable {}

    static Integer twice(Integer x) {
        return 2 * x;
    }

    private static Object roundTrip(Object o) throws Exception {
        return Codec.deserialize(Codec.serializeOutcome(o));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    @DisplayName("the known classes are sorted by name, at most 255, and include the task wrappers and SerializedLambda")
    void knownList() throws Exception {
        List<Class<?>> known = Codec.KNOWN;
        List<Class<?>> sorted = new ArrayList<>(known);
        sorted.sort(Comparator.comparing(Class::getName));
        assertEquals(sorted, known);
        assertTrue(known.size() <= 255, known.toString());
        assertTrue(known.contains(SerializedLambda.class));
        assertTrue(known.contains(Class.forName("futures.core.Calls$Apply")));
        assertTrue(known.contains(Integer.class));
        assertTrue(known.stream().allMatch(Serializable.class::isAssignableFrom), known.toString());
    }

    @Test
    @DisplayName("a lambda task crosses without the names of its known classes, and runs after the round trip")
    void taskWithoutKnownNames() throws Exception {
        Integer a = 21;
        Task<Integer> task = () -> twice(a);
        byte[] bytes = Codec.serializeTask(task);
        String s = text(bytes);
        assertFalse(s.contains("java.lang.invoke.SerializedLambda"), "SerializedLambda's descriptor in full");
        assertFalse(s.contains("java.lang.Integer"), "Integer's descriptor in full");
        assertFalse(s.contains("[Ljava.lang.Object;"), "Object[]'s descriptor in full");
        assertTrue(s.contains("futures.providers.process.CodecTest"), "the lambda's own class is named in full");
        assertEquals(42, ((Task<?>) Codec.deserialize(bytes)).call());
        byte[] plain = plainBytes(task);
        assertTrue(bytes.length * 2 < plain.length, bytes.length + " bytes against " + plain.length + " with the JDK's format");
    }

    @Test
    @DisplayName("values of known and unknown classes, arrays, nulls, strings, back references and exceptions make the round trip")
    void roundTrips() throws Exception {
        assertEquals(7, roundTrip(7));
        assertEquals(7L, roundTrip(7L));
        assertEquals('c', roundTrip('c'));
        assertEquals(1.5, roundTrip(1.5));
        assertEquals(true, roundTrip(true));
        assertNull(roundTrip(null));
        assertEquals("text", roundTrip("text"));
        assertEquals(new Point(1, 2), roundTrip(new Point(1, 2)));
        assertArrayEquals(new Object[] {1, "a", null, new Point(3, 4)}, (Object[]) roundTrip(new Object[] {1, "a", null, new Point(3, 4)}));
        assertArrayEquals(new Integer[] {1, 2}, (Integer[]) roundTrip(new Integer[] {1, 2}));
        assertArrayEquals(new String[] {"x", "y"}, (String[]) roundTrip(new String[] {"x", "y"}));
        assertArrayEquals(new int[] {1, 2, 3}, (int[]) roundTrip(new int[] {1, 2, 3}));
        Map<String, Object> map = new TreeMap<>(Map.of("a", 1, "b", List.of(2L, 3.0), "c", new Point(5, 6)));
        assertEquals(map, roundTrip(map));
        Integer shared = 1000;
        Object[] twice = (Object[]) roundTrip(new Object[] {shared, shared});
        assertTrue(twice[0] == twice[1], "a back reference to an object of a known class stays one object");
        IllegalStateException e = (IllegalStateException) roundTrip(new IllegalStateException("boom", new IOException("cause")));
        assertEquals("boom", e.getMessage());
        assertEquals("cause", e.getCause().getMessage());
        assertEquals(ArrayList.class, roundTrip(new ArrayList<>(List.of(1))).getClass());
    }

    @Test
    @DisplayName("a class number beyond the known list is a StreamCorruptedException, as other corrupted bytes are")
    void unknownClassNumber() throws Exception {
        byte[] bytes = Codec.serializeOutcome(7);
        int at = indexOfKnown(bytes, Codec.KNOWN.indexOf(Integer.class) + 1);
        bytes[at] = (byte) 0xff;
        StreamCorruptedException e = assertThrows(StreamCorruptedException.class, () -> Codec.deserialize(bytes));
        assertTrue(e.getMessage().contains("255"), e.getMessage());
    }

    @Test
    @DisplayName("a process pool still runs a lambda, a user's record and an exception across the new format")
    void throughAPool() throws Exception {
        try (Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1).build())) {
            assertEquals(new Point(2, 4), ex.submit(p -> new Point(p.x() * 2, p.y() * 2), new Point(1, 2)).result());
            assertEquals(List.of(2, 4, 6), toList(ex.map(CodecTest::twice, List.of(1, 2, 3))));
            Exception thrown = assertThrows(Exception.class,
                    () -> ex.submit(x -> { throw new IllegalArgumentException("no " + x); }, 5).result());
            assertTrue(String.valueOf(thrown.getMessage()).contains("no 5")
                    || String.valueOf(thrown.getCause()).contains("no 5"), String.valueOf(thrown));
        }
    }

    // ------------------------------------------------------------------ helpers

    private static <T> List<T> toList(Iterable<T> it) {
        List<T> out = new ArrayList<>();
        it.forEach(out::add);
        return out;
    }

    private static byte[] plainBytes(Object o) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return b.toByteArray();
    }

    /** Where the class number {@code k} follows a TC_CLASSDESC (0x72) byte. */
    private static int indexOfKnown(byte[] bytes, int k) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == 0x72 && (bytes[i + 1] & 0xff) == k) {
                return i + 1;
            }
        }
        throw new AssertionError("no class number " + k);
    }
}
