package futures.cluster.internal;

import com.hazelcast.logging.AbstractLogger;
import com.hazelcast.logging.ILogger;
import com.hazelcast.logging.LogEvent;
import com.hazelcast.logging.LoggerFactory;
import java.util.logging.Level;

/**
 * The engine's logging, through {@link System.Logger} under the engine's own logger names
 * ({@code com.hazelcast...}). Quiet on success: the engine's INFO chatter (start-up banners, the
 * member list, health reports) goes to DEBUG; its warnings and errors stay WARNING and ERROR. The
 * one warning the engine gives on every start on the module path ("starting in a Java modular
 * environment ... without proper access", about its metrics) is DEBUG too, and so is its
 * "Future.complete(Object) on completed future" (with a made-up stack trace), which it logs when a
 * call's response arrives after shutting down already failed the call: a race inside the engine,
 * with nothing for the user to do. A WARNING caused by an
 * {@link java.io.IOException} (a connection to a member failed) is one line, its stack trace DEBUG.
 *
 * <p>The engine instantiates this class by name (property {@code hazelcast.logging.class}).
 * Stateless.
 */
public final class EngineLog implements LoggerFactory {
    /** For the engine, which makes it by reflection. */
    public EngineLog() {}

    @Override
    public ILogger getLogger(String name) {
        return new Log(System.getLogger(name));
    }

    private static final class Log extends AbstractLogger {
        private final System.Logger logger;

        Log(System.Logger logger) {
            this.logger = logger;
        }

        private static System.Logger.Level map(Level level, String message) {
            int v = level.intValue();
            if (v >= Level.SEVERE.intValue()) {
                return System.Logger.Level.ERROR;
            }
            if (v >= Level.WARNING.intValue()) {
                return message != null && (message.contains("Hazelcast is starting in a Java modular environment")
                        || message.contains("Future.complete(Object) on completed future"))
                        ? System.Logger.Level.DEBUG
                        : System.Logger.Level.WARNING;
            }
            if (v >= Level.FINE.intValue()) {
                return System.Logger.Level.DEBUG;
            }
            return System.Logger.Level.TRACE;
        }

        @Override
        public void log(Level level, String message) {
            System.Logger.Level l = map(level, message);
            if (logger.isLoggable(l)) {
                logger.log(l, message);
            }
        }

        @Override
        public void log(Level level, String message, Throwable thrown) {
            System.Logger.Level l = map(level, message);
            if (thrown instanceof java.io.IOException && l == System.Logger.Level.WARNING) {
                // A member's connection failed (a member died, the network dropped): the one line
                // says so; the I/O stack trace, which says nothing more, only at DEBUG.
                if (logger.isLoggable(l)) {
                    logger.log(l, message + " (" + thrown + ")");
                }
                if (logger.isLoggable(System.Logger.Level.DEBUG)) {
                    logger.log(System.Logger.Level.DEBUG, message, thrown);
                }
                return;
            }
            if (logger.isLoggable(l)) {
                logger.log(l, message, thrown);
            }
        }

        @Override
        @SuppressWarnings("removal") // the engine still declares it abstract
        public void log(LogEvent event) {
            var r = event.getLogRecord();
            log(r.getLevel(), r.getMessage(), r.getThrown());
        }

        @Override
        public Level getLevel() {
            for (System.Logger.Level l : new System.Logger.Level[] {System.Logger.Level.TRACE,
                    System.Logger.Level.DEBUG, System.Logger.Level.WARNING}) {
                if (logger.isLoggable(l)) {
                    return l == System.Logger.Level.TRACE ? Level.FINEST : l == System.Logger.Level.DEBUG ? Level.INFO : Level.WARNING;
                }
            }
            return Level.SEVERE;
        }

        @Override
        public boolean isLoggable(Level level) {
            return logger.isLoggable(map(level, null));
        }
    }
}
