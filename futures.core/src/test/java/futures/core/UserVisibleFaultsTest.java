package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults a user would feel that mutation testing found no test to stop (scripts/mutation): each
 * test names the fault it guards against. Completions from another thread happen only once the
 * waiting thread is parked (its state is WAITING or TIMED_WAITING), so the wait is really taken.
 */
@Timeout(60)
class UserVisibleFaultsTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    /** Runs {@code action} in a daemon thread as soon as {@code waiter} is parked. */
    private static Thread whenParked(Thread waiter, Runnable action) {
        Thread t = new Thread(() -> {
            while (true) {
                Thread.State s = waiter.getState();
                if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
                    break;
                }
                Thread.onSpinWait();
            }
            action.run();
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    @DisplayName("map with a finite timeout waits for a result that comes within it (a finite timeout must not act as zero)")
    void mapFiniteTimeoutWaits() {
        ManualPool.Pair p = ManualPool.create();
        MapIterator<Integer> it = p.executor().map(i -> i * 10, List.of(1, 2), LONG);
        whenParked(Thread.currentThread(), () -> p.pool().runAll());
        assertEquals(10, it.next());
        assertEquals(20, it.next());
        assertFalse(it.hasNext());
    }

    @Test
    @DisplayName("a blocking get(), get(timeout), result() and result(timeout) return the value set while they wait, not null")
    void blockingGetReturnsTheValue() throws Exception {
        Thread me = Thread.currentThread();
        for (int how = 0; how < 4; how++) {
            Future<String> f = new Future<>();
            whenParked(me, () -> f.setResult("value"));
            String got = switch (how) {
                case 0 -> f.get();
                case 1 -> f.get(30, TimeUnit.SECONDS);
                case 2 -> f.result();
                default -> f.result(LONG);
            };
            assertEquals("value", got, "way " + how);
            Future<String> g = new Future<>();
            IllegalStateException boom = new IllegalStateException("boom");
            whenParked(me, () -> g.setException(boom));
            Throwable e = how % 2 == 0 ? g.exception() : g.exception(LONG);
            assertSame(boom, e, "exception, way " + how);
        }
    }

    @Test
    @DisplayName("a call that failed is settled: the executor then terminates after shutdown")
    void failedCallIsSettled() {
        for (boolean handsBack : new boolean[] {false, true}) {
            ManualPool.Pair p = ManualPool.create(handsBack);
            Future<Integer> f = p.executor().submit(() -> {
                throw new IllegalStateException("fails");
            });
            assertTrue(p.pool().runNext());
            assertTrue(f.exceptionNow() instanceof IllegalStateException);
            p.executor().shutdown(false);
            assertTrue(p.executor().isTerminated(), "hands back " + handsBack + ": " + p.executor());
            assertTrue(p.executor().toString().contains("pending=0"), p.executor().toString());
        }
        try (Executor ex = ThreadsPool.executor(1)) {
            ex.submit(() -> {
                throw new IllegalStateException("fails");
            }).exception(LONG);
            ex.shutdown(false);
            ex.termination().exception(LONG); // returns once terminated
            assertTrue(ex.isTerminated());
        }
    }

    @Test
    @DisplayName("finished calls are no longer recorded as pending (memory is not held until shutdown)")
    void finishedCallsLeavePending() {
        ManualPool.Pair p = ManualPool.create(false);
        for (int i = 0; i < 5; i++) {
            p.executor().submit(() -> 1);
        }
        p.executor().submit(() -> {
            throw new IllegalStateException();
        });
        assertEquals(6, p.executor().recordedForTests());
        p.pool().runAll();
        assertEquals(0, p.executor().recordedForTests(), "every finished call forgotten");
        Future<Integer> cancelled = p.executor().submit(() -> 1);
        cancelled.cancel();
        assertFalse(p.pool().runNext());
        assertEquals(0, p.executor().recordedForTests(), "a cancelled call dropped by the pool forgotten");
    }

    @Test
    @DisplayName("close() shuts the executor down: later submits are rejected and it terminates")
    void closeShutsDown() {
        ManualPool.Pair p = ManualPool.create();
        assertFalse(p.executor().isShutdown());
        p.executor().close();
        assertTrue(p.executor().isShutdown());
        assertTrue(p.executor().isTerminated());
        assertEquals(1, p.pool().shutdowns(), "the pool was shut down");
        assertThrows(RejectedExecutionException.class, () -> p.executor().submit(() -> 1));
    }

    @Test
    @DisplayName("shutdownNow() on an idle executor terminates it at once")
    void shutdownNowIdleTerminates() throws Exception {
        for (boolean handsBack : new boolean[] {false, true}) {
            ManualPool.Pair p = ManualPool.create(handsBack);
            assertEquals(List.of(), p.executor().shutdownNow());
            assertTrue(p.executor().isTerminated(), "hands back " + handsBack);
            assertTrue(p.executor().isShutdown());
            assertTrue(p.pool().shutdowns() >= 1, "the pool was shut down");
            assertThrows(RejectedExecutionException.class, () -> p.pool().execute(null), "the pool refuses work");
            ManualPool.Pair q = ManualPool.create(handsBack);
            assertEquals(List.of(), q.executor().asExecutorService().shutdownNow());
            assertTrue(q.executor().asExecutorService().awaitTermination(0, TimeUnit.SECONDS), "hands back " + handsBack);
        }
    }

    @Test
    @DisplayName("map failing half-way while scheduling (the input throws) cancels the calls it had scheduled")
    void mapFailingHalfwayCancelsTheRest() {
        for (int chunk : new int[] {1, 2}) {
            ManualPool.Pair p = ManualPool.create();
            IllegalStateException boom = new IllegalStateException("the input broke");
            Iterable<Integer> items = () -> new Iterator<>() {
                int next;

                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Integer next() {
                    if (next == 4) {
                        throw boom;
                    }
                    return next++;
                }
            };
            assertSame(boom, assertThrows(IllegalStateException.class, () -> p.executor().map(i -> i, items, LONG, chunk)));
            assertTrue(p.pool().queued() > 0, "calls were scheduled before the failure");
            assertEquals(0, p.pool().runAll(), "chunk size " + chunk + ": every call scheduled was cancelled");
            assertTrue(p.executor().toString().contains("pending=0"), p.executor().toString());
        }
    }

    @Test
    @DisplayName("a map iterator closed after a call failed cancels every call not started (next() throws, then the rest is cancelled)")
    void mapFailureCancelsTheRest() {
        ManualPool.Pair p = ManualPool.create();
        MapIterator<Integer> it = p.executor().map(i -> {
            if (i == 0) {
                throw new IllegalArgumentException("first");
            }
            return i;
        }, List.of(0, 1, 2, 3));
        assertTrue(p.pool().runNext());
        assertThrows(IllegalArgumentException.class, it::next);
        assertFalse(it.hasNext());
        assertEquals(0, p.pool().runAll(), "the calls behind the failure were cancelled");
    }

    @Test
    @DisplayName("a thread waiting in result(timeout), wait or asCompleted sleeps: it is parked, not spinning, until the outcome")
    void waitersPark() throws Exception {
        List<Consumer<Future<String>>> waits = List.of(
                f -> f.result(LONG),
                f -> Futures.wait(List.of(f), LONG, ReturnWhen.ALL_COMPLETED),
                f -> Futures.wait(List.of(f, new Future<String>()), LONG, ReturnWhen.FIRST_COMPLETED),
                f -> Futures.asCompleted(List.of(f), LONG).iterator().next(),
                f -> f.result(),
                f -> Futures.wait(List.of(f)),
                f -> Futures.asCompleted(List.of(f)).iterator().next());
        for (int k = 0; k < waits.size(); k++) {
            Future<String> f = new Future<>();
            Consumer<Future<String>> wait = waits.get(k);
            Future<Boolean> returned = new Future<>();
            Thread waiter = new Thread(() -> {
                wait.accept(f);
                returned.setResult(true);
            });
            waiter.setDaemon(true);
            waiter.start();
            // parked, and still parked a while later: a spinning waiter would be RUNNABLE
            int parkedSeen = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (parkedSeen < 200 && System.nanoTime() < deadline) {
                Thread.State s = waiter.getState();
                if (s == Thread.State.TERMINATED) {
                    break; // returned before the outcome: fails below at once
                }
                if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
                    parkedSeen++;
                } else {
                    parkedSeen = 0;
                }
                Thread.sleep(1);
            }
            assertEquals(200, parkedSeen, "wait " + k + " stayed parked");
            f.setResult("done");
            assertTrue(returned.result(LONG), "wait " + k + " returned");
        }
    }

    /** A pool that runs each item in the submitting thread, inside execute: a call can start and fail before execute returns. */
    private static class InlinePool implements futures.spi.WorkerPool {
        @Override
        public void execute(futures.spi.WorkItem item) {
            if (item.markRunning()) {
                try {
                    item.complete(item.task().call());
                } catch (Throwable t) {
                    item.fail(t);
                }
            }
        }

        @Override
        public void shutdown(boolean wait) {}

        @Override
        public int maxWorkers() {
            return 1;
        }

        @Override
        public futures.spi.BrokenExecutorException broken() {
            return null;
        }
    }

    @Test
    @DisplayName("execute() of a command that started and then threw before execute returned does not throw: it is logged, as any command that threw")
    void executeOfACommandThatStartedDoesNotThrow() {
        Executor ex = new Executor("inline", new InlinePool());
        IllegalStateException boom = new IllegalStateException("the command threw");
        try (LogCapture log = new LogCapture(Executor.class.getName())) {
            ex.execute(() -> {
                throw boom;
            });
            assertEquals(1, log.records().size());
            assertSame(boom, log.records().get(0).getThrown());
        }
        try (LogCapture log = new LogCapture(Executor.class.getName())) {
            ex.asExecutorService().execute(() -> {
                throw boom;
            });
            assertEquals(1, log.records().size());
        }
        ex.shutdown(false);
    }

    @Test
    @DisplayName("execute() of a command the pool fails at the call, before starting it (it cannot be serialized), throws, naming the class and what is accepted")
    void executeOfACommandFailedAtTheCallThrows() {
        futures.spi.WorkerPool refusing = new InlinePool() {
            @Override
            public void execute(futures.spi.WorkItem item) {
                item.fail(new java.io.UncheckedIOException("the task could not be serialized",
                        new java.io.NotSerializableException("SomeLambda")));
            }
        };
        Executor ex = new Executor("refusing", refusing);
        Runnable command = () -> { };
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> ex.execute(command));
        assertTrue(e.getMessage().contains(command.getClass().getName()), e.getMessage());
        assertTrue(e.getMessage().contains("(Runnable & Serializable)"), e.getMessage());
        assertTrue(e.getCause() instanceof java.io.UncheckedIOException);
        assertThrows(RejectedExecutionException.class, () -> ex.asExecutorService().execute(command));
        assertTrue(ex.toString().contains("pending=0"), ex.toString());
        ex.shutdown(false);
    }
}
