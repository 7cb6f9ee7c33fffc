package futures.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How {@link Codec} finds the classes of what it reads: this module's loader first, then the
 * JDK's own lookup (which knows the primitive types' names), then the thread's context loader;
 * the serialization filter still decides, whatever found the class. The known classes cross as
 * one byte each, and a call from a JVM whose known classes differ is refused, saying why.
 */
class CodecTest {
    private static final ObjectInputFilter FILTER = SerialFilter.of(SerialFilter.config(List.of(), List.of()));

    /** A value that holds the primitive types themselves, which no class loader finds by name. */
    record Types(Class<?> a, Class<?> b, Class<?> c, long[] d) implements Serializable {}

    @Test
    void primitiveTypesAndArraysAreRead() throws Exception {
        Types t = new Types(int.class, void.class, long[][].class, new long[] {1, 2});
        Types back = (Types) Codec.deserialize(Codec.serializeTask(t), FILTER);
        assertEquals(int.class, back.a());
        assertEquals(void.class, back.b());
        assertEquals(long[][].class, back.c());
        assertArrayEquals(new long[] {1, 2}, back.d());
    }

    @Test
    void theFilterStillDecides() throws Exception {
        byte[] bytes = Codec.serializeTask(new Object[] {new org.junit.jupiter.api.AssertionFailureBuilder[0]});
        InvalidClassException e = assertThrows(InvalidClassException.class, () -> Codec.deserialize(bytes, FILTER));
        assertTrue(Codec.refusedByFilter(e), e.toString());
        assertTrue(e.classname.contains("AssertionFailureBuilder"), e.classname);
        assertInstanceOf(Types.class, Codec.deserialize(Codec.serializeTask(new Types(null, null, null, null)), FILTER));
    }

    @Test
    void knownClassesCrossAsOneByte() throws Exception {
        Object[] value = {1, 2L, 3.0, true, 'c', (short) 4, (byte) 5, 6f, null};
        byte[] compact = Codec.serializeTask(value);
        ByteArrayOutputStream full = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(full)) {
            out.writeObject(value);
        }
        String text = new String(compact, StandardCharsets.ISO_8859_1);
        assertTrue(!text.contains("java.lang.Integer") && !text.contains("[Ljava.lang.Object;"), text);
        assertTrue(compact.length < full.size() / 3, compact.length + " bytes against " + full.size());
        assertArrayEquals(value, (Object[]) Codec.deserialize(compact, FILTER));
        assertTrue(Codec.KNOWN.hasCore() && Codec.KNOWN.list().contains(Integer.class) && Codec.KNOWN.list().size() > 11,
                Codec.KNOWN.list().toString());
    }

    @Test
    void aCallFromAnotherBuildIsRefusedSayingWhy() throws Exception {
        byte[] task = Codec.serializeTask((futures.spi.Task<Integer> & Serializable) () -> 42);
        assertEquals(42, Codec.deserializeOutcome(new Call(task, "p").call(), FILTER).value());
        Codec.Outcome o = Codec.deserializeOutcome(new Call(task, "p", "0123abcd").call(), FILTER);
        assertTrue(o.failed());
        UncheckedIOException e = assertInstanceOf(UncheckedIOException.class, o.value());
        assertTrue(e.getMessage().startsWith("the task could not be read on member (unknown): it was sent by a JVM with"
                + " another build of futures (the fingerprint of its known classes is 0123abcd, this member's "
                + Codec.KNOWN.fingerprint() + ")"), e.getMessage());
    }
}
