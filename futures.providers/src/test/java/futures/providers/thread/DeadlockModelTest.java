package futures.providers.thread;

import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.DeadlockException;
import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.core.Futures;
import futures.core.ReturnWhen;
import futures.spi.ExecutorConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Model-based test of deadlock detection (docs/deadlocks.md): random programs of nested submits
 * and waits over 1-3 executors ("thread" or bounded "virtual") of 1-3 workers each, run for real
 * in lockstep with a simulator of the same program.
 *
 * <p>The simulator runs one step at a time: the lowest-numbered call that can go on does its next
 * operation (submit a call, wait for futures with {@code result()}, {@code Futures.wait} ALL or
 * FIRST_COMPLETED, or {@code asCompleted().next()}, with or without a timeout, or end). Queues are
 * FIFO and an executor runs at most its worker count of calls. The real run follows the same
 * schedule: each real call does an operation only when the harness lets it (a semaphore of its
 * own, which the detector counts as progress), and after a wait that the simulator says blocks,
 * the harness waits until the real thread is parked in it (its detector check passed).
 *
 * <p>The oracle, independent of the detector's code: after a wait blocks in the simulator, it is a
 * deadlock exactly when it would still be blocked if every call that is not blocked ended at once,
 * every queued call that got a worker then ended at once too, and so on until nothing changes
 * (calls may still do anything; only blocked ones are known to be stuck). The detector must throw
 * {@link DeadlockException} at exactly those waits, nowhere else: the call then fails with it, the
 * calls that call {@code result()} on it fail with the same instance, and the run goes on. So
 * every wait's outcome, and every call's, is compared. Separately, a program "cannot finish"
 * when the simulator without detection ends with blocked calls; the detector must fire in exactly
 * those programs.
 *
 * <p>{@code -Ddeadlock.model.programs=N} runs N programs (default 10,000);
 * {@code -Ddeadlock.model.seed=S} reruns from seed S. A failure prints the seed, the program and
 * the step.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DeadlockModelTest {
    private static final Duration LONG = Duration.ofSeconds(60); // a timeout that is not meant to run out
    private static final long GUARD_NANOS = TimeUnit.SECONDS.toNanos(20);
    private static final Map<String, List<Executor>> EXECUTORS = new HashMap<>();

    @AfterAll
    static void shutDown() {
        EXECUTORS.values().forEach(list -> list.forEach(e -> e.shutdown(false, true)));
    }

    /** The n-th executor (n = 0, 1, 2) of a provider and worker count, reused by every program. */
    private static Executor executor(String provider, int workers, int n) {
        List<Executor> list = EXECUTORS.computeIfAbsent(provider + workers, k -> new ArrayList<>());
        while (list.size() <= n) {
            list.add(Executors.create(provider, ExecutorConfig.builder().maxWorkers(workers).build()));
        }
        return list.get(n);
    }

    // ------------------------------------------------------------------ programs

    enum Kind { SUBMIT, RESULT, WAIT_ALL, WAIT_ANY, AS_COMPLETED }

    record Op(Kind kind, int[] targets, boolean timed) {
        @Override
        public String toString() {
            return kind == Kind.SUBMIT ? "submit c" + targets[0]
                    : kind + Arrays.toString(targets) + (timed ? " timed" : "");
        }
    }

    record Program(String[] providers, int[] workers, int topLevel, int[] execOf, Op[][] ops) {
        int calls() {
            return execOf.length;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (int e = 0; e < providers.length; e++) {
                sb.append("  E").append(e).append(": ").append(providers[e]).append(", ").append(workers[e]).append(" worker(s)\n");
            }
            sb.append("  main submits c0..c").append(topLevel - 1).append('\n');
            for (int c = 0; c < calls(); c++) {
                sb.append("  c").append(c).append(" on E").append(execOf[c]).append(": ").append(Arrays.toString(ops[c])).append('\n');
            }
            return sb.toString();
        }
    }

    static Program generate(Random r) {
        int nExec = 1 + r.nextInt(3);
        String[] providers = new String[nExec];
        int[] workers = new int[nExec];
        for (int e = 0; e < nExec; e++) {
            providers[e] = r.nextInt(3) == 0 ? "virtual" : "thread";
            workers[e] = 1 + r.nextInt(3);
        }
        int n = 1 + r.nextInt(7);
        int top = 1 + r.nextInt(Math.min(n, 3));
        int[] execOf = new int[n];
        List<List<Op>> ops = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            execOf[c] = r.nextInt(nExec);
            ops.add(new ArrayList<>());
        }
        for (int c = 0; c < n; c++) {
            int waits = r.nextInt(3);
            for (int w = 0; w < waits; w++) {
                Kind k = Kind.values()[1 + r.nextInt(4)];
                int[] targets = new int[k == Kind.RESULT ? 1 : 1 + r.nextInt(3)];
                for (int t = 0; t < targets.length; t++) {
                    targets[t] = r.nextInt(n);
                    if (targets[t] == c && r.nextInt(4) != 0) { // waiting on itself: a deadlock, kept rarer
                        targets[t] = r.nextInt(n);
                    }
                }
                ops.get(c).add(new Op(k, targets, r.nextInt(4) == 0));
            }
        }
        for (int child = top; child < n; child++) { // each later call is submitted once, by an earlier one
            int parent = r.nextInt(child);
            List<Op> p = ops.get(parent);
            p.add(r.nextInt(p.size() + 1), new Op(Kind.SUBMIT, new int[] {child}, false));
        }
        Op[][] arr = new Op[n][];
        for (int c = 0; c < n; c++) {
            arr[c] = ops.get(c).toArray(new Op[0]);
        }
        return new Program(providers, workers, top, execOf, arr);
    }

    // ------------------------------------------------------------------ the simulator

    static final int UNSUBMITTED = 0, QUEUED = 1, RUNNING = 2, BLOCKED = 3, OK = 4, FAILED = 5;

    /** What the simulator expects of one wait. */
    enum Outcome { RETURNS, PROPAGATES, BLOCKS, DEADLOCK }

    static final class Sim implements Cloneable {
        final Program p;
        final boolean detect;
        int[] status;
        int[] pc;
        int[] busy;
        ArrayDeque<Integer>[] queues;
        /** The submitted targets of the wait each blocked call is in. */
        int[][] waitingOn;

        @SuppressWarnings("unchecked")
        Sim(Program p, boolean detect) {
            this.p = p;
            this.detect = detect;
            status = new int[p.calls()];
            pc = new int[p.calls()];
            busy = new int[p.workers().length];
            queues = new ArrayDeque[p.workers().length];
            for (int e = 0; e < queues.length; e++) {
                queues[e] = new ArrayDeque<>();
            }
            waitingOn = new int[p.calls()][];
        }

        Sim copy() {
            Sim s = new Sim(p, detect);
            s.status = status.clone();
            s.pc = pc.clone();
            s.busy = busy.clone();
            for (int e = 0; e < queues.length; e++) {
                s.queues[e] = new ArrayDeque<>(queues[e]);
            }
            s.waitingOn = waitingOn.clone();
            return s;
        }

        void submit(int c) {
            int e = p.execOf()[c];
            status[c] = QUEUED;
            queues[e].add(c);
            startQueued(e);
        }

        void startQueued(int e) {
            while (busy[e] < p.workers()[e] && !queues[e].isEmpty()) {
                int c = queues[e].poll();
                busy[e]++;
                status[c] = RUNNING;
            }
        }

        boolean done(int c) {
            return status[c] == OK || status[c] == FAILED;
        }

        /** The call that goes next, or -1. */
        int next() {
            for (int c = 0; c < status.length; c++) {
                if (status[c] == RUNNING) {
                    return c;
                }
            }
            return -1;
        }

        int[] submittedTargets(Op op) {
            LinkedHashSet<Integer> ts = new LinkedHashSet<>();
            for (int t : op.targets()) {
                if (status[t] != UNSUBMITTED) {
                    ts.add(t);
                }
            }
            return ts.stream().mapToInt(Integer::intValue).toArray();
        }

        boolean satisfied(Kind k, int[] targets) {
            if (targets.length == 0) {
                return true;
            }
            boolean all = true;
            boolean any = false;
            for (int t : targets) {
                all &= done(t);
                any |= done(t);
            }
            return k == Kind.RESULT || k == Kind.WAIT_ALL ? all : any;
        }

        void finish(int c, int how) {
            status[c] = how;
            int e = p.execOf()[c];
            busy[e]--;
            startQueued(e);
            for (int b = 0; b < status.length; b++) { // wake the waiters this satisfies, lowest first
                if (status[b] == BLOCKED && satisfied(p.ops()[b][pc[b]].kind(), waitingOn[b])) {
                    resume(b);
                }
            }
        }

        /** A wait that is satisfied: result() of a failed future propagates, everything else returns. */
        void resume(int c) {
            Op op = p.ops()[c][pc[c]];
            int[] ts = waitingOn[c];
            waitingOn[c] = null;
            if (op.kind() == Kind.RESULT && ts.length == 1 && status[ts[0]] == FAILED) {
                status[c] = RUNNING; // finish() frees the worker of a RUNNING call
                finish(c, FAILED);
            } else {
                status[c] = RUNNING;
                pc[c]++;
            }
        }

        /** One step of call c; returns what its wait does (null for other steps). */
        Outcome step(int c) {
            Op[] ops = p.ops()[c];
            if (pc[c] == ops.length) {
                finish(c, OK);
                return null;
            }
            Op op = ops[pc[c]];
            if (op.kind() == Kind.SUBMIT) {
                pc[c]++;
                submit(op.targets()[0]);
                return null;
            }
            int[] ts = submittedTargets(op);
            waitingOn[c] = ts;
            if (satisfied(op.kind(), ts)) {
                boolean propagates = op.kind() == Kind.RESULT && ts.length == 1 && status[ts[0]] == FAILED;
                resume(c);
                return propagates ? Outcome.PROPAGATES : Outcome.RETURNS;
            }
            status[c] = BLOCKED;
            if (detect && stuckNow(c)) {
                waitingOn[c] = null;
                status[c] = RUNNING;
                finish(c, FAILED);
                return Outcome.DEADLOCK;
            }
            return Outcome.BLOCKS;
        }

        /** The oracle: would c stay blocked if every call not blocked ended now, and so on? */
        boolean stuckNow(int c) {
            Sim s = copy();
            boolean changed = true;
            while (changed) {
                changed = false;
                for (int x = 0; x < s.status.length; x++) {
                    if (s.status[x] == RUNNING) {
                        s.status[x] = OK;
                        int e = p.execOf()[x];
                        s.busy[e]--;
                        s.startQueued(e);
                        changed = true;
                    } else if (s.status[x] == BLOCKED && s.satisfied(p.ops()[x][s.pc[x]].kind(), s.waitingOn[x])) {
                        s.status[x] = RUNNING;
                        changed = true;
                    }
                }
            }
            return s.status[c] == BLOCKED;
        }

        /** Runs to the end without the real thing; true if every call ended. */
        boolean runsToEnd() {
            for (int c = 0; c < p.topLevel(); c++) {
                submit(c);
            }
            for (int c; (c = next()) >= 0; ) {
                step(c);
            }
            for (int st : status) {
                if (st != OK && st != FAILED && st != UNSUBMITTED) {
                    return false;
                }
            }
            return true;
        }
    }

    // ------------------------------------------------------------------ the real run

    /** One program run for real; the calls' bodies talk to the harness through it. */
    static final class Run {
        final Program p;
        final Executor[] executors;
        final AtomicReferenceArray<Future<Object>> futures;
        final Semaphore[] turns;
        final Thread[] threads;
        /** Per call and op: what the real wait did (null: not yet done); the Throwable it threw, or RETURNED. */
        final AtomicReferenceArray<Object>[] waitOutcomes;
        final LinkedBlockingQueue<int[]> events = new LinkedBlockingQueue<>();
        final int[] arrivedAt;
        static final Object RETURNED = "returned";

        @SuppressWarnings("unchecked")
        Run(Program p, Executor[] executors) {
            this.p = p;
            this.executors = executors;
            int n = p.calls();
            futures = new AtomicReferenceArray<>(n);
            turns = new Semaphore[n];
            threads = new Thread[n];
            waitOutcomes = new AtomicReferenceArray[n];
            arrivedAt = new int[n];
            Arrays.fill(arrivedAt, -1);
            for (int c = 0; c < n; c++) {
                turns[c] = new Semaphore(0);
                waitOutcomes[c] = new AtomicReferenceArray<>(p.ops()[c].length);
            }
        }

        Future<Object> submit(int c) {
            Future<Object> f = executors[p.execOf()[c]].submit(() -> body(c));
            futures.set(c, f);
            return f;
        }

        /** A call: each operation when the harness says so. */
        Object body(int c) throws Exception {
            threads[c] = Thread.currentThread();
            Op[] ops = p.ops()[c];
            for (int i = 0; ; i++) {
                events.add(new int[] {c, i});
                turns[c].acquire();
                if (i == ops.length) {
                    return "c" + c;
                }
                Op op = ops[i];
                if (op.kind() == Kind.SUBMIT) {
                    submit(op.targets()[0]);
                    events.add(new int[] {c, i, 1});
                    continue;
                }
                List<Future<Object>> ts = new ArrayList<>();
                for (int t : op.targets()) {
                    Future<Object> f = futures.get(t);
                    if (f != null && !ts.contains(f)) {
                        ts.add(f);
                    }
                }
                events.add(new int[] {c, i, 1});
                try {
                    waitFor(op, ts);
                    waitOutcomes[c].set(i, RETURNED);
                } catch (RuntimeException | Error e) {
                    waitOutcomes[c].set(i, e);
                    throw e;
                }
            }
        }

        private static void waitFor(Op op, List<Future<Object>> ts) {
            if (ts.isEmpty()) {
                return;
            }
            switch (op.kind()) {
                case RESULT -> {
                    if (op.timed()) {
                        ts.get(0).result(LONG);
                    } else {
                        ts.get(0).result();
                    }
                }
                case WAIT_ALL -> Futures.wait(ts, op.timed() ? LONG : Futures.NO_TIMEOUT, ReturnWhen.ALL_COMPLETED);
                case WAIT_ANY -> Futures.wait(ts, op.timed() ? LONG : Futures.NO_TIMEOUT, ReturnWhen.FIRST_COMPLETED);
                case AS_COMPLETED -> (op.timed() ? Futures.asCompleted(ts, LONG) : Futures.asCompleted(ts)).iterator().next();
                default -> throw new AssertionError(op);
            }
        }

        /**
         * After a failed check: lets every call of this run go on and interrupts the ones still
         * waiting, so no worker stays blocked (the executors are shared, and the exit guard would
         * wait for them).
         */
        void abort() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                boolean all = true;
                for (int c = 0; c < p.calls(); c++) {
                    Future<Object> f = futures.get(c);
                    if (f != null && !f.done()) {
                        all = false;
                        turns[c].release(1000);
                        Thread t = threads[c];
                        if (t != null) {
                            t.interrupt();
                        }
                    }
                }
                if (all) {
                    return;
                }
                LockSupport.parkNanos(1_000_000);
            }
        }

        /** Waits until call c has arrived at its gate before operation i. */
        void awaitArrival(int c, int i) throws InterruptedException {
            long deadline = System.nanoTime() + GUARD_NANOS;
            while (arrivedAt[c] < i) {
                int[] ev = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (ev == null) {
                    throw new AssertionError("call c" + c + " never reached operation " + i);
                }
                if (ev.length == 2) {
                    arrivedAt[ev[0]] = ev[1];
                }
            }
        }

        /** Waits for call c's acknowledgement of operation i (it submitted, or is about to wait). */
        void awaitAck(int c, int i) throws InterruptedException {
            long deadline = System.nanoTime() + GUARD_NANOS;
            while (true) {
                int[] ev = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (ev == null) {
                    throw new AssertionError("call c" + c + " never acknowledged operation " + i);
                }
                if (ev.length == 2) {
                    arrivedAt[ev[0]] = ev[1];
                } else if (ev[0] == c && ev[1] == i) {
                    return;
                }
            }
        }

        /**
         * After call c began wait i: until it threw or returned (the outcome, a Throwable or
         * RETURNED) or is parked in the wait (null).
         */
        Object settle(int c, int i) {
            Thread t = threads[c];
            long deadline = System.nanoTime() + GUARD_NANOS;
            while (true) {
                Object o = waitOutcomes[c].get(i);
                if (o != null) {
                    return o;
                }
                Thread.State st = t.getState();
                Object blocker = LockSupport.getBlocker(t);
                if ((st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING) && blocker != null
                        && (blocker instanceof Future<?> || blocker.getClass().getName().startsWith("futures.core.Futures$"))) {
                    o = waitOutcomes[c].get(i);
                    return o; // parked in the wait itself (past its detector check)
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("call c" + c + " neither parked nor ended in wait " + i);
                }
                Thread.onSpinWait();
                Thread.yield();
            }
        }
    }

    /** Waits that blocked (and so had to pass the detector without failing), over all programs. */
    static int blockedWaits;

    /** Runs program p for real beside the simulator; returns how many deadlocks were detected. */
    static int check(Program p, long seed) throws Exception {
        Executor[] executors = new Executor[p.workers().length];
        Map<String, Integer> used = new HashMap<>();
        for (int e = 0; e < executors.length; e++) {
            String key = p.providers()[e] + p.workers()[e];
            int n = used.merge(key, 1, Integer::sum) - 1;
            executors[e] = executor(p.providers()[e], p.workers()[e], n);
        }
        Run run = new Run(p, executors);
        Sim sim = new Sim(p, true);
        int detected = 0;
        List<String> trace = new ArrayList<>();
        try {
            for (int c = 0; c < p.topLevel(); c++) {
                sim.submit(c);
                run.submit(c);
            }
            for (int c; (c = sim.next()) >= 0; ) {
                int i = sim.pc[c];
                Op[] ops = p.ops()[c];
                run.awaitArrival(c, i);
                Outcome expected = sim.step(c);
                trace.add("c" + c + (i == ops.length ? " ends" : " " + ops[i]) + (expected == null ? "" : " -> " + expected));
                run.turns[c].release();
                if (i == ops.length) {
                    continue;
                }
                run.awaitAck(c, i);
                if (expected == null) {
                    continue; // a submit
                }
                if (expected == Outcome.RETURNS || expected == Outcome.PROPAGATES) {
                    continue; // checked below, once the call has gone on
                }
                Object real = run.settle(c, i);
                if (expected == Outcome.BLOCKS) {
                    if (real != null) {
                        throw new AssertionError("wait " + i + " of c" + c + " should block, but " + describe(real));
                    }
                    blockedWaits++;
                }
                if (expected == Outcome.DEADLOCK) {
                    if (!(real instanceof DeadlockException)) {
                        throw new AssertionError("wait " + i + " of c" + c + " is a deadlock, but it "
                                + (real == null ? "parked" : describe(real)));
                    }
                    detected++;
                }
            }
            for (int c = 0; c < p.calls(); c++) {
                if (sim.status[c] == UNSUBMITTED) {
                    continue;
                }
                assertTrue(sim.done(c), "the simulator left c" + c + " blocked although every deadlock was broken");
                Future<Object> f = run.futures.get(c);
                Throwable e = f.exception(Duration.ofNanos(GUARD_NANOS));
                if ((e == null) != (sim.status[c] == OK)) {
                    throw new AssertionError("c" + c + " should " + (sim.status[c] == OK ? "return" : "fail") + ", got " + e);
                }
                for (int i = 0; i < p.ops()[c].length; i++) { // every wait did what the simulator said
                    Object real = run.waitOutcomes[c].get(i);
                    if (p.ops()[c][i].kind() != Kind.SUBMIT && real instanceof DeadlockException d) {
                        boolean own = true;
                        for (int t : p.ops()[c][i].targets()) {
                            Future<Object> tf = run.futures.get(t);
                            own &= tf == null || tf.state() != java.util.concurrent.Future.State.FAILED || tf.exceptionNow() != d;
                        }
                        trace.add("c" + c + " wait " + i + (own ? " detected" : " got a detection from result()"));
                    }
                }
            }
            return detected;
        } catch (AssertionError | Exception e) {
            run.abort();
            throw new AssertionError("seed " + seed + ": " + e.getMessage() + "\nprogram:\n" + p + "steps:\n  "
                    + String.join("\n  ", trace), e);
        }
    }

    private static String describe(Object real) {
        return real instanceof Throwable t ? "threw " + t : "returned";
    }

    @Test
    @DisplayName("Random programs over 1-3 executors of 1-3 workers: the detector fails exactly the waits that can never end, and only in programs that cannot finish")
    void randomPrograms() throws Exception {
        int programs = Integer.getInteger("deadlock.model.programs", 10_000);
        long seed = Long.getLong("deadlock.model.seed", System.nanoTime());
        System.out.println("DeadlockModelTest: " + programs + " programs from seed " + seed
                + " (rerun with -Ddeadlock.model.seed=" + seed + ")");
        Random seeds = new Random(seed);
        int cannotFinish = 0;
        int detections = 0;
        long start = System.nanoTime();
        for (int k = 0; k < programs; k++) {
            long s = seeds.nextLong();
            Program p = generate(new Random(s));
            boolean finishes = new Sim(p, false).runsToEnd();
            int d = check(p, s);
            if (finishes != (d == 0)) {
                throw new AssertionError("seed " + s + " (run seed " + seed + "): the program "
                        + (finishes ? "can finish, yet " + d + " deadlock(s) were detected" : "cannot finish, yet nothing was detected")
                        + "\nprogram:\n" + p);
            }
            cannotFinish += finishes ? 0 : 1;
            detections += d;
        }
        System.out.printf("DeadlockModelTest: %d programs, %d cannot finish, %d deadlocks detected, %d blocked waits"
                + " rightly let through, 0 false positives, %d ms%n", programs, cannotFinish, detections, blockedWaits,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        assertTrue(cannotFinish > programs / 20, "the generator makes deadlocks often enough to mean something: " + cannotFinish);
    }
}
