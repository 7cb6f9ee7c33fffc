package futures.cluster.internal;

import futures.spi.RemoteTaskException;
import futures.spi.internal.KnownClasses;
import futures.spi.internal.StreamLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
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

/**
 * How calls and outcomes cross between the submitting JVM and the member that runs them. This
 * library serializes them itself, with the JDK's serialization, into bytes that the engine carries
 * as they are. So the engine never sees a task: its "zero-config Compact" fallback, which would take
 * an object that is not {@link java.io.Serializable} and fail later with an opaque error, never
 * runs, and a task that cannot be serialized is refused at {@code submit}, naming its class.
 *
 * <p>Outcomes: a value, or the exception the call threw with its remote stack trace; an exception
 * that cannot be serialized crosses as a {@link RemoteTaskException} stand-in, as on "process".
 * Reading applies the {@link ObjectInputFilter} of the reading JVM's own serialization settings,
 * and the limits derived from the bytes' own size that provider "process" applies too
 * ({@link StreamLimits}): bytes from a member or a client are not trusted.
 *
 * <p>One change to the JDK's stream format, the same as provider "process" makes: the descriptor
 * of a class in {@link KnownClasses} (the core's wrappers of a call, {@code SerializedLambda},
 * {@code Object[]}, the boxed primitives) is written as one byte, its place in that list, and read
 * back as this JVM's own descriptor of the class; any other class's descriptor is written in full
 * after a 0 byte. Reading those descriptors in full was half the time a member spent reading a
 * trivial call. Both ends must hold the same list: a call carries its sender's
 * {@link KnownClasses#fingerprint()}, and a member whose own differs refuses it ({@link Call}).
 *
 * <p>Stateless.
 */
final class Codec {
    private Codec() {}

    /** The classes whose descriptors cross as their place, seen from this module (which reads futures.core). */
    static final KnownClasses KNOWN = KnownClasses.seenFrom(Codec.class);

    /** Serializes a task in the submitting JVM, refusing executors and futures. */
    static byte[] serializeTask(Object task) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new TaskOutput(bytes)) {
            out.writeObject(task);
        }
        return bytes.toByteArray();
    }

    /**
     * Outcome tags: a Java serialization stream follows, or one of the plain values written
     * directly, or ({@code REFUSAL}) the message of an {@link UncheckedIOException} the call failed
     * with, for a member that cannot write a stream the submitter could read.
     */
    private static final byte STREAM = 0, NULL = 1, INT = 2, LONG = 3, STRING = 4, BOOLEAN = 5, DOUBLE = 6, REFUSAL = 7;

    /**
     * An outcome that fails the call with {@code UncheckedIOException(message)}, written without an
     * object stream: for a call from a JVM whose {@link KnownClasses} differ from the member's.
     */
    static byte[] refusal(String message) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.length() + 8);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(REFUSAL);
        out.writeUTF(message.length() > 16_000 ? message.substring(0, 16_000) : message);
        return bytes.toByteArray();
    }

    /**
     * Serializes an outcome on the member: a tag, then either a plain value written directly (null,
     * {@code Integer}, {@code Long}, {@code Boolean}, {@code Double}, a short {@code String}: no
     * object stream for the commonest results), or a Java serialization stream of a flag (true for
     * an exception) and the object, where an exception that cannot be serialized is replaced by a
     * stand-in.
     */
    static byte[] serializeOutcome(boolean failed, Object value, String where) throws IOException {
        if (!failed) {
            byte[] plain = plain(value);
            if (plain != null) {
                return plain;
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        bytes.write(STREAM);
        try (ObjectOutputStream out = new OutcomeOutput(bytes, where)) {
            out.writeBoolean(failed);
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    private static byte[] plain(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16);
        DataOutputStream out = new DataOutputStream(bytes);
        if (value == null) {
            out.writeByte(NULL);
        } else if (value.getClass() == Integer.class) {
            out.writeByte(INT);
            out.writeInt((Integer) value);
        } else if (value.getClass() == Long.class) {
            out.writeByte(LONG);
            out.writeLong((Long) value);
        } else if (value.getClass() == Boolean.class) {
            out.writeByte(BOOLEAN);
            out.writeBoolean((Boolean) value);
        } else if (value.getClass() == Double.class) {
            out.writeByte(DOUBLE);
            out.writeDouble((Double) value);
        } else if (value.getClass() == String.class && ((String) value).length() < 16_000) {
            out.writeByte(STRING);
            out.writeUTF((String) value); // at most 3 bytes a char: within writeUTF's 65,535
        } else {
            return null;
        }
        return bytes.toByteArray();
    }

    /** Reads an object written by {@link #serializeTask}, through {@code filter}. */
    static Object deserialize(byte[] bytes, ObjectInputFilter filter) throws IOException, ClassNotFoundException {
        return read(bytes, 0, filter, false).value();
    }

    /**
     * Reads a Java serialization stream of {@code bytes} from {@code offset}: an object, or (for an
     * outcome) a flag and an object. The stream is held to {@link #limits} and to {@code filter}; a
     * refusal by either says which, and a stream nested so deep that it overflows the stack is
     * refused too, as forged.
     */
    private static Outcome read(byte[] bytes, int offset, ObjectInputFilter filter, boolean flagged)
            throws IOException, ClassNotFoundException {
        String[] refused = new String[1];
        StreamLimits limits = limits(bytes.length - offset);
        ObjectInputFilter both = ObjectInputFilter.merge(limits.withJvmFilter(), watch(filter, refused));
        try (ObjectInputStream in = new Input(new ByteArrayInputStream(bytes, offset, bytes.length - offset), both)) {
            boolean failed = flagged && in.readBoolean();
            return new Outcome(failed, in.readObject());
        } catch (InvalidClassException e) {
            InvalidObjectException forged = limits.refusal(e);
            if (forged != null) {
                throw forged;
            }
            throw refused[0] == null ? e : new Refused(refused[0], e);
        } catch (StackOverflowError e) {
            throw limits.tooDeep(e);
        }
    }

    /** The limits every stream read here is held to ({@link StreamLimits}: the same as provider "process"'s). */
    static StreamLimits limits(long bytes) {
        return new StreamLimits(bytes, "the cluster provider's");
    }

    /** {@code filter}, noting the name of the first class it refuses. */
    private static ObjectInputFilter watch(ObjectInputFilter filter, String[] refused) {
        return info -> {
            ObjectInputFilter.Status s = filter.checkInput(info);
            if (s == ObjectInputFilter.Status.REJECTED && refused[0] == null && info.serialClass() != null) {
                refused[0] = info.serialClass().getName();
            }
            return s;
        };
    }

    /** A class the serialization filter refused; {@link #classname} names it. */
    static final class Refused extends InvalidClassException {
        private static final long serialVersionUID = 1L;

        Refused(String className, InvalidClassException cause) {
            super(className, "not allowed by the serialization filter");
            initCause(cause);
        }
    }

    /** An outcome as read back: a value, or what the call threw. */
    record Outcome(boolean failed, Object value) {}

    /** Reads what {@link #serializeOutcome} wrote; an object stream through {@code filter}. */
    static Outcome deserializeOutcome(byte[] bytes, ObjectInputFilter filter) throws IOException, ClassNotFoundException {
        if (bytes.length == 0) {
            throw new StreamCorruptedException("empty outcome");
        }
        if (bytes[0] != STREAM) {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 1, bytes.length - 1));
            if (bytes[0] == REFUSAL) {
                String message = in.readUTF();
                return new Outcome(true, new UncheckedIOException(message, new IOException(message)));
            }
            return new Outcome(false, switch (bytes[0]) {
                case NULL -> null;
                case INT -> in.readInt();
                case LONG -> in.readLong();
                case BOOLEAN -> in.readBoolean();
                case DOUBLE -> in.readDouble();
                case STRING -> in.readUTF();
                default -> throw new StreamCorruptedException("unknown outcome tag " + bytes[0]);
            });
        }
        return read(bytes, 1, filter, true);
    }

    /**
     * The error for a task that cannot be serialized: names the class, says what is accepted.
     */
    static IllegalArgumentException notSendable(Throwable problem) {
        String detail = problem instanceof CapturedExecutorException
                ? problem.getMessage()
                : problem instanceof NotSerializableException
                ? "class " + problem.getMessage() + " is not Serializable"
                : String.valueOf(problem);
        return new IllegalArgumentException("the task cannot be sent to the cluster: " + detail
                + "; a task, its arguments and everything it captures must be java.io.Serializable"
                + " (a lambda: write (Callable<T> & Serializable) () -> ..., or use futures.core.Func)", problem);
    }

    /** Writes the descriptor of a {@link KnownClasses known class} as its place, any other after a 0. */
    private static class CompactOutput extends ObjectOutputStream {
        CompactOutput(OutputStream out) throws IOException {
            super(out);
        }

        @Override
        protected void writeClassDescriptor(ObjectStreamClass desc) throws IOException {
            int place = KNOWN.placeOf(desc);
            writeByte(place);
            if (place == 0) {
                super.writeClassDescriptor(desc);
            }
        }
    }

    /** The submitter's stream: refuses any {@code java.util.concurrent} executor or future. */
    private static final class TaskOutput extends CompactOutput {
        TaskOutput(OutputStream out) throws IOException {
            super(out);
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object obj) throws IOException {
            if (obj instanceof java.util.concurrent.Future || obj instanceof java.util.concurrent.Executor) {
                String kind = obj instanceof java.util.concurrent.Future ? "a future" : "an executor";
                throw new CapturedExecutorException("the task captures " + kind + " of the submitting JVM ("
                        + obj.getClass().getName() + "), which a task running on a cluster member cannot use;"
                        + " pass the values the task needs instead");
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

    /** The member's stream: an exception that cannot be serialized is replaced by a stand-in. */
    private static final class OutcomeOutput extends CompactOutput {
        private final String where;

        OutcomeOutput(OutputStream out, String where) throws IOException {
            super(out);
            this.where = where;
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object obj) {
            if (obj instanceof Throwable t && !(obj instanceof RemoteTaskException)) {
                try (ObjectOutputStream probe = new ObjectOutputStream(OutputStream.nullOutputStream())) {
                    probe.writeObject(t);
                } catch (IOException | RuntimeException | StackOverflowError e) {
                    return RemoteTaskException.standIn(t, "the original could not be serialized on member "
                            + where + ": " + e);
                }
            }
            return obj;
        }
    }

    /** This module's loader, which on the module path sees every module of the boot layer, on the class path the class path. */
    private static final ClassLoader LOADER = Codec.class.getClassLoader();

    /**
     * Resolves classes with this module's loader first, then as the JDK does (which also knows the
     * primitive types' names), then with the thread's context loader. Asking this module's loader
     * directly finds what the JDK's own lookup would (the nearest loader on the stack that is not
     * the JDK's is this module's, as this class calls the stream) without the JDK's walk of the
     * stack for each class, which was a fifth of the time to read a task.
     */
    private static final class Input extends ObjectInputStream {
        Input(InputStream in, ObjectInputFilter filter) throws IOException {
            super(in);
            setObjectInputFilter(filter);
        }

        /** Reads what {@link CompactOutput} writes: a known class's place, or 0 and a full descriptor. */
        @Override
        protected ObjectStreamClass readClassDescriptor() throws IOException, ClassNotFoundException {
            int place = readUnsignedByte();
            return place == 0 ? super.readClassDescriptor() : KNOWN.descriptor(place);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            Class<?> known = desc.forClass(); // set only for the descriptors of known classes
            if (KNOWN.isKnown(known)) {
                return known;
            }
            try {
                return Class.forName(desc.getName(), false, LOADER);
            } catch (ClassNotFoundException notHere) {
                // a primitive type's name, or a class only the context loader has: below
            }
            try {
                return super.resolveClass(desc);
            } catch (ClassNotFoundException e) {
                ClassLoader context = Thread.currentThread().getContextClassLoader();
                if (context == null) {
                    throw e;
                }
                try {
                    return Class.forName(desc.getName(), false, context);
                } catch (ClassNotFoundException again) {
                    e.addSuppressed(again);
                    throw e;
                }
            }
        }
    }

    /** Whether a read failed because the filter refused a class. */
    static boolean refusedByFilter(Throwable t) {
        return t instanceof Refused;
    }
}
