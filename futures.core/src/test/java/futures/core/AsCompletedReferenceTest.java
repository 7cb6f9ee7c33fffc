package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CPython's test_free_reference_yielded_future: asCompleted keeps no reference to a future it has
 * returned, so a caller that drops it lets the garbage collector have it while the iteration goes on.
 */
@Timeout(60)
class AsCompletedReferenceTest {

    /** Takes the next future from {@code it}, removes it from {@code list}, and returns only a weak reference to it. */
    private static WeakReference<Future<String>> takeAndDrop(Iterator<Future<String>> it, List<Future<String>> list) {
        Future<String> f = it.next();
        assertTrue(list.remove(f), "returned a future that was given");
        return new WeakReference<>(f);
    }

    private static List<Future<String>> futures(int pending) {
        List<Future<String>> list = new ArrayList<>();
        for (int i = 0; i < pending; i++) {
            list.add(new Future<>());
        }
        Future<String> cancelled = new Future<>();
        cancelled.cancel();
        list.add(cancelled);
        Future<String> finished = new Future<>();
        finished.setResult("42");
        list.add(finished);
        return list;
    }

    @Test
    @DisplayName("as_completed drops each future it has yielded: done at the call, then completed later")
    void yieldedFutureIsCollectable() {
        List<Future<String>> list = futures(8);
        Iterator<Future<String>> first = Futures.asCompleted(list, Duration.ZERO).iterator();
        for (int i = 0; i < 2; i++) { // the cancelled and the finished one, done at the call
            WeakReference<Future<String>> ref = takeAndDrop(first, list);
            assertTrue(Collectable.collected(ref), "a future asCompleted returned is still reachable");
        }
        assertThrows(WaitTimeoutException.class, first::next);
        Reference.reachabilityFence(first);

        list.get(0).setResult("test");
        Iterator<Future<String>> second = Futures.asCompleted(list).iterator();
        int returned = 0;
        while (second.hasNext()) {
            WeakReference<Future<String>> ref = takeAndDrop(second, list);
            returned++;
            assertTrue(Collectable.collected(ref), "future " + returned + " returned is still reachable");
            if (!list.isEmpty()) {
                list.get(0).setResult("test");
            }
        }
        Reference.reachabilityFence(second);
        assertEquals(8, returned);
    }

    @Test
    @DisplayName("as_completed over a set wait returned also drops what it yielded once the caller lets go of the set")
    void yieldedFromWaitSetIsCollectable() {
        Future<String> a = new Future<>();
        Future<String> b = new Future<>();
        List<Future<String>> list = new ArrayList<>(List.of(a, b));
        java.util.Set<Future<String>> notDone = Futures.wait(list, Duration.ZERO).notDone();
        a = null;
        Iterator<Future<String>> it = Futures.asCompleted(notDone).iterator();
        notDone = null;
        list.get(0).setResult("a");
        WeakReference<Future<String>> ref = takeAndDrop(it, list);
        assertTrue(Collectable.collected(ref), "a future asCompleted returned is still reachable");
        list.get(0).setResult("b");
        it.next();
        Reference.reachabilityFence(it);
    }
}
