package futures.core;

import futures.spi.BrokenExecutorException;
import futures.spi.WorkItem;
import futures.spi.WorkerPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;

/**
 * A real WorkerPool for core tests, which cannot depend on futures.providers: {@code n} daemon
 * platform threads, started at once, taking items from one unbounded queue.
 *
 * <p>Invariants: {@code shutdown} is guarded by {@code this}; after shutdown one STOP marker per
 * thread sits behind the real items, so every item taken before shutdown still runs.
 */
final class ThreadsPool implements WorkerPool {
    private static final WorkItem STOP = new WorkItem() {
        @Override public futures.spi.Task<?> task() { throw new UnsupportedOperationException(); }
        @Override public boolean markRunning() { return false; }
        @Override public boolean complete(Object value) { return false; }
        @Override public boolean fail(Throwable failure) { return false; }
    };

    private final LinkedBlockingQueue<WorkItem> queue = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private boolean shutdown;

    ThreadsPool(int n, String name) {
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(this::work, name + "_" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** An executor over a fresh pool of {@code n} threads. */
    static Executor executor(int n) {
        return new Executor("test-threads", new ThreadsPool(n, "test-threads"));
    }

    /**
     * As {@link #executor(int)}, over a pool that says {@code runsCallsInThisJvm()} (it keeps the
     * promises: one call at a time per thread, no item left waiting while a thread is free), so
     * that the core detects deadlocks and interrupts limited calls.
     */
    static Executor executorInJvm(int n) {
        ThreadsPool pool = new ThreadsPool(n, "test-threads-jvm");
        pool.inJvm = true;
        return new Executor("test-threads", pool);
    }

    /** Whether this pool says it runs calls in this JVM; set before it is wrapped. */
    private boolean inJvm;

    @Override
    public boolean runsCallsInThisJvm() {
        return inJvm;
    }

    private void work() {
        while (true) {
            WorkItem item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                continue;
            }
            if (item == STOP) {
                return;
            }
            item.run();
            Thread.interrupted();
        }
    }

    @Override
    public synchronized void execute(WorkItem item) {
        if (shutdown) {
            throw new RejectedExecutionException("test pool is shut down");
        }
        queue.add(item);
    }

    @Override
    public void shutdown(boolean wait) {
        synchronized (this) {
            if (!shutdown) {
                shutdown = true;
                threads.forEach(t -> queue.add(STOP));
            }
        }
        if (!wait) {
            return;
        }
        if (threads.contains(Thread.currentThread())) {
            throw new IllegalStateException("shutdown(wait=true) from a worker of this pool");
        }
        for (Thread t : threads) {
            boolean interrupted = false;
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public int maxWorkers() {
        return threads.size();
    }

    @Override
    public BrokenExecutorException broken() {
        return null;
    }
}
