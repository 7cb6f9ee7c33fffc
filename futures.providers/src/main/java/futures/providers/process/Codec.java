package futures.providers.process;

import futures.spi.RemoteTaskException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Java serialization of what crosses between parent and worker, with the two checks the process
 * pool needs: the parent refuses a task that captures an executor or a future (the reference's
 * deadlock warning), and the worker replaces an exception that cannot be serialized with a
 * {@link RemoteTaskException} stand-in, so that an outcome always crosses. Stateless.
 */
final class Codec {
    private Codec() {}

    /** Serializes a task or initializer in the parent, refusing executors and futures. */
    static byte[] serializeTask(Object task) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new TaskOutput(bytes)) {
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
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /**
     * Deserializes with the caller's class loader (the loader of this module, which on the module
     * path sees every module of the boot layer, and on the class path the class path).
     */
    static Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
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
    private static final class TaskOutput extends ObjectOutputStream {
        TaskOutput(OutputStream out) throws IOException {
            super(out);
            enableReplaceObject(true);
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
    private static final class OutcomeOutput extends ObjectOutputStream {
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
