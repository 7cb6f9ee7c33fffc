package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The edges of the storage behind wait and asCompleted, and messages, that mutation testing found
 * unguarded: exactly 16,384 listeners (one full chunk), the identity index built over exactly one
 * full chunk, the call numbers as they advance and wrap, an iterator past its end, and the JDK's
 * and Python's wording of errors.
 */
@Timeout(120)
class StorageEdgesTest {

    private static List<Future<Integer>> pending(int n) {
        List<Future<Integer>> fs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            fs.add(new Future<>());
        }
        return fs;
    }

    @Test
    @DisplayName("asCompleted over exactly 16,384 pending futures and then a done one returns the done one first, and times out cleanly")
    void asCompletedOverOneFullChunkOfListeners() {
        List<Future<Integer>> fs = pending(FutureSet.CHUNK);
        Future<Integer> done = new Future<>();
        done.setResult(1);
        fs.add(done);
        Iterator<Future<Integer>> it = Futures.asCompleted(fs, Duration.ZERO).iterator();
        assertSame(done, it.next());
        assertThrows(WaitTimeoutException.class, it::next); // removes 16,384 listeners
        for (Future<Integer> f : fs.subList(0, 10)) {
            assertEquals(0, f.listenerCount(), "the listeners were removed");
        }
        assertEquals(0, fs.get(FutureSet.CHUNK - 1).listenerCount());
    }

    @Test
    @DisplayName("wait over exactly 16,384 pending futures removes every listener it installed when it returns")
    void waitOverOneFullChunkOfListeners() {
        List<Future<Integer>> fs = pending(FutureSet.CHUNK);
        Thread me = Thread.currentThread();
        Thread completer = new Thread(() -> {
            while (me.getState() != Thread.State.TIMED_WAITING && me.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            fs.get(FutureSet.CHUNK - 1).setResult(7);
        });
        completer.setDaemon(true);
        completer.start();
        DoneAndNotDone<Future<Integer>> r = Futures.wait(fs, Duration.ofSeconds(60), ReturnWhen.FIRST_COMPLETED);
        assertEquals(1, r.done().size());
        assertEquals(0, fs.get(0).listenerCount());
        assertEquals(0, fs.get(FutureSet.CHUNK - 2).listenerCount());
    }

    @Test
    @DisplayName("after the numbers wrap, a duplicate met once exactly 16,384 futures are kept is found through an index over one full chunk")
    void indexOverOneFullChunk() {
        List<Future<Integer>> fs = pending(FutureSet.CHUNK);
        fs.add(fs.get(0)); // the first duplicate, met when 16,384 are kept
        fs.add(new Future<>());
        FutureSet.lastCallForTests(12345, true);
        FutureSet<Future<Integer>> s = FutureSet.distinct(fs);
        assertEquals(FutureSet.CHUNK + 1, s.size());
        assertSame(fs.get(FutureSet.CHUNK + 1), s.get(FutureSet.CHUNK));
    }

    @Test
    @DisplayName("each de-duplication takes the next call number; after 2^32 - 1 it wraps to 1 (never 0) and from then on numbers count as reused")
    void callNumbersAdvanceAndWrap() {
        FutureSet.lastCallForTests(41, false);
        FutureSet.distinct(pending(2));
        assertEquals(42, FutureSet.lastCallForTests());
        assertFalse(FutureSet.numbersReusedForTests());
        FutureSet.lastCallForTests(-1, false); // 2^32 - 1
        FutureSet.distinct(pending(2));
        assertEquals(1, FutureSet.lastCallForTests());
        assertTrue(FutureSet.numbersReusedForTests());
        FutureSet.lastCallForTests(0, false);
    }

    @Test
    @DisplayName("the iterator of a FutureSet throws NoSuchElementException past its end")
    void setIteratorEnds() {
        FutureSet<Future<Integer>> s = FutureSet.distinct(pending(3));
        Iterator<Future<Integer>> it = s.iterator();
        it.next();
        it.next();
        it.next();
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    @DisplayName("a set of not-done futures passed back to wait once all are done comes back as the done side itself, not a copy")
    void notDonePassedBackComesBackWhole() {
        List<Future<Integer>> fs = pending(5);
        java.util.Set<Future<Integer>> notDone = Futures.wait(fs, Duration.ZERO).notDone();
        assertEquals(5, notDone.size());
        fs.forEach(f -> f.setResult(1));
        DoneAndNotDone<Future<Integer>> r = Futures.wait(notDone, Duration.ZERO);
        assertSame(notDone, r.done());
        assertTrue(r.notDone().isEmpty());
    }

    @Test
    @DisplayName("exceptionNow() says why there is no exception, in the JDK's words; set_* on a done future says its state")
    void messages() {
        Future<Integer> pending = new Future<>();
        assertEquals("Task has not completed", assertThrows(IllegalStateException.class, pending::exceptionNow).getMessage());
        Future<Integer> cancelled = new Future<>();
        cancelled.cancel();
        assertEquals("Task was cancelled", assertThrows(IllegalStateException.class, cancelled::exceptionNow).getMessage());
        InvalidStateException c = assertThrows(InvalidStateException.class, () -> cancelled.setResult(1));
        assertTrue(c.getMessage().startsWith("future is CANCELLED: "), c.getMessage());
        Future<Integer> finished = new Future<>();
        finished.setResult(1);
        assertEquals("Task completed with a result", assertThrows(IllegalStateException.class, finished::exceptionNow).getMessage());
        InvalidStateException f = assertThrows(InvalidStateException.class, () -> finished.setResult(2));
        assertTrue(f.getMessage().startsWith("future is FINISHED: "), f.getMessage());
        InvalidStateException e = assertThrows(InvalidStateException.class, () -> finished.setException(new RuntimeException()));
        assertTrue(e.getMessage().startsWith("future is FINISHED: "), e.getMessage());
        Future<Integer> running = new Future<>();
        running.setRunningOrNotifyCancel();
        InvalidStateException r = assertThrows(InvalidStateException.class, running::setRunningOrNotifyCancel);
        assertEquals("Future in unexpected state: future is RUNNING", r.getMessage());
        Future<Integer> p2 = new Future<>();
        p2.cancel();
        p2.setRunningOrNotifyCancel();
        assertThrows(CancellationException.class, p2::result);
    }

    @Test
    @DisplayName("listeners removed from the middle, the top and the bottom of a future's stack are unlinked; the others still fire")
    void listenerRemoval() {
        Future<Integer> f = new Future<>();
        int[] fired = new int[5];
        List<Object> handles = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int k = i;
            handles.add(f.addListener(() -> fired[k]++));
        }
        assertEquals(5, f.listenerCount());
        f.removeListener(handles.get(2)); // middle
        assertEquals(4, f.listenerCount());
        f.removeListener(handles.get(4)); // top (pushed last)
        assertEquals(3, f.listenerCount());
        f.removeListener(handles.get(0)); // bottom
        assertEquals(2, f.listenerCount());
        f.setResult(1);
        assertEquals(List.of(0, 1, 0, 1, 0), java.util.Arrays.stream(fired).boxed().toList());
    }
}
