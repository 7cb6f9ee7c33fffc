package futures.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import futures.core.Executor;
import futures.spi.ExecutorConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Seeded random programs against your executor, checked against a model of what Python's
 * documentation of {@code concurrent.futures} promises: the property-based companion of
 * {@link ExecutorBehaviourSuite}.
 *
 * <p>Each program makes an executor of a random number of workers and runs random steps on it:
 * submit a call that returns, one that throws, or one that waits at a {@link Gate} until the
 * program lets it through; {@code cancel}; {@code addDoneCallback}; {@code result}; {@code wait}
 * with each {@code ReturnWhen}; {@code asCompleted}; {@code map}; and, in a third of them,
 * {@code shutdown(wait=false, cancelFutures)} part-way, after which every submit must be rejected.
 * Then every future must be done, every call that was not cancelled must have run exactly once and
 * ended with its own value or exception, no cancelled call may have run, and every done callback
 * must have run exactly once, with its future; those one thread ran, in the order added.
 *
 * <p>On failure the test prints and throws the seed, the program shrunk to the fewest steps that
 * still fail, as it ran (each line with what it returned), and what went wrong. Re-run it with
 * {@code -Dfutures.seed=N}; {@code -Dfutures.cases=N} changes the number of programs.
 *
 * <p>To run it against your provider:
 *
 * <pre>{@code
 * class MyProviderPropertiesTest extends ExecutorPropertySuite {
 *     @Override
 *     protected Executor newExecutor(ExecutorConfig config) {
 *         return Executors.create("mine", config);
 *     }
 * }
 * }</pre>
 *
 * <p>The calls reach the {@link Gate} (a Unix-domain socket of this machine), so the suite needs
 * tasks that run on this machine; it is skipped where {@link #tasksRunOnThisMachine()} says
 * false.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.SAME_THREAD)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
public abstract class ExecutorPropertySuite {

    /** For subclasses: JUnit makes one instance of each concrete suite class. */
    protected ExecutorPropertySuite() {}

    /**
     * Makes a new executor of the provider under test, the way users do:
     * {@code Executors.create(name, config)}. Called once per program (and again while shrinking).
     *
     * @param config the program's settings: {@code max_workers} only, from 1 to {@link #maxWorkers()}
     * @return a new executor of your provider
     */
    protected abstract Executor newExecutor(ExecutorConfig config);

    /**
     * How many programs to run; {@code -Dfutures.cases=N} overrides it.
     *
     * @return 40 by default; lower it for a provider whose executors are slow to start
     */
    protected int cases() {
        return 40;
    }

    /**
     * The most workers a program's executor gets.
     *
     * @return 3 by default
     */
    protected int maxWorkers() {
        return 3;
    }

    /**
     * The most steps of a program.
     *
     * @return 25 by default
     */
    protected int maxSteps() {
        return 25;
    }

    /**
     * Whether a call runs apart from the thread that submits it. An executor that runs each call
     * inside {@code submit} says false, and its programs hold no call at the gate.
     *
     * @return true by default
     */
    protected boolean runsTasksAsynchronously() {
        return true;
    }

    /**
     * Whether calls run on this machine and can reach a Unix-domain socket of it.
     *
     * @return true by default; false skips the suite
     */
    protected boolean tasksRunOnThisMachine() {
        return true;
    }

    /**
     * The longest the suite waits for anything that must happen by itself (a call's result, a
     * call's arrival at the gate, {@code wait}, {@code asCompleted}, {@code shutdown(wait=true)});
     * reaching it fails the program, as does a program whose waits take more than three times it
     * together. Not a speed assertion: it only keeps a provider that loses a call from hanging the
     * suite.
     *
     * @return 60 seconds by default
     */
    protected Duration hangGuard() {
        return Duration.ofSeconds(60);
    }

    /** Fails every test at once, saying what to change, when an older JUnit runs the suite. */
    @BeforeAll
    void checkJUnitVersion() {
        JUnitVersion.check();
    }

    @Test
    @DisplayName("random programs of submit, cancel, callbacks, result, wait, asCompleted, map and shutdown behave as the model says")
    void randomPrograms() {
        assumeTrue(tasksRunOnThisMachine(), "the suite's calls reach a Unix-domain socket of this machine");
        ExecutorProperties.check(getClass().getSimpleName() + ": random programs", this::newExecutor,
                new ExecutorProperties.Settings(cases(), maxWorkers(), maxSteps(), runsTasksAsynchronously(),
                        hangGuard(), Duration.ofSeconds(60)));
    }
}
