package futures.core;

import futures.spi.BrokenExecutorException;
import futures.spi.WorkItem;
import futures.spi.WorkerPool;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * A WorkerPool whose items run only when the test says so, in the test's thread: it makes the
 * order of events in map, shutdown and cancel tests exact instead of timed.
 *
 * <p>Invariants: every field is guarded by {@code this}; items leave {@code queue} in FIFO order.
 */
final class ManualPool implements WorkerPool {
    private final ArrayDeque<WorkItem> queue = new ArrayDeque<>();
    private final boolean handsBack;
    private boolean shutdown;
    private int shutdowns;

    private ManualPool(boolean handsBack) {
        this.handsBack = handsBack;
    }

    /** An executor over a fresh manual pool, and the pool. */
    record Pair(Executor executor, ManualPool pool) {}

    /** Over a pool that keeps its queue to itself: the core records every pending item. */
    static Pair create() {
        return create(false);
    }

    /**
     * @param handsBack whether the pool hands back its queue ({@link WorkerPool#takeQueued()}),
     *     so that the core keeps no record of its own
     */
    static Pair create(boolean handsBack) {
        ManualPool pool = new ManualPool(handsBack);
        return new Pair(new Executor("manual", pool), pool);
    }

    @Override
    public boolean handsBackQueued() {
        return handsBack;
    }

    @Override
    public synchronized List<WorkItem> takeQueued() {
        if (!handsBack) {
            throw new AssertionError("takeQueued called on a pool that does not hand back its queue");
        }
        if (!shutdown) {
            throw new AssertionError("takeQueued called before shutdown");
        }
        List<WorkItem> items = new ArrayList<>(queue);
        queue.clear();
        return items;
    }

    @Override
    public synchronized void execute(WorkItem item) {
        if (shutdown) {
            throw new RejectedExecutionException("manual pool is shut down");
        }
        queue.add(item);
    }

    /** Takes the next item without running it, or null. */
    synchronized WorkItem take() {
        return queue.poll();
    }

    /**
     * Runs the next item here with the whole protocol.
     *
     * @return false if it had been cancelled (so it did not run)
     * @throws IllegalStateException if there is none
     */
    boolean runNext() {
        WorkItem item = take();
        if (item == null) {
            throw new IllegalStateException("no item queued");
        }
        if (!item.markRunning()) {
            return false;
        }
        Object value;
        try {
            value = item.task().call();
        } catch (Throwable t) {
            item.fail(t);
            return true;
        }
        item.complete(value);
        return true;
    }

    /** Runs every queued item; returns how many actually ran (were not cancelled). */
    int runAll() {
        int ran = 0;
        while (queued() > 0) {
            if (runNext()) {
                ran++;
            }
        }
        return ran;
    }

    synchronized int queued() {
        return queue.size();
    }

    synchronized int shutdowns() {
        return shutdowns;
    }

    @Override
    public synchronized void shutdown(boolean wait) {
        shutdown = true;
        shutdowns++;
    }

    @Override
    public int maxWorkers() {
        return 1;
    }

    @Override
    public BrokenExecutorException broken() {
        return null;
    }
}
