package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Func;
import futures.spi.ExecutorConfig;
import java.io.Externalizable;
import java.io.File;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInput;
import java.io.ObjectInputStream;
import java.io.ObjectOutput;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Codec's compact class descriptors (one byte for a class of {@code Codec.KNOWN}) leave the JDK's
 * own serialization rules in force: every kind of serializable class still round-trips, the serial
 * filter still sees the known classes, and damaged bytes fail with an {@link IOException} (or
 * another exception the pool catches), never a hang.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CodecReviewTest {

    private static Object roundTrip(Object value) throws Exception {
        return Codec.deserialize(Codec.serializePlain(value));
    }

    // ---------------------------------------------------------------- kinds of classes

    @Test
    @DisplayName("arrays whose class is not known (Integer[], String[], int[], Object[][], Number[]) round-trip beside Object[]")
    void arraysRoundTrip() throws Exception {
        Object[] value = {
            new Integer[] {1, null, 3}, new String[] {"a", "b"}, new int[] {4, 5}, new long[][] {{6L}, {}},
            new Object[][] {{7, "x"}, {}}, new Number[] {8, 9L, 1.5d, BigInteger.TEN}, new Object[0]
        };
        Object[] back = (Object[]) roundTrip(value);
        assertTrue(Arrays.deepEquals(value, back), Arrays.deepToString(back));
        for (int i = 0; i < value.length; i++) {
            assertSame(value[i].getClass(), back[i].getClass(), "component type of element " + i);
        }
    }

    @Test
    @DisplayName("every boxed primitive and Number subclasses outside the list (BigDecimal, BigInteger, AtomicLong) round-trip")
    void numbersRoundTrip() throws Exception {
        List<Object> value = new ArrayList<>(List.of((byte) 1, (short) 2, 3, 4L, 5.5f, 6.25d, true, 'c',
                new BigDecimal("123.456"), new BigInteger("-98765432109876543210")));
        List<?> back = (List<?>) roundTrip(value);
        assertEquals(value, back);
        AtomicLong atomic = (AtomicLong) roundTrip(new AtomicLong(42));
        assertEquals(42, atomic.get());
    }

    enum Op {
        PLUS {
            @Override
            int apply(int a, int b) {
                return a + b;
            }
        },
        TIMES {
            @Override
            int apply(int a, int b) {
                return a * b;
            }
        };

        abstract int apply(int a, int b);
    }

    @Test
    @DisplayName("enums, with and without constant bodies, come back as the same constants")
    void enumsRoundTrip() throws Exception {
        Object[] back = (Object[]) roundTrip(new Object[] {Op.TIMES, TimeUnit.SECONDS, Op.PLUS});
        assertSame(Op.TIMES, back[0]);
        assertSame(TimeUnit.SECONDS, back[1]);
        assertSame(Op.PLUS, back[2]);
    }

    record Point(int x, Integer y, Object[] rest) implements Serializable {}

    @Test
    @DisplayName("a record whose components are known classes is rebuilt through its constructor")
    void recordsRoundTrip() throws Exception {
        Point back = (Point) roundTrip(new Point(1, 2, new Object[] {3L}));
        assertEquals(1, back.x());
        assertEquals(2, back.y());
        assertArrayEquals(new Object[] {3L}, back.rest());
    }

    /** A serializable handler, so its proxy is serializable. */
    static final class ConstantHandler implements InvocationHandler, Serializable {
        private static final long serialVersionUID = 1L;
        private final Integer value;

        ConstantHandler(Integer value) {
            this.value = value;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            return method.getName().equals("get") ? value : null;
        }
    }

    @Test
    @DisplayName("a dynamic proxy (a proxy class descriptor, with java.lang.reflect.Proxy's full descriptor as its super) round-trips")
    void proxiesRoundTrip() throws Exception {
        Supplier<?> proxy = (Supplier<?>) Proxy.newProxyInstance(CodecReviewTest.class.getClassLoader(),
                new Class<?>[] {Supplier.class, Serializable.class}, new ConstantHandler(17));
        Object[] pair = (Object[]) roundTrip(new Object[] {proxy, 18});
        Supplier<?> back = (Supplier<?>) pair[0];
        assertEquals(18, pair[1]);
        assertTrue(Proxy.isProxyClass(back.getClass()));
        assertEquals(17, back.get());
    }

    /** Externalizable: its data is its own, in block data. */
    public static final class Ext implements Externalizable {
        private static final long serialVersionUID = 1L;
        Integer n;
        Object[] items;

        public Ext() {}

        Ext(Integer n, Object[] items) {
            this.n = n;
            this.items = items;
        }

        @Override
        public void writeExternal(ObjectOutput out) throws IOException {
            out.writeInt(-1);
            out.writeObject(n);
            out.writeObject(items);
        }

        @Override
        public void readExternal(ObjectInput in) throws IOException, ClassNotFoundException {
            if (in.readInt() != -1) {
                throw new StreamCorruptedException("lost the external data's marker");
            }
            n = (Integer) in.readObject();
            items = (Object[]) in.readObject();
        }
    }

    /** writeObject/readObject with known classes in the custom data, and a writeReplace to another class. */
    static final class Custom implements Serializable {
        private static final long serialVersionUID = 1L;
        final String name;
        transient Long count;
        transient Object[] extra;

        Custom(String name, Long count, Object[] extra) {
            this.name = name;
            this.count = count;
            this.extra = extra;
        }

        private void writeObject(ObjectOutputStream out) throws IOException {
            out.defaultWriteObject();
            out.writeShort(0x5a5a);
            out.writeObject(count);
            out.writeObject(extra);
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            if (in.readShort() != 0x5a5a) {
                throw new StreamCorruptedException("lost the custom data's marker");
            }
            count = (Long) in.readObject();
            extra = (Object[]) in.readObject();
        }
    }

    /** Written as a {@link Carrier} (writeReplace), read back as itself (the carrier's readResolve). */
    static final class Replaced implements Serializable {
        private static final long serialVersionUID = 1L;
        final transient int value;

        Replaced(int value) {
            this.value = value;
        }

        private Object writeReplace() throws ObjectStreamException {
            return new Carrier(value);
        }
    }

    static final class Carrier implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Integer value;

        Carrier(Integer value) {
            this.value = value;
        }

        private Object readResolve() throws ObjectStreamException {
            return new Replaced(value);
        }
    }

    @Test
    @DisplayName("Externalizable, writeObject/readObject with known classes in their own data, and writeReplace/readResolve round-trip")
    void customSerialFormsRoundTrip() throws Exception {
        Object[] back = (Object[]) roundTrip(new Object[] {
            new Ext(5, new Object[] {6, "six"}), new Custom("c", 7L, new Object[] {8}), new Replaced(9), 10
        });
        Ext ext = (Ext) back[0];
        assertEquals(5, ext.n);
        assertArrayEquals(new Object[] {6, "six"}, ext.items);
        Custom custom = (Custom) back[1];
        assertEquals("c", custom.name);
        assertEquals(7L, custom.count);
        assertArrayEquals(new Object[] {8}, custom.extra);
        assertEquals(9, ((Replaced) back[2]).value);
        assertEquals(10, back[3]);
    }

    @Test
    @DisplayName("a serializable lambda (SerializedLambda's writeReplace/readResolve) with known and unknown captured values runs after the trip")
    void lambdasRoundTrip() throws Exception {
        Integer a = 3;
        long b = 4;
        String[] c = {"x", "yz"};
        Func<Integer, String> fn = x -> x + a + b + String.join("", c);
        @SuppressWarnings("unchecked")
        Func<Integer, String> back = (Func<Integer, String>) Codec.deserialize(Codec.serializeTask(fn));
        assertEquals("17xyz", back.apply(10));
    }

    @Test
    @DisplayName("back references to a known descriptor and to shared objects resolve to the right handles in one stream")
    void backReferencesResolve() throws Exception {
        Integer shared = 1_000_000;
        Object[] inner = {shared, 2L};
        Object[] value = {shared, inner, 3, shared, inner, 4L, Integer.class, Object[].class, int.class, new Integer[] {5}};
        Object[] back = (Object[]) roundTrip(value);
        assertSame(back[0], back[3], "the same Integer comes back as one object");
        assertSame(back[1], back[4], "the same Object[] comes back as one object");
        assertSame(back[0], ((Object[]) back[1])[0]);
        assertEquals(3, back[2]);
        assertEquals(4L, back[5]);
        assertSame(Integer.class, back[6]);
        assertSame(Object[].class, back[7]);
        assertSame(int.class, back[8]);
        assertArrayEquals(new Integer[] {5}, (Integer[]) back[9]);
        byte[] bytes = Codec.serializePlain(value);
        int integerDescriptors = 0;
        for (int i = 0; i + 2 < bytes.length; i++) { // TC_CLASSDESC, Integer's number, TC_ENDBLOCKDATA
            if (bytes[i] == 0x72 && (bytes[i + 1] & 0xff) == Codec.KNOWN.indexOf(Integer.class) + 1
                    && bytes[i + 2] == 0x78) {
                integerDescriptors++;
            }
        }
        assertEquals(1, integerDescriptors, "Integer's descriptor is written once, then referred to");
    }

    @Test
    @DisplayName("reading a compact Object[] descriptor in a fresh JVM computes no serialVersionUID (no SHA-1, no security providers)")
    void objectArrayNeedsNoDigest() throws Exception {
        Set<String> cp = new LinkedHashSet<>();
        for (String p : (System.getProperty("jdk.module.path", "") + File.pathSeparator
                + System.getProperty("java.class.path", "")).split(File.pathSeparator)) {
            if (!p.isBlank()) {
                cp.add(p);
            }
        }
        cp.add(SampleMain.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Process jvm = new ProcessBuilder(Launcher.currentJava(), "-Xlog:disable", "-Xlog:class+load=info:stdout",
                "-cp", String.join(File.pathSeparator, cp), SampleMain.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String out = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, jvm.waitFor(), out);
            assertTrue(out.contains("RESULT 1"), out);
            assertTrue(out.contains("java.lang.invoke.SerializedLambda "), "the sample is a lambda, read here");
            assertFalse(out.contains("java.security.MessageDigest "),
                    "a MessageDigest was loaded to read the sample (Object[]'s serialVersionUID computed)");
        } finally {
            jvm.destroyForcibly();
        }
    }

    // ---------------------------------------------------------------- the serial filter

    @Test
    @DisplayName("a worker's jdk.serialFilter still rejects known classes (Long, Calls$Apply2) and the pool keeps serving")
    void serialFilterSeesKnownClasses() {
        Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1)
                .property(ProcessProvider.JVM_OPTIONS, "-Djdk.serialFilter=!java.lang.Long;!futures.core.Calls$Apply2")
                .build());
        try {
            UncheckedIOException longRejected = assertInstanceOf(UncheckedIOException.class,
                    ex.submit(x -> x, 5L).exception());
            assertTrue(longRejected.getMessage().contains("could not be deserialized in worker pid"),
                    longRejected.getMessage());
            assertInstanceOf(InvalidClassException.class, longRejected.getCause());
            assertTrue(longRejected.getMessage().contains("REJECTED"), longRejected.getMessage());
            UncheckedIOException applyRejected = assertInstanceOf(UncheckedIOException.class,
                    ex.submit((x, y) -> x + y, 1, 2).exception());
            assertTrue(applyRejected.getMessage().contains("REJECTED"), applyRejected.getMessage());
            assertEquals(3, ex.submit(x -> x + 1, 2).result(), "Apply and Integer pass the filter");
        } finally {
            ex.shutdown(true, true);
        }
    }

    // ---------------------------------------------------------------- damaged bytes

    private static List<byte[]> samples() throws IOException {
        Integer a = 3;
        Func<Integer, Object> fn = x -> new Object[] {x + a, (long) x, new Integer[] {x}};
        return List.of(
                Codec.serializePlain(42),
                Codec.serializePlain(new Object[] {1, 2L, "three", new Point(4, 5, new Object[] {6})}),
                Codec.serializeTask(fn),
                Codec.serializeOutcome(new IllegalStateException("boom", new ArithmeticException("inner"))),
                Codec.serializePlain(new Object[] {new Ext(1, new Object[] {2}), new Custom("c", 3L, null), Op.PLUS}));
    }

    @Test
    @DisplayName("every truncation of a stream with compact descriptors fails with an IOException, never a hang or another error")
    void truncatedStreamsFail() throws Exception {
        for (byte[] whole : samples()) {
            assertNotNull(Codec.deserialize(whole));
            for (int n = 0; n < whole.length; n++) {
                byte[] part = Arrays.copyOf(whole, n);
                try {
                    Object o = Codec.deserialize(part);
                    fail("a stream cut at " + n + " of " + whole.length + " bytes read as " + o);
                } catch (IOException expected) {
                    // EOFException, StreamCorruptedException, OptionalDataException, ...
                } catch (Throwable other) {
                    throw new AssertionError("a stream cut at " + n + " of " + whole.length + " bytes threw " + other,
                            other);
                }
            }
        }
    }

    @Test
    @DisplayName("any class number in place of a known descriptor's gives a value or an Exception (StreamCorruptedException when out of range), never an Error or a hang")
    void everyClassNumberIsHandled() throws Exception {
        int descriptors = 0;
        for (byte[] whole : samples()) {
            for (int at = 5; at + 1 < whole.length; at++) {
                // TC_CLASSDESC, a known class's number, TC_ENDBLOCKDATA: a compact descriptor
                // (or the same three bytes inside a string or a value: the samples hold none)
                if (whole[at - 1] != 0x72 || whole[at] == 0 || (whole[at] & 0xff) > Codec.KNOWN.size()
                        || whole[at + 1] != 0x78) {
                    continue;
                }
                descriptors++;
                for (int k = 0; k < 256; k++) {
                    byte[] damaged = whole.clone();
                    damaged[at] = (byte) k;
                    try {
                        Codec.deserialize(damaged);
                    } catch (StreamCorruptedException expected) {
                        // also what an out-of-range number must give
                    } catch (Exception handled) {
                        assertTrue(k <= Codec.KNOWN.size(), "class number " + k + " gave " + handled);
                    } catch (Error e) {
                        throw new AssertionError("class number " + k + " at " + at + " threw " + e, e);
                    }
                    if (k > Codec.KNOWN.size()) {
                        byte[] outOfRange = damaged;
                        StreamCorruptedException e = assertThrows(StreamCorruptedException.class,
                                () -> Codec.deserialize(outOfRange));
                        assertTrue(e.getMessage().contains(String.valueOf(k)), e.getMessage());
                    }
                }
            }
        }
        assertTrue(descriptors >= 10, "found only " + descriptors + " compact descriptors in the samples");
    }
}
