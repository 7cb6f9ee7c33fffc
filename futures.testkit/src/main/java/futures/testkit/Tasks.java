package futures.testkit;

import futures.core.BiFunc;
import futures.core.Func;
import futures.spi.Task;
import java.io.IOException;
import java.io.Serializable;

/**
 * The calls the behaviour suite submits. They live here, not in the suite, for two reasons that
 * matter to providers whose workers are other processes:
 * <ul>
 *   <li>a lambda written in the suite would be compiled into the suite's class, and deserializing
 *       it in a worker resolves every method signature of that class, JUnit's types included; this
 *       class mentions only the JDK and futures' own types;</li>
 *   <li>no lambda here captures anything but serializable values (numbers, strings, a
 *       {@link Gate.Key}): never the test instance.</li>
 * </ul>
 * Every call is deterministic and fast unless it waits at a gate.
 */
final class Tasks {
    private Tasks() {}

    /** An exception of the suite's own, unchecked, so a test can tell it from anything else. */
    static final class Boom extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Boom(String message) {
            super(message);
        }
    }

    static Task<Integer> answer() {
        return () -> 42;
    }

    /** The pid of the process that runs the call. */
    static Task<Long> pid() {
        return () -> ProcessHandle.current().pid();
    }

    /** Ends the process that runs the call with {@code System.exit(status)}: only for workers in processes of their own. */
    static Task<Integer> exitProcess(int status) {
        return () -> {
            System.exit(status);
            return status;
        };
    }

    static Task<String> nothing() {
        return () -> null;
    }

    static Func<Integer, Integer> square() {
        return x -> x * x;
    }

    static BiFunc<Double, Double, Double> pow() {
        return Math::pow;
    }

    static BiFunc<Integer, Integer, Integer> add() {
        return Integer::sum;
    }

    static Task<Integer> throwUnchecked(String message) {
        return () -> {
            throw new Boom(message);
        };
    }

    static Task<Integer> throwChecked(String message) {
        return () -> {
            throw new IOException(message);
        };
    }

    /** {@code x * x}, except that item {@code bad} throws {@link Boom}. */
    static Func<Integer, Integer> squareFailingAt(int bad) {
        return x -> {
            if (x == bad) {
                throw new Boom("item " + x);
            }
            return x * x;
        };
    }

    /** Arrives at the gate as {@code tag}, waits to be let through, then returns {@code tag}. */
    static Task<String> passThen(Gate.Key gate, String tag) {
        return () -> {
            gate.pass(tag);
            return tag;
        };
    }

    /** Records at the gate that it ran, as {@code tag}, and returns {@code tag}. */
    static Task<String> markThen(Gate.Key gate, String tag) {
        return () -> {
            gate.mark(tag);
            return tag;
        };
    }

    /** Waits at the gate as {@code "item-" + x}, then returns {@code x * x}. */
    static Func<Integer, Integer> squareAfterPass(Gate.Key gate) {
        return x -> {
            gate.pass("item-" + x);
            return x * x;
        };
    }

    /** Records {@code "item-" + x} at the gate, then returns {@code x * x}. */
    static Func<Integer, Integer> squareAfterMark(Gate.Key gate) {
        return x -> {
            gate.mark("item-" + x);
            return x * x;
        };
    }

    /** A command for {@code execute}: records {@code tag} at the gate. */
    static Runnable markRunnable(Gate.Key gate, String tag) {
        return (Runnable & Serializable) () -> gate.mark(tag);
    }
}
