package futures.moduletests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.spi.BrokenExecutorException;
import futures.spi.ExecutorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CPython logs "Exception in initializer:" with the traceback (at CRITICAL) when a pool's
 * initializer raises; here each built-in provider logs it once per pool at ERROR, on the logger of
 * its pool class, with the exception attached, and the pool is broken.
 */
@Timeout(120)
class InitializerLogTest {

    @Test
    @DisplayName("thread: a failing initializer is logged once per pool at ERROR, 'Exception in initializer:' with its exception")
    void thread() {
        failingInitializerIsLoggedOnce("thread");
    }

    @Test
    @DisplayName("virtual: a failing initializer is logged once per pool at ERROR, 'Exception in initializer:' with its exception")
    void virtual() {
        failingInitializerIsLoggedOnce("virtual");
    }

    @Test
    @DisplayName("process: a failing initializer is logged once per pool at ERROR, 'Exception in initializer:' with its exception")
    void process() {
        failingInitializerIsLoggedOnce("process");
    }

    private static void failingInitializerIsLoggedOnce(String provider) {
        ExecutorConfig config = ExecutorConfig.builder().maxWorkers(2)
                .initializer(() -> {
                    throw new IllegalStateException("no database");
                }).build();
        try (LogRecords log = LogRecords.during("futures.providers")) {
            Executor ex = Executors.create(provider, config);
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                try {
                    fs.add(ex.submit(() -> 1));
                } catch (BrokenExecutorException brokenAlready) {
                    break;
                }
            }
            for (Future<Integer> f : fs) {
                assertInstanceOf(BrokenExecutorException.class, f.exception(Duration.ofSeconds(60)));
            }
            ex.shutdown(true);
            List<LogRecord> errors = log.records().stream().filter(r -> r.getLevel() == Level.SEVERE).toList();
            assertEquals(1, errors.size(), "one ERROR per pool: " + errors.stream().map(LogRecord::getMessage).toList());
            LogRecord r = errors.get(0);
            assertEquals("Exception in initializer:", r.getMessage());
            assertNotNull(r.getThrown(), "the stack trace is logged");
            assertTrue(String.valueOf(r.getThrown()).contains("no database"), String.valueOf(r.getThrown()));
            assertTrue(r.getLoggerName().startsWith("futures.providers."), r.getLoggerName());
            assertEquals(r.getLoggerName(), r.getSourceClassName(), "the record names the pool class that logged");
        }
    }
}
