package futures.spi;

import java.util.Objects;

/**
 * A stand-in for an exception thrown in a worker process that could not cross to the parent
 * as itself: its class could not be serialized in the worker, or could not be loaded or
 * deserialized in the parent. It keeps what a reader of the failure needs: the original's class
 * name ({@link #remoteClassName()}), its message ({@link #remoteMessage()}), its stack trace (this
 * exception's own {@link #getStackTrace()} is the remote one), and stand-ins for its cause and
 * suppressed exceptions.
 *
 * <p>{@link #getMessage()} reads like the original's {@code toString()}, followed by why the
 * original could not cross: {@code "com.example.Oops: disk full (stand-in: the original could not
 * be serialized: java.io.NotSerializableException: com.example.Handle)"}.
 *
 * <p>It is made only from JDK types and this class, so it always crosses itself.
 */
public class RemoteTaskException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The binary name of the original exception's class, such as {@code "com.example.Oops"}. */
    private final String remoteClassName;
    /** The original's message; may be null. */
    private final String remoteMessage;

    /**
     * Makes a stand-in from its parts.
     *
     * @param remoteClassName the original's class name; not null
     * @param remoteMessage the original's message, or null
     * @param why why the original could not cross, or null; appended to the message
     * @param remoteStackTrace the original's stack trace; not null
     * @param cause a stand-in for the original's cause, or null
     */
    public RemoteTaskException(String remoteClassName, String remoteMessage, String why,
            StackTraceElement[] remoteStackTrace, Throwable cause) {
        super(describe(Objects.requireNonNull(remoteClassName, "remoteClassName"), remoteMessage, why),
                cause, true, true);
        this.remoteClassName = remoteClassName;
        this.remoteMessage = remoteMessage;
        setStackTrace(Objects.requireNonNull(remoteStackTrace, "remoteStackTrace"));
    }

    /** For {@link #standIn}: the cause is left unset so that it can be linked after a cycle check. */
    private RemoteTaskException(String remoteClassName, String remoteMessage, String why,
            StackTraceElement[] remoteStackTrace) {
        super(describe(remoteClassName, remoteMessage, why));
        this.remoteClassName = remoteClassName;
        this.remoteMessage = remoteMessage;
        setStackTrace(remoteStackTrace);
    }

    /**
     * A stand-in for {@code original}, with stand-ins for its cause chain and suppressed
     * exceptions (cycles are cut).
     *
     * @param original the exception that cannot cross; not null
     * @param why why it cannot cross, or null
     * @return the stand-in
     */
    public static RemoteTaskException standIn(Throwable original, String why) {
        return standIn(original, why, new java.util.IdentityHashMap<>());
    }

    private static RemoteTaskException standIn(Throwable t, String why,
            java.util.IdentityHashMap<Throwable, RemoteTaskException> seen) {
        RemoteTaskException known = seen.get(t);
        if (known != null) {
            return known;
        }
        String name = t instanceof RemoteTaskException r ? r.remoteClassName : t.getClass().getName();
        String message = t instanceof RemoteTaskException r ? r.remoteMessage : safeMessage(t);
        Throwable cause = t.getCause();
        RemoteTaskException out = new RemoteTaskException(name, message, why, t.getStackTrace());
        seen.put(t, out);
        if (cause != null && cause != t) {
            out.initCause(standIn(cause, null, seen));
        }
        for (Throwable s : t.getSuppressed()) {
            out.addSuppressed(standIn(s, null, seen));
        }
        return out;
    }

    private static String safeMessage(Throwable t) {
        try {
            return t.getMessage();
        } catch (RuntimeException e) {
            return "(getMessage() threw " + e + ")";
        }
    }

    private static String describe(String name, String message, String why) {
        String s = message == null ? name : name + ": " + message;
        return why == null ? s : s + " (stand-in: " + why + ")";
    }

    /**
     * The binary name of the original exception's class, such as {@code "com.example.Oops"}.
     *
     * @return the class name, as the worker saw it
     */
    public String remoteClassName() {
        return remoteClassName;
    }

    /**
     * The original exception's message, or {@code null} if it had none.
     *
     * @return the message, or {@code null}
     */
    public String remoteMessage() {
        return remoteMessage;
    }
}
