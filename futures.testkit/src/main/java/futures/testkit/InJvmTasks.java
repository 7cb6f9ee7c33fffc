package futures.testkit;

import futures.core.Executor;
import futures.core.Future;
import futures.spi.Task;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Calls for the suite's tests of providers whose calls run on threads of this JVM (see
 * {@link ExecutorBehaviourSuite#detectsDeadlocks()}): unlike {@link Tasks}, these capture an
 * executor, latches and references, which only a call in the same JVM can use. No lambda here
 * captures the test instance.
 */
final class InJvmTasks {
    private InJvmTasks() {}

    /** The reference's wait_on_future: submits pow(5, 2) to {@code ex} and waits for it. */
    static Task<Double> waitOnOwnExecutor(Executor ex, AtomicReference<Future<Double>> inner) {
        return () -> {
            Future<Double> f = ex.submit((a, b) -> Math.pow(a, b), 5.0, 2.0);
            inner.set(f);
            return f.result();
        };
    }

    /** As {@link #waitOnOwnExecutor}, with a timeout. */
    static Task<Double> waitOnOwnExecutor(Executor ex, Duration timeout) {
        return () -> ex.submit((a, b) -> Math.pow(a, b), 5.0, 2.0).result(timeout);
    }

    /** Once {@code go} opens, the value of {@code other}'s future plus {@code add}. */
    static Task<Integer> resultOfOther(AtomicReference<Future<Integer>> other, CountDownLatch go, int add) {
        return () -> {
            go.await();
            return other.get().result() + add;
        };
    }
}
