package futures.core;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what a logger of the library writes through {@link System.Logger}, which the JDK
 * backs with java.util.logging when that module is present (test runs add it: see the pom).
 * Invariant: {@code records} is guarded by {@code this} (loggers may publish from any thread).
 */
final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    private final boolean useParent;
    private final List<LogRecord> records = new ArrayList<>();

    LogCapture(String name) {
        logger = Logger.getLogger(name);
        useParent = logger.getUseParentHandlers();
        logger.setUseParentHandlers(false); // keep expected warnings out of the build log
        logger.addHandler(this);
    }

    synchronized List<LogRecord> records() {
        return List.copyOf(records);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        record.getSourceClassName(); // the source is found from the stack on first ask: here, in the logging thread
        records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(useParent);
    }
}
