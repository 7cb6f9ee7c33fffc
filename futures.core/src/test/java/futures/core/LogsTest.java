package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Logging runs inside the catch blocks of completion paths: an error of the logging itself must
 * not escape into them.
 */
class LogsTest {

    /** A handler that throws on every record, as a broken logging set-up would. */
    private static final class ThrowingHandler extends Handler {
        int published;

        @Override
        public void publish(LogRecord record) {
            published++;
            throw new IllegalStateException("a broken log handler");
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    @Test
    @DisplayName("a done callback that throws is logged, and a log handler that throws too does not stop the other callbacks or the completion")
    void throwingHandlerDoesNotBreakCompletion() {
        Logger logger = Logger.getLogger(Future.class.getName()); // held: JUL keeps loggers weakly
        boolean useParent = logger.getUseParentHandlers();
        ThrowingHandler handler = new ThrowingHandler();
        logger.setUseParentHandlers(false);
        logger.addHandler(handler);
        try {
            Future<Integer> f = new Future<>();
            List<String> ran = new ArrayList<>();
            f.addDoneCallback(x -> {
                ran.add("first");
                throw new IllegalArgumentException("a callback that throws");
            });
            f.addDoneCallback(x -> ran.add("second"));
            f.setResult(7);
            assertEquals(List.of("first", "second"), ran);
            assertEquals(7, f.result());
            assertTrue(handler.published >= 1, "the callback's exception reached the logger");
        } finally {
            logger.removeHandler(handler);
            logger.setUseParentHandlers(useParent);
        }
    }

    @Test
    @DisplayName("a log record names the class and method that logged, not the core's logging helper")
    void recordNamesTheClassThatLogged() {
        try (LogCapture log = new LogCapture(Future.class.getName())) {
            Future<Integer> f = new Future<>();
            f.addDoneCallback(x -> {
                throw new IllegalArgumentException("a callback that throws");
            });
            f.setResult(7);
            LogRecord r = log.records().get(0);
            assertEquals(Future.class.getName(), r.getSourceClassName(), r.getSourceClassName() + " " + r.getSourceMethodName());
            assertTrue(!r.getSourceMethodName().equals("log"), r.getSourceMethodName());
        }
    }
}
