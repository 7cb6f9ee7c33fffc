package futures.providers.process;

import java.util.List;

/** What tests that count this JVM's child processes share. */
final class Children {
    private Children() {}

    /**
     * This JVM's live children that no pool owns any more and the {@link WorkerPark} does not keep:
     * after every pool of a test is shut down, these are workers that outlived their pool. Parked
     * workers (of this test or an earlier one, {@code reuse_workers}) are kept on purpose and left out.
     */
    static List<ProcessHandle> outlivingTheirPools() {
        List<Long> parked = WorkerPark.pids();
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> !parked.contains(p.pid())).toList();
    }
}
