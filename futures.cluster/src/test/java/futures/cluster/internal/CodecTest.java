package futures.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.Serializable;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How {@link Codec} finds the classes of what it reads: this module's loader first, then the
 * JDK's own lookup (which knows the primitive types' names), then the thread's context loader;
 * the serialization filter still decides, whatever found the class.
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
}
