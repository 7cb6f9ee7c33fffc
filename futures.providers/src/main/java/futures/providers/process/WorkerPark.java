package futures.providers.process;

import java.util.ArrayDeque;
import java.util.Base64;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Warm workers kept between executors, JVM-wide: when a process pool shuts down, its idle workers
 * that may serve another pool are parked here instead of exiting, and the next pool whose workers
 * would be started the same way takes them instead of starting JVMs (loky's reusable executor
 * keeps a whole executor; this keeps its workers, so each executor still has its own queue,
 * shutdown and breaking).
 *
 * <p>A parked worker is idle: the pool that parked it had read its last result, asked it to park
 * ({@link FrameChannel#PARK}) and read its answer, and its own thread stopped reading the channel.
 * The worker itself keeps reading: its channel's end of stream (the parent closed it, or the
 * parent died) ends it within milliseconds, parked or not. When this JVM exits normally, a shutdown
 * hook (one per JVM, added with the first parked worker) closes the parked workers and waits up to
 * {@value #EXIT_WAIT_MILLIS} ms for them, so that, as without the park, no worker outlives a parent
 * that has exited.
 *
 * <p>Which pools share: those whose {@link #key} is equal, a string of everything that shapes a
 * worker JVM: the java binary, every argument of its argfile (the JVM options the pool sets,
 * {@code jvm_options}, the module and class path, the parent's {@code -D} properties, the class
 * cache's options, {@code max_message_size}), the JVM option variables it is started with, and the
 * initializer's serialized bytes (a worker that ran an initializer only goes to a pool whose
 * initializer serializes to the same bytes, which would have run the same code on the same values
 * in it; a worker of a pool without one never goes to a pool with one). The pool decides which of
 * its workers may park (see {@code ProcessPool}'s class comment).
 *
 * <p>Bounds: at most {@link #bound} workers (the larger of the processor count and the parking
 * pool's {@code max_workers}), the oldest closed first; each leaves after the idle limit it was
 * parked with. A worker closed here reads end of stream and exits with code 0; the JDK reaps it.
 *
 * <p>Invariants, all guarded by {@link #LOCK}: {@code parked} holds each parked worker once,
 * oldest first, and a worker is in it only while no pool owns it: a pool adds it after its own
 * thread stopped reading the channel and takes it out before its new pool's thread starts reading,
 * so no worker ever serves two pools at once. An entry's idle timer is cancelled by whoever removes
 * the entry; an entry removed and not taken by a pool is closed, outside the lock.
 */
final class WorkerPark {
    private WorkerPark() {}

    /** One parked worker. {@code timer} is guarded by {@link #LOCK}. */
    private static final class Entry {
        final String key;
        final Process process;
        final FrameChannel channel;
        final int tasks;
        ScheduledFuture<?> timer;

        Entry(String key, Process process, FrameChannel channel, int tasks) {
            this.key = key;
            this.process = process;
            this.channel = channel;
            this.tasks = tasks;
        }

        void close() {
            channel.close();
        }
    }

    /**
     * A worker taken from the park.
     *
     * @param process its process
     * @param channel its channel, with nothing unread in either direction
     * @param tasks how many tasks it has been given in its life, by every pool it served
     */
    record Taken(Process process, FrameChannel channel, int tasks) {}

    private static final Object LOCK = new Object();
    private static final ArrayDeque<Entry> PARKED = new ArrayDeque<>();
    /** Whether the exit hook is added; guarded by {@link #LOCK}. */
    private static boolean hooked;
    /** How long the exit hook waits for the parked workers it closed. */
    static final long EXIT_WAIT_MILLIS = 2000;

    /** The most workers parked at once, for a pool of {@code maxWorkers}: the larger of that and the processor count. */
    static int bound(int maxWorkers) {
        return Math.max(maxWorkers, Runtime.getRuntime().availableProcessors());
    }

    /** The key of a pool's workers; see the class comment for what is in it. */
    static String key(String java, List<String> args, Map<String, String> variables, byte[] initializer) {
        StringBuilder b = new StringBuilder(java).append('\0');
        for (String a : args) {
            b.append(a).append('\0');
        }
        b.append(new TreeMap<>(variables)).append('\0');
        if (initializer != null) {
            b.append(Base64.getEncoder().encodeToString(initializer));
        }
        return b.toString();
    }

    /**
     * Parks an idle worker, or refuses (false) if its process has exited; the caller then closes it.
     *
     * @param idleMillis how long it may stay parked, 0 for no limit
     * @param bound the most workers parked at once; the oldest beyond it is closed
     */
    static boolean park(String key, Process process, FrameChannel channel, int tasks, long idleMillis, int bound) {
        if (!process.isAlive()) {
            return false;
        }
        Entry e = new Entry(key, process, channel, tasks);
        List<Entry> evicted = new ArrayList<>();
        synchronized (LOCK) {
            if (!hooked) {
                hooked = addExitHook();
            }
            PARKED.addLast(e);
            if (idleMillis > 0) {
                e.timer = Timers.after(idleMillis, TimeUnit.MILLISECONDS, () -> expire(e));
            }
            while (PARKED.size() > bound) {
                evicted.add(removeLocked(PARKED.pollFirst()));
            }
        }
        evicted.forEach(Entry::close);
        return true;
    }

    /** Whether a worker of {@code key} is parked (and was alive when parked): a hint, true a moment ago. */
    static boolean has(String key) {
        synchronized (LOCK) {
            for (Entry e : PARKED) {
                if (e.key.equals(key)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Takes the most recently parked live worker of {@code key} whose task count leaves room under
     * {@code maxTasksPerChild} (0: no limit), or returns null. Dead ones met on the way are dropped.
     */
    static Taken take(String key, int maxTasksPerChild) {
        Entry found = null;
        List<Entry> dead = new ArrayList<>();
        synchronized (LOCK) {
            for (Iterator<Entry> it = PARKED.descendingIterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (!e.process.isAlive()) {
                    it.remove();
                    dead.add(removeLocked(e));
                } else if (e.key.equals(key) && (maxTasksPerChild == 0 || e.tasks < maxTasksPerChild)) {
                    it.remove();
                    found = removeLocked(e);
                    break;
                }
            }
        }
        dead.forEach(Entry::close);
        return found == null ? null : new Taken(found.process, found.channel, found.tasks);
    }

    /** Adds the exit hook (see the class comment); false if the JVM is already exiting. */
    private static boolean addExitHook() {
        Thread hook = new Thread(() -> {
            try {
                clear(EXIT_WAIT_MILLIS);
            } catch (InterruptedException | RuntimeException e) {
                // exiting: the workers still end when this process's sockets close
            }
        }, "futures-worker-park-exit");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return true;
        } catch (IllegalStateException exiting) {
            return false;
        }
    }

    /** The idle limit of one entry: closes it if it is still parked. Runs on the timer thread. */
    private static void expire(Entry e) {
        boolean removed;
        synchronized (LOCK) {
            removed = PARKED.remove(e);
            if (removed) {
                removeLocked(e);
            }
        }
        if (removed) {
            e.close();
        }
    }

    /**
     * Takes the worker of {@code process} out of the park if it is still there (no pool took it, and
     * it was not closed meanwhile) and closes its channel (no thread reads it any more): the pool
     * that parked it is stopping its workers ({@code killWorkers()}, a break) and kills it itself.
     *
     * @return true if it was parked and is now the caller's; false if it is not parked
     */
    static boolean evict(Process process) {
        synchronized (LOCK) {
            for (Iterator<Entry> it = PARKED.iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (e.process == process) {
                    it.remove();
                    removeLocked(e).close();
                    return true;
                }
            }
            return false;
        }
    }

    /** Cancels the entry's timer, as it leaves {@code PARKED} (the caller has removed it). */
    private static Entry removeLocked(Entry e) {
        if (e.timer != null) {
            e.timer.cancel(false);
            e.timer = null;
        }
        return e;
    }

    /** The pids of the parked workers, for tests that count a JVM's children. */
    static List<Long> pids() {
        synchronized (LOCK) {
            return PARKED.stream().map(e -> e.process.pid()).toList();
        }
    }

    /**
     * Closes every parked worker and waits up to {@code timeoutMillis} for their exit: for tests
     * that need a JVM with no warm workers, and for no one else.
     *
     * @return whether every one of them exited in time
     */
    static boolean clear(long timeoutMillis) throws InterruptedException {
        List<Entry> all;
        synchronized (LOCK) {
            all = new ArrayList<>(PARKED);
            PARKED.clear();
            all.forEach(WorkerPark::removeLocked);
        }
        all.forEach(Entry::close);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (Entry e : all) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !e.process.waitFor(left, TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return true;
    }
}
