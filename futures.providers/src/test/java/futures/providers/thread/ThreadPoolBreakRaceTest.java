package futures.providers.thread;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.spi.BrokenThreadPoolException;
import futures.spi.ExecutorConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Races between an initializer failure and shutdown in the thread provider. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThreadPoolBreakRaceTest {

    @Test
    @DisplayName("an initializer that fails after shutdown(wait=false) does not strand the other workers: shutdown(wait=true) returns")
    void initializerFailsAfterShutdown() throws Exception {
        CountDownLatch secondInitEntered = new CountDownLatch(1);
        CountDownLatch failSecondInit = new CountDownLatch(1);
        CountDownLatch firstTaskStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstTask = new CountDownLatch(1);
        AtomicInteger inits = new AtomicInteger();
        AtomicReference<Thread> failing = new AtomicReference<>();
        Executor ex = Executors.create("thread", ExecutorConfig.builder().maxWorkers(2).initializer(() -> {
            if (inits.incrementAndGet() == 2) {
                failing.set(Thread.currentThread());
                secondInitEntered.countDown();
                failSecondInit.await();
                throw new IllegalStateException("second initializer fails");
            }
        }).build());
        try {
            Future<Boolean> first = ex.submit(() -> {
                firstTaskStarted.countDown();
                return releaseFirstTask.await(30, TimeUnit.SECONDS);
            });
            firstTaskStarted.await();
            Future<Integer> second = ex.submit(() -> 2); // no idle worker: starts the second, whose initializer waits
            secondInitEntered.await();
            ex.shutdown(false); // queues one stop marker per worker behind `second`
            failSecondInit.countDown(); // the pool breaks: `second` fails
            failing.get().join(); // the failing worker is done breaking the pool
            assertInstanceOf(BrokenThreadPoolException.class, second.exception());
            releaseFirstTask.countDown();
            assertTrue(first.result());
            // the first worker, now idle, must still find a way out
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> ex.shutdown(true),
                    "shutdown(wait=true) hangs: the break drained the stop markers the other worker needed");
        } finally {
            failSecondInit.countDown();
            releaseFirstTask.countDown();
        }
    }
}
