package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guava's testFutureBash: setResult, setException, cancel and setRunningOrNotifyCancel collide
 * from several threads on one future, while readers wait; exactly one completer wins, every reader
 * sees that winner, and each callback runs once.
 */
class FutureBashTest {
    private static final int ROUNDS = 2_000;

    @Test
    @Timeout(120)
    @DisplayName("A future is done once and only once: of colliding set_result, set_exception and cancel, exactly one wins")
    void bash() throws Exception {
        int completers = 4;
        int readers = 2;
        int parties = completers + readers + 1;
        CyclicBarrier start = new CyclicBarrier(parties);
        CyclicBarrier end = new CyclicBarrier(parties);
        AtomicReference<Future<Object>> current = new AtomicReference<>();
        Object[] winners = new Object[completers];
        Object[] seen = new Object[readers];
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> crash = new AtomicReference<>();
        for (int i = 0; i < completers + readers; i++) {
            int me = i;
            Thread t = new Thread(() -> {
                try {
                    for (int r = 0; r < ROUNDS; r++) {
                        start.await();
                        Future<Object> f = current.get();
                        if (me < completers) {
                            winners[me] = attempt(f, me, r);
                        } else {
                            seen[me - completers] = read(f);
                        }
                        end.await();
                    }
                } catch (Throwable e) {
                    crash.compareAndSet(null, e);
                    start.reset();
                    end.reset();
                }
            }, "bash-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (int r = 0; r < ROUNDS; r++) {
            Future<Object> f = new Future<>();
            AtomicInteger callbacks = new AtomicInteger();
            f.addDoneCallback(x -> callbacks.incrementAndGet());
            current.set(f);
            try {
                start.await(20, TimeUnit.SECONDS);
                end.await(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                fail("round " + r + " did not finish: " + crash.get(), e);
            }
            int wins = 0;
            Object winner = null;
            for (Object w : winners) {
                if (w != null) {
                    wins++;
                    winner = w;
                }
            }
            assertEquals(1, wins, "round " + r + ": winners " + java.util.Arrays.toString(winners));
            assertTrue(f.done());
            Object outcome = read(f);
            assertEquals(winner, outcome, "round " + r + ": the outcome is the winner's");
            for (Object s : seen) {
                assertEquals(outcome, s, "round " + r + ": a waiting reader saw another outcome");
            }
            assertEquals(1, callbacks.get(), "round " + r + ": callbacks ran " + callbacks.get() + " times");
            assertEquals(0, f.listenerCount());
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
    }

    /** One completer's try; returns a description of what it set, or null if it lost. */
    private static Object attempt(Future<Object> f, int me, int round) {
        switch ((me + round) % 4) {
            case 0 -> {
                try {
                    f.setResult("result-" + me);
                    return "result-" + me;
                } catch (InvalidStateException lost) {
                    return null;
                }
            }
            case 1 -> {
                try {
                    f.setException(new IllegalStateException("exception-" + me));
                    return "exception-" + me;
                } catch (InvalidStateException lost) {
                    return null;
                }
            }
            case 2 -> {
                return f.cancel() && f.cancelled() ? "cancelled" : null;
            }
            default -> {
                try {
                    if (f.setRunningOrNotifyCancel()) {
                        f.setResult("ran-" + me); // cannot be cancelled now, but a set_result may still beat it
                        return "ran-" + me;
                    }
                    return null; // cancelled first
                } catch (InvalidStateException lost) {
                    return null; // finished first
                }
            }
        }
    }

    /** Waits for the outcome and describes it as {@link #attempt} does. */
    private static Object read(Future<Object> f) {
        try {
            return f.result();
        } catch (CancellationException e) {
            return "cancelled";
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }
}
