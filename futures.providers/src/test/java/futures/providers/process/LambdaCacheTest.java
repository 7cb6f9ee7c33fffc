package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * LambdaCache: a lambda that captures nothing is resolved once per capturing class and handed out
 * again, one that captures is resolved each time, the cache is bounded, and classes of one name
 * in two loaders never share an entry.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LambdaCacheTest {

    /** A serializable supplier. */
    interface Source extends Supplier<String>, Serializable {}

    /** The capturing class of the lambdas of these tests (its own, so that its cache starts empty). */
    static final class Lambdas {
        static Source constant() {
            return () -> "constant";
        }

        static Source capturing(String s) {
            return () -> s;
        }
    }

    /** The capturing class of the bound test. */
    static final class Many {
        static Source one() {
            return () -> "one";
        }
    }

    /**
     * Loaded a second time, by {@link ChildFirst}, in the loaders test; that copy is in the unnamed
     * module, so its lambda's type is the JDK's.
     */
    public static final class Twin {
        @SuppressWarnings("unchecked")
        public static Object make() {
            return (Supplier<String> & Serializable) () -> "twin";
        }
    }

    private static SerializedLambda serialized(Object lambda) throws Exception {
        Method m = lambda.getClass().getDeclaredMethod("writeReplace");
        m.setAccessible(true);
        return (SerializedLambda) m.invoke(lambda);
    }

    @Test
    @DisplayName("on this JDK a stream reads a SerializedLambda into LambdaCache.Fields: the same serial fields and serialVersionUID")
    void enabled() {
        assertTrue(LambdaCache.sameFields());
        assertTrue(LambdaCache.ENABLED);
    }

    @Test
    @DisplayName("a lambda that captures nothing, read twice, is the same instance, the one the JDK's own deserialization gives")
    void nonCapturingIsResolvedOnce() throws Exception {
        byte[] bytes = Codec.serializeTask(Lambdas.constant());
        Object first = Codec.deserialize(bytes);
        Object second = Codec.deserialize(bytes);
        assertSame(first, second);
        assertEquals("constant", ((Source) first).get());
        assertEquals(1, LambdaCache.size(Lambdas.class));
        assertSame(first, jdkRoundTrip(Lambdas.constant()), "the JDK resolves it to this same instance");
    }

    @Test
    @DisplayName("a lambda that captures is resolved each time, to an instance with its own captured value, and is not kept")
    void capturingIsNotKept() throws Exception {
        int before = LambdaCache.size(Lambdas.class);
        Source a = (Source) Codec.deserialize(Codec.serializeTask(Lambdas.capturing("a")));
        Source b = (Source) Codec.deserialize(Codec.serializeTask(Lambdas.capturing("b")));
        Source a2 = (Source) Codec.deserialize(Codec.serializeTask(Lambdas.capturing("a")));
        assertEquals("a", a.get());
        assertEquals("b", b.get());
        assertEquals("a", a2.get());
        assertNotSame(a, a2);
        assertEquals(before, LambdaCache.size(Lambdas.class));
    }

    @Test
    @DisplayName("at most MAX_PER_CLASS lambdas are kept per capturing class; beyond that they are still resolved")
    void bounded() throws Exception {
        SerializedLambda l = serialized(Many.one());
        for (int i = 0; i < LambdaCache.MAX_PER_CLASS + 20; i++) {
            // $deserializeLambda$ does not check the instantiated type: each of these resolves, as a distinct key
            SerializedLambda variant = new SerializedLambda(Many.class, l.getFunctionalInterfaceClass(),
                    l.getFunctionalInterfaceMethodName(), l.getFunctionalInterfaceMethodSignature(),
                    l.getImplMethodKind(), l.getImplClass(), l.getImplMethodName(), l.getImplMethodSignature(),
                    l.getInstantiatedMethodType() + "/" + i, new Object[0]);
            Object resolved = LambdaCache.resolve(new LambdaCache.Fields(Many.class, variant, new Object[0]));
            assertEquals("one", ((Source) resolved).get());
        }
        assertEquals(LambdaCache.MAX_PER_CLASS, LambdaCache.size(Many.class));
    }

    @Test
    @DisplayName("a lambda that no longer resolves fails as the JDK's readResolve fails, and is not kept")
    void unresolvableFails() throws Exception {
        SerializedLambda l = serialized(Lambdas.constant());
        SerializedLambda wrong = new SerializedLambda(Lambdas.class, l.getFunctionalInterfaceClass(),
                l.getFunctionalInterfaceMethodName(), l.getFunctionalInterfaceMethodSignature(),
                l.getImplMethodKind(), l.getImplClass(), "noSuchMethod", l.getImplMethodSignature(),
                l.getInstantiatedMethodType(), new Object[0]);
        int before = LambdaCache.size(Lambdas.class);
        assertThrows(InvalidObjectException.class,
                () -> LambdaCache.resolve(new LambdaCache.Fields(Lambdas.class, wrong, new Object[0])));
        assertEquals(before, LambdaCache.size(Lambdas.class));
    }

    @Test
    @DisplayName("the same lambda of one class name in two class loaders resolves in each loader to that loader's class")
    void loadersDoNotMix() throws Exception {
        Class<?> here = Twin.class;
        Class<?> there = new ChildFirst(Twin.class.getName()).loadClass(Twin.class.getName());
        assertNotSame(here, there);
        Object ours = here.getMethod("make").invoke(null);
        Object theirs = there.getMethod("make").invoke(null);
        byte[] ourBytes = Codec.serializeTask(ours);
        byte[] theirBytes = Codec.serializeTask(theirs);
        assertEquals(new String(ourBytes, "ISO-8859-1"), new String(theirBytes, "ISO-8859-1"), "the same bytes");

        Object a = Codec.deserialize(ourBytes, resolving(here));
        Object b = Codec.deserialize(theirBytes, resolving(there));
        Object b2 = Codec.deserialize(theirBytes, resolving(there));
        assertNotSame(a, b);
        assertSame(b, b2);
        assertSame(there.getClassLoader(), b.getClass().getClassLoader(), "the lambda of the second loader's class");
        assertSame(here.getClassLoader(), a.getClass().getClassLoader());
        assertEquals("twin", ((Supplier<?>) b).get());
        assertEquals(1, LambdaCache.size(here));
        assertEquals(1, LambdaCache.size(there));
    }

    /** A task for the worker test: a method reference that captures nothing. */
    static Integer seven() {
        return 7;
    }

    @Test
    @DisplayName("a worker's jdk.serialFilter that rejects SerializedLambda still rejects a lambda that captures nothing, every time")
    void serialFilterStillSeesSerializedLambda() {
        Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1)
                .property(ProcessProvider.JVM_OPTIONS, "-Djdk.serialFilter=!java.lang.invoke.SerializedLambda").build());
        try {
            for (int i = 0; i < 2; i++) {
                UncheckedIOException rejected = assertInstanceOf(UncheckedIOException.class,
                        ex.submit(LambdaCacheTest::seven).exception());
                assertTrue(rejected.getMessage().contains("REJECTED"), rejected.getMessage());
            }
        } finally {
            ex.shutdown(true, true);
        }
        try (Executor plain = Executors.create("process", ExecutorConfig.builder().maxWorkers(1).build())) {
            assertEquals(7, plain.submit(LambdaCacheTest::seven).result());
            assertEquals(7, plain.submit(LambdaCacheTest::seven).result());
        }
    }

    /** Classes that find {@code c}'s name as {@code c} first (as a worker's RemoteClasses would). */
    private static Codec.Classes resolving(Class<?> c) {
        return new Codec.Classes() {
            @Override
            Class<?> known(String name) {
                return name.equals(c.getName()) ? c : null;
            }

            @Override
            Class<?> find(String name, ClassNotFoundException notHere) throws ClassNotFoundException {
                throw notHere;
            }
        };
    }

    /** The JDK's own format and resolution, no Codec. */
    private static Object jdkRoundTrip(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }

    /** Defines one class itself, from the same bytes; delegates every other. */
    private static final class ChildFirst extends ClassLoader {
        private final String name;

        ChildFirst(String name) {
            super(LambdaCacheTest.class.getClassLoader());
            this.name = name;
        }

        @Override
        protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
            if (!n.equals(name)) {
                return super.loadClass(n, resolve);
            }
            synchronized (getClassLoadingLock(n)) {
                Class<?> c = findLoadedClass(n);
                if (c == null) {
                    try (InputStream in = LambdaCacheTest.class.getResourceAsStream(
                            "/" + n.replace('.', '/') + ".class")) {
                        byte[] b = in.readAllBytes();
                        c = defineClass(n, b, 0, b.length);
                    } catch (java.io.IOException e) {
                        throw new ClassNotFoundException(n, e);
                    }
                }
                return c;
            }
        }
    }
}
