package futures.providers.process;

import futures.providers.PoolSupport;
import futures.spi.BrokenExecutorException;
import futures.spi.BrokenProcessPoolException;
import futures.spi.WorkItem;
import futures.spi.WorkerDiedException;
import futures.spi.WorkerPool;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool of worker JVMs, shaped like CPython's {@code ProcessPoolExecutor}.
 *
 * <p>Flow of one item: {@link #execute} starts a worker if dispatch would start one for this item
 * ({@link #startEarlyLocked}, so that the JVM starts while the task is serialized), serializes the
 * task in the caller's thread (so a task that cannot be serialized fails its own future at once)
 * and queues it. {@link #dispatchLocked} hands
 * queued items to workers: to an idle worker; else it starts a worker if fewer than
 * {@code maxWorkers} exist (counting those still starting); else the item waits. A worker holds one
 * item at a time, so a short task never waits behind a long one while another worker is idle
 * (queueing one more behind the running task was measured and did not raise throughput). An item
 * is marked running when it is handed to a worker, and only then; a cancelled one is dropped there.
 * Writes happen after the lock is released: by the pool's own threads directly, and for a user's
 * thread by the pool's {@link Sender}, so that an interrupt of a caller cannot close a worker's
 * channel. Each worker has one thread here that starts its process (or takes it from the park),
 * accepts its connection and reads its replies.
 *
 * <p>Breaking: a worker that exits while the pool did not ask it to, or with work outstanding, or
 * after its initializer threw, or that sends a corrupted frame or one over {@code max_message_size},
 * or whose frame (either way) does not complete within {@code message_timeout} ({@link #watch}),
 * breaks the pool: every queued and
 * outstanding item fails with its own {@link BrokenProcessPoolException} naming the worker's pid
 * and exit status, the other workers are killed (as Python terminates them), and
 * {@link #execute} throws from then on.
 *
 * <p>With {@code on_worker_death=fail_call} ({@link #failCallOnDeath}) the same deaths, but for an
 * initializer that threw, cost only the call the worker held: it fails with a
 * {@link WorkerDiedException} naming the pid and exit status, the worker is removed, and a new one
 * starts if items wait (pebble's {@code ProcessExpired}). The parent learns of a death from the
 * end of the worker's channel, at once, then waits for its exit status. A worker whose channel has
 * ended is ENDED, so no item is handed to it in between. {@value #START_DEATHS_LIMIT} workers in a
 * row that die before they answer anything, holding no call or unable to run the pool's code (a
 * version skew, missing classes), break the pool even then ({@code startDeaths}, reset when a new
 * worker sends its first outcome). In both modes, a worker that reports an
 * {@code OutOfMemoryError} as its call's exception ({@link FrameChannel#LAST_ERROR}) is retired,
 * and its exit is not a death ({@link #settleLast}).
 *
 * <p>Invariants, all guarded by {@code lock}: {@code queue} holds items taken and not yet handed
 * to a worker (with fail_call, also items handed to a worker that died before reading them: those
 * are already marked running, {@code Entry.marked}, and {@link #stopRunning} looks for them there
 * too); {@code workers} holds every worker of this pool whose process has not been seen to exit or
 * been handed to the park, so its size never exceeds {@code maxWorkers}; an item is in at most one
 * of {@code queue} and one worker's {@code inflight}, and leaves them before its outcome is reported
 * (outcomes are reported outside the lock, since they run the user's callbacks). {@code broken}
 * goes from null to a message once. {@code shutdown} only goes from false to true.
 * {@code failCall} and {@code startDeaths} are guarded by {@code lock} too. A worker's
 * {@code state} goes STARTING -> READY -> RETIRING, or READY -> ENDED -> RETIRING; READY or ENDED
 * become RETIRING when its budget is spent ({@code max_tasks_per_child}, {@code max_worker_memory}),
 * at shutdown, at its idle limit, when {@link #stopRunning} kills it, after it reported a fatal
 * error ({@link #settleLast}), or when fail_call fails its calls. A RETIRING worker has nothing in
 * flight and gets nothing more; its channel is closed (so it exits with code 0), or it is killed
 * ({@link #stopRunning}), or it is handed to the park; either way its exit does not break the
 * pool. Handing a worker to the park and killing it (a break, {@link #stopWorkers}) exclude each
 * other under {@code lock}: see {@code claimToKillLocked}. {@code broken} and {@code brokenCause} are written under
 * {@code lock} and read without it (volatile). An item removed from {@code queue} or an
 * {@code inflight} map is reported by whoever removed it, and by no one else, so every item taken
 * is settled exactly once: run and reported, dropped as cancelled, or failed.
 *
 * <p>Warm workers ({@link WorkerPark}, {@code reuse_workers}): when the pool retires an idle worker
 * at shutdown, it parks it instead of closing its channel if the worker may serve another pool: it
 * was given a task (so its initializer, if any, has run), it asked for no class from this pool's
 * {@link ClassServer} (a class fetched from one pool's loaders may be stale for the next: jshell
 * redefines them), it is not the class cache's training worker (whose exit writes the cache), it has
 * budget left under {@code max_tasks_per_child}, and the pool is not broken. The worker's thread sends
 * {@link FrameChannel#PARK}, reads {@link FrameChannel#PARKED} (accepted only when asked for) and
 * hands process and channel to the park, then leaves as a worker that exited cleanly. A new worker's
 * thread first takes a parked one of the same key from the park, and starts a JVM only if there is
 * none. A worker's task count ({@code assigned}) survives parking, so {@code max_tasks_per_child}
 * bounds a worker's whole life.
 */
final class ProcessPool implements WorkerPool {
    private static final AtomicInteger POOLS = new AtomicInteger();
    /** A worker that has not connected this long after its start is killed and breaks the pool. */
    static final long CONNECT_TIMEOUT_SECONDS = 120;
    /** Default of {@code max_message_size}: the largest payload a worker may send, 256 MiB. */
    static final int DEFAULT_MAX_MESSAGE_SIZE = 256 << 20;
    /** Default of {@code message_timeout}: the longest a frame may take to arrive once begun (or to be written), 60 s. */
    static final long DEFAULT_MESSAGE_TIMEOUT_MILLIS = 60_000;
    /**
     * How long a worker asked to park may take to answer before its channel is closed instead (it
     * then exits as if it had not been asked): a real worker's reading thread answers at once, so
     * only a hung or forged one waits this long. Checked by the worker's watchdog ({@link #watch},
     * which runs at least every second), not by a timer of its own: a pool per request would
     * otherwise schedule and cancel one per close.
     */
    static final long PARK_ANSWER_SECONDS = 5;

    /**
     * A worker's state. ENDED: its channel ended while it was READY (it died, or is dying), and
     * its exit is not yet seen; it gets nothing more, and its exit is judged as a READY one's.
     */
    private enum State { STARTING, READY, RETIRING, ENDED }

    /**
     * With {@code on_worker_death=fail_call}, this many workers in a row that die before they are
     * handed their first call break the pool anyway: a worker that cannot start (a bad JVM option,
     * a crash at start-up) would otherwise be replaced without end while calls wait.
     */
    static final int START_DEATHS_LIMIT = 3;

    /**
     * Logs at DEBUG, never throwing: it runs while the pool breaks or cleans up, where an error of
     * the logging itself must not escape. The logger is looked up only then (a JVM's first
     * {@code System.getLogger} sets up java.util.logging, 20-30 ms; a pool that never breaks need
     * not pay it).
     */
    private static void debug(String message, Throwable thrown) {
        try {
            System.getLogger(ProcessPool.class.getName()).log(System.Logger.Level.DEBUG, message, thrown);
        } catch (Throwable ignored) {
            // logging must not fail the pool
        }
    }

    /** A queued item; {@code marked}: marked running already (it was handed to a worker that never got it). */
    private record Entry(WorkItem item, long id, byte[] task, boolean marked) {
        Entry(WorkItem item, long id, byte[] task) {
            this(item, id, task, false);
        }
    }

    /**
     * The settings of a worker's life beyond one task: whether idle workers are parked at shutdown
     * ({@code reuse_workers}), how long a worker may stay idle ({@code idle_timeout}, 0 for no limit),
     * in the pool and in the park, and the resident memory over which it is replaced after a call
     * ({@code max_worker_memory}, 0 for no limit).
     *
     * @param reuse whether workers are parked for later pools and taken from the park
     * @param idleMillis the idle limit in milliseconds, 0 for none
     * @param maxMemory the largest resident set a worker may keep after a call, in bytes, 0 for no limit
     */
    record Lifecycle(boolean reuse, long idleMillis, long maxMemory) {
        /** The defaults: workers are reused, leave after 300 s idle (joblib's default for loky), and have no memory limit. */
        static final Lifecycle DEFAULT = new Lifecycle(true, 300_000, 0);
    }

    /** An entry handed to a worker, to be written once the lock is released. */
    private record Send(Worker worker, Entry entry) {
        void write() {
            try {
                worker.channel.write(FrameChannel.TASK, entry.id(), entry.task());
            } catch (IOException | RuntimeException ex) {
                // the worker is going away; its thread sees the end of the channel and breaks the pool
                // (with fail_call, the task goes to another worker: this one never got it)
                worker.unsent(entry);
            }
        }
    }

    /** The pool's own threads (one per worker): they write to channels directly, see {@link Sender}. */
    private static final class OwnThread extends Thread {
        OwnThread(Runnable task, String name) {
            super(task, name);
        }
    }

    /** One worker process, as the parent sees it. Fields other than the finals are guarded by {@code lock}. */
    private final class Worker {
        final int index;
        final Map<Long, WorkItem> inflight = new LinkedHashMap<>();
        State state = State.STARTING;
        int assigned;
        /**
         * Whether it has sent an outcome (or was adopted from the park, which means it served before):
         * a worker that dies before that, holding nothing or unable to run our code at all, counts
         * towards {@link #START_DEATHS_LIMIT}.
         */
        boolean answered;
        volatile Process process;
        /** Set once, under lock, before the worker is READY; read by senders after the lock. */
        volatile FrameChannel channel;
        /** What the initializer threw, if it did; written by this worker's thread only. */
        volatile Throwable initFailure;
        Thread thread;
        /** How its process was started (class cache options); written by this worker's thread only. */
        ClassCache.Launch launch = ClassCache.Launch.NONE;
        /** Why the watchdog killed it (a frame did not complete in time), else null; set once, by the timer thread. */
        volatile String stalled;
        /** Whether it asked this pool for a class (then it is never parked); written by this worker's thread only. */
        volatile boolean fetched;
        /** Whether the pool asked it to park: only then is a {@link FrameChannel#PARKED} accepted. */
        volatile boolean parking;
        /**
         * Taken once, by whichever comes first after {@link FrameChannel#PARK} is sent: this worker's
         * thread on {@link FrameChannel#PARKED} (it parks the worker), or the bound on the answer
         * ({@link #PARK_ANSWER_SECONDS}, checked by the watchdog: it closes the channel). So a parked
         * channel is never closed by the pool.
         */
        final java.util.concurrent.atomic.AtomicBoolean parkClaimed = new java.util.concurrent.atomic.AtomicBoolean();
        /**
         * Whether this worker's thread handed it to the {@link WorkerPark}; written under {@code lock}
         * together with the claim, so that a break or {@code stopWorkers} (under {@code lock} too)
         * sees either a worker it may kill or one that is the park's (see {@link #claimToKillLocked}).
         */
        boolean parkedAway;
        /** {@link System#nanoTime} just before {@link FrameChannel#PARK} was written, 0 before: the bound counts from there. */
        volatile long parkAskedAt;
        /** {@link System#nanoTime} of its last result (or of its connect): {@code idle_timeout} counts from there. */
        volatile long lastUsed;
        /** Whether its resident set was over {@code max_worker_memory} after a call: it gets nothing more. */
        volatile boolean overMemory;

        Worker(int index) {
            this.index = index;
        }

        /** See {@link ProcessPool#unsent}. */
        void unsent(Entry e) {
            ProcessPool.this.unsent(this, e);
        }

        long pid() {
            Process p = process;
            return p == null ? -1 : p.pid();
        }
    }

    /** What to do once the lock is released. Confined to the thread that made it; filled under {@code lock}. */
    private final class Actions {
        final List<Send> sends = new ArrayList<>();
        final List<Worker> starts = new ArrayList<>();
        final List<Worker> closes = new ArrayList<>();
        final List<Worker> kills = new ArrayList<>();
        final List<Worker> parks = new ArrayList<>();

        void run() {
            boolean own = Thread.currentThread() instanceof OwnThread;
            for (Send s : sends) {
                if (own) {
                    s.write();
                } else { // a user's thread: an interrupt during the write would close the channel
                    sender.post(s::write);
                }
            }
            for (Worker w : starts) {
                try {
                    Thread t = new OwnThread(() -> runWorker(w), name + "-worker-" + w.index);
                    t.setDaemon(true);
                    synchronized (lock) {
                        w.thread = t;
                    }
                    t.start();
                } catch (Throwable e) { // out of memory for a thread stack, or a thread limit
                    // No thread will ever start this worker's process: break the pool rather than
                    // leave the queue waiting for a worker that never comes.
                    breakPool(w, "could not start the thread of a worker (" + e
                            + "); the process pool is not usable anymore", e);
                }
            }
            for (Worker w : closes) {
                FrameChannel c = w.channel;
                if (c != null) {
                    c.close();
                }
            }
            for (Worker w : parks) {
                // Written by any thread, the caller's of shutdown too: an interrupt that closes the
                // channel only makes the worker exit instead of parking (it is retiring: no break),
                // and the sender thread's start and hand-off would be most of a short pool's close.
                askToPark(w);
            }
            for (Worker w : kills) {
                FrameChannel c = w.channel;
                if (c != null) {
                    c.close();
                }
                Process p;
                synchronized (lock) {
                    p = w.process;
                }
                if (p != null) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private final String name;
    private final int maxWorkers;
    private final int maxTasksPerChild;
    private final byte[] initializer;
    private final String java;
    /** The workers' argfile's arguments. */
    private final List<String> args;
    /**
     * Guards {@code dir}, {@code argFile}, {@code argLock} and {@code dirGone}: the private
     * directory and its argfile are made once, by the constructor, or, when a parked worker of this
     * pool's settings was waiting then, by the first worker thread that must start a JVM (a pool
     * that only takes parked workers never makes one); after {@code dirGone} they are never made.
     * Taken inside {@code lock} (by {@link #cleanUpIfDoneLocked}), never the other way round.
     */
    private final Object dirLock = new Object();
    private Path dir;
    private Path argFile;
    /** Holds a lock on the argfile while the pool lives (see {@link Launcher#lockArgFile}); null if none. */
    private java.nio.channels.FileChannel argLock;
    private boolean dirGone;
    /** Makes the writes that user threads would otherwise make (see {@link Sender}). */
    private final Sender sender;
    private final ClassCache cache;
    /** The class loaders of the tasks' classes, which serve workers the classes they lack. */
    private final ClassServer classes;
    /** Logging options moved out of the JVM option variables for workers ({@link Launcher#moveLogging}). */
    private final Launcher.LoggingMove logging;
    /** The largest payload a worker may send ({@code max_message_size}). */
    private final int maxMessageSize;
    /** How long a frame may take once begun ({@code message_timeout}), in milliseconds. */
    private final long messageTimeoutMillis;
    /** {@code reuse_workers} and {@code idle_timeout}. */
    private final Lifecycle lifecycle;
    /** The {@link WorkerPark} key of this pool's workers, or null when {@code reuse_workers} is off. */
    private final String parkKey;

    private final Object lock = new Object();
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private final List<Worker> workers = new ArrayList<>();
    /**
     * The processes of the workers this pool handed to the park (guarded by {@code lock}): a
     * {@code terminateWorkers()}/{@code killWorkers()} follows the shutdown that parked them, and
     * takes back and signals those no other pool took, as Python's {@code terminate_workers} stops
     * every worker of the pool (found by a review: they had left {@code workers} and survived).
     */
    private final List<Process> parkedByThisPool = new ArrayList<>();
    private boolean shutdown;
    private long nextId;
    private int nextWorker;
    private volatile String broken;
    private volatile Throwable brokenCause;
    /** {@code on_worker_death=fail_call}: a dead worker fails only the call it held. Set before first use. */
    private boolean failCall;
    /** Workers in a row that died before their first call, in fail_call mode ({@link #START_DEATHS_LIMIT}). */
    private int startDeaths;

    /**
     * @param maxTasksPerChild 0 for no limit
     * @param initializer the serialized initializer, or null
     * @param classCache the {@code class_cache} setting: {@code auto}, {@code off} or a directory
     * @throws UncheckedIOException if the private directory or argfile cannot be made
     */
    ProcessPool(int maxWorkers, int maxTasksPerChild, byte[] initializer, String java, List<String> jvmOptions,
            String classCache, ClassServer classes) {
        this(maxWorkers, maxTasksPerChild, initializer, java, jvmOptions, classCache, classes, DEFAULT_MAX_MESSAGE_SIZE,
                DEFAULT_MESSAGE_TIMEOUT_MILLIS);
    }

    /**
     * @param maxMessageSize the largest payload a worker may send ({@code max_message_size})
     * @param messageTimeoutMillis how long a frame may take once begun ({@code message_timeout})
     */
    ProcessPool(int maxWorkers, int maxTasksPerChild, byte[] initializer, String java, List<String> jvmOptions,
            String classCache, ClassServer classes, int maxMessageSize, long messageTimeoutMillis) {
        this(maxWorkers, maxTasksPerChild, initializer, java, jvmOptions, classCache, classes, maxMessageSize,
                messageTimeoutMillis, Lifecycle.DEFAULT);
    }

    /** @param lifecycle {@code reuse_workers} and {@code idle_timeout} */
    ProcessPool(int maxWorkers, int maxTasksPerChild, byte[] initializer, String java, List<String> jvmOptions,
            String classCache, ClassServer classes, int maxMessageSize, long messageTimeoutMillis,
            Lifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.maxMessageSize = maxMessageSize;
        this.messageTimeoutMillis = messageTimeoutMillis;
        this.name = "futures-process-" + POOLS.incrementAndGet();
        this.classes = classes;
        this.logging = Launcher.moveLogging(System.getenv());
        this.sender = new Sender(name + "-sender");
        this.maxWorkers = maxWorkers;
        this.maxTasksPerChild = maxTasksPerChild;
        this.initializer = initializer;
        this.java = java;
        List<String> options = new ArrayList<>(Launcher.WORKER_OPTIONS);
        options.addAll(logging.options());
        if (maxMessageSize != DEFAULT_MAX_MESSAGE_SIZE) { // the worker refuses to send more (WorkerMain#send)
            options.add("-D" + WorkerMain.MAX_MESSAGE_PROPERTY + "=" + maxMessageSize);
        }
        options.addAll(jvmOptions);
        try {
            List<String> args = Launcher.javaArgs(WorkerMain.class, options);
            this.cache = ClassCache.of(classCache, java, args, jvmOptions);
            if (cache.enabled()) {
                args = new ArrayList<>(args);
                args.addAll(args.indexOf(Launcher.WORKER_OPTIONS.get(Launcher.WORKER_OPTIONS.size() - 1)) + 1,
                        cache.quiet()); // after the pool's logging options, before jvm_options
            }
            this.args = args;
            this.parkKey = lifecycle.reuse() ? WorkerPark.key(java, args, logging.variables(), initializer) : null;
            if (parkKey == null || !WorkerPark.has(parkKey)) {
                argFile(); // now, so that a directory that cannot be made fails create, not a later submit
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot prepare the process pool's private directory: " + io, io);
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * Sets {@code on_worker_death}: with {@code failCall}, a worker's death fails only the call it
     * held (with a {@link WorkerDiedException}) and the worker is replaced; otherwise (the default)
     * it breaks the pool. Called once, by the provider, before the pool is used.
     */
    void failCallOnDeath(boolean failCall) {
        synchronized (lock) {
            this.failCall = failCall;
        }
    }

    // ------------------------------------------------------------------ WorkerPool

    @Override
    public void execute(WorkItem item) {
        Objects.requireNonNull(item, "item");
        Actions early = new Actions();
        synchronized (lock) {
            checkOpenLocked();
            startEarlyLocked(early);
        }
        early.run();
        byte[] bytes;
        try {
            bytes = Codec.serializeTask(item.task(), classes);
        } catch (Throwable e) {
            item.fail(Codec.transferFailure("the task could not be serialized to send it to a worker process", e));
            return;
        }
        Actions a = new Actions();
        synchronized (lock) {
            checkOpenLocked();
            queue.addLast(new Entry(item, nextId++, bytes));
            dispatchLocked(a);
        }
        a.run();
    }

    /** Whether work is queued or running and the pool can still run it: {@link Launcher#deleteLive} waits for that. */
    private boolean busy() {
        synchronized (lock) {
            if (broken != null) {
                return false;
            }
            if (!queue.isEmpty()) {
                return true;
            }
            for (Worker w : workers) {
                if (!w.inflight.isEmpty()) {
                    return true;
                }
            }
            return false;
        }
    }

    private void checkOpenLocked() {
        if (broken != null) {
            throw broken();
        }
        if (shutdown) {
            throw new RejectedExecutionException("cannot schedule new futures after shutdown");
        }
    }

    @Override
    public void shutdown(boolean wait) {
        Actions a = new Actions();
        boolean own;
        synchronized (lock) {
            if (!shutdown) {
                shutdown = true;
                for (Worker w : workers) {
                    retireIfDoneLocked(w, a);
                }
                cleanUpIfDoneLocked();
            }
            own = workers.stream().anyMatch(w -> w.thread == Thread.currentThread());
        }
        a.run();
        if (!wait) {
            return;
        }
        if (own) {
            throw new IllegalStateException("shutdown(wait=true) called from a callback run by this process pool's"
                    + " own thread would wait for itself; use shutdown(false)");
        }
        boolean interrupted = false;
        synchronized (lock) {
            while (!workers.isEmpty() || !queue.isEmpty()) {
                try {
                    lock.wait();
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
        String why = broken;
        return why == null ? null : new BrokenProcessPoolException(why, brokenCause);
    }

    @Override
    public boolean stopsWorkers() {
        return true;
    }

    /**
     * terminate_workers / kill_workers: breaks the pool with a message that names the signal,
     * fails everything queued and in flight with it, then signals every live worker. Each worker's
     * thread then sees its process end and, the pool being broken already, only removes it (see
     * {@link #workerExited}); a worker still starting is killed by its thread once its process is
     * there (runWorker reads {@code broken}).
     */
    @Override
    public void stopWorkers(boolean force) {
        String signal = force ? "SIGKILL" : "SIGTERM";
        List<WorkItem> failed = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        synchronized (lock) {
            shutdown = true;
            List<Long> pids = new ArrayList<>();
            for (Worker w : workers) {
                Process p = w.process;
                if (p != null && p.isAlive() && claimToKillLocked(w)) {
                    processes.add(p);
                    pids.add(p.pid());
                }
            }
            for (Process p : parkedByThisPool) { // parked and gone from workers: back, unless another pool took it
                if (!processes.contains(p) && WorkerPark.evict(p)) {
                    processes.add(p);
                    pids.add(p.pid());
                }
            }
            parkedByThisPool.clear();
            if (broken == null) {
                brokenCause = null;
                broken = (force ? "kill_workers()" : "terminate_workers()") + " sent " + signal + " to worker pids "
                        + pids + "; the process pool is not usable anymore";
                debug(broken, null);
            }
            for (Entry e : queue) {
                failed.add(e.item());
            }
            queue.clear();
            for (Worker w : workers) {
                failed.addAll(w.inflight.values());
                w.inflight.clear();
            }
            cleanUpIfDoneLocked();
        }
        for (Process p : processes) {
            if (force) {
                p.destroyForcibly();
            } else {
                p.destroy();
            }
        }
        failAll(failed);
    }

    @Override
    public boolean stopsRunningCalls() {
        return true;
    }

    /**
     * Future.cancelRunning, or a call past its time limit: takes the item out of its worker's
     * {@code inflight} (so its reply, if one comes, is dropped), retires that worker so it gets
     * nothing more, and kills it. A RETIRING worker with nothing in flight exits cleanly as far as
     * {@link #workerExited} is concerned, so the pool is not broken, and the worker is removed and
     * replaced if items wait. The item is then reported failed, in the calling thread, with a
     * message that says what was done: the core ignores it for a cancelled future and puts it in
     * the {@code CallTimeoutException} of a call past its time limit (whose future is still
     * running here, or already failed: either way the report settles the item).
     */
    @Override
    public void stopRunning(WorkItem item) {
        Worker victim = null;
        Process process = null;
        boolean requeued = false;
        synchronized (lock) {
            for (Worker w : workers) {
                if (w.inflight.values().remove(item)) {
                    victim = w;
                    process = w.process;
                    w.state = State.RETIRING;
                    break;
                }
            }
            if (victim == null) {
                // marked running but back in the queue: its first worker died before reading it
                // (on_worker_death=fail_call, see unsent); it must not be sent again
                requeued = queue.removeIf(e -> e.marked() && e.item() == item);
            }
        }
        if (requeued) {
            item.fail(new java.util.concurrent.CancellationException("stopped before it was sent again: the worker it"
                    + " was first handed to died before reading it")); // settles it
            return;
        }
        if (victim == null) {
            return; // not in flight any more: it was just settled, or the pool broke meanwhile
        }
        debug("stopRunning: killing worker pid " + victim.pid() + " to stop a running call", null);
        if (process != null) {
            process.destroyForcibly();
        }
        item.fail(new java.util.concurrent.CancellationException("stopped while running: killed worker pid "
                + victim.pid() + "; another worker starts when work waits")); // settles it
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "ProcessPool[" + name + ", workers=" + workers.size() + "/" + maxWorkers + ", queued=" + queue.size()
                    + (broken != null ? ", broken" : shutdown ? ", shut down" : "") + "]";
        }
    }

    // ------------------------------------------------------------------ dispatch

    /** Hands queued items to workers and starts workers as needed; see the class comment. */
    private void dispatchLocked(Actions a) {
        while (!queue.isEmpty() && broken == null) {
            Entry e = queue.peekFirst();
            Worker target = null;
            int starting = 0;
            for (Worker w : workers) {
                if (w.state == State.STARTING) {
                    starting++;
                } else if (w.state == State.READY && w.inflight.isEmpty() && hasBudget(w)) {
                    target = w;
                    break;
                }
            }
            if (target == null) {
                if (workers.size() < maxWorkers && starting < queue.size()) {
                    Worker w = new Worker(nextWorker++);
                    workers.add(w);
                    a.starts.add(w);
                    continue;
                }
                return; // every worker is busy or starting: the item waits for the first to be free
            }
            queue.pollFirst();
            if (!e.marked() && !markRunning(e.item())) {
                continue; // cancelled (or settled by its user) before a worker took it: never sent
            }
            target.inflight.put(e.id(), e.item());
            target.assigned++;
            a.sends.add(new Send(target, e));
        }
    }

    /**
     * Starts a worker for the item about to be queued, before it is serialized, when dispatch
     * would start one for it anyway (no worker idle, fewer than {@code maxWorkers}, and fewer
     * workers starting than items waiting, counting this one): the JVM then starts while the
     * caller serializes the task, which in a fresh parent JVM takes tens of milliseconds (the
     * first serializable lambda). CPython's spawn context also starts the process in
     * {@code submit} before the call is pickled. If the task then fails to serialize, the worker
     * simply idles, as after any task.
     */
    private void startEarlyLocked(Actions a) {
        if (broken != null || workers.size() >= maxWorkers) {
            return;
        }
        int starting = 0;
        for (Worker w : workers) {
            if (w.state == State.STARTING) {
                starting++;
            } else if (w.state == State.READY && w.inflight.isEmpty() && hasBudget(w)) {
                return;
            }
        }
        if (starting <= queue.size()) {
            Worker w = new Worker(nextWorker++);
            workers.add(w);
            a.starts.add(w);
        }
    }

    /**
     * {@link WorkItem#markRunning()}, where an item already finished (its user called
     * {@code setResult} on the future while it was queued, which Python allows) is simply not run:
     * the exception must not escape into dispatch, where it would lose the item that freed the
     * worker and break the pool.
     */
    private static boolean markRunning(WorkItem item) {
        try {
            return item.markRunning();
        } catch (IllegalStateException settledElsewhere) {
            return false;
        }
    }

    /** Whether the worker may be given another task: {@code max_tasks_per_child} and {@code max_worker_memory}. */
    private boolean hasBudget(Worker w) {
        return (maxTasksPerChild == 0 || w.assigned < maxTasksPerChild) && !w.overMemory;
    }

    /**
     * Retires a ready worker with nothing in flight that will get nothing more: it is parked for a
     * later pool if it may be (see the class comment), else its channel is closed.
     */
    private void retireIfDoneLocked(Worker w, Actions a) {
        if (w.state == State.READY && w.inflight.isEmpty() && (!hasBudget(w) || (shutdown && queue.isEmpty()))) {
            w.state = State.RETIRING;
            if (parkKey != null && hasBudget(w) && w.assigned > 0 && !w.fetched && w.launch.training() == null
                    && broken == null) {
                w.parking = true;
                a.parks.add(w);
            } else {
                a.closes.add(w);
            }
        }
    }

    /**
     * Asks a retiring worker to park ({@link FrameChannel#PARK}). If that cannot be written, or no
     * answer comes within {@link #PARK_ANSWER_SECONDS}, its channel is closed and it exits; the
     * worker is retiring, so that is no break.
     */
    private static void askToPark(Worker w) {
        FrameChannel c = w.channel;
        try {
            w.parkAskedAt = System.nanoTime() | 1; // never 0: 0 means not asked
            c.write(FrameChannel.PARK, 0, new byte[0]);
        } catch (IOException | RuntimeException e) {
            if (w.parkClaimed.compareAndSet(false, true)) {
                c.close(); // its thread sees the end of the channel
            }
        }
    }

    private void cleanUpIfDoneLocked() {
        if (workers.isEmpty() && (shutdown || broken != null)) {
            lock.notifyAll();
            synchronized (dirLock) {
                dirGone = true;
                if (argLock != null) {
                    try {
                        argLock.close(); // releases the lock: the directory goes next
                    } catch (IOException e) {
                        debug("could not close the argfile of " + dir, e); // the files still go below
                    }
                    argLock = null;
                }
                if (dir != null) {
                    Launcher.deleteNow(dir);
                }
            }
        }
    }

    /**
     * The workers' argfile, with the private directory it is in, made on the first call (see
     * {@code dirLock}).
     *
     * @throws IOException if they cannot be made, or the pool has deleted them already
     */
    private Path argFile() throws IOException {
        synchronized (dirLock) {
            if (argFile != null) {
                return argFile;
            }
            if (dirGone) {
                throw new IOException("the pool's private directory is deleted already");
            }
            Path made = Launcher.privateDirectory();
            try {
                Launcher.deleteAtExit(made, this::busy); // until cleanUpIfDoneLocked: nothing stays registered per pool
                Path file = Launcher.writeArgFile(made, args);
                argLock = Launcher.lockArgFile(file);
                dir = made;
                argFile = file;
                return file;
            } catch (IOException | RuntimeException e) {
                Launcher.deleteNow(made);
                throw e;
            }
        }
    }

    // ------------------------------------------------------------------ a worker's thread

    private void runWorker(Worker w) {
        ServerSocketChannel server = null;
        Process process = null;
        ScheduledFuture<?> watchdog = null;
        String problem = null;
        Throwable cause = null;
        try {
            FrameChannel channel;
            WorkerPark.Taken adopted = parkKey == null ? null : WorkerPark.take(parkKey, maxTasksPerChild);
            if (adopted != null) { // a warm worker another pool parked: no JVM to start, nothing to connect
                process = adopted.process();
                channel = adopted.channel();
                boolean kill;
                synchronized (lock) {
                    w.process = process;
                    w.assigned = adopted.tasks();
                    w.answered = true; // it served the pool that parked it
                    kill = broken != null;
                }
                if (kill) {
                    process.destroyForcibly();
                }
            } else {
                Path file = argFile();
                Path privateDir = file.getParent();
                Path socket = Launcher.socketPath(privateDir, w.index);
                ClassCache.Launch launch = cache.next(privateDir);
                w.launch = launch;
                List<String> command = new ArrayList<>(4 + launch.options().size());
                command.add(java);
                command.addAll(launch.options());
                command.add("@" + file);
                command.add(socket.toString());
                command.add(Long.toString(ProcessHandle.current().pid()));
                command.add(Codec.fingerprint());
                ProcessBuilder pb = new ProcessBuilder(command);
                pb.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
                if (!logging.variables().isEmpty()) {
                    for (Map.Entry<String, String> v : logging.variables().entrySet()) {
                        if (v.getValue() == null) {
                            pb.environment().remove(v.getKey());
                        } else {
                            pb.environment().put(v.getKey(), v.getValue());
                        }
                    }
                }
                process = pb.start();
                process.getOutputStream().close(); // a task reading System.in sees end of input
                boolean kill;
                synchronized (lock) {
                    w.process = process;
                    kill = broken != null;
                }
                if (kill) {
                    process.destroyForcibly();
                }
                // While the worker's JVM starts: once per JVM, remove what pools of dead JVMs left
                // (private directories, the class cache's training files).
                Launcher.sweepStaleDirectoriesOnce(privateDir);
                cache.sweepOnce();
                // Bound after the start, so that the first socket of a fresh parent JVM (~50 ms: the
                // JDK makes a SecureRandom for Unix-domain sockets) overlaps the worker's own start;
                // the worker retries its connect until the socket is there.
                server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                server.bind(UnixDomainSocketAddress.of(socket));
                ServerSocketChannel s = server;
                // A child that dies or hangs before connecting must not leave this thread in accept().
                // The timer is cancelled once it connects: nothing stays queued per worker or pool.
                process.onExit().thenRun(() -> closeQuietly(s));
                ScheduledFuture<?> connectTimer = Timers.after(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS,
                        () -> closeQuietly(s));
                SocketChannel sc;
                try {
                    sc = server.accept();
                } catch (IOException e) {
                    if (process.isAlive()) {
                        problem = "did not connect within " + CONNECT_TIMEOUT_SECONDS + " s and was killed";
                        process.destroyForcibly();
                    } else {
                        problem = "exited before connecting to the pool";
                    }
                    finish(w, process, problem, null);
                    return;
                } finally {
                    connectTimer.cancel(false);
                    closeQuietly(server);
                    Files.deleteIfExists(socket);
                }
                channel = new FrameChannel(sc, maxMessageSize);
            }
            Process p = process;
            long tick = Math.max(10, Math.min(1000, messageTimeoutMillis / 4));
            if (lifecycle.idleMillis() > 0) {
                tick = Math.max(10, Math.min(tick, lifecycle.idleMillis() / 2));
            }
            w.lastUsed = System.nanoTime();
            watchdog = Timers.every(tick, TimeUnit.MILLISECONDS, () -> watch(w, channel, p));
            if (initializer != null && adopted == null) { // an adopted worker ran this same initializer
                channel.write(FrameChannel.INIT, 0, initializer);
            }
            Actions a = new Actions();
            synchronized (lock) {
                w.channel = channel;
                w.state = State.READY;
                dispatchLocked(a);
                retireIfDoneLocked(w, a);
            }
            a.run();
            boolean parked = false;
            try {
                FrameChannel.Frame f;
                while (true) {
                    // handle() runs the user's done-callbacks in this thread; an interrupt status they
                    // leave set must not reach read(), which would close the channel (an interruptible
                    // channel) and so break the pool. Nothing interrupts this thread on purpose.
                    Thread.interrupted();
                    if ((f = channel.read()) == null) {
                        break;
                    }
                    if (f.type() == FrameChannel.PARKED && w.parking) {
                        boolean claimed = false;
                        synchronized (lock) { // exclusive with a break or stopWorkers: see claimToKillLocked
                            if (broken == null && w.parkClaimed.compareAndSet(false, true)) {
                                claimed = true;
                                parked = WorkerPark.park(parkKey, process, channel, w.assigned, lifecycle.idleMillis(),
                                        WorkerPark.bound(maxWorkers));
                                w.parkedAway = parked;
                                if (parked) {
                                    parkedByThisPool.add(process);
                                }
                            }
                        }
                        if (claimed) {
                            break;
                        }
                        continue; // too late: the bound closed the channel, or a break will kill it; its end comes next
                    }
                    handle(w, f);
                }
            } catch (StreamCorruptedException e) {
                problem = "sent a corrupted message (" + e.getMessage() + ") and was killed";
                cause = e;
                process.destroyForcibly();
            } catch (FrameChannel.MessageTooLargeException e) {
                problem = "sent " + e.getMessage() + " (max_message_size) and was killed";
                cause = e;
                process.destroyForcibly();
            } catch (IOException e) {
                // the worker died in the middle of a frame (its exit status says why), or the
                // watchdog closed the channel and killed it (its reason says why)
                if (w.stalled != null) {
                    problem = w.stalled;
                    cause = e;
                }
            } finally {
                watchdog.cancel(false);
                if (!parked) {
                    channel.close();
                    synchronized (lock) {
                        if (w.state == State.READY) {
                            w.state = State.ENDED; // nothing more is handed to it while its exit is awaited
                        }
                    }
                }
            }
            if (parked) { // it lives on in the park: gone from this pool as a worker that exited cleanly
                workerExited(w, 0, null, null);
                return;
            }
            finish(w, process, problem, cause);
        } catch (IOException | RuntimeException | Error e) {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            if (server != null) {
                closeQuietly(server);
            }
            if (process != null) {
                process.destroyForcibly();
                String stalled = w.stalled; // the watchdog closed the channel while the initializer was written
                finish(w, process, stalled != null ? stalled : "failed in the pool (" + e + ") and was killed", e);
            } else {
                cache.trained(w.launch, -1); // a training that never ran: its files go, and another pool may train
                breakPool(w, "could not start a worker process with " + java + ": " + e
                        + "; the process pool is not usable anymore", e);
            }
        }
    }

    /**
     * The watchdog of one worker's channel, run every so often on the {@link Timers} thread: a
     * frame under way for longer than {@code message_timeout} (a worker that sent part of a
     * message and stopped, or that stopped reading what it is sent) gets the channel closed and
     * the worker killed; its thread then breaks the pool with {@code stalled} as the reason. A
     * worker asked to park that has not answered within {@link #PARK_ANSWER_SECONDS} gets its
     * channel closed, if the answer has not claimed it meanwhile ({@code parkClaimed}).
     */
    private void watch(Worker w, FrameChannel channel, Process process) {
        long asked = w.parkAskedAt;
        if (asked != 0 && System.nanoTime() - asked > TimeUnit.SECONDS.toNanos(PARK_ANSWER_SECONDS)
                && w.parkClaimed.compareAndSet(false, true)) {
            channel.close(); // no answer to PARK in time: it exits as a retiring worker, no break
            return;
        }
        retireIfIdle(w);
        long stalled = channel.stalledNanos(System.nanoTime());
        if (stalled > TimeUnit.MILLISECONDS.toNanos(messageTimeoutMillis) && w.stalled == null) {
            w.stalled = (channel.reading() ? "began a message and did not complete it" : "did not read its messages")
                    + " within message_timeout (" + messageTimeoutMillis + " ms) and was killed";
            channel.close();
            process.destroyForcibly();
        }
    }

    /**
     * {@code idle_timeout}: a ready worker with nothing in flight whose last result is older than
     * the limit retires (its channel is closed, it exits with code 0 and leaves the pool, which
     * starts a worker again when work comes). Checked by the watchdog; the lock is taken only when
     * the worker looks idle for long enough.
     */
    private void retireIfIdle(Worker w) {
        long limit = TimeUnit.MILLISECONDS.toNanos(lifecycle.idleMillis());
        if (limit == 0 || System.nanoTime() - w.lastUsed < limit) {
            return;
        }
        Actions a = new Actions();
        synchronized (lock) {
            if (w.state == State.READY && w.inflight.isEmpty() && System.nanoTime() - w.lastUsed >= limit) {
                w.state = State.RETIRING;
                a.closes.add(w);
            }
        }
        a.run();
    }

    /**
     * Waits for the worker's exit and reports it. But the class cache's training worker, retiring
     * cleanly (asked to exit, nothing in flight), counts as exited at once: it writes its training
     * file as its JVM exits (1.1-1.6 s measured on 2 loaded cores), which no pool waits for
     * ({@link ClassCache#afterExit}).
     */
    private void finish(Worker w, Process process, String problem, Throwable cause) {
        if (problem == null && cause == null && w.launch.training() != null) {
            boolean retiring;
            synchronized (lock) {
                retiring = w.state == State.RETIRING && w.inflight.isEmpty() && w.initFailure == null;
            }
            if (retiring) {
                cache.afterExit(process, w.launch);
                workerExited(w, 0, null, null);
                return;
            }
        }
        boolean interrupted = false;
        while (true) {
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    // it closed its channel but did not exit: it cannot be used any more
                    process.destroyForcibly();
                    continue;
                }
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        cache.trained(w.launch, process.exitValue());
        workerExited(w, process.exitValue(), problem, cause);
    }

    private void handle(Worker w, FrameChannel.Frame f) {
        switch (f.type()) {
            case FrameChannel.RESULT -> {
                Object value;
                try {
                    value = Codec.deserialize(f.payload(), classes);
                } catch (Throwable e) {
                    settle(w, f.id(), null, Codec.transferFailure(
                            "the task's result could not be deserialized in the parent", e));
                    return;
                }
                settle(w, f.id(), value, null);
            }
            case FrameChannel.ERROR -> settle(w, f.id(), null, remoteFailure(f.payload()));
            case FrameChannel.LAST_ERROR -> settleLast(w, f.id(), remoteFailure(f.payload()));
            case FrameChannel.INIT_FAILED -> w.initFailure = remoteFailure(f.payload());
            case FrameChannel.CLASS_REQUEST -> {
                w.fetched = true; // it holds a class of this pool's loaders now: never parked (see the class comment)
                try {
                    w.channel.write(FrameChannel.CLASS_BYTES, f.id(),
                            classes.reply(new String(f.payload(), StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    // the worker is gone: this thread's next read says so
                }
            }
            default -> throw new IllegalStateException("unknown frame type " + f.type() + " from worker pid " + w.pid());
        }
    }

    /** The exception a worker reported: itself, else its stand-in, else a transfer failure. */
    private Throwable remoteFailure(byte[] payload) {
        Throwable problem;
        try {
            return (Throwable) Codec.deserialize(FrameChannel.firstPart(payload), classes);
        } catch (Throwable e) {
            problem = e;
        }
        try {
            Throwable standIn = (Throwable) Codec.deserialize(FrameChannel.secondPart(payload));
            standIn.addSuppressed(problem);
            return standIn;
        } catch (Throwable e) {
            return Codec.transferFailure("the task's exception could not be deserialized in the parent", problem);
        }
    }

    /** Reports one outcome and hands the freed worker its next item. */
    private void settle(Worker w, long id, Object value, Throwable failure) {
        w.lastUsed = System.nanoTime();
        if (lifecycle.maxMemory() > 0 && Launcher.residentBytes(w.pid()) > lifecycle.maxMemory()) {
            w.overMemory = true; // read before dispatch below: it is retired and replaced, not given more
        }
        WorkItem item = null;
        Actions a = new Actions();
        try {
            synchronized (lock) {
                item = w.inflight.remove(id);
                if (!w.answered) {
                    w.answered = true;
                    startDeaths = 0; // a new worker answered: workers do start and run our code
                }
                dispatchLocked(a);
                retireIfDoneLocked(w, a);
            }
            a.run();
        } finally {
            // once out of inflight, nobody else reports this item: report it even if dispatch threw
            if (item != null) {
                if (failure == null) {
                    item.complete(value);
                } else {
                    item.fail(failure);
                }
            }
        }
    }

    /**
     * With fail_call: the task of {@code e} could not be written to {@code w} (its channel is closed:
     * the worker is dead or going), so the worker never got it. It goes back to the front of the
     * queue, still marked running, for another worker, rather than fail with {@code w}'s death; and
     * {@code w} gets nothing more. Once per item: a second such failure leaves it to fail with its
     * worker's death. A write that lands in the socket of a worker that dies before
     * reading it is not seen here: that call is held, and fails with the worker's death. In the
     * default mode nothing changes: the worker's death breaks the pool.
     */
    private void unsent(Worker w, Entry e) {
        Actions a = new Actions();
        synchronized (lock) {
            if (!failCall || broken != null || e.marked() || w.inflight.remove(e.id()) == null) {
                // the pool broke, or the item was settled meanwhile (or stopRunning took it): nothing
                // to move; or it was moved once already: it fails with this worker's death, so that
                // workers that never read (a hostile one) cannot pass a task on without end
                return;
            }
            if (w.state == State.READY) {
                w.state = State.ENDED;
            }
            queue.addFirst(new Entry(e.item(), e.id(), e.task(), true));
            dispatchLocked(a);
        }
        a.run();
    }

    /**
     * Reports the exception a worker sent as its last message ({@link FrameChannel#LAST_ERROR}: an
     * {@code OutOfMemoryError} or another error after which it is not trusted) and retires the
     * worker: it exits after sending it, and that exit is a clean one, so it does not break the pool
     * (or cost a call); a new worker takes its place if items wait.
     */
    private void settleLast(Worker w, long id, Throwable failure) {
        WorkItem item = null;
        Actions a = new Actions();
        try {
            synchronized (lock) {
                item = w.inflight.remove(id);
                w.answered = true; // it ran our code: not a start death, though it retires now
                if (w.state == State.READY || w.state == State.ENDED) {
                    w.state = State.RETIRING;
                    a.closes.add(w);
                }
            }
            a.run();
        } finally {
            if (item != null) {
                item.fail(failure);
            }
        }
    }

    private void workerExited(Worker w, int exitCode, String problem, Throwable cause) {
        Actions a = new Actions();
        List<WorkItem> left = List.of();
        boolean breaks;
        boolean storm = false;
        List<WorkItem> held = null;
        synchronized (lock) {
            boolean clean = w.state == State.RETIRING && w.inflight.isEmpty() && problem == null
                    && w.initFailure == null;
            breaks = !clean && broken == null;
            if (breaks && failCall && w.initFailure == null) {
                // on_worker_death=fail_call: the worker's death costs only the call it held, unless
                // workers keep dying before their first call (they could be replaced without end)
                // (a worker that never answered: it held nothing, or could not run our code at all;
                // one whose first call ended it, System.exit say, is that call's doing and not counted)
                boolean startDeath = !w.answered && (w.inflight.isEmpty() || exitCode == Codec.SKEW_EXIT
                        || exitCode == WorkerMain.MISSING_EXIT);
                storm = startDeath && ++startDeaths >= START_DEATHS_LIMIT;
                if (!storm) {
                    breaks = false;
                    held = new ArrayList<>(w.inflight.values());
                    w.inflight.clear();
                    w.state = State.RETIRING;
                }
            }
            if (held != null) {
                if (held.isEmpty()) {
                    workers.remove(w);
                    dispatchLocked(a); // a replacement, if items wait
                    cleanUpIfDoneLocked();
                }
            } else if (!breaks) {
                left = new ArrayList<>(w.inflight.values()); // not empty only if the pool broke meanwhile
                w.inflight.clear();
                if (left.isEmpty()) {
                    workers.remove(w);
                    dispatchLocked(a); // a replacement, if items wait
                    cleanUpIfDoneLocked();
                }
            }
        }
        if (held != null) {
            diedHoldingCalls(w, exitCode, problem, cause, held, a);
            return;
        }
        if (!breaks) {
            a.run();
            if (!left.isEmpty()) {
                try {
                    failAll(left);
                } finally {
                    removeWorker(w); // only now: shutdown(wait=true) must not return before these are done
                }
            }
            return;
        }
        String status = Launcher.describeExit(exitCode);
        String message;
        Throwable why = cause;
        if (w.initFailure != null) {
            why = w.initFailure;
            message = "worker pid " + w.pid() + " exited (" + status + ") because its initializer threw "
                    + w.initFailure;
        } else if (problem != null) {
            message = "worker pid " + w.pid() + " " + problem + ": " + status;
        } else {
            message = "worker pid " + w.pid() + " terminated abruptly: " + status;
        }
        if (storm) {
            message += "; " + START_DEATHS_LIMIT + " workers in a row died before their first call, so"
                    + " on_worker_death=fail_call stops replacing them";
        }
        breakPool(w, message + "; the process pool is not usable anymore", why);
    }

    /**
     * on_worker_death=fail_call: fails each call the dead worker held with its own
     * {@link WorkerDiedException}, then removes the worker and starts a replacement if items wait.
     * The worker leaves {@code workers} only after its calls are failed, so that shutdown(wait=true)
     * returns only once their futures are done; being RETIRING with nothing in flight, it gets
     * nothing meanwhile.
     */
    private void diedHoldingCalls(Worker w, int exitCode, String problem, Throwable cause, List<WorkItem> held,
            Actions a) {
        String status = Launcher.describeExit(exitCode);
        String what = "worker pid " + w.pid() + " " + (problem != null ? problem : "terminated abruptly");
        if (held.isEmpty()) { // removed and replaced under the lock already
            a.run();
            debug(what + " between calls: " + status + "; it is replaced", cause);
            return;
        }
        String message = what + " while it held this call: " + status;
        try {
            for (WorkItem item : held) {
                item.fail(new WorkerDiedException(message, w.pid(), exitCode, cause));
            }
        } finally {
            synchronized (lock) {
                workers.remove(w);
                dispatchLocked(a); // a replacement, if items wait
                cleanUpIfDoneLocked();
            }
            a.run();
        }
        // only now: the first logger of a JVM costs 20-30 ms, which the failed future need not wait for
        debug(message + "; it is replaced", cause);
    }

    /**
     * Breaks the pool once: fails everything queued and in flight, kills the other workers. The
     * cause stays in {@code workers} until its items are failed, so that shutdown(wait=true), which
     * waits for {@code workers} to empty, returns only once every future the break fails is done.
     */
    private void breakPool(Worker cause, String message, Throwable why) {
        List<WorkItem> failed = new ArrayList<>();
        Actions a = new Actions();
        boolean first = false;
        synchronized (lock) {
            if (broken == null) {
                brokenCause = why;
                broken = message;
                first = true;
                debug(message, null);
            }
            for (Entry e : queue) {
                failed.add(e.item());
            }
            queue.clear();
            failed.addAll(cause.inflight.values());
            cause.inflight.clear();
            for (Worker w : workers) {
                failed.addAll(w.inflight.values());
                w.inflight.clear();
                if (w != cause && claimToKillLocked(w)) {
                    a.kills.add(w);
                }
            }
        }
        if (first && why != null && why == cause.initFailure) {
            PoolSupport.Log.initializerFailed(ProcessPool.class, why); // once per pool, as the threads' pools
        }
        a.run();
        try {
            failAll(failed);
        } finally {
            removeWorker(cause);
        }
    }

    /**
     * Whether a break or {@code stopWorkers} may kill {@code w}, which is still in {@code workers}:
     * always, unless it is parking. A parking worker not yet claimed is claimed here, so its thread
     * no longer parks it; one its thread already handed to the park is taken back out if no other
     * pool has taken it meanwhile, and then killed as well; one another pool took is that pool's now
     * and is left alone (it was idle: it held no call of this pool).
     */
    private boolean claimToKillLocked(Worker w) {
        if (!w.parking || w.parkClaimed.compareAndSet(false, true)) {
            return true;
        }
        return !w.parkedAway || WorkerPark.evict(w.process);
    }

    private void removeWorker(Worker w) {
        synchronized (lock) {
            workers.remove(w);
            cleanUpIfDoneLocked();
        }
    }

    private void failAll(List<WorkItem> items) {
        for (WorkItem item : items) {
            item.fail(new BrokenProcessPoolException(broken, brokenCause));
        }
    }

    private static void closeQuietly(ServerSocketChannel s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }
}
