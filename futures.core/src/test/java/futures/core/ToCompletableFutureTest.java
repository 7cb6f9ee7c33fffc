package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Future.toCompletableFuture(): a dependent stage with the same outcome. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ToCompletableFutureTest {

    @Test
    @DisplayName("it is pending while the future is, and completes with the future's value")
    void completesWithValue() throws Exception {
        Future<String> f = new Future<>();
        CompletableFuture<String> cf = f.toCompletableFuture();
        assertFalse(cf.isDone());
        assertTrue(f.setRunningOrNotifyCancel());
        assertFalse(cf.isDone());
        f.setResult("page");
        assertEquals("page", cf.getNow(null));
        assertEquals("page", cf.get());
        assertEquals("page", cf.join());
    }

    @Test
    @DisplayName("a null value comes through as null")
    void nullValue() {
        Future<String> f = new Future<>();
        CompletableFuture<String> cf = f.toCompletableFuture();
        f.setResult(null);
        assertTrue(cf.isDone());
        assertFalse(cf.isCompletedExceptionally());
        assertNull(cf.join());
    }

    @Test
    @DisplayName("it fails with the future's own exception: get wraps it in ExecutionException, join in CompletionException")
    void completesWithException() {
        Future<String> f = new Future<>();
        CompletableFuture<String> cf = f.toCompletableFuture();
        IOException boom = new IOException("boom");
        f.setException(boom);
        assertTrue(cf.isCompletedExceptionally());
        assertFalse(cf.isCancelled());
        assertSame(boom, assertThrows(ExecutionException.class, cf::get).getCause());
        assertSame(boom, assertThrows(CompletionException.class, cf::join).getCause());
        assertSame(boom, cf.exceptionNow());
    }

    @Test
    @DisplayName("cancelling the future cancels it")
    void cancellationComesThrough() {
        Future<String> f = new Future<>();
        CompletableFuture<String> cf = f.toCompletableFuture();
        assertTrue(f.cancel());
        assertTrue(cf.isCancelled());
        assertThrows(CancellationException.class, cf::join);
    }

    @Test
    @DisplayName("for a future already done it is already complete, with each kind of outcome")
    void alreadyDone() {
        Future<Integer> ok = new Future<>();
        ok.setResult(7);
        assertEquals(7, ok.toCompletableFuture().getNow(-1));
        Future<Integer> failed = new Future<>();
        failed.setException(new IllegalStateException("x"));
        assertTrue(failed.toCompletableFuture().isCompletedExceptionally());
        Future<Integer> cancelled = new Future<>();
        cancelled.cancel();
        assertTrue(cancelled.toCompletableFuture().isCancelled());
    }

    @Test
    @DisplayName("cancelling it does not cancel the future, which can still complete")
    void cancellingItLeavesTheFutureAlone() {
        Future<String> f = new Future<>();
        CompletableFuture<String> cf = f.toCompletableFuture();
        assertTrue(cf.cancel(true));
        assertFalse(f.cancelled());
        assertFalse(f.done());
        f.setResult("still runs");
        assertEquals("still runs", f.result());
        assertTrue(cf.isCancelled(), "a completion after its cancel does not change it");
    }

    @Test
    @DisplayName("completing or obtruding it from outside never changes the future")
    void completingItLeavesTheFutureAlone() {
        Future<String> f = new Future<>();
        CompletableFuture<String> cf = f.toCompletableFuture();
        assertTrue(cf.complete("forged"));
        cf.obtrudeValue("forged again");
        cf.completeExceptionally(new RuntimeException("forged"));
        assertFalse(f.done());
        f.setResult("real");
        assertEquals("real", f.result());
        assertEquals("forged again", cf.join());
    }

    @Test
    @DisplayName("each call returns a new, independent object")
    void eachCallIsIndependent() {
        Future<String> f = new Future<>();
        CompletableFuture<String> a = f.toCompletableFuture();
        CompletableFuture<String> b = f.toCompletableFuture();
        assertNotSame(a, b);
        a.cancel(false);
        f.setResult("v");
        assertTrue(a.isCancelled());
        assertEquals("v", b.join());
    }

    @Test
    @DisplayName("stages chained on it run in the thread that completes the future, in callback order")
    void dependentsRunInCompletingThread() throws Exception {
        Future<String> f = new Future<>();
        List<String> order = new ArrayList<>();
        f.addDoneCallback(x -> order.add("callback before"));
        AtomicReference<Thread> ranIn = new AtomicReference<>();
        CompletableFuture<Integer> len = f.toCompletableFuture().thenApply(s -> {
            ranIn.set(Thread.currentThread());
            order.add("stage");
            return s.length();
        });
        f.addDoneCallback(x -> order.add("callback after"));
        Thread completer = new Thread(() -> f.setResult("four"));
        completer.start();
        completer.join();
        assertEquals(4, len.join());
        assertSame(completer, ranIn.get());
        assertEquals(List.of("callback before", "stage", "callback after"), order);
    }

    @Test
    @DisplayName("a waiter on the JDK side is woken when the future completes in another thread")
    void jdkWaiterIsWoken() throws Exception {
        Future<String> f = new Future<>();
        CompletableFuture<String> cf = f.toCompletableFuture();
        Thread t = new Thread(() -> f.setResult("late"));
        t.start();
        assertEquals("late", cf.get(20, TimeUnit.SECONDS));
        t.join();
    }
}
