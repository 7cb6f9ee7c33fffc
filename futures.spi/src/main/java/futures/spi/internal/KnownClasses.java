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
 * <p>Built once per codec ({@link #seenFrom}), sorted by name, never changed afterwards (the lazily
 * computed fingerprint is the same whichever thread computes it): safe to share between threads.
 * Not API (see the package).
 */
public final class KnownClasses {
    /** Whether futures.core's wrappers were found through the loader this table was made for. */
    private final boolean core;
    private final List<Class<?>> known;
    private final Map<Class<?>, Integer> index;
    /** Computed at the first call of {@link #fingerprint()} (a process worker's start reads only the list first); the same value whichever thread computes it. */
    private volatile String fingerprint;

    private KnownClasses(ClassLoader loader) {
        List<Class<?>> k = new ArrayList<>(List.of(SerializedLambda.class, Object[].class, Number.class,
                Integer.class, Long.class, Short.class, Byte.class, Double.class, Float.class, Boolean.class,
                Character.class));
        boolean found = false;
        try { // the core's wrappers of a call (package-private: found by name; loading needs no access)
            for (String owner : List.of("futures.core.Calls", "futures.core.ExecutorServiceView")) {
                for (Class<?> c : Class.forName(owner, false, loader).getDeclaredClasses()) {
                    if (Serializable.class.isAssignableFrom(c)) {
                        k.add(c);
                    }
                }
            }
            found = true;
        } catch (ClassNotFoundException e) {
            // futures.core is not seen from there: its wrappers cross in full, and the fingerprint
            // differs from a JVM that has it, which the reader reports
        }
        TreeMap<String, Class<?>> byName = new TreeMap<>(); // sorted by name: the same order in every JVM
        for (Class<?> c : k) {
            byName.put(c.getName(), c);
        }
        if (byName.size() > 255) {
            throw new IllegalStateException("too many known classes: " + byName.size());
        }
        this.core = found;
        this.known = List.copyOf(byName.values());
        this.index = index(known);
    }

    /**
     * The table as seen from a class's loader: the core's wrappers are looked up through it, not
     * through this module's, since futures.core may sit in a child layer or loader of futures.spi's
     * (core depends on spi, not the other way round). Each codec makes one, once.
     *
     * @param user a class of the module that reads and writes the streams (its loader sees futures.core)
     * @return a new table; immutable, safe to share between threads
     */
    public static KnownClasses seenFrom(Class<?> user) {
        return new KnownClasses(user.getClassLoader());
    }

    private static Map<Class<?>, Integer> index(List<Class<?>> classes) {
        Map<Class<?>, Integer> m = new IdentityHashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            m.put(classes.get(i), i + 1);
        }
        return m; // never written after this: published through a final field
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
    public List<Class<?>> list() {
        return known;
    }

    /**
     * Whether futures.core is seen from the loader this table was made for, so that its
     * call wrappers are in the list; a JVM without it reads no call of this library.
     *
     * @return true if the core's wrappers are known
     */
    public boolean hasCore() {
        return core;
    }

    /**
     * What a writer writes for a class descriptor, before the full descriptor if this is 0.
     *
     * @param desc the descriptor being written
     * @return its place in the list, from 1; or 0 if the class is not known (then write it in full)
     */
    public int placeOf(ObjectStreamClass desc) {
        Class<?> c = desc.forClass();
        Integer known = c == null ? null : index.get(c);
        return known == null ? 0 : known;
    }

    /**
     * The descriptor a reader uses for a place that {@link #placeOf} gave: this JVM's own.
     *
     * @param place a place from 1
     * @return the class's descriptor in this JVM
     * @throws StreamCorruptedException if no known class has that place
     */
    public ObjectStreamClass descriptor(int place) throws StreamCorruptedException {
        if (place < 1 || place > known.size()) {
            throw new StreamCorruptedException("unknown class number " + place);
        }
        return ObjectStreamClass.lookupAny(known.get(place - 1));
    }

    /**
     * Whether a class is in the list: a reader resolves such a descriptor's class without a look-up.
     *
     * @param c a class, or null
     * @return true if {@code c} is known
     */
    public boolean isKnown(Class<?> c) {
        return c != null && index.containsKey(c);
    }

    /**
     * A fingerprint of the list: each class's name and, for this library's classes, the name and
     * type of each field serialized. Two JVMs may exchange the compact form only if theirs agree
     * (a {@code futures} jar of another build could shift the places or change a wrapper's fields,
     * and a reader would then misread values without an error).
     *
     * @return the fingerprint, computed once per JVM
     */
    public String fingerprint() {
        String f = fingerprint;
        if (f == null) {
            f = fingerprint(known);
            fingerprint = f;
        }
        return f;
    }
}
