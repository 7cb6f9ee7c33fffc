package futures.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import kotlin.Unit;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.CustomScenarioDSLKt;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link Future}'s operations run concurrently under JetBrains Lincheck, checked against the
 * sequential model {@link FutureModel}, in stress mode and in model-checking mode.
 *
 * <p>Linearizable (each has one atomic point, a read or a CAS of {@code state} or of the listener
 * stack): cancel, setRunningOrNotifyCancel, setResult, setException, the queries (cancelled,
 * running, done, state, resultNow, exceptionNow, result and exception with a zero timeout), and
 * addDoneCallback's answer to "did the callback run at once, in this call" (true exactly when the
 * future was done at the push). Not linearizable, only eventually agreeing: the running of
 * callbacks added earlier. The completer runs them after its CAS, so between the two a query can
 * see "done" while a callback has not run yet. That is checked after the scenario instead, by
 * {@link #everyCallbackRanOnce()}: once every operation has returned, each callback added has run
 * exactly once if the future is done, and none has if it is not.
 *
 * <p>It runs on the module path as the other tests do (Surefire patches it into futures.core; the
 * Lincheck agent attaches dynamically), so no class-path Surefire execution is needed.
 *
 * <p>{@code waitAndLeave} adds an internal waiter and removes it, as Futures.wait does when it
 * returns; racing a completion, it must neither lose nor repeat a callback (the bug of an in-place
 * reversal of the listener stack).
 */
@Param(name = "v", gen = IntGen.class, conf = "1:3")
public class FutureLincheck {
    private final Future<Integer> f = new Future<>();
    private final AtomicInteger callbacksAdded = new AtomicInteger();
    private final AtomicInteger callbacksRun = new AtomicInteger();

    @Operation
    public boolean cancel() {
        return f.cancel();
    }

    @Operation
    public String setRunningOrNotifyCancel() {
        try {
            return String.valueOf(f.setRunningOrNotifyCancel());
        } catch (InvalidStateException e) {
            return "InvalidState";
        }
    }

    @Operation
    public String setResult(@Param(name = "v") int v) {
        try {
            f.setResult(v);
            return "ok";
        } catch (InvalidStateException e) {
            return "InvalidState";
        }
    }

    @Operation
    public String setException(@Param(name = "v") int v) {
        try {
            f.setException(new IllegalStateException("e" + v));
            return "ok";
        } catch (InvalidStateException e) {
            return "InvalidState";
        }
    }

    /** Adds a counting callback; returns whether it ran at once, in this call. */
    @Operation
    public boolean addDoneCallback() {
        Thread me = Thread.currentThread();
        boolean[] inline = new boolean[1];
        boolean[] inCall = {true};
        callbacksAdded.incrementAndGet();
        f.addDoneCallback(x -> {
            callbacksRun.incrementAndGet();
            if (Thread.currentThread() == me && inCall[0]) {
                inline[0] = true;
            }
        });
        inCall[0] = false;
        return inline[0];
    }

    @Operation
    public void waitAndLeave() {
        Object handle = f.addListener(() -> {});
        f.removeListener(handle);
    }

    @Operation
    public boolean cancelled() {
        return f.cancelled();
    }

    @Operation
    public boolean running() {
        return f.running();
    }

    @Operation
    public boolean done() {
        return f.done();
    }

    @Operation
    public String state() {
        return f.state().name();
    }

    @Operation
    public String resultNow() {
        try {
            return String.valueOf(f.resultNow());
        } catch (IllegalStateException e) {
            return "IllegalState";
        }
    }

    @Operation
    public String exceptionNow() {
        try {
            return f.exceptionNow().getMessage();
        } catch (IllegalStateException e) {
            return "IllegalState";
        }
    }

    @Operation
    public String resultZero() {
        try {
            return String.valueOf(f.result(Duration.ZERO));
        } catch (WaitTimeoutException e) {
            return "timeout";
        } catch (CancellationException e) {
            return "cancelled";
        } catch (IllegalStateException e) {
            return "raised " + e.getMessage();
        }
    }

    @Operation
    public String exceptionZero() {
        try {
            Throwable e = f.exception(Duration.ZERO);
            return e == null ? "none" : e.getMessage();
        } catch (WaitTimeoutException e) {
            return "timeout";
        } catch (CancellationException e) {
            return "cancelled";
        }
    }

    /** Callbacks agree eventually: once every operation has returned, each ran once iff done. */
    @Validate
    public void everyCallbackRanOnce() {
        int expected = f.done() ? callbacksAdded.get() : 0;
        if (callbacksRun.get() != expected) {
            throw new AssertionError(callbacksRun.get() + " callback runs for " + callbacksAdded.get()
                    + " callbacks added, future " + f);
        }
        if (f.done() && f.listenerCount() != 0) {
            throw new AssertionError("a done future keeps " + f.listenerCount() + " listeners");
        }
    }

    /** The sequential model: what the reference says, one call at a time. */
    public static class FutureModel {
        private enum S { PENDING, RUNNING, FINISHED, FAILED, CANCELLED }

        private S s = S.PENDING;
        private boolean notified; // CANCELLED_AND_NOTIFIED
        private int value;
        private String exception;

        private boolean isDone() {
            return s == S.FINISHED || s == S.FAILED || s == S.CANCELLED;
        }

        public boolean cancel() {
            if (s == S.PENDING) {
                s = S.CANCELLED;
            }
            return s == S.CANCELLED;
        }

        public String setRunningOrNotifyCancel() {
            if (s == S.PENDING) {
                s = S.RUNNING;
                return "true";
            }
            if (s == S.CANCELLED && !notified) {
                notified = true; // the first call after cancel(); a second one raises
                return "false";
            }
            return "InvalidState";
        }

        public String setResult(int v) {
            if (s == S.PENDING || s == S.RUNNING) {
                s = S.FINISHED;
                value = v;
                return "ok";
            }
            return "InvalidState";
        }

        public String setException(int v) {
            if (s == S.PENDING || s == S.RUNNING) {
                s = S.FAILED;
                exception = "e" + v;
                return "ok";
            }
            return "InvalidState";
        }

        public boolean addDoneCallback() {
            return isDone();
        }

        public void waitAndLeave() {}

        public boolean cancelled() {
            return s == S.CANCELLED;
        }

        public boolean running() {
            return s == S.RUNNING;
        }

        public boolean done() {
            return isDone();
        }

        public String state() {
            return switch (s) {
                case PENDING, RUNNING -> "RUNNING";
                case FINISHED -> "SUCCESS";
                case FAILED -> "FAILED";
                case CANCELLED -> "CANCELLED";
            };
        }

        public String resultNow() {
            return s == S.FINISHED ? String.valueOf(value) : "IllegalState";
        }

        public String exceptionNow() {
            return s == S.FAILED ? exception : "IllegalState";
        }

        public String resultZero() {
            return switch (s) {
                case PENDING, RUNNING -> "timeout";
                case CANCELLED -> "cancelled";
                case FINISHED -> String.valueOf(value);
                case FAILED -> "raised " + exception;
            };
        }

        public String exceptionZero() {
            return switch (s) {
                case PENDING, RUNNING -> "timeout";
                case CANCELLED -> "cancelled";
                case FINISHED -> "none";
                case FAILED -> exception;
            };
        }
    }

    // ------------------------------------------------------------------ scenarios

    private static Actor actor(String name, Object... args) {
        for (java.lang.reflect.Method m : FutureLincheck.class.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == args.length) {
                return new Actor(m, List.of(args));
            }
        }
        throw new AssertionError("no operation " + name);
    }

    private static ExecutionScenario scenario(List<Actor> initial, List<List<Actor>> parallel) {
        return CustomScenarioDSLKt.scenario(s -> {
            s.initial(t -> {
                t.addAll(initial);
                return Unit.INSTANCE;
            });
            s.parallel(p -> {
                for (List<Actor> thread : parallel) {
                    p.thread(t -> {
                        t.addAll(thread);
                        return Unit.INSTANCE;
                    });
                }
                return Unit.INSTANCE;
            });
            return Unit.INSTANCE;
        });
    }

    /**
     * Scenarios the random generator reaches too rarely, because the PENDING and RUNNING windows are
     * short among 14 operations: with only the random ones, a planted "cancel succeeds on RUNNING"
     * passed both modes. Each is a row of the state x operation matrix, raced.
     */
    static List<ExecutionScenario> matrixScenarios() {
        return List.of(
                // running: cancel must fail while set_result / set_exception race it
                scenario(List.of(actor("setRunningOrNotifyCancel")),
                        List.of(List.of(actor("cancel"), actor("state")), List.of(actor("setResult", 1), actor("running")))),
                scenario(List.of(),
                        List.of(List.of(actor("setRunningOrNotifyCancel"), actor("cancel")), List.of(actor("setException", 2), actor("cancelled")))),
                // pending: cancel races set_running_or_notify_cancel; exactly one wins
                scenario(List.of(actor("addDoneCallback")),
                        List.of(List.of(actor("cancel"), actor("resultZero")), List.of(actor("setRunningOrNotifyCancel"), actor("exceptionZero")))),
                // callbacks racing completion, and a waiter leaving meanwhile
                scenario(List.of(actor("addDoneCallback")),
                        List.of(List.of(actor("addDoneCallback"), actor("done")), List.of(actor("setResult", 3), actor("addDoneCallback")),
                                List.of(actor("waitAndLeave"), actor("resultNow")))));
    }

    @Test
    @DisplayName("Future's operations are linearizable against the reference's sequential model (stress)")
    void stress() {
        StressOptions options = new StressOptions()
                .iterations(Integer.getInteger("futures.lincheck.iterations", 20))
                .invocationsPerIteration(1_000)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(1)
                .sequentialSpecification(FutureModel.class);
        matrixScenarios().forEach(options::addCustomScenario);
        options.check(FutureLincheck.class);
    }

    @Test
    @DisplayName("Future's operations are linearizable against the reference's sequential model (model checking)")
    void modelChecking() {
        ModelCheckingOptions options = new ModelCheckingOptions()
                .iterations(Integer.getInteger("futures.lincheck.iterations", 15))
                .invocationsPerIteration(300)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(1)
                .sequentialSpecification(FutureModel.class);
        matrixScenarios().forEach(options::addCustomScenario);
        options.check(FutureLincheck.class);
    }
}
