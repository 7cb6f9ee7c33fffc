package futures.providers.process;

import java.io.InvalidObjectException;
import java.io.ObjectStreamClass;
import java.io.ObjectStreamException;
import java.io.ObjectStreamField;
import java.io.Serializable;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves the serializable lambdas and method references that {@link Codec}'s streams read, and
 * remembers each one that captures nothing, so that a worker resolves it once, not once per call.
 *
 * <p>The JDK resolves a {@link SerializedLambda} in its {@code readResolve}: it reflects on the
 * capturing class's {@code $deserializeLambda$} ({@code getDeclaredMethod}, {@code setAccessible},
 * {@code invoke}), which compares the lambda's names and signatures, string by string, with each
 * serializable lambda of that class and returns a new instance, or for a lambda that captures
 * nothing always the same one. That ran for every task, in a fresh worker first interpreted and
 * then compiled by its JIT. Here a stream reads the same bytes into {@link Fields} (the same
 * serial fields as {@code SerializedLambda}, with its serialVersionUID), whose {@code readResolve}
 * asks {@link #resolve}: a lambda without captured arguments whose every field equals one resolved
 * before, with the same capturing class (the same {@code Class}: name and loader), is the instance
 * the JDK gave for that one; any other is resolved the JDK's way (a {@code SerializedLambda} of
 * the same fields and the same captured objects, its own {@code readResolve} called through
 * {@code jdk.unsupported}'s {@code ReflectionFactory}), and kept if it captures nothing.
 *
 * <p>What a stream sees does not change: the same objects come back, a failed resolution fails as
 * it did, and {@link Codec} uses {@link Fields} only in a stream whose only filter is its own
 * limits (which count a {@code Fields} as they would a {@code SerializedLambda}): with a JVM-wide
 * serial filter or filter factory, which may judge classes by name, it reads
 * {@code SerializedLambda} as the JDK does. If {@code SerializedLambda}'s serial fields ever differ
 * from {@link Fields}' (another JDK) or its {@code readResolve} cannot be reached, {@link #ENABLED}
 * is false and nothing changes either.
 *
 * <p>Shared state: {@link #BY_CLASS}, one map per capturing class, attached to that class (a
 * {@link ClassValue}: it neither keeps the class nor its loader alive, and two classes of one name
 * in two loaders have two maps), each a {@link ConcurrentHashMap} of at most {@link #MAX_PER_CLASS}
 * entries (beyond that, lambdas of that class are resolved each time; the size check and the put
 * hold the map's own monitor, so the bound is exact). Any thread may resolve and read without a
 * lock; an entry is put only after the JDK's resolution succeeded and holds what it returned, so
 * two threads racing on one lambda put equivalent instances, and the first one stays.
 */
final class LambdaCache {
    private LambdaCache() {}

    /** At most this many lambdas are kept per capturing class (a class has as many as its source has). */
    static final int MAX_PER_CLASS = 64;

    /** {@code SerializedLambda}'s private {@code readResolve}, as {@code (SerializedLambda) Object}, or null. */
    private static final MethodHandle READ_RESOLVE = readResolve();

    /** Whether streams may read lambdas as {@link Fields} (see the class comment). */
    static final boolean ENABLED = READ_RESOLVE != null && sameFields();

    /** The descriptor streams read a {@code SerializedLambda} with, when {@link #ENABLED}. */
    static final ObjectStreamClass DESCRIPTOR = ENABLED ? ObjectStreamClass.lookup(Fields.class) : null;

    private static final ClassValue<ConcurrentHashMap<Fields, Object>> BY_CLASS = new ClassValue<>() {
        @Override
        protected ConcurrentHashMap<Fields, Object> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>(4);
        }
    };

    private static MethodHandle readResolve() {
        try {
            MethodHandle h = sun.reflect.ReflectionFactory.getReflectionFactory()
                    .readResolveForSerialization(SerializedLambda.class);
            return h == null ? null : h.asType(MethodType.methodType(Object.class, SerializedLambda.class));
        } catch (RuntimeException | LinkageError e) {
            return null; // no jdk.unsupported, or it refuses: the JDK's own path
        }
    }

    /** Whether {@link Fields} has exactly {@code SerializedLambda}'s serial fields, in the same order. */
    static boolean sameFields() {
        ObjectStreamClass jdk = ObjectStreamClass.lookup(SerializedLambda.class);
        ObjectStreamClass ours = ObjectStreamClass.lookup(Fields.class);
        ObjectStreamField[] a = jdk.getFields();
        ObjectStreamField[] b = ours.getFields();
        if (jdk.getSerialVersionUID() != ours.getSerialVersionUID() || a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!a[i].getName().equals(b[i].getName()) || a[i].getTypeCode() != b[i].getTypeCode()
                    || !String.valueOf(a[i].getTypeString()).equals(String.valueOf(b[i].getTypeString()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The lambda {@code f} stands for: the one resolved before for equal fields if it captures
     * nothing, else the JDK's resolution of it (kept if it captures nothing).
     *
     * @throws ObjectStreamException as the JDK's {@code readResolve} throws it
     */
    static Object resolve(Fields f) throws ObjectStreamException {
        if (!f.nonCapturing()) {
            return jdk(f);
        }
        ConcurrentHashMap<Fields, Object> known = BY_CLASS.get(f.capturingClass);
        Object hit = known.get(f);
        if (hit != null) {
            return hit;
        }
        Object resolved = jdk(f);
        if (resolved != null) {
            synchronized (known) { // only here, on a miss: makes the bound exact
                if (known.size() < MAX_PER_CLASS) {
                    known.putIfAbsent(f, resolved);
                }
            }
        }
        return resolved;
    }

    /** How many lambdas of {@code capturing} are kept (for tests). */
    static int size(Class<?> capturing) {
        return BY_CLASS.get(capturing).size();
    }

    /** {@code f} resolved as the JDK resolves the {@code SerializedLambda} with its fields. */
    private static Object jdk(Fields f) throws ObjectStreamException {
        SerializedLambda l;
        try {
            l = new SerializedLambda(f.capturingClass, f.functionalInterfaceClass, f.functionalInterfaceMethodName,
                    f.functionalInterfaceMethodSignature, f.implMethodKind, f.implClass, f.implMethodName,
                    f.implMethodSignature, f.instantiatedMethodType, f.capturedArgs);
        } catch (NullPointerException noArgs) { // a stream whose capturedArgs is null: as the JDK would fail
            InvalidObjectException e = new InvalidObjectException("a serialized lambda without its captured arguments");
            e.initCause(noArgs);
            throw e;
        }
        try {
            return (Object) READ_RESOLVE.invokeExact(l);
        } catch (ObjectStreamException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) { // readResolve declares only ObjectStreamException
            InvalidObjectException wrapped = new InvalidObjectException(String.valueOf(e));
            wrapped.initCause(e);
            throw wrapped;
        }
    }

    /**
     * What a stream reads a {@code SerializedLambda} into (see the class comment): its serial
     * fields, names and types, and its serialVersionUID. Equal when the capturing class is the
     * same {@code Class} and every other field but the captured arguments is equal.
     */
    static final class Fields implements Serializable {
        private static final long serialVersionUID = 8025925345765570181L; // SerializedLambda's

        /** The capturing class. */
        private final Class<?> capturingClass;
        /** As {@link SerializedLambda#getFunctionalInterfaceClass()}. */
        private final String functionalInterfaceClass;
        /** As {@link SerializedLambda#getFunctionalInterfaceMethodName()}. */
        private final String functionalInterfaceMethodName;
        /** As {@link SerializedLambda#getFunctionalInterfaceMethodSignature()}. */
        private final String functionalInterfaceMethodSignature;
        /** As {@link SerializedLambda#getImplClass()}. */
        private final String implClass;
        /** As {@link SerializedLambda#getImplMethodName()}. */
        private final String implMethodName;
        /** As {@link SerializedLambda#getImplMethodSignature()}. */
        private final String implMethodSignature;
        /** As {@link SerializedLambda#getImplMethodKind()}. */
        private final int implMethodKind;
        /** As {@link SerializedLambda#getInstantiatedMethodType()}. */
        private final String instantiatedMethodType;
        /** The captured arguments. */
        private final Object[] capturedArgs;

        /** For tests: the fields of {@code l}, captured by {@code capturingClass}. */
        Fields(Class<?> capturingClass, SerializedLambda l, Object[] capturedArgs) {
            this.capturingClass = capturingClass;
            this.functionalInterfaceClass = l.getFunctionalInterfaceClass();
            this.functionalInterfaceMethodName = l.getFunctionalInterfaceMethodName();
            this.functionalInterfaceMethodSignature = l.getFunctionalInterfaceMethodSignature();
            this.implClass = l.getImplClass();
            this.implMethodName = l.getImplMethodName();
            this.implMethodSignature = l.getImplMethodSignature();
            this.implMethodKind = l.getImplMethodKind();
            this.instantiatedMethodType = l.getInstantiatedMethodType();
            this.capturedArgs = capturedArgs;
        }

        /** Captures nothing, and has every field a key needs. */
        boolean nonCapturing() {
            return capturedArgs != null && capturedArgs.length == 0 && capturingClass != null
                    && functionalInterfaceClass != null && functionalInterfaceMethodName != null
                    && functionalInterfaceMethodSignature != null && implClass != null && implMethodName != null
                    && implMethodSignature != null && instantiatedMethodType != null;
        }

        private Object readResolve() throws ObjectStreamException {
            return resolve(this);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Fields f && f.capturingClass == capturingClass && f.implMethodKind == implMethodKind
                    && f.implMethodName.equals(implMethodName) && f.implMethodSignature.equals(implMethodSignature)
                    && f.implClass.equals(implClass) && f.instantiatedMethodType.equals(instantiatedMethodType)
                    && f.functionalInterfaceClass.equals(functionalInterfaceClass)
                    && f.functionalInterfaceMethodName.equals(functionalInterfaceMethodName)
                    && f.functionalInterfaceMethodSignature.equals(functionalInterfaceMethodSignature);
        }

        @Override
        public int hashCode() {
            return (implMethodName.hashCode() * 31 + implMethodSignature.hashCode()) * 31
                    + instantiatedMethodType.hashCode();
        }
    }
}
