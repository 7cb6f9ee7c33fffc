package futures.moduletests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.InvalidStateException;
import futures.core.WaitInterruptedException;
import futures.core.WaitTimeoutException;
import futures.spi.BrokenExecutorException;
import futures.spi.BrokenProcessPoolException;
import futures.spi.BrokenThreadPoolException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The exception classes as DESIGN section 3 maps Python's: where each sits in the hierarchy
 * decides what a user's {@code catch} catches.
 */
class ExceptionTypesTest {

    @Test
    @DisplayName("BrokenProcessPool is derived from RuntimeError: BrokenProcessPoolException and BrokenThreadPoolException are BrokenExecutorExceptions, themselves RejectedExecutionExceptions")
    void brokenFamily() {
        assertEquals(BrokenExecutorException.class, BrokenProcessPoolException.class.getSuperclass());
        assertEquals(BrokenExecutorException.class, BrokenThreadPoolException.class.getSuperclass());
        assertEquals(RejectedExecutionException.class, BrokenExecutorException.class.getSuperclass(),
                "after shutdown Python raises RuntimeError, here RejectedExecutionException: a broken pool rejects the same way");
        BrokenProcessPoolException e = new BrokenProcessPoolException("worker pid 1 exited with status 9", new Error("x"));
        assertEquals("worker pid 1 exited with status 9", e.getMessage());
        assertEquals("x", e.getCause().getMessage());
    }

    @Test
    @DisplayName("InvalidStateError is an IllegalStateException subclass; TimeoutError and an interrupted wait are unchecked")
    void futureExceptions() {
        assertEquals(IllegalStateException.class, InvalidStateException.class.getSuperclass());
        assertTrue(RuntimeException.class.isAssignableFrom(WaitTimeoutException.class));
        assertTrue(RuntimeException.class.isAssignableFrom(WaitInterruptedException.class));
        assertEquals("2 (of 4) futures unfinished", new WaitTimeoutException("2 (of 4) futures unfinished").getMessage());
    }
}
