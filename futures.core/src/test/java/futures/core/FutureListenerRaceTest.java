package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Races between a waiter leaving (Futures.wait returning, a timed result giving up) and the
 * completion that runs the listener stack. Found by reading: the completer reversed the detached
 * stack in place while a concurrent unlink could still write a stale {@code next} into it, which
 * turned the list into a cycle (callbacks ran forever) or cut callbacks off.
 *
 * <p>Honest note: this stress never hit the window, even before the fix; ListenerRemovalLincheck,
 * which explores every interleaving of the exact scenario, is what catches that bug. This test
 * stays as a cheap guard on the same race at scale (a long stack, many rounds).
 *
 * <p>The removed node sits under {@link #ABOVE} callbacks, so the unlinker's walk to it and the
 * completer's reversal overlap for microseconds, not nanoseconds: a barrier start is enough.
 */
class FutureListenerRaceTest {
    private static final int ROUNDS = 1_000;
    private static final int ABOVE = 1_000;
    private static final int BELOW = 4;

    private final CyclicBarrier start = new CyclicBarrier(3);
    private final CyclicBarrier end = new CyclicBarrier(3);
    private final AtomicReference<String> bug = new AtomicReference<>();
    private volatile Future<Integer> future;
    private volatile Object handle;
    private volatile boolean stop;
    private volatile int delay;
    private Thread remover;
    private Thread completer;

    @AfterEach
    void stopThreads() {
        stop = true;
        start.reset();
        end.reset();
    }

    @Test
    @Timeout(120)
    @DisplayName("Added callables are called in the order that they were added, once each, even when a waiter leaves while the future completes")
    void callbacksSurviveWaiterRemovalRacingCompletion() throws Exception {
        remover = worker("race-remover", () -> future.removeListener(handle));
        completer = worker("race-completer", () -> {
            for (int i = delay; i > 0; i--) {
                Thread.onSpinWait(); // let the unlinker start its walk first
            }
            future.setResult(1);
        });
        for (int r = 1; r <= ROUNDS; r++) {
            Future<Integer> f = new Future<>();
            int n = BELOW + ABOVE;
            int[] calls = new int[n];
            AtomicInteger order = new AtomicInteger();
            for (int k = 0; k < BELOW; k++) {
                int id = k;
                f.addDoneCallback(x -> called(calls, id, order));
            }
            Object h = f.addListener(() -> {});
            for (int k = BELOW; k < n; k++) {
                int id = k;
                f.addDoneCallback(x -> called(calls, id, order));
            }
            future = f;
            delay = (r * 37) % 400;
            handle = h;
            start.await(10, TimeUnit.SECONDS);
            try {
                end.await(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                fail("round " + r + ": completion did not end: " + bug.get());
            }
            if (bug.get() != null) {
                fail("round " + r + ": " + bug.get());
            }
            for (int k = 0; k < n; k++) {
                assertEquals(1, calls[k], "round " + r + ": callback " + k + " ran " + calls[k] + " times");
            }
            assertEquals(0, f.listenerCount());
        }
    }

    private Thread worker(String name, Runnable action) {
        Thread t = new Thread(() -> {
            try {
                while (!stop) {
                    start.await();
                    action.run();
                    end.await();
                }
            } catch (Exception e) {
                // reset by @AfterEach, or the test failed: end quietly
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void called(int[] calls, int id, AtomicInteger order) {
        int seen = order.getAndIncrement();
        if (++calls[id] > 1 || seen != id) {
            bug.compareAndSet(null, "callback " + id + " ran as call " + seen + ", " + calls[id] + " time(s)");
            while (true) {
                LockSupport.park(); // stop a runaway loop here; this daemon thread is abandoned
            }
        }
    }
}
