package futures.testkit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executors;
import futures.core.ReturnWhen;
import futures.testkit.ExecutorProperties.Op;
import futures.testkit.ExecutorProperties.Program;
import futures.testkit.ExecutorProperties.Settings;
import futures.testkit.ExecutorProperties.Step;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The property suite's engine against providers of these tests: it passes a correct one, and
 * catches, with a seed and a shrunk program, one that runs calls without markRunning() (a wrong
 * state transition: PENDING straight to FINISHED, so a running call can be cancelled) and one
 * that loses calls (their futures never complete, so their callbacks never run).
 */
@Timeout(300)
class ExecutorPropertiesTest {
    /** Short hang guard and shrink time: the flawed providers make programs wait for it. */
    private static final Settings SETTINGS = new Settings(40, 3, 25, true, Duration.ofSeconds(5), Duration.ofSeconds(20));

    /**
     * For the flawed providers: up to 400 programs, since the check stops at the first failure. A
     * flaw that shows only in some interleavings (a cancel that lands while the call runs) is then
     * caught on every seed, not just on most (40 programs caught it on each of 20 seeds tried).
     */
    private static final Settings HUNT = new Settings(400, 3, 25, true, Duration.ofSeconds(5), Duration.ofSeconds(20));

    private static AssertionError failureOf(String provider) {
        return assertThrows(AssertionError.class, () -> ExecutorProperties.check(
                provider + ": random programs", config -> Executors.create(provider, config), HUNT));
    }

    @Test
    @DisplayName("a correct provider passes 40 random programs")
    void correctProviderPasses() {
        ExecutorProperties.check("per-call: random programs", config -> Executors.create("per-call", config), SETTINGS);
    }

    @Test
    @DisplayName("a provider that runs calls without markRunning() fails, with the seed and a shrunk program")
    void catchesAWrongStateTransition() {
        String msg = failureOf("no-mark-running").getMessage();
        assertTrue(msg.contains("seed ") && msg.contains("-Dfutures.seed=") && msg.contains("shrunk to"), msg);
        assertTrue(msg.contains("but the future says") || msg.contains("is cancelled, but its call ran")
                || msg.contains("whose call had already started"), msg);
    }

    @Test
    @DisplayName("a provider that loses calls fails: their futures never complete and their callbacks never run")
    void catchesALostCallback() {
        String msg = failureOf("loses-every-third").getMessage();
        assertTrue(msg.contains("seed ") && msg.contains("shrunk to"), msg);
        assertTrue(msg.contains("never reported its outcome") || msg.contains("(the provider lost it?)"), msg);
        // the smallest program that shows it: the third call is lost, and the callback on it never runs
        Program lost = new Program(2, List.of(new Step(Op.VALUE, 1, 0), new Step(Op.VALUE, 2, 0),
                new Step(Op.VALUE, 3, 0), new Step(Op.CALLBACK, 2, 0)));
        ExecutorProperties.Failure failure = ExecutorProperties.run(lost, config -> Executors.create("loses-every-third", config), SETTINGS);
        assertNotNull(failure, "a lost call passed");
        assertTrue(failure.error().getMessage().contains("f2 is still PENDING after shutdown(wait=true) returned")
                && failure.error().getMessage().contains("1 callback(s) never ran"), failure.error().getMessage());
        assertTrue(failure.trace().contains("f2.addDoneCallback(c0)"), failure.trace().toString());
    }

    @Test
    @DisplayName("a lost call ends its program within the hang guard, reported as lost, wherever the program waits for it")
    void aLostCallIsBoundedAndReportedAsLost() {
        // the seed -1986476174738252530 hung here: asCompleted with no timeout over the lost third call
        Settings quick = new Settings(1, 3, 25, true, Duration.ofSeconds(2), Duration.ofSeconds(5));
        Step a = new Step(Op.VALUE, 1, 0);
        Step b = new Step(Op.VALUE, 2, 0);
        List<List<Step>> programs = List.of(
                List.of(a, b, new Step(Op.VALUE, 3, 0), new Step(Op.AS_COMPLETED, 0, 0b110)),
                List.of(a, b, new Step(Op.VALUE, 3, 0), new Step(Op.WAIT, ReturnWhen.ALL_COMPLETED.ordinal(), 0b100)),
                List.of(a, b, new Step(Op.VALUE, 3, 0), new Step(Op.WAIT, ReturnWhen.FIRST_COMPLETED.ordinal(), 0b100)),
                List.of(a, b, new Step(Op.VALUE, 3, 0), new Step(Op.WAIT, ReturnWhen.FIRST_EXCEPTION.ordinal(), 0b100)),
                List.of(a, b, new Step(Op.VALUE, 3, 0), new Step(Op.RESULT, 2, 0)),
                // a held call that is lost never arrives at the gate, though a worker is free for it
                List.of(a, b, new Step(Op.HELD, 3, 0), new Step(Op.RELEASE, 0, 0)));
        for (List<Step> steps : programs) {
            Program program = new Program(2, steps);
            ExecutorProperties.Failure failure = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> ExecutorProperties.run(program, config -> Executors.create("loses-every-third", config), quick),
                    () -> "a run waited past its budget: " + steps);
            assertNotNull(failure, "a lost call passed: " + steps);
            String msg = failure.error().getMessage();
            assertTrue(msg.contains("f2") && msg.contains("(the provider lost it?)"), steps + ": " + msg);
        }
    }

    @Test
    @DisplayName("an interrupted run stops the check: it is not taken for a failure of the provider, nor shrunk")
    void anInterruptIsNotAFailure() {
        Program program = new Program(2, List.of(new Step(Op.HELD, 0, 0), new Step(Op.AS_COMPLETED, 0, 0b1)));
        Thread.currentThread().interrupt();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ExecutorProperties.run(program, config -> Executors.create("per-call", config), SETTINGS));
            assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt was swallowed");
        } finally {
            Thread.interrupted();
        }
    }
}
