package futures.providers.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.spi.Task;
import futures.spi.WorkItem;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker thread that cannot start (no memory for its stack, a process thread limit) refuses the
 * call that needed it with a clear error, and the pool goes on serving: nothing is left queued
 * with no thread to run it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThreadPoolStartFailureTest {

    /** A work item as the core would hand over, recording what the pool did with it. */
    private static class Item implements WorkItem {
        final CompletableFuture<Object> outcome = new CompletableFuture<>();
        final AtomicBoolean marked = new AtomicBoolean();
        private final Task<?> task;

        Item(Object value) {
            task = () -> value;
        }

        @Override
        public Task<?> task() {
            return task;
        }

        @Override
        public boolean markRunning() {
            marked.set(true);
            return true;
        }

        @Override
        public boolean complete(Object value) {
            return outcome.complete(value);
        }

        @Override
        public boolean fail(Throwable failure) {
            return outcome.completeExceptionally(failure);
        }
    }

    /** Threads whose start fails the first {@code failures} times, as Thread.start does when out of memory. */
    private static ThreadFactory failingFirst(int failures) {
        AtomicInteger made = new AtomicInteger();
        return r -> made.getAndIncrement() < failures
                ? new Thread(r) {
                    @Override
                    public synchronized void start() {
                        throw new OutOfMemoryError("unable to create native thread: simulated");
                    }
                }
                : new Thread(r);
    }

    @Test
    @DisplayName("a worker thread that fails to start refuses its call with the cause, and the next call runs")
    void failedStartRefusesTheCallAndThePoolGoesOn() throws Exception {
        ThreadPool pool = new ThreadPool(1, "start-failure", null, failingFirst(1));
        try {
            Item first = new Item("first");
            RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> pool.execute(first));
            assertInstanceOf(OutOfMemoryError.class, e.getCause());
            assertTrue(e.getMessage().contains("could not start a worker thread"), e.getMessage());
            assertFalse(first.marked.get(), "the refused call was handed to a worker");

            Item second = new Item("second");
            pool.execute(second);
            assertEquals("second", second.outcome.get(30, TimeUnit.SECONDS));
            assertFalse(first.marked.get(), "the refused call ran later");
        } finally {
            pool.shutdown(true);
        }
    }

    @Test
    @DisplayName("while one worker is busy, a second that fails to start refuses the call, and the busy one then serves on")
    void failedSecondStartLeavesTheFirstWorkerServing() throws Exception {
        AtomicInteger made = new AtomicInteger();
        ThreadFactory secondFails = r -> made.getAndIncrement() == 1 ? failingFirst(1).newThread(r) : new Thread(r);
        ThreadPool pool = new ThreadPool(2, "start-failure-2", null, secondFails);
        CountDownLatch release = new CountDownLatch(1);
        try {
            Item busy = new Item(null) {
                @Override
                public Task<?> task() {
                    return () -> {
                        release.await();
                        return "busy";
                    };
                }
            };
            pool.execute(busy);
            Item second = new Item("second");
            RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> pool.execute(second));
            assertInstanceOf(OutOfMemoryError.class, e.getCause());
            release.countDown();
            assertEquals("busy", busy.outcome.get(30, TimeUnit.SECONDS));
            Item third = new Item("third");
            pool.execute(third); // starts the second thread (the factory's third), or goes to the idle first
            assertEquals("third", third.outcome.get(30, TimeUnit.SECONDS));
            assertFalse(second.marked.get(), "the refused call ran later");
        } finally {
            release.countDown();
            pool.shutdown(true);
        }
    }
}
