package futures.providers.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

    /**
     * Alive and not a zombie waiting for init to reap it. A worker whose parent died is re-parented
     * to init and may stay a zombie until init reaps it (1-2.5 s on the test VM), which says nothing
     * of when it exited; no JDK notification reports "zombie", so tests poll this OS state against
     * a deadline ({@link #gone}).
     */
    static boolean alive(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String s = Files.readString(stat);
            return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException gone) {
            return Files.exists(stat);
        }
    }

    /** Polls until {@code pid} is gone, at most 30 s (a hang guard: nothing reports an unrelated process's exit). */
    static boolean gone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (alive(pid) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return !alive(pid);
    }

    /**
     * SIGKILLs {@code parent} (no shutdown hook, no clean close), waits until it is reaped, and
     * checks that each of its {@code workers} is gone within 30 s; prints how long that took.
     *
     * Fails the test, naming {@code what} and the pid, for a worker that outlived it.
     */
    static void killParentAndAwaitWorkers(Process parent, List<Long> workers, String what)
            throws InterruptedException, ExecutionException, TimeoutException {
        parent.destroyForcibly();
        parent.onExit().get(30, TimeUnit.SECONDS);
        long killed = System.nanoTime();
        for (long pid : workers) {
            org.junit.jupiter.api.Assertions.assertTrue(gone(pid),
                    what + " " + pid + " outlived its parent killed with SIGKILL");
        }
        System.out.printf("%s %s gone %d ms after the parent's SIGKILL was reaped%n", what, workers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
    }
}
