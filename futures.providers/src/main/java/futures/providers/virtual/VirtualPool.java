package futures.providers.virtual;

import futures.providers.PoolSupport;
import futures.spi.BrokenExecutorException;
import futures.spi.BrokenThreadPoolException;
import futures.spi.Initializer;
import futures.spi.WorkItem;
import futures.spi.WorkerPool;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A new virtual thread per item, with an optional bound on how many run at once.
 *
 * <p>Design. A <em>slot</em> is the right to have one item running. {@link #execute} takes a free
 * slot for the item at once, or queues the item in {@code waiting}. Whoever holds a slot hands it
 * on: a thread whose item is done takes the next waiting item and starts a new virtual thread for
 * it, so every item runs in a fresh thread (and the initializer runs once per thread, before its
 * item). An item is marked running only once it holds a slot, so an item still waiting stays
 * pending: the core can cancel it, and {@code markRunning} then says false and it is dropped
 * without a thread ever being started for it.
 *
 * <p>Invariants, all guarded by {@code lock}: {@code slots} counts the slots held (items being
 * dispatched or running) and never exceeds {@code maxWorkers}; {@code waiting} is non-empty only
 * while {@code slots == maxWorkers}; a slot is given back only when {@code waiting} is empty, so
 * no waiting item is ever stranded; {@code shutdown} and {@code broken} only go from unset to set.
 * {@code broken} is written under the lock and read without it (volatile); once it is set,
 * {@code waiting} has been drained and every drained item failed. {@code threads} (a concurrent
 * set) holds every started worker thread until its last action, for {@code shutdown(wait)}'s join
 * and its check against waiting on itself. {@code noSlots} is signalled when {@code slots} drops
 * to zero.
 *
 * <p>The lock is a {@link ReentrantLock}, not a monitor, so a virtual thread waiting in
 * {@code shutdown(wait=true)} does not pin its carrier.
 */
final class VirtualPool implements WorkerPool {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int maxWorkers;
    private final Initializer initializer;
    private final ThreadFactory factory;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition noSlots = lock.newCondition();
    private final ArrayDeque<WorkItem> waiting = new ArrayDeque<>();
    private int slots;
    private boolean shutdown;
    private volatile String broken;

    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    /**
     * @param maxWorkers the most items running at once; {@link Integer#MAX_VALUE} for no bound
     * @param prefix the thread name prefix, or null for {@code futures-virtual-N}
     * @param initializer run in each thread before its item, or null
     */
    VirtualPool(int maxWorkers, String prefix, Initializer initializer) {
        if (maxWorkers <= 0) {
            throw new IllegalArgumentException("max_workers must be greater than 0, got " + maxWorkers);
        }
        this.maxWorkers = maxWorkers;
        this.initializer = initializer;
        String p = prefix != null ? prefix : "futures-virtual-" + POOLS.incrementAndGet();
        // Thread.Builder is not thread-safe, but the factory it makes is; it numbers threads p_0, p_1, ...
        this.factory = Thread.ofVirtual().name(p + "_", 0).factory();
    }

    @Override
    public void execute(WorkItem item) {
        lock.lock();
        try {
            if (broken != null) {
                throw broken();
            }
            if (shutdown) {
                throw new RejectedExecutionException("cannot schedule new futures after shutdown");
            }
            if (slots >= maxWorkers) {
                waiting.add(item);
                return;
            }
            slots++;
        } finally {
            lock.unlock();
        }
        dispatch(item);
    }

    /**
     * With one slot held: starts a thread for the first of {@code item} and the waiting items that
     * was not cancelled, or gives the slot back when none is left. Never called with the lock held
     * (markRunning settles cancelled items, which touches the core's state).
     */
    private void dispatch(WorkItem item) {
        while (item != null) {
            boolean run;
            try {
                run = item.markRunning();
            } catch (IllegalStateException alreadySettled) {
                run = false; // not ours to run any more
            }
            if (run) {
                if (broken != null) {
                    item.fail(broken()); // the pool broke after the item was taken
                } else if (start(item)) {
                    return; // the slot went to the new thread
                }
            }
            item = next();
        }
    }

    private boolean start(WorkItem item) {
        Thread t = factory.newThread(() -> work(item));
        threads.add(t);
        try {
            t.start();
            return true;
        } catch (Throwable e) { // out of memory, or the JVM is going down
            threads.remove(t);
            item.fail(e);
            return false;
        }
    }

    /** The body of each worker thread: initializer, the item, then hand the slot on. */
    private void work(WorkItem item) {
        try {
            if (initializer != null) {
                try {
                    initializer.run();
                } catch (Throwable e) {
                    String why = breakPool(e);
                    item.fail(new BrokenThreadPoolException(why, e));
                    return;
                }
            }
            Object value;
            try {
                value = item.task().call();
            } catch (Throwable e) {
                item.fail(e);
                return;
            }
            item.complete(value);
        } finally {
            try {
                dispatch(next());
            } finally {
                threads.remove(Thread.currentThread());
            }
        }
    }

    /** The next waiting item, keeping the caller's slot; or null, giving the slot back. */
    private WorkItem next() {
        lock.lock();
        try {
            WorkItem item = waiting.poll();
            if (item == null && --slots == 0) {
                noSlots.signalAll();
            }
            return item;
        } finally {
            lock.unlock();
        }
    }

    /** Marks the pool broken and fails every waiting item; returns the reason. */
    private String breakPool(Throwable cause) {
        List<WorkItem> drained;
        String why;
        boolean first = false;
        lock.lock();
        try {
            if (broken == null) {
                broken = "A thread initializer failed, the thread pool is not usable anymore: " + cause;
                first = true;
            }
            why = broken;
            drained = new ArrayList<>(waiting);
            waiting.clear();
        } finally {
            lock.unlock();
        }
        if (first) {
            PoolSupport.Log.initializerFailed(VirtualPool.class, cause);
        }
        for (WorkItem w : drained) {
            w.fail(new BrokenThreadPoolException(why, cause));
        }
        return why;
    }

    @Override
    public void shutdown(boolean wait) {
        lock.lock();
        try {
            shutdown = true;
        } finally {
            lock.unlock();
        }
        if (!wait) {
            return;
        }
        if (threads.contains(Thread.currentThread())) {
            throw PoolSupport.shutdownFromOwnTask();
        }
        boolean interrupted = false;
        lock.lock();
        try {
            while (slots > 0) {
                try {
                    noSlots.await();
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting, as the reference's shutdown(wait=True) does
                }
            }
        } finally {
            lock.unlock();
        }
        // each thread is past its item, handing nothing on
        interrupted |= PoolSupport.joinUninterruptibly(List.copyOf(threads));
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
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

    @Override
    public String toString() {
        lock.lock();
        try {
            return "VirtualPool[max_workers=" + (maxWorkers == Integer.MAX_VALUE ? "unbounded" : maxWorkers)
                    + ", running=" + slots + ", waiting=" + waiting.size() + (shutdown ? ", shut down" : "")
                    + (broken != null ? ", broken" : "") + "]";
        } finally {
            lock.unlock();
        }
    }
}
