package futures.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Deadlock detection on the core's wait paths (docs/deadlocks.md): a wait, inside a call of an
 * executor whose calls run on threads of this JVM, that can never end fails with
 * {@link DeadlockException} instead of parking.
 *
 * <h2>What is known</h2>
 * Each thread that runs a call of a detecting executor has a {@link Frame} (a thread-local, made
 * on its first such call and kept): the innermost call it runs now, and the {@link Wait} it is
 * blocked in, if any. Each call's item remembers the frame of the thread that runs it (one field:
 * the 8 bytes a future gains). A thread registers a {@code Wait} only when it is about to park,
 * only if it runs a call of a detecting executor, and only if what it waits for could be part of a
 * deadlock (a future of a detecting executor): a caller that is not such a call pays one
 * thread-local read per park, and each call one thread-local read and three field writes.
 *
 * <h2>When a wait is stuck</h2>
 * Progress is the least fixpoint of these rules, over the registered waits and the futures they
 * reach; whatever is not in it is stuck:
 * <ul>
 *   <li>a future not made by a detecting executor progresses (anyone may complete it), and so does
 *       a done one;
 *   <li>a running future progresses unless the thread running it is blocked in a registered wait
 *       inside that very call; then it progresses if that wait does;
 *   <li>a pending future progresses if its executor has fewer blocked workers than
 *       {@code maxWorkers()} (a worker is or will be free), or if one of those blocked workers'
 *       waits progresses (its call may end and free the worker);
 *   <li>a wait for all of its futures progresses if each does; a wait for any of them (
 *       {@code FIRST_COMPLETED}, {@code FIRST_EXCEPTION}, {@code asCompleted}) if one does.
 * </ul>
 * A thread that is not blocked in a registered wait is assumed to progress, whatever it does.
 *
 * <h2>Why checking only the thread about to park finds every deadlock</h2>
 * The only change that can take something out of the progress set is a thread becoming blocked:
 * completions, starts, cancellations and new submissions only add to it. If the new blocked
 * thread P itself progressed in the new state, every derivation of the old fixpoint could be
 * rebuilt in the new one (replace "P is not blocked" with P's own derivation), so nothing would
 * become stuck. So whenever something becomes stuck, P's own wait is stuck: the thread that
 * closes a cycle finds it, before it parks. The registration and the check are one step under
 * {@link #LOCK}, so of two threads closing a cycle at once, the second sees the first.
 *
 * <h2>Why a race with a completing future gives no false positive</h2>
 * Under {@link #LOCK} the registered waits do not change: a thread registers and leaves its wait
 * only under the lock. The futures' states do change meanwhile, but only forward (pending,
 * running, done), and the facts a "stuck" verdict rests on cannot be undone while the lock is
 * held: a future read as running, whose runner's registered wait is inside that call, cannot
 * complete by its call ending, since that thread is parked in the wait and leaves it only through
 * the lock; a future read as pending (not done, then not running, then still not done) on an
 * executor whose {@code maxWorkers()} workers are all blocked in registered waits cannot start,
 * since no worker is free (a pool in this JVM never runs more calls at once). A future that
 * completes just after its read was read as progressing or as stuck; if stuck, the completion came
 * from outside the calls (a {@code cancel}, {@code setResult}, a pool breaking), which the
 * definition does not count on. A waiter woken by a completion still holds its registration until
 * it takes the lock, but the future it waited for then reads as done, so it progresses. For
 * {@code asCompleted}, a future that is done but not yet returned (its completer has not yet
 * delivered it) is progress: the wait counts the done futures against those already returned.
 * Timeouts and interrupts are outside help too: a deadlock fails at once even when a wait in it
 * has a timeout.
 *
 * <p>Thread-safety: {@link #LOCK} guards {@link #BLOCKED} and every {@link Frame#wait}; a frame's
 * {@code current} is read and written only by its own thread.
 */
final class Deadlocks {
    private Deadlocks() {}

    /** Where the message points. */
    static final String DOCS = "docs/deadlocks.md";

    private static final ThreadLocal<Frame> FRAMES = new ThreadLocal<>();

    /** Guards {@link #BLOCKED} and every frame's {@code wait}; never held while parking or running user code. */
    private static final ReentrantLock LOCK = new ReentrantLock();

    /**
     * The registered waits of each detecting executor, by the executor of the call that waits; an
     * entry is removed when its list empties. Guarded by {@link #LOCK}.
     */
    private static final Map<Executor, ArrayList<Wait>> BLOCKED = new IdentityHashMap<>();

    /** The most lines of cycle a message lists. */
    private static final int MAX_LINES = 16;

    /** What one thread of this JVM is doing for the detector. */
    static final class Frame {
        final Thread thread = Thread.currentThread();
        /** The innermost call of a detecting executor this thread runs, or null; its own thread only. */
        Future<?> current;
        /** The wait this thread is blocked in, or null; guarded by {@link #LOCK}. */
        Wait wait;
    }

    /** The calling thread's frame, made on first use. */
    static Frame frame() {
        Frame f = FRAMES.get();
        if (f == null) {
            f = new Frame();
            FRAMES.set(f);
        }
        return f;
    }

    /**
     * One blocked wait. Its futures are a single {@link Future}, a {@link FutureSet} or a
     * {@link FutureSet.Chunks}, looked at from index {@code from}. Immutable.
     */
    static final class Wait {
        final Frame frame;
        /** The call the waiting thread runs, and its executor. */
        final Future<?> call;
        final Executor executor;
        /** True: the wait ends when any future does; false: when all do. */
        final boolean any;
        private final Object futures;
        private final int from;
        /** Done futures before {@code from} (skipped, counted for {@code returned}). */
        private final int doneBefore;
        /**
         * -1: a done future counts as progress. Else (asCompleted) how many of the futures were
         * returned already: the wait progresses if more than that many are done.
         */
        private final int returned;

        Wait(Frame frame, Executor executor, boolean any, Object futures, int from, int doneBefore, int returned) {
            this.frame = frame;
            this.call = frame.current;
            this.executor = executor;
            this.any = any;
            this.futures = futures;
            this.from = from;
            this.doneBefore = doneBefore;
            this.returned = returned;
        }

        int size() {
            if (futures instanceof Future<?>) {
                return 1;
            }
            if (futures instanceof FutureSet<?> s) {
                return s.size();
            }
            return ((FutureSet.Chunks) futures).size();
        }

        Future<?> get(int i) {
            if (futures instanceof Future<?> f) {
                return f;
            }
            if (futures instanceof FutureSet<?> s) {
                return (Future<?>) s.get(i);
            }
            return (Future<?>) ((FutureSet.Chunks) futures).get(i);
        }
    }

    // ------------------------------------------------------------------ entry points

    /**
     * Before the calling thread parks waiting for {@code f}: registers the wait, or throws if it can
     * never end.
     *
     * @return the registration, for {@link #end}; null when detection does not apply (not a call
     *     of a detecting executor, or a future no deadlock can involve)
     * @throws DeadlockException if the wait can never end
     */
    static Wait beginOne(Future<?> f) {
        Frame fr = FRAMES.get();
        if (fr == null || fr.current == null || Executor.detectingOwner(f) == null) {
            return null;
        }
        return register(new Wait(fr, Executor.detectingOwner(fr.current), false, f, 0, 0, -1));
    }

    /**
     * Before the calling thread parks in {@link Futures#wait}.
     *
     * @param any true for FIRST_COMPLETED and FIRST_EXCEPTION (the latter is treated as "any",
     *     so it fails only when none of its futures can complete), false for ALL_COMPLETED
     */
    static Wait beginSet(FutureSet<?> fs, boolean any) {
        Frame fr = FRAMES.get();
        if (fr == null || fr.current == null) {
            return null;
        }
        return register(new Wait(fr, Executor.detectingOwner(fr.current), any, fs, 0, 0, -1));
    }

    /**
     * Before the calling thread parks in an {@link Futures#asCompleted} iterator, waiting for any
     * of {@code hooked} not yet returned.
     *
     * @param from the first index that may not be done (those before are done)
     * @param doneBefore how many are before {@code from}
     * @param returned how many of {@code hooked} the iterator returned already
     */
    static Wait beginAsCompleted(FutureSet.Chunks hooked, int from, int doneBefore, int returned) {
        Frame fr = FRAMES.get();
        if (fr == null || fr.current == null) {
            return null;
        }
        return register(new Wait(fr, Executor.detectingOwner(fr.current), true, hooked, from, doneBefore, returned));
    }

    /** How many waits are registered now, over all executors; for tests. */
    static int registeredForTests() {
        LOCK.lock();
        try {
            int n = 0;
            for (ArrayList<Wait> waits : BLOCKED.values()) {
                n += waits.size();
            }
            return n;
        } finally {
            LOCK.unlock();
        }
    }

    /** Whether the calling thread runs a call of a detecting executor (so a wait may register). */
    static boolean inCall() {
        Frame fr = FRAMES.get();
        return fr != null && fr.current != null;
    }

    /** Ends a wait that {@code begin...} registered; harmless with null. */
    static void end(Wait w) {
        if (w == null) {
            return;
        }
        LOCK.lock();
        try {
            unregister(w);
        } finally {
            LOCK.unlock();
        }
    }

    /** With {@link #LOCK} held. */
    private static void unregister(Wait w) {
        ArrayList<Wait> list = BLOCKED.get(w.executor);
        if (list != null && list.remove(w) && list.isEmpty()) {
            BLOCKED.remove(w.executor);
        }
        if (w.frame.wait == w) {
            w.frame.wait = null;
        }
    }

    private static Wait register(Wait w) {
        if (w.executor == null) {
            return null; // cannot happen: frames are set only by calls of detecting executors
        }
        String cycle;
        LOCK.lock();
        try {
            BLOCKED.computeIfAbsent(w.executor, e -> new ArrayList<>(2)).add(w);
            w.frame.wait = w;
            cycle = detect(w);
        } catch (Throwable e) { // out of memory in the search: leave no registration behind
            unregister(w);
            throw e;
        } finally {
            LOCK.unlock();
        }
        if (cycle == null) {
            return w;
        }
        end(w);
        throw new DeadlockException(cycle);
    }

    // ------------------------------------------------------------------ the fixpoint

    private static final int WAIT_ALL = 0;
    private static final int WAIT_ANY = 1;
    private static final int RUNNING = 2;
    private static final int PENDING = 3;

    /** A wait or a future in the graph reachable from the new wait. */
    private static final class Node {
        final Object key;
        final int kind;
        final List<Node> deps = new ArrayList<>(2);
        boolean progress;
        /** For a pending future: its executor; for a running one: its runner's wait. */
        Object detail;

        Node(Object key, int kind) {
            this.key = key;
            this.kind = kind;
        }

        boolean eval() {
            switch (kind) {
                case WAIT_ALL:
                    for (Node d : deps) {
                        if (!d.progress) {
                            return false;
                        }
                    }
                    return true;
                case RUNNING:
                    return deps.get(0).progress;
                default: // WAIT_ANY, PENDING
                    for (Node d : deps) {
                        if (d.progress) {
                            return true;
                        }
                    }
                    return false;
            }
        }
    }

    /** Builds the graph from {@code start} under the lock; returns the cycle's description if start is stuck. */
    private static String detect(Wait start) {
        Map<Object, Node> nodes = new IdentityHashMap<>();
        ArrayDeque<Node> todo = new ArrayDeque<>();
        Node root = waitNode(start, nodes, todo);
        while (!todo.isEmpty()) {
            Node n = todo.poll();
            if (n.key instanceof Wait w) {
                expandWait(n, w, nodes, todo);
                if (n == root && n.progress) {
                    return null; // an any-wait with a future that progresses: nothing else to learn
                }
            }
        }
        boolean changed = true;
        while (changed && !root.progress) {
            changed = false;
            for (Node n : nodes.values()) {
                if (!n.progress && n.eval()) {
                    n.progress = true;
                    changed = true;
                }
            }
        }
        return root.progress ? null : describe(root);
    }

    private static Node waitNode(Wait w, Map<Object, Node> nodes, ArrayDeque<Node> todo) {
        Node n = nodes.get(w);
        if (n == null) {
            n = new Node(w, w.any ? WAIT_ANY : WAIT_ALL);
            nodes.put(w, n);
            todo.add(n);
        }
        return n;
    }

    private static void expandWait(Node n, Wait w, Map<Object, Node> nodes, ArrayDeque<Node> todo) {
        int done = w.doneBefore;
        for (int i = w.from, size = w.size(); i < size; i++) {
            Future<?> f = w.get(i);
            if (f == null || f.done()) { // null: an asCompleted entry already returned, so done
                done++;
                if (w.returned < 0 && w.any) {
                    n.progress = true;
                    return;
                }
                continue; // all-wait: this one is satisfied; asCompleted: counted below
            }
            Node fn = futureNode(f, nodes, todo);
            if (fn.progress && w.any) {
                n.progress = true;
                return;
            }
            n.deps.add(fn);
        }
        if (w.returned >= 0 && done > w.returned) {
            n.progress = true; // a done future the iterator has not returned yet: next() will return it
        } else if (n.deps.isEmpty() && !w.any) {
            n.progress = true; // all done already
        }
    }

    private static Node futureNode(Future<?> f, Map<Object, Node> nodes, ArrayDeque<Node> todo) {
        Node n = nodes.get(f);
        if (n != null) {
            return n;
        }
        Executor owner = Executor.detectingOwner(f);
        if (owner == null || f.done()) {
            n = new Node(f, RUNNING);
            n.progress = true;
        } else if (f.running()) {
            n = new Node(f, RUNNING);
            Frame runner = Executor.runnerOf(f);
            Wait rw = runner == null ? null : runner.wait;
            if (rw == null || rw.call != f) {
                n.progress = true; // its thread is not blocked inside it (or not yet known)
            } else {
                n.detail = rw;
                nodes.put(f, n);
                n.deps.add(waitNode(rw, nodes, todo));
                return n;
            }
        } else if (f.done()) { // not running, and still not done: it was pending when running() was read
            n = new Node(f, RUNNING);
            n.progress = true;
        } else {
            n = new Node(f, PENDING);
            n.detail = owner;
            ArrayList<Wait> blocked = BLOCKED.get(owner);
            if (blocked == null || blocked.size() < owner.maxWorkers()) {
                n.progress = true; // a worker is free, or will be
            } else {
                nodes.put(f, n);
                for (Wait bw : blocked) {
                    n.deps.add(waitNode(bw, nodes, todo));
                }
                return n;
            }
        }
        nodes.put(f, n);
        return n;
    }

    // ------------------------------------------------------------------ the message

    /** The stuck part reachable from {@code root}, one line per blocked call and per unstartable future. */
    private static String describe(Node root) {
        StringBuilder sb = new StringBuilder("deadlock: this wait can never end, so it fails instead of hanging (see ")
                .append(DOCS).append(")");
        ArrayDeque<Node> todo = new ArrayDeque<>();
        Map<Node, Boolean> seen = new HashMap<>();
        todo.add(root);
        seen.put(root, true);
        int lines = 0;
        while (!todo.isEmpty()) {
            Node n = todo.poll();
            String line = null;
            if (n.key instanceof Wait w) {
                List<Node> stuck = new ArrayList<>();
                for (Node d : n.deps) {
                    if (!d.progress) {
                        stuck.add(d);
                    }
                }
                line = callName(w.call) + " of " + executorName(w.executor) + ", in thread \"" + w.frame.thread.getName()
                        + "\", waits for " + (w.any && stuck.size() > 1 ? "any of " : "") + futureList(stuck);
            } else if (n.kind == PENDING) {
                Executor e = (Executor) n.detail;
                line = callName((Future<?>) n.key) + " has not started: all " + e.maxWorkers() + " worker(s) of "
                        + executorName(e) + " run calls that wait here";
            }
            if (line != null) {
                if (lines++ == MAX_LINES) {
                    sb.append("\n  ...");
                    break;
                }
                sb.append("\n  ").append(line);
            }
            for (Node d : n.deps) {
                if (!d.progress && seen.put(d, true) == null) {
                    todo.add(d);
                }
            }
        }
        return sb.toString();
    }

    private static String futureList(List<Node> fs) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fs.size(); i++) {
            if (i == 5) {
                return sb.append(" and ").append(fs.size() - 5).append(" more").toString();
            }
            Future<?> f = (Future<?>) fs.get(i).key;
            sb.append(i == 0 ? "" : ", ").append(callName(f))
                    .append(f.running() ? " (running)" : f.done() ? "" : " (pending)");
        }
        return sb.toString();
    }

    static String callName(Future<?> f) {
        return "call Future@" + Integer.toHexString(System.identityHashCode(f));
    }

    static String executorName(Executor e) {
        int max = e.maxWorkers();
        return "Executor[" + e.providerName() + "@" + Integer.toHexString(System.identityHashCode(e)) + ", max_workers="
                + (max == Integer.MAX_VALUE ? "unbounded" : String.valueOf(max)) + "]";
    }
}
