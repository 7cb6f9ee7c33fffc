package futures.moduletests;

import futures.spi.BrokenExecutorException;
import futures.spi.WorkItem;
import futures.spi.WorkerPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;

/**
 * The pool of {@link InlineProvider}: {@link #execute} runs the item at once, in the calling
 * thread, with the whole {@link WorkItem} protocol ({@code markRunning}, then the call, then
 * {@code complete} or {@code fail}, which {@link WorkItem#run()} does).
 *
 * <p>Invariants: {@code shutdown} and {@code active} are guarded by this object's monitor;
 * {@code shutdown} only goes false to true; {@code active} counts the items taken by
 * {@link #execute} and not yet done, and an item is counted in the same critical section that
 * checked {@code shutdown}, so a waiting shutdown sees every item it must wait for.
 * {@code permits} bounds how many items run at once to {@code maxWorkers}. {@code INSIDE} marks a
 * thread while it runs one of this pool's items, so a waiting shutdown from a call fails instead
 * of waiting for itself, and a call that submits to its own executor runs the nested call at once
 * on the permit it holds.
 */
final class InlinePool implements WorkerPool {
    private static final ThreadLocal<InlinePool> INSIDE = new ThreadLocal<>();

    private final int maxWorkers;
    private final Semaphore permits;
    private boolean shutdown;
    private int active;

    InlinePool(int maxWorkers) {
        this.maxWorkers = maxWorkers;
        this.permits = new Semaphore(maxWorkers);
    }

    @Override
    public void execute(WorkItem item) {
        synchronized (this) {
            if (shutdown) {
                throw new RejectedExecutionException("cannot schedule new futures after shutdown");
            }
            active++;
        }
        InlinePool outer = INSIDE.get();
        // A call that submits to its own executor runs the nested call on the worker it already
        // holds: taking a second permit would deadlock at max_workers=1 (the reference's example).
        boolean nested = outer == this;
        try {
            if (!nested) {
                permits.acquireUninterruptibly();
            }
            try {
                INSIDE.set(this);
                item.run(); // markRunning, call, complete or fail: the SPI's protocol in one place
            } finally {
                INSIDE.set(outer);
                if (!nested) {
                    permits.release();
                }
            }
        } finally {
            synchronized (this) {
                active--;
                notifyAll();
            }
        }
    }

    @Override
    public void shutdown(boolean wait) {
        synchronized (this) {
            shutdown = true;
        }
        if (!wait) {
            return;
        }
        if (INSIDE.get() == this) {
            throw new IllegalStateException(
                    "shutdown(wait=true) called from a call of this executor would wait for itself; use shutdown(false)");
        }
        boolean interrupted = false;
        synchronized (this) {
            while (active > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int maxWorkers() {
        return maxWorkers;
    }

    @Override
    public BrokenExecutorException broken() {
        return null; // nothing here can break: a call's failure is its own future's
    }
}
