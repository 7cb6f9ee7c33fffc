package futures.providers.process;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parent's side of fetching classes: a pool's workers load classes from the parent's class
 * path and module path, but a class defined by another class loader of the parent (the one
 * {@code mvn exec:java} makes, the JDK's source launcher's in-memory classes, a plugin host's, a
 * shaded or nested jar's) is not there. So {@link Codec} notes the class loader of every class
 * written into a task's stream ({@link #note}), and a worker that cannot find a class asks the
 * parent, which looks it up as a resource ({@code getResourceAsStream("a/b/C.class")}) in those
 * loaders only ({@link #reply}): classes reachable from the pool's tasks, nothing else. The
 * worker keeps what it got ({@link RemoteClasses}). The same loaders serve the parent's own
 * deserialization of results and exceptions of such classes ({@link #find}).
 *
 * <p>The loaders are held weakly, so a pool does not keep an undeployed application's loader
 * alive. The JDK's boot, platform and application loaders are never noted: a worker has their
 * classes.
 *
 * <p>Thread-safety: {@code loaders} is a copy-on-write array, replaced under {@code this} and read
 * without a lock (volatile); {@code found} is a concurrent map, and {@code anyFound} only goes from
 * false to true after an entry is put.
 */
final class ClassServer extends Codec.Classes {
    private static final ClassLoader SYSTEM = ClassLoader.getSystemClassLoader();
    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    /** Answer: the class's bytes follow. */
    static final byte BYTES = 0;
    /** Answer: a message (UTF-8) follows saying why there are no bytes. */
    static final byte NONE = 1;

    @SuppressWarnings("unchecked")
    private volatile WeakReference<ClassLoader>[] loaders = new WeakReference[0];
    private final ConcurrentHashMap<String, Class<?>> found = new ConcurrentHashMap<>();
    private volatile boolean anyFound;

    @Override
    void note(Class<?> c) {
        ClassLoader l = c.getClassLoader();
        if (l == null || l == SYSTEM || l == PLATFORM) {
            return;
        }
        for (WeakReference<ClassLoader> r : loaders) {
            if (r.get() == l) {
                return;
            }
        }
        add(l);
    }

    private synchronized void add(ClassLoader l) {
        List<WeakReference<ClassLoader>> next = new ArrayList<>();
        for (WeakReference<ClassLoader> r : loaders) {
            ClassLoader have = r.get();
            if (have == l) {
                return;
            }
            if (have != null) {
                next.add(r);
            }
        }
        next.add(new WeakReference<>(l));
        @SuppressWarnings("unchecked")
        WeakReference<ClassLoader>[] array = next.toArray(new WeakReference[0]);
        loaders = array;
    }

    /** The noted loaders still alive, in the order they were noted. */
    List<ClassLoader> loaders() {
        List<ClassLoader> out = new ArrayList<>();
        for (WeakReference<ClassLoader> r : loaders) {
            ClassLoader l = r.get();
            if (l != null) {
                out.add(l);
            }
        }
        return out;
    }

    @Override
    Class<?> known(String name) {
        return anyFound ? found.get(name) : null;
    }

    @Override
    Class<?> find(String name, ClassNotFoundException notHere) throws ClassNotFoundException {
        for (ClassLoader l : loaders()) {
            try {
                Class<?> c = Class.forName(name, false, l);
                found.put(name, c);
                anyFound = true;
                return c;
            } catch (ClassNotFoundException | LinkageError e) {
                // the next one
            }
        }
        throw notHere;
    }

    /**
     * The answer to a worker's {@link FrameChannel#CLASS_REQUEST}: {@link #BYTES} and the class
     * file, or {@link #NONE} and why not: no loader of the pool's tasks has the class, or one has
     * it but gives no bytes for it (a loader that defines classes without serving their
     * {@code .class} as a resource), with the fix.
     */
    byte[] reply(String name) {
        if (!isClassName(name)) {
            return none("'" + name + "' is not a class name the parent serves");
        }
        String resource = name.replace('.', '/') + ".class";
        List<ClassLoader> ls = loaders();
        for (ClassLoader l : ls) {
            try (InputStream in = l.getResourceAsStream(resource)) {
                if (in != null) {
                    byte[] b = in.readAllBytes();
                    byte[] out = new byte[b.length + 1];
                    out[0] = BYTES;
                    System.arraycopy(b, 0, out, 1, b.length);
                    return out;
                }
            } catch (IOException | RuntimeException e) {
                // this loader cannot read it: the next one, and the message below
            }
        }
        for (ClassLoader l : ls) {
            Class<?> c;
            try {
                c = Class.forName(name, false, l);
            } catch (ClassNotFoundException | LinkageError e) {
                continue;
            }
            return none(name + " is defined by the parent's class loader " + describe(c.getClassLoader())
                    + ", which gives no bytes for it (getResourceAsStream(\"" + resource + "\") returned null),"
                    + " so a worker process cannot load it. Fix: load the class from a jar or directory (on the"
                    + " class path, or in a class loader that serves its .class file as a resource), or run"
                    + " this task on the \"thread\" executor");
        }
        return none(name + " is neither on the worker's class path or module path nor in the parent's class"
                + " loaders of this pool's tasks " + describeAll(ls));
    }

    private static String describeAll(List<ClassLoader> ls) {
        List<String> names = new ArrayList<>();
        for (ClassLoader l : ls) {
            names.add(describe(l));
        }
        return names.toString();
    }

    private static String describe(ClassLoader l) {
        return l == null ? "bootstrap" : l.getName() != null ? l.getName() + " (" + l.getClass().getName() + ")"
                : l.getClass().getName();
    }

    private static byte[] none(String message) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(new byte[] {NONE}, m.length + 1);
        System.arraycopy(m, 0, out, 1, m.length);
        return out;
    }

    /** A binary class name (letters, digits, {@code _ $ .}; no JDK package), nothing a path could be made of. */
    static boolean isClassName(String name) {
        if (name.isEmpty() || name.length() > 1000 || name.startsWith("java.") || name.startsWith(".")
                || name.endsWith(".") || name.contains("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '.' && !Character.isJavaIdentifierPart(c)) {
                return false;
            }
        }
        return true;
    }
}
