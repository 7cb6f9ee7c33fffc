package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.spi.BrokenExecutorException;
import futures.spi.Task;
import futures.spi.WorkItem;
import futures.spi.WorkerPool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ExecutorService view's bookkeeping, white-box, over a pool the test drives by hand: what
 * shutdownNow hands back, when the view is terminated, what a call that cannot run does. The
 * contract method by method is checked on the real providers in futures.providers.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExecutorServiceViewTest {

    /** Holds items until the test runs, drops or fails them. Used from the test thread only. */
    static final class ManualPool implements WorkerPool {
        final ArrayDeque<WorkItem> items = new ArrayDeque<>();
        boolean shutdown;

        @Override
        public void execute(WorkItem item) {
            if (shutdown) {
                throw new RejectedExecutionException("shut down");
            }
            items.add(item);
        }

        @Override
        public void shutdown(boolean wait) {
            shutdown = true;
        }

        @Override
        public int maxWorkers() {
            return 1;
        }

        @Override
        public BrokenExecutorException broken() {
            return null;
        }

        /** Takes every held item through the protocol: cancelled ones are dropped, others run. */
        void drain() {
            for (WorkItem i; (i = items.poll()) != null; ) {
                i.run();
            }
        }
    }

    @Test
    @DisplayName("shutdownNow hands back the calls that never started, in submission order, whichever API made them")
    void shutdownNowOrderAndIdentity() throws Exception {
        ManualPool pool = new ManualPool();
        Executor ex = new Executor("manual", pool);
        ExecutorService view = ex.asExecutorService();
        AtomicInteger ran = new AtomicInteger();
        Future<Integer> lib = ex.submit(ran::incrementAndGet);
        Runnable command = ran::incrementAndGet;
        view.execute(command);
        java.util.concurrent.Future<Integer> viewed = view.submit(ran::incrementAndGet);
        Runnable submitted = ran::incrementAndGet;
        java.util.concurrent.Future<?> viewedRunnable = view.submit(submitted);

        List<Runnable> dropped = view.shutdownNow();
        assertEquals(4, dropped.size());
        assertSame(command, dropped.get(1));
        assertSame(submitted, dropped.get(3));
        assertTrue(lib.cancelled());
        assertTrue(viewed.isCancelled());
        assertTrue(viewedRunnable.isCancelled());
        assertTrue(view.isShutdown());
        assertFalse(view.isTerminated(), "the pool still holds the items, unsettled");

        pool.drain();
        assertEquals(0, ran.get(), "nothing dropped ran");
        assertTrue(view.isTerminated());
        assertTrue(view.awaitTermination(0, TimeUnit.SECONDS));

        for (Runnable r : dropped) {
            r.run(); // each stands for its call, and runs it when asked
        }
        assertEquals(4, ran.get());
    }

    @Test
    @DisplayName("the view is terminated only once shut down and every call is settled")
    void terminationFollowsPending() throws Exception {
        ManualPool pool = new ManualPool();
        Executor ex = new Executor("manual", pool);
        ExecutorService view = ex.asExecutorService();
        java.util.concurrent.Future<String> f = view.submit(() -> "v");
        view.shutdown();
        assertFalse(view.isTerminated());
        assertFalse(view.awaitTermination(1, TimeUnit.MILLISECONDS));
        pool.drain();
        assertEquals("v", f.get());
        assertTrue(view.isTerminated());
        assertThrows(RejectedExecutionException.class, () -> view.submit(() -> "late"));
        assertTrue(view.isTerminated(), "a rejected submit does not undo termination");
    }

    @Test
    @DisplayName("a call the pool cannot run (it cannot be serialized) fails its view future with that error")
    void poolFailureReachesViewFuture() {
        ManualPool pool = new ManualPool();
        Executor ex = new Executor("manual", pool);
        java.util.concurrent.Future<String> f = ex.asExecutorService().submit(() -> "never");
        NotSerializableException cause = new NotSerializableException("ExecutorServiceViewTest$$Lambda");
        pool.items.poll().fail(cause);
        assertSame(cause, assertThrows(ExecutionException.class, f::get).getCause());
        ex.shutdown(false);
    }

    @Test
    @DisplayName("an execute()d JDK future whose call cannot run is cancelled, so its waiters wake up")
    void executedFutureTaskCancelledWhenItCannotRun() {
        ManualPool pool = new ManualPool();
        Executor ex = new Executor("manual", pool);
        FutureTask<String> task = new FutureTask<>(() -> "never");
        ex.asExecutorService().execute(task);
        try (LogCapture log = new LogCapture(Executor.class.getName())) {
            BrokenExecutorException broke = new BrokenExecutorException("the pool broke");
            pool.items.poll().fail(broke);
            assertEquals(1, log.records().size(), "the failure of an execute()d call is logged");
            assertSame(broke, log.records().get(0).getThrown());
        }
        assertTrue(task.isCancelled());
        ex.shutdown(false);
    }

    @Test
    @DisplayName("a view call crosses by serialization when its Callable is serializable, and not otherwise")
    void viewTaskSerialization() throws Exception {
        ExecutorServiceView.ViewTask<Integer> ok = new ExecutorServiceView.ViewTask<>(
                (Callable<Integer> & Serializable) () -> 42, null);
        Object copy = roundTrip(ok);
        assertEquals(42, ((Task<?>) copy).call(), "the copy runs without its in-JVM handle");
        ExecutorServiceView.ViewTask<Integer> plain = new ExecutorServiceView.ViewTask<>(() -> 42, null);
        assertInstanceOf(NotSerializableException.class, assertThrows(Exception.class, () -> roundTrip(plain)));
    }

    private static Object roundTrip(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }
}
