package futures.moduletests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.spi.ExecutorConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What is particular to the inline provider, beyond the shared suite. */
@Timeout(30)
class InlineProviderTest {

    @Test
    @DisplayName("submit returns a future that is already done, its call run in the submitting thread")
    void runsInsideSubmit() {
        try (Executor ex = Executors.create("inline")) {
            Thread me = Thread.currentThread();
            Future<Boolean> f = ex.submit(() -> Thread.currentThread() == me);
            assertTrue(f.done());
            assertTrue(f.result());
            assertEquals(Integer.MAX_VALUE, ex.maxWorkers(), "unbounded by default");
        }
    }

    @Test
    @DisplayName("a call that submits to its own executor at max_workers=1 runs the nested call at once, without deadlock")
    void nestedSubmitDoesNotDeadlock() {
        try (Executor ex = Executors.create("inline", ExecutorConfig.builder().maxWorkers(1).build())) {
            Future<Integer> outer = ex.submit(() -> ex.submit(Math::addExact, 20, 22).result());
            assertEquals(42, outer.result());
        }
    }

    @Test
    @DisplayName("shutdown(wait=true) from inside a call raises IllegalStateException, and the executor is shut down")
    void waitingShutdownFromACallFails() {
        Executor ex = Executors.create("inline");
        Future<Object> f = ex.submit(() -> {
            ex.shutdown(true);
            return null;
        });
        assertTrue(f.exception() instanceof IllegalStateException, String.valueOf(f.exception()));
        assertTrue(ex.isShutdown());
        ex.shutdown();
    }
}
