package futures.moduletests;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures the records of one java.util.logging logger (the backend of the library's
 * {@code System.Logger}s) and keeps them from the console: {@link #capture} at every level for the
 * life of the JVM, {@link #during} at the logger's own level until {@link #close()} puts the
 * logger back as it was. Invariant: {@code records} is guarded by {@code this}.
 */
final class LogRecords extends Handler implements AutoCloseable {
    /** Held, so that java.util.logging (which keeps loggers weakly) keeps the configuration. */
    private final Logger logger;
    /** Whether {@link #close()} detaches this handler and restores {@code useParent}. */
    private final boolean scoped;
    private final boolean useParent;
    private final List<LogRecord> records = new ArrayList<>();

    private LogRecords(Logger logger, boolean scoped) {
        this.logger = logger;
        this.scoped = scoped;
        this.useParent = logger.getUseParentHandlers();
        logger.setUseParentHandlers(false);
        logger.addHandler(this);
    }

    /** Every record of logger {@code name}, at every level, from now on. */
    static LogRecords capture(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.ALL);
        LogRecords capture = new LogRecords(logger, false);
        capture.setLevel(Level.ALL);
        return capture;
    }

    /** The records logger {@code name} publishes until {@link #close()}, which restores it. */
    static LogRecords during(String name) {
        return new LogRecords(Logger.getLogger(name), true);
    }

    synchronized List<LogRecord> records() {
        return List.copyOf(records);
    }

    @Override
    public synchronized void publish(LogRecord r) {
        r.getSourceClassName(); // inferred from the stack on first ask: here, in the logging thread
        records.add(r);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        if (scoped) {
            logger.removeHandler(this);
            logger.setUseParentHandlers(useParent);
        }
    }
}
