package futures.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Keeps the reference's promise that "the entire program will not exit until all pending futures
 * are done executing", without making an idle executor keep the JVM alive.
 *
 * <p>Workers are daemon threads (or child processes), so they never hold the JVM up by themselves.
 * A shutdown hook, which runs when the last non-daemon thread ends or on {@code System.exit},
 * marks the library as exiting (new submits are rejected, as in Python after
 * {@code _python_exit}) and waits for every pending future of every live executor. Executors are
 * held weakly: one that is unreachable has no pending work, since a pool's workers reach the
 * executor through every item they hold.
 *
 * <p>It waits only when the program ends normally (the last non-daemon thread ended). An explicit
 * {@code System.exit} or a signal (Ctrl-C, SIGTERM) asks the JVM to stop now: then it rejects new
 * work but does not wait, since a task that called {@code System.exit} would otherwise wait for
 * itself forever, and a stuck task would make the JVM unkillable but by SIGKILL.
 *
 * <p>Invariant: {@code executors} is guarded by its own monitor; {@code exiting} only goes from
 * false to true.
 */
final class ExitGuard {
    private static final Map<Executor, Boolean> executors = new WeakHashMap<>();
    private static volatile boolean exiting;
    private static boolean hooked;

    private ExitGuard() {}

    static void register(Executor executor) {
        synchronized (executors) {
            if (!hooked) {
                Runtime.getRuntime().addShutdownHook(new Thread(ExitGuard::awaitAll, "futures-exit-guard"));
                hooked = true;
            }
            executors.put(executor, Boolean.TRUE);
        }
    }

    /**
     * Whether some thread is inside {@code Shutdown.exit}: {@code System.exit}, {@code Runtime.exit}
     * and the signal handlers go through it, while a normal end goes through
     * {@code Shutdown.shutdown} from the DestroyJavaVM thread.
     */
    private static boolean explicitExit() {
        for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().equals("java.lang.Shutdown") && frame.getMethodName().equals("exit")) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean exiting() {
        return exiting;
    }

    private static void awaitAll() {
        exiting = true;
        if (explicitExit()) {
            return;
        }
        List<Executor> live;
        synchronized (executors) {
            live = new ArrayList<>(executors.keySet());
        }
        Collections.reverse(live);
        for (Executor e : live) {
            e.awaitPendingAtExit();
        }
    }
}
