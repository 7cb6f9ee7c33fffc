package futures.providers.process;

import java.util.List;

/** What tests that count this JVM's child processes share. */
final class Children {
    private Children() {}

    /**
     * This JVM's live children that no pool owns any more and the {@link WorkerPark} does not keep:
     * after every pool of a test is shut down, these are workers that outlived their pool. Parked
     * workers (of this test or an earlier one, {@code reuse_workers}) are kept on purpose and left out.
     * The class cache's training worker (still writing its training file after its pool counted it
     * as exited) and its assembly step also outlive their pool by design, bounded; they are not
     * left out here, because this module's test JVM runs with {@code --patch-module}, where the
     * cache is off (the JVM has no CDS then), so it has none: were the cache on, they would show
     * here, and a test should then wait for them ({@link ClassCache#awaitAssemblies}).
     */
    static List<ProcessHandle> outlivingTheirPools() {
        List<Long> parked = WorkerPark.pids();
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> !parked.contains(p.pid())).toList();
    }
}
