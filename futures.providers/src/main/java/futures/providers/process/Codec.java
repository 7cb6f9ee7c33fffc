package futures.providers.process;

import futures.spi.RemoteTaskException;
import futures.spi.internal.KnownClasses;
import futures.spi.internal.StreamLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.io.StreamCorruptedException;
import java.io.UncheckedIOException;
import java.lang.invoke.SerializedLambda;
import java.util.List;

/**
 * Java serialization of what crosses between parent and worker, with the two checks the process
 * pool needs: the parent refuses a task that captures an executor or a future (the reference's
 * deadlock warning), and the worker replaces an exception that cannot be serialized with a
 * {@link RemoteTaskException} stand-in, so that an outcome always crosses.
 *
 * <p>One change to the JDK's stream format: the descriptor of a class in {@link #KNOWN} (the
 * core's task wrappers, {@code SerializedLambda}, {@code Object[]}, the boxed primitives) is
 * written as one byte, its place in that list, and read back as this JVM's own descriptor of the
 * class; any other class's descriptor is written in full after a 0 byte. Every task and outcome
 * carries several of these descriptors, and reading them (class and field names, class look-up)
 * was most of the Java time a worker spent per trivial task, and much of what its JIT had to
 * compile in a fresh pool. Both ends run the same {@code futures} jars, and the JDK classes in the
 * list have serial forms fixed by their specification, so the two ends' descriptors are the same;
 * a worker checks the first against the parent's {@link #fingerprint()} before it reads a frame.
 * Both streams here and only these read and write the format; {@link #KNOWN} is built once,
 * sorted by name, and never changes.
 */
final class Codec {
    private Codec() {}

    /**
     * The classes whose descriptors cross as one byte (see the class comment), sorted by name: the
     * list the cluster's calls use too ({@link KnownClasses}), with the core's wrappers in it.
     */
    static final KnownClasses TABLE = KnownClasses.seenFrom(Codec.class); // futures.providers requires futures.core
    static final List<Class<?>> KNOWN = TABLE.list();

    /**
     * {@code Object[]}'s descriptor as a stream holds it (name, serialVersionUID, flags, no fields),
     * read once: what {@link CompactInput} returns for it. The JDK asks the descriptor it reads for
     * its serialVersionUID (and then ignores it for an array); this JVM's own descriptor of
     * {@code Object[]} has none declared, so it would compute one with a SHA-1
     * {@code MessageDigest}, setting up the security providers in a fresh worker's warm-up thread
     * (which the connecting thread needs too): the warm-up alone, in a fresh JVM, took a median of
     * 85 ms that way against 66 ms this way (60 before the compact format; 15 runs each). The other
     * known classes declare theirs.
     */
    private static final class ObjectArrayModel extends ObjectInputStream {
        /** Stream header, a block of 32 bytes: the descriptor's body that {@code ObjectOutputStream} writes. */
        private static final byte[] BYTES = {
            (byte) 0xac, (byte) 0xed, 0, 5, // STREAM_MAGIC, STREAM_VERSION
            0x77, 32, // TC_BLOCKDATA of 32 bytes (the stream is in block data mode when it starts)
            0, 19, '[', 'L', 'j', 'a', 'v', 'a', '.', 'l', 'a', 'n', 'g', '.', 'O', 'b', 'j', 'e', 'c', 't', ';',
            (byte) 0x90, (byte) 0xce, 0x58, (byte) 0x9f, 0x10, 0x73, 0x29, 0x6c, // serialVersionUID
            2, 0, 0 // SC_SERIALIZABLE, no fields
        };
        static final ObjectStreamClass DESCRIPTOR = descriptor(); // after BYTES, which it reads

        private ObjectArrayModel() throws IOException {
            super(new ByteArrayInputStream(BYTES));
            setObjectInputFilter(limits(BYTES.length).withJvmFilter()); // like every stream here
        }

        private static ObjectStreamClass descriptor() {
            try (ObjectArrayModel in = new ObjectArrayModel()) {
                ObjectStreamClass d = in.readClassDescriptor(); // no object, no class look-up, no filter: the bytes only
                if (!d.getName().equals(Object[].class.getName()) || d.getFields().length != 0) {
                    throw new IllegalStateException("misread Object[]'s descriptor: " + d);
                }
                return d;
            } catch (IOException | ClassNotFoundException e) {
                throw new IllegalStateException("cannot read Object[]'s descriptor: " + e, e);
            }
        }
    }

    /** The exit code of a worker whose {@link #fingerprint()} is not the parent's. */
    static final int SKEW_EXIT = 5;

    /**
     * A fingerprint of {@link #KNOWN}: each class's name and, for the futures classes, the name and
     * type of each field the JDK serializes (the JDK classes' serial forms are fixed by their
     * specification). Parent and worker must agree on it, since a known class crosses as its place
     * in the list: a {@code futures.core} jar replaced under a running pool could shift the places
     * or change a wrapper's fields, and a worker started after that would misread values without
     * an error. The parent passes its own to each worker, which exits with {@link #SKEW_EXIT} if its
     * own differs, so that the pool breaks and says why. Computed once per JVM.
     */
    static String fingerprint() {
        return TABLE.fingerprint();
    }

    /**
     * Where a stream looks for a class that the class loader of the futures classes cannot find:
     * in the parent, the class loaders of the pool's tasks ({@link ClassServer}); in a worker, the
     * parent, which sends the class's bytes ({@link RemoteClasses}). Nothing of it runs for a class
     * this JVM's loader finds, except {@link #known}, which must be fast.
     */
    abstract static class Classes {
        /** A class {@link #find} found before, or null; asked first for each class a stream resolves. */
        abstract Class<?> known(String name);

        /**
         * Finds the class {@code name} that the futures classes' loader does not have.
         *
         * @param notHere the loader's own failure
         * @throws ClassNotFoundException if it is not found here either, saying where it was looked for
         */
        abstract Class<?> find(String name, ClassNotFoundException notHere) throws ClassNotFoundException;

        /** Notes a class written into a task's stream (its class loader may have to serve it). */
        void note(Class<?> c) {}
    }

    /** Serializes a task or initializer in the parent, refusing executors and futures. */
    static byte[] serializeTask(Object task) throws IOException {
        return serializeTask(task, null);
    }

    /**
     * Serializes a task or initializer in the parent, refusing executors and futures, and notes
     * in {@code classes} (if not null) every class written.
     */
    static byte[] serializeTask(Object task, Classes classes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new TaskOutput(bytes, classes)) {
            out.writeObject(task);
        }
        return bytes.toByteArray();
    }

    /** Serializes a value or exception in the worker, with stand-ins for unserializable exceptions. */
    static byte[] serializeOutcome(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new OutcomeOutput(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /** Plain serialization, no replacement. */
    static byte[] serializePlain(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new CompactOutput(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /**
     * Deserializes with the caller's class loader (the loader of this module, which on the module
     * path sees every module of the boot layer, and on the class path the class path).
     */
    static Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
        return deserialize(bytes, null);
    }

    /** As {@link #deserialize(byte[])}, looking for a class that loader does not have in {@code classes}. */
    static Object deserialize(byte[] bytes, Classes classes) throws IOException, ClassNotFoundException {
        StreamLimits limits = limits(bytes.length);
        try (CompactInput in = new CompactInput(new ByteArrayInputStream(bytes), classes)) {
            in.setObjectInputFilter(limits.withJvmFilter());
            // lambdas through LambdaCache only where no filter but the limits judges classes
            in.lambdas = LambdaCache.ENABLED && in.getObjectInputFilter() == limits;
            return in.readObject();
        } catch (InvalidClassException e) {
            InvalidObjectException refused = limits.refusal(e);
            throw refused == null ? e : refused; // else the user's filter, or a class that does not match
        }
    }

    /**
     * The limits every stream read here is held to, derived from its size ({@link StreamLimits}:
     * the same as provider "cluster"'s); one per stream.
     */
    static StreamLimits limits(long bytes) {
        return new StreamLimits(bytes, "the process pool's");
    }

    /** Writes the descriptor of a {@link #KNOWN} class as one byte (see the class comment). */
    private static class CompactOutput extends ObjectOutputStream {
        CompactOutput(OutputStream out) throws IOException {
            super(out);
        }

        @Override
        protected void writeClassDescriptor(ObjectStreamClass desc) throws IOException {
            int known = TABLE.placeOf(desc);
            if (known != 0) {
                writeByte(known);
            } else {
                Class<?> c = desc.forClass();
                if (c != null) {
                    noteUnknown(c);
                }
                writeByte(0);
                super.writeClassDescriptor(desc);
            }
        }

        /** Called with each class written whose descriptor is not a {@link #KNOWN} one; nothing here. */
        void noteUnknown(Class<?> c) {}
    }

    /** Reads what {@link CompactOutput} writes. */
    private static final class CompactInput extends ObjectInputStream {
        private final Classes classes;
        /** Whether a {@code SerializedLambda} is read as {@link LambdaCache.Fields}: set before the first read. */
        boolean lambdas;

        CompactInput(InputStream in, Classes classes) throws IOException {
            super(in);
            this.classes = classes;
        }

        @Override
        protected ObjectStreamClass readClassDescriptor() throws IOException, ClassNotFoundException {
            int known = readUnsignedByte();
            if (known == 0) {
                return super.readClassDescriptor();
            }
            if (known > KNOWN.size()) {
                throw new StreamCorruptedException("unknown class number " + known);
            }
            Class<?> c = KNOWN.get(known - 1);
            if (c == SerializedLambda.class && lambdas) {
                return LambdaCache.DESCRIPTOR; // the same serial form; see LambdaCache
            }
            return c == Object[].class ? ObjectArrayModel.DESCRIPTOR : ObjectStreamClass.lookup(c);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            Class<?> c = desc.forClass(); // set only for the descriptors readClassDescriptor looked up
            if (c != null && (TABLE.isKnown(c) || c == LambdaCache.Fields.class)) {
                return c;
            }
            if (desc == ObjectArrayModel.DESCRIPTOR) {
                return Object[].class;
            }
            if (classes == null) {
                return super.resolveClass(desc);
            }
            Class<?> found = classes.known(desc.getName());
            if (found != null) {
                return found;
            }
            try {
                return super.resolveClass(desc);
            } catch (ClassNotFoundException notHere) {
                return classes.find(desc.getName(), notHere);
            }
        }
    }

    /**
     * The exception a future fails with when something of it could not be serialized or
     * deserialized: an {@link UncheckedIOException} with {@code what} and the original problem in
     * its message, and the problem as its cause (wrapped in an {@link InvalidObjectException} when
     * it is not an {@link IOException}, as {@code SerializedLambda} does).
     */
    static UncheckedIOException transferFailure(String what, Throwable problem) {
        String detail = problem instanceof CapturedExecutorException
                ? problem.getMessage()
                : problem instanceof NotSerializableException
                ? "class " + problem.getMessage() + " is not Serializable (" + problem + ")"
                : String.valueOf(problem);
        IOException io;
        if (problem instanceof IOException e) {
            io = e;
        } else {
            io = new InvalidObjectException(String.valueOf(problem));
            io.initCause(problem);
        }
        return new UncheckedIOException(what + ": " + detail, io);
    }

    /** The parent's stream: rejects any {@code java.util.concurrent} executor or future. */
    private static final class TaskOutput extends CompactOutput {
        private final Classes classes;

        TaskOutput(OutputStream out, Classes classes) throws IOException {
            super(out);
            this.classes = classes;
            enableReplaceObject(true);
        }

        @Override
        void noteUnknown(Class<?> c) {
            if (classes != null) {
                classes.note(c);
            }
        }

        @Override
        protected Object replaceObject(Object obj) throws IOException {
            if (obj instanceof java.util.concurrent.Future || obj instanceof java.util.concurrent.Executor) {
                String kind = obj instanceof java.util.concurrent.Future ? "a future" : "an executor";
                throw new CapturedExecutorException("the task captures " + kind + " of the parent ("
                        + obj.getClass().getName() + "); a task in a worker process cannot use the parent's"
                        + " executors or futures: the reference warns that calling Executor or Future methods"
                        + " from a callable submitted to a ProcessPoolExecutor results in deadlock."
                        + " Pass the values the task needs instead");
            }
            return obj;
        }
    }

    /** Refusal of a captured executor or future; an IOException so serialization stops there. */
    static final class CapturedExecutorException extends NotSerializableException {
        private static final long serialVersionUID = 1L;

        CapturedExecutorException(String message) {
            super(message);
        }
    }

    /** The worker's stream: an exception that cannot be serialized is replaced by a stand-in. */
    private static final class OutcomeOutput extends CompactOutput {
        OutcomeOutput(OutputStream out) throws IOException {
            super(out);
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object obj) {
            if (obj instanceof Throwable t && !(obj instanceof RemoteTaskException)) {
                try {
                    serializePlain(t);
                } catch (IOException | RuntimeException | StackOverflowError e) {
                    return RemoteTaskException.standIn(t, "the original could not be serialized in worker pid "
                            + ProcessHandle.current().pid() + ": " + e);
                }
            }
            return obj;
        }
    }
}
