package futures.providers.interop;

import java.io.IOException;
import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * Serializable calls for the process provider's view test. They live in a class with no JUnit
 * types in its signatures, so a worker JVM can load the class that defines the lambdas.
 */
final class ProcessTasks {
    private ProcessTasks() {}

    static Callable<Integer> square(int x) {
        return (Callable<Integer> & Serializable) () -> x * x;
    }

    static Callable<String> pid() {
        return (Callable<String> & Serializable) () -> String.valueOf(ProcessHandle.current().pid());
    }

    static Callable<String> failing(String message) {
        return (Callable<String> & Serializable) () -> {
            throw new IOException(message);
        };
    }

    static Callable<String> constant(String value) {
        return (Callable<String> & Serializable) () -> value;
    }

    static Runnable noop() {
        return (Runnable & Serializable) () -> {};
    }

    /** Not serializable: a plain lambda. */
    static Callable<String> notSerializable() {
        return () -> "never sent";
    }
}
