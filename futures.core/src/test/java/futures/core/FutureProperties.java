package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of operations on one {@link Future}, checked after every step against a small
 * sequential model (Hypothesis's RuleBasedStateMachine, by hand): one rule per operation, a call
 * the reference rejects is a rule that asserts the error, and the invariants are checked after
 * each step. Re-run a failure with {@code -Dfutures.seed=N}.
 */
class FutureProperties {
    private static final int CASES = 2_000;
    private static final int MAX_STEPS = 30;

    /** The operations; each is one rule. */
    enum Op {
        CANCEL("f.cancel()"),
        CANCEL_INTERRUPT("f.cancel(true)"),
        SET_RUNNING("f.setRunningOrNotifyCancel()"),
        SET_RESULT("f.setResult(%d)"),
        SET_NULL_RESULT("f.setResult(null)"),
        SET_EXCEPTION("f.setException(new IllegalStateException(\"e%d\"))"),
        ADD_CALLBACK("f.addDoneCallback(cb%d)"),
        ADD_THROWING_CALLBACK("f.addDoneCallback(throwing cb%d)"),
        CANCELLED("f.cancelled()"),
        RUNNING("f.running()"),
        DONE("f.done(), f.isDone(), f.isCancelled()"),
        STATE("f.state()"),
        RESULT_NOW("f.resultNow()"),
        EXCEPTION_NOW("f.exceptionNow()"),
        RESULT_ZERO("f.result(Duration.ZERO)"),
        EXCEPTION_ZERO("f.exception(Duration.ZERO)"),
        GET_ZERO("f.get(0, NANOSECONDS)");

        final String code;

        Op(String code) {
            this.code = code;
        }
    }

    record Step(Op op, int arg) {
        @Override
        public String toString() {
            return op.code.contains("%d") ? String.format(op.code, arg) : op.code;
        }
    }

    /** The sequential model: what the reference says a future is after each call. */
    static final class Model {
        enum S { PENDING, RUNNING, FINISHED, FAILED, CANCELLED }

        S state = S.PENDING;
        boolean notified; // CANCELLED and setRunningOrNotifyCancel returned false once (CANCELLED_AND_NOTIFIED)
        Integer value; // for FINISHED; null for a null result
        String exception; // message, for FAILED
        final List<Integer> added = new ArrayList<>(); // callbacks added while not done, in order
        final List<Integer> expectedRuns = new ArrayList<>(); // callbacks that must have run, in order

        boolean done() {
            return state == S.FINISHED || state == S.FAILED || state == S.CANCELLED;
        }

        void complete(S to) {
            state = to;
            expectedRuns.addAll(added); // in the order added, once each
            added.clear();
        }
    }

    static List<Step> generate(SplittableRandom r) {
        int n = 1 + r.nextInt(MAX_STEPS);
        List<Step> steps = new ArrayList<>(n);
        Op[] ops = Op.values();
        for (int i = 0; i < n; i++) {
            // mutators a little less often than queries, so futures live a while in each state
            Op op = ops[r.nextInt(ops.length)];
            steps.add(new Step(op, i));
        }
        return steps;
    }

    /** Runs the steps on a real future and the model, comparing after every step. */
    static void run(List<Step> steps) {
        Future<Integer> f = new Future<>();
        Model m = new Model();
        List<Integer> runs = new ArrayList<>();
        try (LogCapture quiet = new LogCapture("futures.core.Future")) {
            for (Step step : steps) {
                try {
                    apply(f, m, step, runs);
                } catch (Throwable e) {
                    throw new AssertionError("at " + step + " (model " + m.state + "): " + e, e);
                }
                invariants(f, m, runs, step);
            }
            int expectedLogs = (int) m.expectedRuns.stream()
                    .filter(id -> steps.stream().anyMatch(s -> s.arg() == id && s.op() == Op.ADD_THROWING_CALLBACK))
                    .count();
            assertEquals(expectedLogs, quiet.records().size(), "one log record per throwing callback run");
        }
    }

    private static void apply(Future<Integer> f, Model m, Step step, List<Integer> runs) throws Exception {
        int arg = step.arg();
        switch (step.op()) {
            case CANCEL, CANCEL_INTERRUPT -> {
                boolean expected = m.state == Model.S.PENDING || m.state == Model.S.CANCELLED;
                if (m.state == Model.S.PENDING) {
                    m.complete(Model.S.CANCELLED);
                }
                boolean got = step.op() == Op.CANCEL ? f.cancel() : f.cancel(true);
                assertEquals(expected, got, "cancel() returns True unless running or finished");
            }
            case SET_RUNNING -> {
                switch (m.state) {
                    case PENDING -> {
                        m.state = Model.S.RUNNING;
                        assertTrue(f.setRunningOrNotifyCancel());
                    }
                    case CANCELLED -> {
                        if (m.notified) {
                            assertThrows(InvalidStateException.class, f::setRunningOrNotifyCancel);
                        } else {
                            m.notified = true;
                            assertEquals(false, f.setRunningOrNotifyCancel());
                        }
                    }
                    default -> assertThrows(InvalidStateException.class, f::setRunningOrNotifyCancel);
                }
            }
            case SET_RESULT, SET_NULL_RESULT -> {
                Integer v = step.op() == Op.SET_RESULT ? arg : null;
                if (m.state == Model.S.PENDING || m.state == Model.S.RUNNING) {
                    m.value = v;
                    m.complete(Model.S.FINISHED);
                    f.setResult(v);
                } else {
                    assertThrows(InvalidStateException.class, () -> f.setResult(v));
                }
            }
            case SET_EXCEPTION -> {
                IllegalStateException e = new IllegalStateException("e" + arg);
                if (m.state == Model.S.PENDING || m.state == Model.S.RUNNING) {
                    m.exception = e.getMessage();
                    m.complete(Model.S.FAILED);
                    f.setException(e);
                } else {
                    assertThrows(InvalidStateException.class, () -> f.setException(e));
                }
            }
            case ADD_CALLBACK, ADD_THROWING_CALLBACK -> {
                boolean throwing = step.op() == Op.ADD_THROWING_CALLBACK;
                if (m.done()) {
                    m.expectedRuns.add(arg); // runs at once
                } else {
                    m.added.add(arg);
                }
                f.addDoneCallback(x -> {
                    assertSame(f, x, "the callback gets the future as its only argument");
                    assertTrue(x.done(), "a callback runs when the future is done");
                    runs.add(arg);
                    if (throwing) {
                        throw new IllegalArgumentException("callback " + arg + " throws");
                    }
                });
            }
            case CANCELLED -> assertEquals(m.state == Model.S.CANCELLED, f.cancelled());
            case RUNNING -> assertEquals(m.state == Model.S.RUNNING, f.running());
            case DONE -> {
                assertEquals(m.done(), f.done());
                assertEquals(m.done(), f.isDone());
                assertEquals(m.state == Model.S.CANCELLED, f.isCancelled());
            }
            case STATE -> assertEquals(switch (m.state) {
                case PENDING, RUNNING -> java.util.concurrent.Future.State.RUNNING;
                case FINISHED -> java.util.concurrent.Future.State.SUCCESS;
                case FAILED -> java.util.concurrent.Future.State.FAILED;
                case CANCELLED -> java.util.concurrent.Future.State.CANCELLED;
            }, f.state());
            case RESULT_NOW -> {
                if (m.state == Model.S.FINISHED) {
                    assertEquals(m.value, f.resultNow());
                } else {
                    assertThrows(IllegalStateException.class, f::resultNow);
                }
            }
            case EXCEPTION_NOW -> {
                if (m.state == Model.S.FAILED) {
                    assertEquals(m.exception, f.exceptionNow().getMessage());
                } else {
                    assertThrows(IllegalStateException.class, f::exceptionNow);
                }
            }
            case RESULT_ZERO -> expectOutcome(m, () -> f.result(Duration.ZERO), WaitTimeoutException.class);
            case EXCEPTION_ZERO -> {
                switch (m.state) {
                    case PENDING, RUNNING -> assertThrows(WaitTimeoutException.class, () -> f.exception(Duration.ZERO));
                    case CANCELLED -> assertThrows(CancellationException.class, () -> f.exception(Duration.ZERO));
                    case FINISHED -> assertNull(f.exception(Duration.ZERO));
                    case FAILED -> assertEquals(m.exception, f.exception(Duration.ZERO).getMessage());
                }
            }
            case GET_ZERO -> {
                switch (m.state) {
                    case PENDING, RUNNING -> assertThrows(TimeoutException.class, () -> f.get(0, TimeUnit.NANOSECONDS));
                    case CANCELLED -> assertThrows(CancellationException.class, () -> f.get(0, TimeUnit.NANOSECONDS));
                    case FINISHED -> assertEquals(m.value, f.get(0, TimeUnit.NANOSECONDS));
                    case FAILED -> assertEquals(m.exception,
                            assertThrows(ExecutionException.class, () -> f.get(0, TimeUnit.NANOSECONDS)).getCause().getMessage());
                }
            }
        }
    }

    private interface Call {
        Object call() throws Throwable;
    }

    private static void expectOutcome(Model m, Call call, Class<? extends Throwable> notDone) throws Exception {
        switch (m.state) {
            case PENDING, RUNNING -> assertThrows(notDone, call::call);
            case CANCELLED -> assertThrows(CancellationException.class, call::call);
            case FINISHED -> {
                try {
                    assertEquals(m.value, call.call());
                } catch (Throwable t) {
                    throw new AssertionError("expected " + m.value + ", got " + t, t);
                }
            }
            case FAILED -> assertEquals(m.exception, assertThrows(IllegalStateException.class, call::call).getMessage());
        }
    }

    /** Whole-object truths, after every step. */
    private static void invariants(Future<Integer> f, Model m, List<Integer> runs, Step after) {
        // done once and only once: the real future is done exactly when the model is, in the same state
        assertEquals(m.done(), f.done(), "done() after " + after);
        assertEquals(m.state == Model.S.RUNNING, f.running(), "running() after " + after);
        assertEquals(m.state == Model.S.CANCELLED, f.cancelled(), "cancelled() after " + after);
        // callbacks run once each, in the order added, and only once the future is done
        assertEquals(m.expectedRuns, runs, "callbacks run (in order) after " + after);
        // no listener is kept by a done future; a pending one keeps exactly its callbacks
        assertEquals(m.done() ? 0 : m.added.size(), f.listenerCount(), "listeners after " + after);
    }

    @Test
    @DisplayName("A future is done once and only once; cancel() succeeds unless running or finished; set_* after done raise InvalidStateError; callbacks run once each in the order added (random call sequences against a model)")
    void futureFollowsTheModel() {
        PropertyRunner.check("future follows the model of the reference", CASES, FutureProperties::generate, FutureProperties::run);
    }
}
