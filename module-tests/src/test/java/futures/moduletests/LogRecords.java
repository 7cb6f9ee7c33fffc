package futures.moduletests;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures every record of one java.util.logging logger (the backend of the library's
 * {@code System.Logger}s), at every level, and keeps it from the console, for the life of the JVM.
 * Invariant: {@code records} is guarded by {@code this}.
 */
final class LogRecords extends Handler {
    /** Held, so that java.util.logging (which keeps loggers weakly) keeps the configuration. */
    private final Logger logger;
    private final List<LogRecord> records = new ArrayList<>();

    private LogRecords(Logger logger) {
        this.logger = logger;
    }

    static LogRecords capture(String name) {
        Logger logger = Logger.getLogger(name);
        LogRecords capture = new LogRecords(logger);
        capture.setLevel(Level.ALL);
        logger.setLevel(Level.ALL);
        logger.setUseParentHandlers(false);
        logger.addHandler(capture);
        return capture;
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
    public void close() {}
}
