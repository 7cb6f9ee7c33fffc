package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The partition wait returns, on each of its three paths (all pending, all done, mixed): the
 * sets keep the order given, hold each future once, and cannot be changed.
 */
class WaitPartitionTest {

    private static Future<Object> done(Object v) {
        Future<Object> f = new Future<>();
        f.setResult(v);
        return f;
    }

    @Test
    @DisplayName("wait with a zero timeout over pending futures returns them all as not done, in order, once each")
    void allPending() {
        Future<Object> a = new Future<>(), b = new Future<>(), c = new Future<>();
        DoneAndNotDone<Future<Object>> r = Futures.wait(List.of(c, a, b, a, c), Duration.ZERO, ReturnWhen.FIRST_COMPLETED);
        assertEquals(List.of(), List.copyOf(r.done()));
        assertEquals(List.of(c, a, b), List.copyOf(r.notDone()));
        assertThrows(UnsupportedOperationException.class, () -> r.notDone().remove(a));
    }

    @Test
    @DisplayName("wait over finished futures returns them all as done, in order, once each")
    void allDone() {
        Future<Object> a = done(1), b = done(2);
        DoneAndNotDone<Future<Object>> r = Futures.wait(List.of(b, a, b));
        assertEquals(List.of(b, a), List.copyOf(r.done()));
        assertEquals(List.of(), List.copyOf(r.notDone()));
        assertThrows(UnsupportedOperationException.class, () -> r.done().add(new Future<>()));
    }

    @Test
    @DisplayName("wait over a mix splits it by state, each side in the order given")
    void mixed() {
        Future<Object> p1 = new Future<>(), d1 = done(1), p2 = new Future<>(), d2 = done(2);
        Future<Object> cancelled = new Future<>();
        cancelled.cancel();
        DoneAndNotDone<Future<Object>> r =
                Futures.wait(List.of(p1, d1, p2, cancelled, d1, d2), Duration.ZERO, ReturnWhen.ALL_COMPLETED);
        assertEquals(List.of(d1, cancelled, d2), List.copyOf(r.done()));
        assertEquals(List.of(p1, p2), List.copyOf(r.notDone()));
        assertEquals(r.done().contains(d2), true);
        assertEquals(r.notDone().contains(d2), false);
    }

    @Test
    @DisplayName("asCompleted yields each of many duplicated done futures once, in order")
    void asCompletedDedupes() {
        Future<Object> a = done(1), b = done(2);
        int[] seen = new int[1];
        StringBuilder order = new StringBuilder();
        for (Future<Object> f : Futures.asCompleted(List.of(a, b, a, b, a))) {
            seen[0]++;
            order.append(f.resultNow());
        }
        assertEquals(2, seen[0]);
        assertEquals("12", order.toString());
    }
    @Test
    @DisplayName("wait with a zero timeout over the notDone of an earlier wait, Python's polling loop, reports the futures that completed since as done")
    void zeroTimeoutOverNotDoneLooksAgain() {
        Future<Object> a = new Future<>(), b = new Future<>();
        DoneAndNotDone<Future<Object>> first = Futures.wait(List.of(a, b), Duration.ZERO);
        assertEquals(List.of(a, b), List.copyOf(first.notDone()));
        a.setResult(1);
        DoneAndNotDone<Future<Object>> second = Futures.wait(first.notDone(), Duration.ZERO, ReturnWhen.FIRST_COMPLETED);
        assertEquals(List.of(a), List.copyOf(second.done()));
        assertEquals(List.of(b), List.copyOf(second.notDone()));
        b.setResult(2);
        DoneAndNotDone<Future<Object>> third = Futures.wait(second.notDone(), Duration.ZERO);
        assertEquals(List.of(b), List.copyOf(third.done()));
        assertEquals(List.of(), List.copyOf(third.notDone()));
    }

    @Test
    @DisplayName("asCompleted over the notDone of an earlier zero-timeout wait yields first the futures that completed since")
    void asCompletedOverNotDoneLooksAgain() {
        Future<Object> a = new Future<>(), b = new Future<>();
        DoneAndNotDone<Future<Object>> first = Futures.wait(List.of(a, b), Duration.ZERO);
        b.setResult(2);
        a.setResult(1);
        StringBuilder order = new StringBuilder();
        for (Future<Object> f : Futures.asCompleted(first.notDone(), Duration.ZERO)) {
            order.append(f.resultNow());
        }
        assertEquals("12", order.toString());
    }
}
