package futures.testkit;

import futures.spi.BrokenExecutorException;
import futures.spi.ExecutorConfig;
import futures.spi.ExecutorProvider;
import futures.spi.WorkItem;
import futures.spi.WorkerPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

/**
 * Providers for the property suite's own tests, registered (class path) in
 * META-INF/services of these tests only: "per-call", a correct pool that runs each call on a
 * thread of its own, and two that break the SPI's protocol the way a provider author might.
 */
final class FlawedProviders {
    private FlawedProviders() {}

    enum Flaw {
        /** None: markRunning, the call, its outcome (WorkItem.run). */
        NONE,
        /** Runs the call without markRunning: the future goes from PENDING straight to FINISHED. */
        NO_MARK_RUNNING,
        /** Takes every third item and never runs or settles it: its future stays PENDING. */
        LOSES_EVERY_THIRD
    }

    /**
     * A thread per call, unbounded. Invariants: {@code shutdown}, {@code taken} and
     * {@code threads} are guarded by this pool's monitor.
     */
    static final class Pool implements WorkerPool {
        private final Flaw flaw;
        private final List<Thread> threads = new ArrayList<>();
        private boolean shutdown;
        private int taken;

        Pool(Flaw flaw) {
            this.flaw = flaw;
        }

        @Override
        public synchronized void execute(WorkItem item) {
            if (shutdown) {
                throw new RejectedExecutionException("cannot schedule new futures after shutdown");
            }
            if (flaw == Flaw.LOSES_EVERY_THIRD && taken++ % 3 == 2) {
                return; // the flaw: taken, and forgotten
            }
            threads.add(Thread.ofPlatform().daemon().name("flawed-" + flaw).start(() -> {
                if (flaw == Flaw.NO_MARK_RUNNING) {
                    try {
                        item.complete(item.task().call()); // the flaw: no markRunning() first
                    } catch (Throwable t) {
                        item.fail(t);
                    }
                } else {
                    item.run();
                }
            }));
        }

        @Override
        public void shutdown(boolean wait) {
            List<Thread> running;
            synchronized (this) {
                shutdown = true;
                running = List.copyOf(threads);
            }
            if (wait) {
                for (Thread t : running) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        @Override
        public int maxWorkers() {
            return Integer.MAX_VALUE;
        }

        @Override
        public BrokenExecutorException broken() {
            return null;
        }
    }

    private abstract static class Base implements ExecutorProvider {
        private final String name;
        private final Flaw flaw;

        Base(String name, Flaw flaw) {
            this.name = name;
            this.flaw = flaw;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "a thread per call" + (flaw == Flaw.NONE ? "" : ", with the flaw " + flaw);
        }

        @Override
        public Set<String> configKeys() {
            return Set.of(ExecutorConfig.MAX_WORKERS);
        }

        @Override
        public WorkerPool open(ExecutorConfig config) {
            return new Pool(flaw);
        }
    }

    /** Correct. */
    public static final class PerCall extends Base {
        public PerCall() {
            super("per-call", Flaw.NONE);
        }
    }

    /** Runs calls without markRunning(). */
    public static final class NoMarkRunning extends Base {
        public NoMarkRunning() {
            super("no-mark-running", Flaw.NO_MARK_RUNNING);
        }
    }

    /** Loses every third call. */
    public static final class LosesEveryThird extends Base {
        public LosesEveryThird() {
            super("loses-every-third", Flaw.LOSES_EVERY_THIRD);
        }
    }
}
