package futures.cluster.internal;

import futures.spi.Task;
import futures.testkit.Gate;

/** Calls for {@link MemberLossTest}, in a class with no JUnit types, since a child member loads it. */
final class KillTasks {
    private KillTasks() {}

    /** Arrives at the gate as "index:pid", waits to be let through, returns the pid. */
    static Task<Long> passAs(Gate.Key gate, int index) {
        return () -> {
            long pid = ProcessHandle.current().pid();
            gate.pass(index + ":" + pid);
            return pid;
        };
    }

    static Task<Long> pid() {
        return () -> ProcessHandle.current().pid();
    }
}
