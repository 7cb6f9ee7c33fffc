package futures.providers.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Futures;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code Executor.asExecutorService()} checked method by method against the Javadoc of
 * {@link ExecutorService}, {@link java.util.concurrent.Executor} and {@link Future}. Each provider
 * that runs calls in this JVM runs it through a subclass. Each test quotes the sentence it checks.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class ExecutorServiceViewContract {
    /** Tasks that block wait on this; released after each test so none is left blocked. */
    protected final CountDownLatch release = new CountDownLatch(1);
    private final List<Executor> executors = new ArrayList<>();

    /** An executor of the provider under test, running at most {@code maxWorkers} calls at once. */
    protected abstract Executor create(int maxWorkers);

    /** Whether {@code t} is one of the provider's worker threads (by name prefix, virtual-ness, ...). */
    protected abstract boolean isWorker(Thread t);

    @AfterEach
    void releaseAndClose() {
        release.countDown();
        for (Executor e : executors) {
            e.shutdown(true, true);
        }
    }

    private ExecutorService view(int maxWorkers) {
        Executor e = create(maxWorkers);
        executors.add(e);
        return e.asExecutorService();
    }

    private static boolean await(CountDownLatch l) throws InterruptedException {
        return l.await(30, TimeUnit.SECONDS);
    }

    /** A call that signals it started, then blocks until released; it counts down {@code interrupted} if interrupted. */
    private Callable<String> blocker(CountDownLatch started, CountDownLatch interrupted) {
        return () -> {
            started.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
                return "released";
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        };
    }

    // ------------------------------------------------------------------ Executor.execute

    @Test
    @DisplayName("execute: 'Executes the given command at some time in the future', on the executor's workers")
    void executeRunsCommand() throws Exception {
        ExecutorService ex = view(2);
        CountDownLatch ran = new CountDownLatch(1);
        AtomicReference<Thread> in = new AtomicReference<>();
        ex.execute(() -> {
            in.set(Thread.currentThread());
            ran.countDown();
        });
        assertTrue(await(ran));
        assertTrue(isWorker(in.get()), in.get().toString());
    }

    @Test
    @DisplayName("execute: 'RejectedExecutionException if this task cannot be accepted', 'NullPointerException if command is null'")
    void executeRejectsAfterShutdownAndNull() {
        ExecutorService ex = view(1);
        assertThrows(NullPointerException.class, () -> ex.execute(null));
        ex.shutdown();
        assertThrows(RejectedExecutionException.class, () -> ex.execute(() -> {}));
    }

    // ------------------------------------------------------------------ submit

    @Test
    @DisplayName("submit(Callable): 'The Future's get method will return the task's result upon successful completion'")
    void submitCallable() throws Exception {
        ExecutorService ex = view(2);
        Future<Integer> f = ex.submit(() -> 6 * 7);
        assertEquals(42, f.get(30, TimeUnit.SECONDS));
        assertTrue(f.isDone());
        assertEquals(Future.State.SUCCESS, f.state());
        assertEquals(42, f.resultNow());
    }

    @Test
    @DisplayName("submit(Runnable): 'The Future's get method will return null upon successful completion'")
    void submitRunnable() throws Exception {
        ExecutorService ex = view(2);
        AtomicBoolean ran = new AtomicBoolean();
        Future<?> f = ex.submit(() -> ran.set(true));
        assertNull(f.get(30, TimeUnit.SECONDS));
        assertTrue(ran.get());
    }

    @Test
    @DisplayName("submit(Runnable, result): 'The Future's get method will return the given result upon successful completion'")
    void submitRunnableWithResult() throws Exception {
        ExecutorService ex = view(2);
        assertEquals("given", ex.submit(() -> {}, "given").get(30, TimeUnit.SECONDS));
    }

    @Test
    @DisplayName("submit: a task that throws makes get throw ExecutionException with that cause")
    void submitFailure() {
        ExecutorService ex = view(2);
        IOException boom = new IOException("boom");
        Future<String> f = ex.submit(() -> {
            throw boom;
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
        assertSame(boom, e.getCause());
        assertEquals(Future.State.FAILED, f.state());
        assertSame(boom, f.exceptionNow());
    }

    @Test
    @DisplayName("submit: RejectedExecutionException after shutdown; NullPointerException for a null task")
    void submitRejects() {
        ExecutorService ex = view(1);
        assertThrows(NullPointerException.class, () -> ex.submit((Callable<String>) null));
        assertThrows(NullPointerException.class, () -> ex.submit((Runnable) null));
        assertThrows(NullPointerException.class, () -> ex.submit((Runnable) null, "x"));
        ex.shutdown();
        assertThrows(RejectedExecutionException.class, () -> ex.submit(() -> 1));
        assertThrows(RejectedExecutionException.class, () -> ex.submit(() -> {}));
    }

    @Test
    @DisplayName("the futures submit returns are also the library's, so Futures.wait takes them")
    void viewFuturesAreLibraryFutures() {
        ExecutorService ex = view(2);
        List<futures.core.Future<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int x = i;
            fs.add((futures.core.Future<Integer>) ex.submit(() -> x));
        }
        assertEquals(5, Futures.wait(fs, Duration.ofSeconds(30)).done().size());
    }

    // ------------------------------------------------------------------ Future.cancel

    @Test
    @DisplayName("cancel: 'If this task has not started when cancel is called, this task should never run'")
    void cancelNotStarted() throws Exception {
        ExecutorService ex = view(1);
        CountDownLatch started = new CountDownLatch(1);
        ex.submit(blocker(started, new CountDownLatch(1)));
        assertTrue(await(started));
        AtomicBoolean ran = new AtomicBoolean();
        Future<?> f = ex.submit(() -> ran.set(true));
        assertTrue(f.cancel(false));
        assertTrue(f.isCancelled());
        assertTrue(f.isDone());
        assertEquals(Future.State.CANCELLED, f.state());
        assertThrows(CancellationException.class, f::get);
        release.countDown();
        ex.shutdown();
        assertTrue(ex.awaitTermination(30, TimeUnit.SECONDS));
        assertFalse(ran.get());
    }

    @Test
    @DisplayName("cancel(true): 'the thread executing this task should be interrupted'; afterwards isDone and isCancelled are true")
    void cancelRunningInterrupts() throws Exception {
        ExecutorService ex = view(1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Future<String> f = ex.submit(blocker(started, interrupted));
        assertTrue(await(started));
        assertTrue(f.cancel(true));
        assertTrue(f.isDone());
        assertTrue(f.isCancelled());
        assertTrue(await(interrupted), "the running call was interrupted");
        assertThrows(CancellationException.class, () -> f.get(30, TimeUnit.SECONDS));
        // the worker is free again, and the interrupt did not leak into the next call
        assertFalse(ex.submit(() -> Thread.currentThread().isInterrupted()).get(30, TimeUnit.SECONDS));
    }

    @Test
    @DisplayName("cancel(false) on a running task: it succeeds without interrupting, and the outcome is discarded")
    void cancelRunningWithoutInterrupt() throws Exception {
        ExecutorService ex = view(1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Future<String> f = ex.submit(blocker(started, interrupted));
        assertTrue(await(started));
        assertTrue(f.cancel(false));
        assertTrue(f.isDone());
        release.countDown();
        ex.shutdown();
        assertTrue(ex.awaitTermination(30, TimeUnit.SECONDS), "the call ran to its end");
        assertEquals(1, interrupted.getCount(), "not interrupted");
        assertTrue(f.isCancelled());
        assertThrows(CancellationException.class, f::get);
    }

    @Test
    @DisplayName("cancel: 'This attempt will fail if the task has already completed, has already been cancelled'")
    void cancelFailsWhenDone() throws Exception {
        ExecutorService ex = view(1);
        Future<String> f = ex.submit(() -> "done");
        assertEquals("done", f.get(30, TimeUnit.SECONDS));
        assertFalse(f.cancel(true));
        assertFalse(f.isCancelled());
        CountDownLatch started = new CountDownLatch(1);
        ex.submit(blocker(started, new CountDownLatch(1)));
        assertTrue(await(started));
        Future<String> queued = ex.submit(() -> "queued");
        assertTrue(queued.cancel(false));
        assertFalse(queued.cancel(false), "already cancelled");
    }

    // ------------------------------------------------------------------ invokeAll

    @Test
    @DisplayName("invokeAll: 'a list of Futures ... in the same sequential order as produced by the iterator', 'Future.isDone() is true for each'")
    void invokeAllInOrder() throws Exception {
        ExecutorService ex = view(3);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int x = i;
            tasks.add(() -> {
                if (x == 4) {
                    throw new IOException("four");
                }
                return x * x;
            });
        }
        List<Future<Integer>> fs = ex.invokeAll(tasks);
        assertEquals(10, fs.size());
        for (int i = 0; i < 10; i++) {
            Future<Integer> f = fs.get(i);
            assertTrue(f.isDone());
            if (i == 4) {
                assertInstanceOf(IOException.class, assertThrows(ExecutionException.class, f::get).getCause(),
                        "'a completed task could have terminated ... by throwing an exception'");
            } else {
                assertEquals(i * i, f.get());
            }
        }
    }

    @Test
    @DisplayName("invokeAll: NullPointerException if tasks or any of its elements are null; nothing runs")
    void invokeAllNulls() {
        ExecutorService ex = view(1);
        assertThrows(NullPointerException.class, () -> ex.invokeAll(null));
        AtomicBoolean ran = new AtomicBoolean();
        assertThrows(NullPointerException.class, () -> ex.invokeAll(Arrays.asList(() -> ran.getAndSet(true), null)));
        assertFalse(ran.get());
    }

    @Test
    @DisplayName("invokeAll(timeout): 'Upon return, tasks that have not completed are cancelled'; every future is done")
    void invokeAllTimeoutCancels() throws Exception {
        ExecutorService ex = view(1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        List<Callable<String>> tasks = List.of(() -> "quick", blocker(started, interrupted), () -> "never reached");
        List<Future<String>> fs = ex.invokeAll(tasks, 500, TimeUnit.MILLISECONDS);
        assertEquals(3, fs.size());
        for (Future<String> f : fs) {
            assertTrue(f.isDone(), f.toString());
        }
        // The quick one is done well before the deadline, except on a machine too loaded to start
        // a thread in 500 ms: then it was cancelled, which the contract allows too.
        assertTrue(fs.get(0).isCancelled() || "quick".equals(fs.get(0).get()));
        assertTrue(fs.get(1).isCancelled(), "running (or not yet started) at the deadline: cancelled");
        assertTrue(fs.get(2).isCancelled(), "not started at the deadline: cancelled");
        if (started.getCount() == 0) { // its body ran, so it was running at the deadline
            assertTrue(await(interrupted), "the running one was interrupted");
        }
    }

    @Test
    @DisplayName("invokeAll: when interrupted while waiting it throws InterruptedException and cancels unfinished tasks")
    void invokeAllInterrupted() throws Exception {
        ExecutorService ex = view(1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Thread caller = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            try {
                if (await(started)) {
                    caller.interrupt();
                }
            } catch (InterruptedException ignored) {
                // test is over
            }
        });
        interrupter.start();
        try {
            assertThrows(InterruptedException.class, () -> ex.invokeAll(List.of(blocker(started, interrupted))));
            assertFalse(Thread.currentThread().isInterrupted(), "the flag is cleared, as InterruptedException says");
            assertTrue(await(interrupted), "the unfinished task was cancelled with an interrupt");
        } finally {
            interrupter.join();
            Thread.interrupted();
        }
    }

    // ------------------------------------------------------------------ invokeAny

    @Test
    @DisplayName("invokeAny: 'returning the result of one that has completed successfully'; 'tasks that have not completed are cancelled'")
    void invokeAnyFirstSuccess() throws Exception {
        ExecutorService ex = view(3);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch slowStarted = started;
        List<Callable<String>> tasks = List.of(
                () -> {
                    throw new IOException("fails fast");
                },
                blocker(started, interrupted),
                () -> {
                    await(slowStarted); // the blocker is running before this succeeds
                    return "winner";
                });
        assertEquals("winner", ex.invokeAny(tasks));
        assertTrue(await(interrupted), "the still-running task was cancelled with an interrupt");
    }

    @Test
    @DisplayName("invokeAny: 'ExecutionException if no task successfully completes'")
    void invokeAnyAllFail() {
        ExecutorService ex = view(2);
        List<Callable<String>> tasks = List.of(
                () -> {
                    throw new IOException("one");
                },
                () -> {
                    throw new IllegalStateException("two");
                });
        ExecutionException e = assertThrows(ExecutionException.class, () -> ex.invokeAny(tasks));
        Set<String> messages = new HashSet<>();
        messages.add(e.getCause().getMessage());
        for (Throwable s : e.getSuppressed()) {
            messages.add(s.getMessage());
        }
        assertEquals(Set.of("one", "two"), messages, "the last failure is the cause, the others suppressed");
    }

    @Test
    @DisplayName("invokeAny: 'IllegalArgumentException if tasks is empty', NullPointerException for null tasks or elements")
    void invokeAnyBadArguments() {
        ExecutorService ex = view(1);
        assertThrows(IllegalArgumentException.class, () -> ex.invokeAny(Collections.<Callable<String>>emptyList()));
        assertThrows(NullPointerException.class, () -> ex.invokeAny(null));
        assertThrows(NullPointerException.class, () -> ex.invokeAny(Arrays.asList(() -> "x", null)));
    }

    @Test
    @DisplayName("invokeAny(timeout): 'TimeoutException if the given timeout elapses before any task successfully completes'")
    void invokeAnyTimeout() throws Exception {
        ExecutorService ex = view(2);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        assertThrows(TimeoutException.class,
                () -> ex.invokeAny(List.of(blocker(started, interrupted)), 100, TimeUnit.MILLISECONDS));
        if (started.getCount() == 0) { // it was running at the timeout (else it never runs)
            assertTrue(await(interrupted), "the unfinished task was cancelled with an interrupt");
        }
        assertEquals("ok", ex.invokeAny(List.of(() -> "ok"), 30, TimeUnit.SECONDS));
    }

    // ------------------------------------------------------------------ shutdown, shutdownNow

    @Test
    @DisplayName("shutdown: 'previously submitted tasks are executed', 'does not wait for previously submitted tasks to complete'")
    void shutdownDoesNotBlock() throws Exception {
        ExecutorService ex = view(1);
        CountDownLatch started = new CountDownLatch(1);
        Future<String> running = ex.submit(blocker(started, new CountDownLatch(1)));
        Future<String> queued = ex.submit(() -> "queued ran");
        assertTrue(await(started));
        ex.shutdown(); // returns although a task is blocked: no deadlock here
        assertTrue(ex.isShutdown());
        assertFalse(ex.isTerminated());
        ex.shutdown(); // 'Invocation has no additional effect if already shut down'
        release.countDown();
        assertEquals("released", running.get(30, TimeUnit.SECONDS));
        assertEquals("queued ran", queued.get(30, TimeUnit.SECONDS));
        assertTrue(ex.awaitTermination(30, TimeUnit.SECONDS));
        assertTrue(ex.isTerminated());
    }

    @Test
    @DisplayName("shutdownNow: 'returns a list of the tasks that were awaiting execution', 'attempts to stop all actively executing tasks'")
    void shutdownNowReturnsWaitingTasks() throws Exception {
        ExecutorService ex = view(1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Future<String> running = ex.submit(blocker(started, interrupted));
        assertTrue(await(started));
        AtomicBoolean ran = new AtomicBoolean();
        Runnable r1 = () -> ran.set(true);
        Runnable r2 = () -> ran.set(true);
        Runnable r3 = () -> ran.set(true);
        ex.execute(r1);
        Future<?> f2 = ex.submit(r2);
        Future<String> f3 = ex.submit(() -> {
            ran.set(true);
            return "never";
        });
        ex.execute(r3);
        List<Runnable> dropped = ex.shutdownNow();
        assertEquals(4, dropped.size(), dropped.toString());
        assertSame(r1, dropped.get(0), "the very Runnable given to execute, in submission order");
        assertSame(r2, dropped.get(1), "the very Runnable given to submit");
        assertSame(r3, dropped.get(3));
        assertTrue(f2.isCancelled());
        assertTrue(f3.isCancelled());
        assertTrue(await(interrupted), "the running task was interrupted");
        assertTrue(ex.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> ex.submit(() -> 1));
        assertTrue(ex.awaitTermination(30, TimeUnit.SECONDS));
        assertTrue(running.isDone());
        assertFalse(ran.get(), "no waiting task ran");
        dropped.get(2).run(); // the stand-in for a Callable runs the call when asked
        assertTrue(ran.get());
    }

    @Test
    @DisplayName("shutdownNow: a dropped ExecutorCompletionService task is cancelled, so no one waits for it forever")
    void shutdownNowCancelsDroppedJdkFutures() throws Exception {
        ExecutorService ex = view(1);
        CountDownLatch started = new CountDownLatch(1);
        ex.submit(blocker(started, new CountDownLatch(1)));
        assertTrue(await(started));
        java.util.concurrent.FutureTask<String> task = new java.util.concurrent.FutureTask<>(() -> "never");
        ex.execute(task);
        List<Runnable> dropped = ex.shutdownNow();
        assertSame(task, dropped.get(0));
        assertTrue(task.isCancelled());
    }

    // ------------------------------------------------------------------ termination, close

    @Test
    @DisplayName("isTerminated: 'never true unless either shutdown or shutdownNow was called first'")
    void isTerminatedNeedsShutdown() throws Exception {
        ExecutorService ex = view(1);
        ex.submit(() -> 1).get(30, TimeUnit.SECONDS);
        assertFalse(ex.isTerminated());
        ex.shutdown();
        assertTrue(ex.awaitTermination(30, TimeUnit.SECONDS));
        assertTrue(ex.isTerminated());
    }

    @Test
    @DisplayName("awaitTermination: 'false if the timeout elapsed before termination'; true once terminated")
    void awaitTerminationTimesOut() throws Exception {
        ExecutorService ex = view(1);
        assertFalse(ex.awaitTermination(10, TimeUnit.MILLISECONDS), "not shut down: never terminates");
        CountDownLatch started = new CountDownLatch(1);
        ex.submit(blocker(started, new CountDownLatch(1)));
        assertTrue(await(started));
        ex.shutdown();
        assertFalse(ex.awaitTermination(10, TimeUnit.MILLISECONDS));
        release.countDown();
        assertTrue(ex.awaitTermination(30, TimeUnit.SECONDS));
    }

    @Test
    @DisplayName("awaitTermination: 'InterruptedException if interrupted while waiting'")
    void awaitTerminationInterrupted() {
        ExecutorService ex = view(1);
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedException.class, () -> ex.awaitTermination(30, TimeUnit.SECONDS));
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    @DisplayName("close: 'Initiates an orderly shutdown ... and waits until all tasks have completed execution'")
    void closeWaits() throws Exception {
        ExecutorService ex = view(2);
        List<Future<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int x = i;
            fs.add(ex.submit(() -> {
                Thread.yield();
                return x;
            }));
        }
        ex.close();
        assertTrue(ex.isTerminated());
        for (Future<Integer> f : fs) {
            assertTrue(f.isDone());
        }
        ex.close(); // 'If already terminated, invoking this method has no effect'
    }

    @Test
    @DisplayName("close: 'If interrupted while waiting, this method stops all executing tasks as if by invoking shutdownNow' and re-asserts the interrupt")
    void closeInterrupted() throws Exception {
        ExecutorService ex = view(1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Future<String> f = ex.submit(blocker(started, interrupted));
        assertTrue(await(started));
        Thread caller = Thread.currentThread();
        Thread interrupter = new Thread(caller::interrupt);
        interrupter.start();
        try {
            ex.close();
            assertTrue(Thread.currentThread().isInterrupted(), "'The interrupt status will be re-asserted'");
        } finally {
            Thread.interrupted(); // clear it before joining, which would throw
            interrupter.join();
            Thread.interrupted(); // in case the interrupter fired only now
        }
        assertTrue(ex.isTerminated());
        assertEquals(0, interrupted.getCount(), "the running task was interrupted");
        assertTrue(f.isDone());
    }

    @Test
    @DisplayName("close from one of the view's own tasks throws IllegalStateException instead of waiting for itself")
    void closeFromOwnTask() throws Exception {
        ExecutorService ex = view(2);
        Future<String> f = ex.submit(() -> {
            ex.close();
            return "unreachable";
        });
        assertInstanceOf(IllegalStateException.class,
                assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS)).getCause());
        assertTrue(ex.isShutdown());
        assertTrue(ex.awaitTermination(30, TimeUnit.SECONDS));
    }

    // ------------------------------------------------------------------ the JDK's own users

    @Test
    @DisplayName("CompletableFuture.supplyAsync(supplier, view) runs the supplier on the executor")
    void supplyAsync() {
        ExecutorService ex = view(2);
        CompletableFuture<Thread> cf = CompletableFuture.supplyAsync(Thread::currentThread, ex);
        Thread t = cf.orTimeout(30, TimeUnit.SECONDS).join();
        assertTrue(isWorker(t), t.toString());
        assertEquals(12, CompletableFuture.supplyAsync(() -> 5, ex).thenApplyAsync(x -> x + 7, ex).join());
    }

    @Test
    @DisplayName("an ExecutorCompletionService over the view hands back every result as it completes")
    void completionService() throws Exception {
        ExecutorService ex = view(3);
        ExecutorCompletionService<Integer> ecs = new ExecutorCompletionService<>(ex);
        for (int i = 0; i < 8; i++) {
            int x = i;
            ecs.submit(() -> x * 10);
        }
        Set<Integer> got = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            Future<Integer> f = ecs.poll(30, TimeUnit.SECONDS);
            assertTrue(f != null && f.isDone());
            got.add(f.get());
        }
        assertEquals(Set.of(0, 10, 20, 30, 40, 50, 60, 70), got);
    }

    @Test
    @DisplayName("asExecutorService returns the same view each time, sharing the executor's shutdown")
    void sameView() {
        Executor e = create(1);
        executors.add(e);
        assertSame(e.asExecutorService(), e.asExecutorService());
        e.shutdown(false);
        assertTrue(e.asExecutorService().isShutdown());
    }
}
