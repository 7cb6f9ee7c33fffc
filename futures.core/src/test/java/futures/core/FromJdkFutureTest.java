package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Futures.from: library futures that mirror JDK ones, for wait and asCompleted. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FromJdkFutureTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    // ------------------------------------------------------------------ CompletionStage

    @Test
    @DisplayName("a mirror of a CompletableFuture is pending until it completes, then has its value")
    void stageValue() {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Future<String> m = Futures.from(cf);
        assertFalse(m.done());
        assertFalse(m.running(), "a JDK future does not say whether it started");
        cf.complete("v");
        assertTrue(m.done());
        assertEquals("v", m.result());
    }

    @Test
    @DisplayName("a mirror of a failed stage has the stage's own exception")
    void stageFailure() {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Future<String> m = Futures.from(cf);
        IOException boom = new IOException("boom");
        cf.completeExceptionally(boom);
        assertSame(boom, m.exception());
    }

    @Test
    @DisplayName("a failure carried from an earlier stage is unwrapped, as CompletableFuture.get does")
    void dependentStageFailureIsUnwrapped() {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Future<Integer> m = Futures.from(cf.thenApply(String::length));
        IllegalStateException boom = new IllegalStateException("boom");
        cf.completeExceptionally(boom);
        assertSame(boom, m.exception());
    }

    @Test
    @DisplayName("a mirror of a cancelled stage is cancelled")
    void stageCancelled() {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Future<String> m = Futures.from(cf);
        cf.cancel(false);
        assertTrue(m.cancelled());
    }

    @Test
    @DisplayName("cancelling the mirror of a pending CompletableFuture cancels the source")
    void cancelMirrorCancelsStage() {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Future<String> m = Futures.from(cf);
        assertTrue(m.cancel());
        assertTrue(m.cancelled());
        assertTrue(cf.isCancelled());
    }

    @Test
    @DisplayName("cancelling the mirror of a completed source fails and shows the source's outcome")
    void cancelMirrorOfDoneSource() {
        CompletableFuture<String> cf = CompletableFuture.completedFuture("done");
        Future<String> m = Futures.from(cf);
        assertFalse(m.cancel());
        assertEquals("done", m.result());
    }

    @Test
    @DisplayName("a bare CompletionStage cannot be cancelled: cancel() is false and the mirror follows the stage")
    void bareStageCannotBeCancelled() {
        CompletableFuture<String> cf = new CompletableFuture<>();
        CompletionStage<String> stage = cf.minimalCompletionStage();
        Future<String> m = Futures.from(stage);
        assertFalse(m.cancel());
        assertFalse(m.done());
        cf.complete("later");
        assertEquals("later", m.result());
    }

    @Test
    @DisplayName("a mirror cannot be completed by hand: setResult, setException, setRunningOrNotifyCancel throw")
    void mirrorIsReadOnly() {
        Future<String> m = Futures.from(new CompletableFuture<String>());
        assertThrows(InvalidStateException.class, () -> m.setResult("x"));
        assertThrows(InvalidStateException.class, () -> m.setException(new RuntimeException()));
        assertThrows(InvalidStateException.class, m::setRunningOrNotifyCancel);
        assertFalse(m.done());
    }

    @Test
    @DisplayName("a library future is returned as it is")
    void libraryFutureIsItself() {
        Future<String> f = new Future<>();
        assertSame(f, Futures.from((java.util.concurrent.Future<String>) f));
    }

    @Test
    @DisplayName("a CompletableFuture given as a plain Future still uses its completion hook")
    void completableAsPlainFuture() {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Future<String> m = Futures.from((java.util.concurrent.Future<String>) cf);
        cf.complete("hooked");
        assertTrue(m.done(), "completed at once, not by the poller");
        assertEquals("hooked", m.result());
    }

    // ------------------------------------------------------------------ plain JDK futures

    @Test
    @DisplayName("a FutureTask already done is mirrored at once")
    void plainAlreadyDone() {
        FutureTask<Integer> task = new FutureTask<>(() -> 42);
        task.run();
        Future<Integer> m = Futures.from(task);
        assertTrue(m.done());
        assertEquals(42, m.result());
    }

    @Test
    @DisplayName("a FutureTask run later in another thread completes its mirror through the shared poller")
    void plainCompletesLater() throws Exception {
        FutureTask<String> task = new FutureTask<>(() -> "ran");
        Future<String> m = Futures.from(task);
        assertFalse(m.done());
        Thread t = new Thread(task);
        t.start();
        assertEquals("ran", m.result(LONG));
        t.join();
    }

    @Test
    @DisplayName("a FutureTask that throws fails its mirror with the call's exception")
    void plainFailure() {
        IOException boom = new IOException("boom");
        FutureTask<String> task = new FutureTask<>(() -> {
            throw boom;
        });
        Future<String> m = Futures.from(task);
        new Thread(task).start();
        assertSame(boom, m.exception(LONG));
    }

    @Test
    @DisplayName("a ForkJoinTask is mirrored too")
    void forkJoinTask() {
        ForkJoinTask<Integer> task = ForkJoinPool.commonPool().submit(() -> 6 * 7);
        assertEquals(42, Futures.from(task).result(LONG));
    }

    @Test
    @DisplayName("cancelling the mirror of a FutureTask that has not run cancels it, and it never runs")
    void cancelPlainPending() {
        AtomicBoolean ran = new AtomicBoolean();
        FutureTask<String> task = new FutureTask<>(() -> {
            ran.set(true);
            return "x";
        });
        Future<String> m = Futures.from(task);
        assertTrue(m.cancel());
        assertTrue(m.cancelled());
        assertTrue(task.isCancelled());
        task.run();
        assertFalse(ran.get());
    }

    @Test
    @DisplayName("cancel(true) on the mirror of a running FutureTask passes the interrupt on")
    void cancelPlainRunningInterrupts() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        FutureTask<String> task = new FutureTask<>(() -> {
            started.countDown();
            try {
                never.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return "x";
        });
        Future<String> m = Futures.from(task);
        Thread t = new Thread(task);
        t.start();
        try {
            assertTrue(started.await(30, TimeUnit.SECONDS));
            assertTrue(m.cancel(true));
            assertTrue(m.cancelled());
            t.join();
            assertTrue(interrupted.get());
        } finally {
            never.countDown();
        }
    }

    @Test
    @DisplayName("a plain future whose isDone throws, when the poller checks it, fails its mirror with that exception")
    void brokenPlainFuture() {
        IllegalStateException broken = new IllegalStateException("broken isDone");
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.Future<String> weird = new java.util.concurrent.Future<>() {
            @Override public boolean cancel(boolean b) { return false; }
            @Override public boolean isCancelled() { return false; }
            @Override public boolean isDone() {
                if (calls.incrementAndGet() == 1) {
                    return false; // the check in Futures.from itself
                }
                throw broken;
            }
            @Override public String get() { throw new AssertionError(); }
            @Override public String get(long t, TimeUnit u) { throw new AssertionError(); }
        };
        Future<String> m = Futures.from(weird);
        assertSame(broken, m.exception(LONG));
    }

    @Test
    @DisplayName("thousands of pending plain futures cost one poller thread in all, not one each")
    void onePollerForAll() {
        List<FutureTask<Integer>> tasks = new ArrayList<>();
        List<Future<Integer>> mirrors = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            int x = i;
            FutureTask<Integer> t = new FutureTask<>(() -> x);
            tasks.add(t);
            mirrors.add(Futures.from(t));
        }
        try {
            assertEquals(1, JdkFuturePoller.threadsStarted());
            assertTrue(JdkFuturePoller.watched() >= 1, "the pending ones are watched");
            for (int i = 0; i < 100; i++) {
                tasks.get(i).run();
            }
            DoneAndNotDone<Future<Integer>> r = Futures.wait(mirrors.subList(0, 100), LONG);
            assertEquals(100, r.done().size());
            assertEquals(1, JdkFuturePoller.threadsStarted());
        } finally {
            mirrors.forEach(Future::cancel);
        }
        assertTrue(tasks.get(4999).isCancelled());
    }

    // ------------------------------------------------------------------ wait and asCompleted

    @Test
    @DisplayName("wait accepts JDK futures mixed with the library's, and reports each in its set")
    void waitMixed() {
        Future<String> own = new Future<>();
        CompletableFuture<String> cf = new CompletableFuture<>();
        FutureTask<String> task = new FutureTask<>(() -> "task");
        Future<String> mcf = Futures.from(cf);
        Future<String> mtask = Futures.from(task);
        List<Future<String>> all = List.of(own, mcf, mtask);

        new Thread(task).start();
        DoneAndNotDone<Future<String>> first = Futures.wait(all, LONG, ReturnWhen.FIRST_COMPLETED);
        assertEquals(List.of(mtask), List.copyOf(first.done()));
        assertEquals(List.of(own, mcf), List.copyOf(first.notDone()));

        cf.completeExceptionally(new IOException("down"));
        DoneAndNotDone<Future<String>> exc = Futures.wait(all, LONG, ReturnWhen.FIRST_EXCEPTION);
        assertTrue(exc.done().contains(mcf));

        own.setResult("own");
        DoneAndNotDone<Future<String>> r = Futures.wait(all, LONG, ReturnWhen.ALL_COMPLETED);
        assertEquals(3, r.done().size());
        assertTrue(r.notDone().isEmpty());
    }

    @Test
    @DisplayName("asCompleted over a map of mixed futures yields each once, done ones first")
    void asCompletedMixed() throws Exception {
        Map<Future<String>, String> names = new LinkedHashMap<>();
        CompletableFuture<String> cf = new CompletableFuture<>();
        FutureTask<String> task = new FutureTask<>(() -> "task");
        Future<String> own = new Future<>();
        own.setResult("own");
        names.put(Futures.from(cf), "cf");
        names.put(Futures.from(task), "task");
        names.put(own, "own");
        Iterable<Future<String>> it = Futures.asCompleted(names.keySet(), LONG);
        List<String> order = new ArrayList<>();
        Thread t = new Thread(() -> {
            task.run();
            cf.complete("cf");
        });
        t.start();
        for (Future<String> f : it) {
            order.add(names.get(f));
            assertEquals(names.get(f), f.result());
        }
        t.join();
        assertEquals("own", order.get(0));
        assertEquals(3, order.size());
        assertTrue(order.containsAll(List.of("cf", "task", "own")));
    }

    @Test
    @DisplayName("the JDK get on a mirror behaves as on the source: value, ExecutionException, timeout")
    void jdkGetOnMirror() throws Exception {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Future<String> m = Futures.from(cf);
        assertThrows(TimeoutException.class, () -> m.get(1, TimeUnit.MILLISECONDS));
        cf.completeExceptionally(new IOException("x"));
        assertInstanceOf(IOException.class, assertThrows(ExecutionException.class, m::get).getCause());
    }
}
