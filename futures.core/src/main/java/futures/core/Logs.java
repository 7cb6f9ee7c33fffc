package futures.core;

import java.lang.System.Logger.Level;
import java.util.function.Supplier;

/**
 * The core's logging. Each class's {@code System.Logger} is made on first use: a JVM's first
 * {@code System.getLogger} sets up {@code java.util.logging} (20-30 ms measured), which a program
 * that never logs need not pay. And a log call never throws: the calls sit in catch blocks of
 * completion paths (a callback that threw, a poller that failed), where an error of the logging
 * itself (out of memory or a stack overflow while the logger is set up, a handler that throws)
 * must not escape. A logger that could not be made is tried again on the next call.
 *
 * <p>Why it implements {@link System.Logger} (and is abstract, never instantiated): a log record
 * names the method that logged as its source, found by walking the stack past the logging
 * machinery, and the JDK counts every class that implements {@code System.Logger} as machinery. So
 * the record names the core class that called {@code Logs.log} (such as
 * {@code futures.core.Executor}), not {@code futures.core.Logs log}.
 *
 * <p>Thread-safe: the loggers are kept in a {@link ClassValue}, which computes each at most once
 * per successful computation and publishes it safely.
 */
abstract class Logs implements System.Logger {
    private static final ClassValue<System.Logger> LOGGERS = new ClassValue<>() {
        @Override
        protected System.Logger computeValue(Class<?> type) {
            return System.getLogger(type.getName());
        }
    };

    private Logs() {}

    /** Logs {@code message} and {@code thrown} (may be null) to the logger named after {@code owner}. */
    static void log(Class<?> owner, Level level, String message, Throwable thrown) {
        try {
            LOGGERS.get(owner).log(level, message, thrown);
        } catch (Throwable ignored) {
            // logging must not fail the completion path it reports from
        }
    }

    /** As {@link #log(Class, Level, String, Throwable)}, the message made only if the level is logged. */
    static void log(Class<?> owner, Level level, Supplier<String> message, Throwable thrown) {
        try {
            LOGGERS.get(owner).log(level, message, thrown);
        } catch (Throwable ignored) {
            // logging must not fail the completion path it reports from
        }
    }
}
