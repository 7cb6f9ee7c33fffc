package futures.providers.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ExecutorService view on the "process" provider, where it applies: calls must be
 * serializable, and a latch cannot cross to a worker, so the tests that block a worker on a latch
 * (cancel of a running call, shutdownNow of waiting calls, interrupts) are the in-JVM providers'
 * only. Skipped while no "process" provider is on the path.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessExecutorServiceViewTest {
    private Executor executor;
    private ExecutorService view;

    @BeforeEach
    void open() {
        assumeTrue(Executors.providers().stream().anyMatch(p -> p.name().equals("process")),
                "no \"process\" provider on the path yet");
        executor = Executors.create("process", ExecutorConfig.builder().maxWorkers(2).build());
        view = executor.asExecutorService();
    }

    @AfterEach
    void close() {
        if (executor != null) {
            executor.shutdown(true, true);
        }
    }

    @Test
    @DisplayName("submit(Callable) of a serializable call runs it in a worker process and returns its value")
    void submitSerializable() throws Exception {
        assertEquals(49, view.submit(ProcessTasks.square(7)).get(60, TimeUnit.SECONDS));
        String pid = view.submit(ProcessTasks.pid()).get(60, TimeUnit.SECONDS);
        assertNotEquals(String.valueOf(ProcessHandle.current().pid()), pid);
        assertEquals("r", view.submit(ProcessTasks.noop(), "r").get(60, TimeUnit.SECONDS));
    }

    @Test
    @DisplayName("a call that is not serializable fails its own future with the serialization error; the pool keeps serving")
    void notSerializableFailsItsFuture() throws Exception {
        Future<String> f = view.submit(ProcessTasks.notSerializable());
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
        boolean found = false;
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            found |= t instanceof NotSerializableException || String.valueOf(t.getMessage()).contains("erializ");
        }
        assertTrue(found, "the cause names the serialization failure: " + e.getCause());
        assertEquals(4, view.submit(ProcessTasks.square(2)).get(60, TimeUnit.SECONDS));
    }

    @Test
    @DisplayName("invokeAll returns every future done, in order; invokeAny the first success, or ExecutionException")
    void invokeAllAndAny() throws Exception {
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            tasks.add(ProcessTasks.square(i));
        }
        List<Future<Integer>> fs = view.invokeAll(tasks);
        for (int i = 0; i < 6; i++) {
            assertTrue(fs.get(i).isDone());
            assertEquals(i * i, fs.get(i).get());
        }
        assertEquals("ok", view.invokeAny(List.of(ProcessTasks.failing("no"), ProcessTasks.constant("ok"))));
        assertThrows(ExecutionException.class,
                () -> view.invokeAny(List.of(ProcessTasks.failing("a"), ProcessTasks.failing("b"))));
    }

    @Test
    @DisplayName("shutdown does not block; awaitTermination and isTerminated see the end")
    void shutdownAndTermination() throws Exception {
        Future<Integer> f = view.submit(ProcessTasks.square(3));
        view.shutdown();
        assertTrue(view.isShutdown());
        assertTrue(view.awaitTermination(60, TimeUnit.SECONDS));
        assertTrue(view.isTerminated());
        assertEquals(9, f.get());
    }
}
