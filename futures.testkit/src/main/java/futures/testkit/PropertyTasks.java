package futures.testkit;

import futures.spi.Task;

/**
 * The calls the property suite submits. Like {@link Tasks}, they mention only the JDK and futures'
 * own types and capture only serializable values, so a provider whose workers are other JVMs can
 * run them. Each one records at the gate that it ran, under its future's name, so the suite can
 * count how often each call ran (never for a cancelled future, once for any other).
 */
final class PropertyTasks {
    private PropertyTasks() {}

    /** Records {@code tag} at the gate, then returns {@code value}. */
    static Task<Integer> value(Gate.Key gate, String tag, int value) {
        return () -> {
            gate.mark(tag);
            return value;
        };
    }

    /** Records {@code tag} at the gate, then throws {@link Tasks.Boom} with message {@code tag}. */
    static Task<Integer> fail(Gate.Key gate, String tag) {
        return () -> {
            gate.mark(tag);
            throw new Tasks.Boom(tag);
        };
    }

    /** Waits at the gate as {@code tag} until the test lets it through, then returns {@code value}. */
    static Task<Integer> held(Gate.Key gate, String tag, int value) {
        return () -> {
            gate.pass(tag);
            return value;
        };
    }
}
