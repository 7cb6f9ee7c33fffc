package futures.moduletests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DESIGN section 3: {@code ThreadPoolExecutor(max_workers=4)} is {@code Executors.create("thread",
 * ...)} "plus a short static factory", and an {@code Executor} is also a
 * {@code java.util.concurrent.Executor}.
 */
@Timeout(30)
class ExecutorsFactoryTest {

    @Test
    @DisplayName("Executors.threadPool(n) is ThreadPoolExecutor(max_workers=n): the thread provider, bounded to n")
    void threadPool() {
        try (Executor ex = Executors.threadPool(3)) {
            assertEquals("thread", ex.providerName());
            assertEquals(3, ex.maxWorkers());
            assertEquals(42, ex.submit(() -> 42).result());
        }
    }

    @Test
    @DisplayName("Executors.processPool(n) is ProcessPoolExecutor(max_workers=n): the process provider, bounded to n")
    void processPool() {
        Executor ex = Executors.processPool(2);
        try {
            assertEquals("process", ex.providerName());
            assertEquals(2, ex.maxWorkers());
        } finally {
            ex.shutdown(); // workers start on demand: none was started
        }
    }

    @Test
    @DisplayName("the short factories reject max_workers <= 0 with IllegalArgumentException, as ValueError in Python")
    void factoriesRejectNonPositive() {
        assertThrows(IllegalArgumentException.class, () -> Executors.threadPool(0));
        assertThrows(IllegalArgumentException.class, () -> Executors.processPool(-1));
    }

    @Test
    @DisplayName("an Executor is a java.util.concurrent.Executor: JDK code that takes one runs commands on it")
    void isAJdkExecutor() throws InterruptedException {
        try (Executor ex = Executors.threadPool(1)) {
            java.util.concurrent.Executor jdk = assertInstanceOf(java.util.concurrent.Executor.class, ex);
            CountDownLatch ran = new CountDownLatch(1);
            jdk.execute(ran::countDown);
            assertTrue(ran.await(20, TimeUnit.SECONDS), "the command did not run");
        }
    }
}
