package futures.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * For tests whose initializer throws: captures the pools' "Exception in initializer:" records
 * (loggers under {@code futures.providers}), keeps them out of the build output, and checks on
 * close that the pool logged it once, with the exception. Invariant: {@code records} is guarded
 * by {@code this}.
 */
public final class InitializerLog extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger("futures.providers");
    private final boolean useParent = logger.getUseParentHandlers();
    private final List<LogRecord> records = new ArrayList<>();
    private final int pools;

    /** Captures, expecting {@code pools} pools to log their initializer's failure, once each. */
    public InitializerLog(int pools) {
        this.pools = pools;
        logger.setUseParentHandlers(false);
        logger.addHandler(this);
    }

    /** Captures, expecting one pool to log its initializer's failure. */
    public InitializerLog() {
        this(1);
    }

    @Override
    public synchronized void publish(LogRecord r) {
        records.add(r);
    }

    @Override
    public void flush() {}

    /** Stops capturing and asserts: one ERROR "Exception in initializer:", with its exception, per pool. */
    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(useParent);
        List<LogRecord> got;
        synchronized (this) {
            got = List.copyOf(records);
        }
        assertEquals(pools, got.size(), "records: " + got.stream().map(LogRecord::getMessage).toList());
        for (LogRecord r : got) {
            assertEquals(Level.SEVERE, r.getLevel());
            assertEquals("Exception in initializer:", r.getMessage());
            assertNotNull(r.getThrown());
        }
    }
}
