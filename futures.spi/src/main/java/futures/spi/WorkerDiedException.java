package futures.spi;

import java.util.OptionalInt;

/**
 * The worker process that held a call died, and only that call fails: pebble's
 * {@code ProcessExpired}. A pool raises it instead of breaking when it is told to keep serving
 * after a worker's death (the process provider's {@code on_worker_death=fail_call}); the dead
 * worker is replaced, and the other calls are not affected.
 *
 * <p>"Held" means the call had been handed to that worker: it was running there, or had just been
 * sent and not yet begun. Whatever the call did before the worker died (files written, messages
 * sent) may have happened, as after any crash; nothing says how far it got.
 *
 * <p>The message names the worker's pid and how it ended, for example
 * {@code "worker pid 4242 terminated abruptly while it held this call: killed by signal 9
 * (SIGKILL), exit code 137"}; the cause, if any, is why the pool killed it (a corrupted message,
 * for instance).
 */
public class WorkerDiedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The dead worker's process id. */
    private final long pid;
    /** Its exit status as {@link Process#exitValue()} reports it. */
    private final int exitStatus;

    /**
     * The call held by worker {@code pid} failed because that worker ended with {@code exitStatus}.
     *
     * @param message what happened, naming the pid and the exit status or signal
     * @param pid the worker's process id
     * @param exitStatus the worker's exit status as {@link Process#exitValue()} reports it
     *     (128 + n for a worker a signal n ended, on Unix)
     * @param cause why the pool killed the worker, or null
     */
    public WorkerDiedException(String message, long pid, int exitStatus, Throwable cause) {
        super(message, cause);
        this.pid = pid;
        this.exitStatus = exitStatus;
    }

    /**
     * The dead worker's process id.
     *
     * @return the pid
     */
    public long pid() {
        return pid;
    }

    /**
     * The worker's exit status as {@link Process#exitValue()} reports it: the code it exited with,
     * or, on Unix, 128 + n when signal n ended it (137 for SIGKILL), as a shell reports it.
     *
     * @return the exit status
     */
    public int exitStatus() {
        return exitStatus;
    }

    /**
     * The signal that ended the worker, read from {@link #exitStatus()} as a shell reads it: n when
     * the status is 128 + n for a signal number n from 1 to 64, on a system other than Windows.
     * A process that called {@code System.exit(137)} itself looks the same as one SIGKILL ended;
     * the JDK does not tell them apart.
     *
     * @return the signal number, or empty if the status does not name one
     */
    public OptionalInt signal() {
        boolean windows = System.getProperty("os.name", "").startsWith("Windows");
        if (!windows && exitStatus > 128 && exitStatus <= 128 + 64) {
            return OptionalInt.of(exitStatus - 128);
        }
        return OptionalInt.empty();
    }
}
