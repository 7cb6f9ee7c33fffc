package futures.spi.internal;

import java.io.IOException;
import java.io.ObjectStreamClass;
import java.io.ObjectStreamField;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.lang.invoke.SerializedLambda;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The classes whose descriptors a stream of this library may write as one byte, their place in
 * this list, instead of in full: the core's wrappers of a call, {@code SerializedLambda},
 * {@code Object[]}, {@code Number} and the boxed primitives, which nearly every task and outcome
 * holds. Reading a full descriptor (class and field names, then matching them against the class
 * here) was most of the time a reader spent on a trivial task. Both ends must hold the same list,
 * which {@link #fingerprint()} tells apart; the JDK classes' serial forms are fixed by their
 * specification. A class not in the list is written in full after a 0 byte.
 *
 * <p>Built once per JVM, sorted by name, never changed afterwards: safe to share between threads.
 * Not API (see the package).
 */
public final class KnownClasses {
    private KnownClasses() {}

    /** Whether futures.core's wrappers were found (set once, by {@link #known()}, before KNOWN is published). */
    private static boolean core;
    private static final List<Class<?>> KNOWN = known();
    private static final Map<Class<?>, Integer> INDEX = index(KNOWN);

    /** Computed at the first call of {@link #fingerprint()}: a process worker's start reads only the list first. */
    private static final class Fingerprint {
        static final String VALUE = fingerprint(KNOWN);
    }

    private static List<Class<?>> known() {
        List<Class<?>> k = new ArrayList<>(List.of(SerializedLambda.class, Object[].class, Number.class,
                Integer.class, Long.class, Short.class, Byte.class, Double.class, Float.class, Boolean.class,
                Character.class));
        try { // the core's wrappers of a call (package-private: found by name; loading needs no access)
            for (String owner : List.of("futures.core.Calls", "futures.core.ExecutorServiceView")) {
                for (Class<?> c : Class.forName(owner, false, KnownClasses.class.getClassLoader()).getDeclaredClasses()) {
                    if (Serializable.class.isAssignableFrom(c)) {
                        k.add(c);
                    }
                }
            }
            core = true;
        } catch (ClassNotFoundException e) {
            // futures.core is not in this JVM (or not in this module layer): its wrappers cross in
            // full, and the fingerprint differs from a JVM that has it, which the reader reports
        }
        TreeMap<String, Class<?>> byName = new TreeMap<>(); // sorted by name: the same order in every JVM
        for (Class<?> c : k) {
            byName.put(c.getName(), c);
        }
        if (byName.size() > 255) {
            throw new IllegalStateException("too many known classes: " + byName.size());
        }
        return List.copyOf(byName.values());
    }

    private static Map<Class<?>, Integer> index(List<Class<?>> classes) {
        Map<Class<?>, Integer> m = new IdentityHashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            m.put(classes.get(i), i + 1);
        }
        return m; // never written after this: safely published through a static final field
    }

    /** FNV-1a (64 bits) of each class's name and, for this library's, its serialized fields' names and types. */
    private static String fingerprint(List<Class<?>> classes) {
        StringBuilder sb = new StringBuilder();
        for (Class<?> c : classes) {
            sb.append(c.getName()).append(';');
            if (c.getName().startsWith("futures.")) {
                for (ObjectStreamField f : ObjectStreamClass.lookup(c).getFields()) {
                    sb.append(f.getName()).append(' ').append(f.getTypeCode())
                            .append(f.getTypeString() == null ? "" : f.getTypeString()).append(',');
                }
            }
            sb.append('\n');
        }
        long h = 0xcbf29ce484222325L; // it only has to tell builds apart by accident
        for (byte b : sb.toString().getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return Long.toHexString(h);
    }

    /**
     * The known classes, in their order.
     *
     * @return the list (immutable)
     */
    public static List<Class<?>> list() {
        return KNOWN;
    }

    /**
     * Whether futures.core is in this JVM (its module resolved, or on the class path), so that its
     * call wrappers are in the list; a JVM without it reads no call of this library.
     *
     * @return true if the core's wrappers are known
     */
    public static boolean hasCore() {
        return core;
    }

    /**
     * What a writer writes for a class descriptor, before the full descriptor if this is 0.
     *
     * @param desc the descriptor being written
     * @return its place in the list, from 1; or 0 if the class is not known (then write it in full)
     */
    public static int placeOf(ObjectStreamClass desc) {
        Class<?> c = desc.forClass();
        Integer known = c == null ? null : INDEX.get(c);
        return known == null ? 0 : known;
    }

    /**
     * The descriptor a reader uses for a place that {@link #placeOf} gave: this JVM's own.
     *
     * @param place a place from 1
     * @return the class's descriptor in this JVM
     * @throws StreamCorruptedException if no known class has that place
     */
    public static ObjectStreamClass descriptor(int place) throws StreamCorruptedException {
        if (place < 1 || place > KNOWN.size()) {
            throw new StreamCorruptedException("unknown class number " + place);
        }
        return ObjectStreamClass.lookupAny(KNOWN.get(place - 1));
    }

    /**
     * Whether a class is in the list: a reader resolves such a descriptor's class without a look-up.
     *
     * @param c a class, or null
     * @return true if {@code c} is known
     */
    public static boolean isKnown(Class<?> c) {
        return c != null && INDEX.containsKey(c);
    }

    /**
     * A fingerprint of the list: each class's name and, for this library's classes, the name and
     * type of each field serialized. Two JVMs may exchange the compact form only if theirs agree
     * (a {@code futures} jar of another build could shift the places or change a wrapper's fields,
     * and a reader would then misread values without an error).
     *
     * @return the fingerprint, computed once per JVM
     */
    public static String fingerprint() {
        return Fingerprint.VALUE;
    }
}
