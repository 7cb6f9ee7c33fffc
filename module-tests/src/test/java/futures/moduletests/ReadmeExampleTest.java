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

/**
 * The README's example, compiled in a module that requires only futures.core (and the testkit,
 * JUnit) and run on the module path, with the thread provider found at run time.
 */
class ReadmeExampleTest {

    @Test
    @Timeout(30)
    @DisplayName("the README example: submit(Math::pow, 323.0, 1235.0) on a thread executor of one worker")
    void readmeExample() {
        assertTrue(getClass().getModule().isNamed(), "not on the module path");
        double printed;
        try (Executor ex = Executors.create("thread", ExecutorConfig.builder().maxWorkers(1).build())) {
            Future<Double> f = ex.submit(Math::pow, 323.0, 1235.0);
            printed = f.result();
            System.out.println(f.result());
        }
        // Python prints a 3,100-digit integer; a Java double overflows to Infinity, as Math.pow does.
        assertEquals(Math.pow(323.0, 1235.0), printed);
        assertEquals(Double.POSITIVE_INFINITY, printed);
    }
}
