package futures.providers.thread;

import futures.providers.PoolSupport;
import futures.spi.BrokenExecutorException;
import futures.spi.BrokenThreadPoolException;
import futures.spi.Initializer;
import futures.spi.WorkItem;
import futures.spi.WorkerPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool of daemon platform threads, shaped like CPython's {@code ThreadPoolExecutor}: an
 * unbounded queue of items, at most {@code maxWorkers} threads, an idle worker reused before a new
 * one starts, and threads that end after shutdown once the queue is empty.
 *
 * <p>Threads are daemons so an idle pool never keeps the JVM alive; the core's exit guard waits
 * for pending work instead.
 *
 * <p>Invariants: {@code threads} is guarded by {@code lock}; {@code shutdown}, {@code broken} and
 * {@code full} are written under it and read without it (volatile), and each only goes from unset
 * to set. A thread is added to {@code threads} before it starts and removed only if it fails to
 * start (then the call that needed it is refused, unless a running worker took it already), so
 * {@code threads.size()} never exceeds {@code maxWorkers}; {@code full} is set once it reaches it
 * with the last thread started. Until then {@code idle} holds one permit per worker waiting on the
 * queue (or about to), and {@link #execute} runs under the lock to choose between an idle worker
 * and a new one; once {@code full}, no thread is ever started again, so workers stop counting
 * themselves idle and {@code execute} takes no lock: it checks {@code shutdown} and {@code broken},
 * queues the item, then reads them again. The second read is what keeps the lock's guarantee. A
 * shutdown or a break writes its flag and only then queues its stop markers or drains the queue;
 * the lock-free path queues the item and only then reads the flags again (volatile fields and the
 * queue's locks, so the four steps are totally ordered). So either that read sees the flag, and the
 * item is taken back out and the call refused (if it is gone already, a worker or a drain took it
 * and settles it); or the item was queued before the flag was written, so it is ahead of the stop
 * markers (a worker takes it) and in any drain that follows.
 * {@code broken} is set once, before the queue is drained and failed. After shutdown, one
 * {@link #STOP} marker per thread is queued behind the real items, so each thread leaves once the
 * items before it are taken; a break queues one marker per thread again after its drain (which
 * may have taken shutdown's), so every worker leaves a broken pool; {@link #takeQueued} leaves
 * the markers in place.
 */
final class ThreadPool implements WorkerPool {
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final WorkItem STOP = new WorkItem() {
        @Override public futures.spi.Task<?> task() { throw new UnsupportedOperationException(); }
        @Override public boolean markRunning() { return false; }
        @Override public boolean complete(Object value) { return false; }
        @Override public boolean fail(Throwable failure) { return false; }
    };

    private final int maxWorkers;
    private final String prefix;
    private final Initializer initializer;
    private final ThreadFactory threadFactory;
    private final LinkedBlockingQueue<WorkItem> queue = new LinkedBlockingQueue<>();
    private final Semaphore idle = new Semaphore(0);
    private final Object lock = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean shutdown;
    private volatile boolean full;
    private volatile String broken;

    ThreadPool(int maxWorkers, String prefix, Initializer initializer) {
        this(maxWorkers, prefix, initializer, Thread::new);
    }

    /** With the factory of its worker threads (a seam for tests: a thread that fails to start). */
    ThreadPool(int maxWorkers, String prefix, Initializer initializer, ThreadFactory threadFactory) {
        this.threadFactory = threadFactory;
        this.maxWorkers = maxWorkers;
        this.prefix = prefix != null ? prefix : "futures-thread-" + POOLS.incrementAndGet();
        this.initializer = initializer;
    }

    @Override
    public void execute(WorkItem item) {
        if (!full) {
            synchronized (lock) {
                if (!full) {
                    executeStarting(item);
                    return;
                }
            }
        }
        checkOpen();
        queue.add(item);
        if ((shutdown || broken != null) && queue.remove(item)) {
            checkOpen(); // a shutdown or break came between the check and the add: the call is refused
        }
    }

    /** While threads may still be started: under {@code lock}. */
    private void executeStarting(WorkItem item) {
        checkOpen();
        queue.add(item);
        if (idle.tryAcquire()) {
            return; // an idle worker will take it
        }
        if (threads.size() < maxWorkers) {
            Thread t = null;
            try {
                t = threadFactory.newThread(this::work);
                t.setName(prefix + "_" + threads.size());
                t.setDaemon(true);
                threads.add(t);
                t.start();
            } catch (Throwable e) { // out of memory for a thread stack, or a thread limit
                if (t != null) {
                    threads.remove(t);
                }
                if (queue.remove(item)) {
                    throw new RejectedExecutionException("could not start a worker thread (" + e
                            + "); the call was not scheduled and the pool goes on with its "
                            + threads.size() + " thread(s)", e);
                }
                // A running worker took the item: the call goes ahead. That worker had counted
                // itself idle just before; it is busy now, so take its permit back (at worst this
                // under-counts, and a later call starts a thread it did not strictly need).
                idle.tryAcquire();
                return;
            }
            if (threads.size() == maxWorkers) {
                full = true; // only once the last thread is running: the lock-free path relies on workers
            }
        }
    }

    /** Throws if the pool takes no more items: broken, or shut down. */
    private void checkOpen() {
        if (broken != null) {
            throw broken();
        }
        if (shutdown) {
            throw new RejectedExecutionException("cannot schedule new futures after shutdown");
        }
    }

    private void work() {
        if (initializer != null) {
            try {
                initializer.run();
            } catch (Throwable e) {
                breakPool(e);
                return;
            }
        }
        while (true) {
            WorkItem item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                continue; // an interrupt from outside the pool does not end a worker
            }
            if (item == STOP) {
                return;
            }
            if (broken != null) {
                item.fail(broken());
                return;
            }
            boolean run;
            try {
                run = item.markRunning();
            } catch (IllegalStateException settledElsewhere) {
                // its user called setResult on the queued future (Python allows it): not ours to run,
                // and the exception must not end this worker, which would strand the queue
                run = false;
            }
            if (!run) {
                if (!full) {
                    idle.release(); // cancelled: never run
                }
                continue;
            }
            Object value = null;
            Throwable failure = null;
            try {
                value = item.task().call();
            } catch (Throwable t) {
                failure = t;
            }
            Thread.interrupted(); // a task's own interrupt must not leak into the next task
            // Idle before the outcome is published: a caller woken by it that submits again must
            // find this worker idle, not start a new thread (the idle-reuse rule). Once every
            // thread is started, nobody asks any more.
            if (!full) {
                idle.release();
            }
            if (failure != null) {
                item.fail(failure);
            } else {
                item.complete(value);
            }
        }
    }

    private void breakPool(Throwable cause) {
        boolean first = false;
        synchronized (lock) {
            if (broken == null) {
                broken = "A thread initializer failed, the thread pool is not usable anymore: " + cause;
                first = true;
            }
        }
        if (first) {
            PoolSupport.Log.initializerFailed(ThreadPool.class, cause);
        }
        for (WorkItem item; (item = queue.poll()) != null; ) {
            if (item != STOP) {
                item.fail(new BrokenThreadPoolException(broken, cause));
            }
        }
        // The drain also took the stop markers a shutdown may have queued for the other workers;
        // without new ones a worker blocked in take() would never leave, and shutdown(wait=true)
        // would join it forever. execute() rejects from now on, so markers are all the queue gets.
        synchronized (lock) {
            for (int i = 0; i < threads.size(); i++) {
                queue.add(STOP);
            }
        }
    }

    @Override
    public void shutdown(boolean wait) {
        List<Thread> toJoin;
        synchronized (lock) {
            if (!shutdown) {
                shutdown = true;
                for (int i = 0; i < threads.size(); i++) {
                    queue.add(STOP);
                }
            }
            toJoin = List.copyOf(threads);
        }
        if (!wait) {
            return;
        }
        if (toJoin.contains(Thread.currentThread())) {
            throw PoolSupport.shutdownFromOwnTask();
        }
        if (PoolSupport.joinUninterruptibly(toJoin)) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean handsBackQueued() {
        return true;
    }

    /**
     * Takes out every real item, in queue order, and leaves the stop markers where they are. Not
     * {@code drainTo} and putting the markers back: between the two, a racing submit's item could
     * land ahead of the markers and a worker would run it after the shutdown that drained the
     * queue had returned. With the markers in place, an item queued after them is never reached by
     * a worker (each leaves at the first marker it takes), so its submit takes it back out and is
     * refused (or this loop, if it sees the item, hands it back). Each {@code remove} is atomic, so
     * every item goes to exactly one of this loop, a worker, or its submit.
     */
    @Override
    public List<WorkItem> takeQueued() {
        List<WorkItem> items = new ArrayList<>();
        for (WorkItem w : queue) {
            if (w != STOP && queue.remove(w)) {
                items.add(w);
            }
        }
        return items;
    }

    /** Each call runs on a thread of this pool, one call per thread at a time, at most maxWorkers at once. */
    @Override
    public boolean runsCallsInThisJvm() {
        return true;
    }

    @Override
    public int maxWorkers() {
        return maxWorkers;
    }

    @Override
    public BrokenExecutorException broken() {
        String why = broken;
        return why == null ? null : new BrokenThreadPoolException(why);
    }
}
