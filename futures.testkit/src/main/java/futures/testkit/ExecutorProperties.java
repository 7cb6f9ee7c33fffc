package futures.testkit;

import futures.core.DoneAndNotDone;
import futures.core.Executor;
import futures.core.Future;
import futures.core.Futures;
import futures.core.MapIterator;
import futures.core.ReturnWhen;
import futures.core.WaitTimeoutException;
import futures.spi.ExecutorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * The engine of {@link ExecutorPropertySuite}: random programs run against an executor and a
 * model of what Python's documentation promises, seeded, with the failing program shrunk.
 *
 * <p>A program is a number of workers and a list of steps: submit a call (one that returns a
 * value, one that throws, one that waits at a {@link Gate} until the program lets it through),
 * cancel a future, add a done callback, let the oldest waiting call through, ask a future for its
 * result, {@code wait} with each {@link ReturnWhen}, {@code asCompleted}, {@code map}, and
 * {@code shutdown(false, cancelFutures)}. Steps name futures by position, so any sub-list of
 * steps is a program too, which is what shrinking needs.
 *
 * <p>The model keeps only facts that do not depend on timing: which futures are surely done (the
 * program saw them done, or cancelled them), which surely cannot be (a call held at the gate), which
 * calls surely started (they arrived at the gate). It never assumes how fast a call runs. At most
 * {@code workers - 1} calls are held at once, so some worker is always free and every call that
 * is not held finishes by itself. After the steps the gate lets everything through and the
 * executor is shut down with {@code wait=true}; then every future must be done, every call that
 * was not cancelled must have run exactly once and every cancelled one never, each outcome must be
 * the call's, and every callback must have run exactly once, with its future; those one thread
 * ran, in the order added.
 */
final class ExecutorProperties {
    private ExecutorProperties() {}

    /** What a run may take; the defaults come from the suite's hooks. */
    record Settings(int cases, int maxWorkers, int maxSteps, boolean asyncTasks, Duration hangGuard, Duration shrinkTime) {}

    enum Op { VALUE, FAIL, HELD, CANCEL, CALLBACK, RELEASE, RESULT, WAIT, AS_COMPLETED, MAP, SHUTDOWN }

    /** One step; {@code a} and {@code b} pick futures, subsets and variants, read modulo what exists. */
    record Step(Op op, int a, int b) {
        @Override
        public String toString() {
            return op.name().toLowerCase() + "(" + a + ", " + b + ")";
        }
    }

    /** A program: the executor's workers and the steps. */
    record Program(int workers, List<Step> steps) {}

    // ------------------------------------------------------------------ generation

    private static final Op[] WEIGHTED = {
        Op.VALUE, Op.VALUE, Op.VALUE, Op.FAIL, Op.FAIL, Op.HELD, Op.HELD, Op.HELD,
        Op.CANCEL, Op.CANCEL, Op.CALLBACK, Op.CALLBACK, Op.RELEASE, Op.RELEASE,
        Op.RESULT, Op.RESULT, Op.WAIT, Op.WAIT, Op.AS_COMPLETED, Op.MAP,
    };

    static Program generate(SplittableRandom r, Settings s) {
        int workers = 1 + r.nextInt(s.maxWorkers());
        int n = 1 + r.nextInt(s.maxSteps());
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            steps.add(new Step(WEIGHTED[r.nextInt(WEIGHTED.length)], r.nextInt(1 << 10), r.nextInt(1 << 10)));
        }
        if (r.nextInt(3) == 0) { // a third of the programs shut down part-way, and go on submitting
            steps.add(r.nextInt(steps.size() + 1), new Step(Op.SHUTDOWN, r.nextInt(2), 0));
        }
        return new Program(workers, steps);
    }

    // ------------------------------------------------------------------ running and checking

    /**
     * Runs {@code s.cases()} random programs (or {@code -Dfutures.cases}); on the first failure,
     * shrinks it and throws an {@link AssertionError} with the seed and the shrunk program.
     */
    static void check(String name, Function<ExecutorConfig, Executor> factory, Settings s) {
        long seed = seed();
        SplittableRandom master = new SplittableRandom(seed);
        int n = Integer.getInteger("futures.cases", s.cases());
        for (int i = 0; i < n; i++) {
            Program program = generate(master.split(), s);
            Failure failure = run(program, factory, s);
            if (failure == null) {
                continue;
            }
            Program small = shrink(program, factory, s);
            Failure smallFailure = small == program ? failure : null;
            // a flaw that shows only in some interleavings may need a few runs to show again
            for (int attempt = 0; attempt < 10 && smallFailure == null; attempt++) {
                smallFailure = run(small, factory, s);
            }
            if (smallFailure == null) { // passed when re-run: report the original
                small = program;
                smallFailure = failure;
            }
            StringBuilder msg = new StringBuilder()
                    .append("Property failed: ").append(name).append('\n')
                    .append("  seed ").append(seed).append(", case ").append(i + 1).append(" of ").append(n)
                    .append(" (re-run: -Dfutures.seed=").append(seed).append(")\n")
                    .append("  ").append(program.steps().size()).append(" steps, shrunk to ")
                    .append(small.steps().size()).append("; the program, as run, with max_workers=")
                    .append(small.workers()).append(":\n");
            for (String line : smallFailure.trace()) {
                msg.append("    ").append(line).append('\n');
            }
            msg.append("  error: ").append(smallFailure.error().getMessage());
            System.err.println(msg);
            throw new AssertionError(msg.toString(), smallFailure.error());
        }
        System.out.println("Property passed: " + name + ": " + n + " programs (seed " + seed + ")");
    }

    /** The master seed: {@code -Dfutures.seed=N} if given, else a fresh random one. */
    static long seed() {
        String s = System.getProperty("futures.seed");
        if (s != null && !s.isBlank()) {
            return Long.parseLong(s.strip());
        }
        return new SplittableRandom().nextLong();
    }

    /** A failed run: what went wrong, and the program's lines as they ran up to there. */
    record Failure(Throwable error, List<String> trace) {}

    /** Drops chunks of steps, largest first, while the program still fails; bounded in time. */
    private static Program shrink(Program program, Function<ExecutorConfig, Executor> factory, Settings s) {
        long deadline = System.nanoTime() + s.shrinkTime().toNanos();
        List<Step> current = new ArrayList<>(program.steps());
        Program best = program;
        // fewer workers first: a smaller pool is a simpler program
        for (int w = 1; w < program.workers() && System.nanoTime() < deadline; w++) {
            Program candidate = new Program(w, current);
            if (run(candidate, factory, s) != null) {
                best = candidate;
                break;
            }
        }
        int chunk = Math.max(1, current.size() / 2);
        while (chunk >= 1 && System.nanoTime() < deadline) {
            boolean removed = false;
            for (int from = 0; from + chunk <= current.size() && System.nanoTime() < deadline; ) {
                List<Step> candidate = new ArrayList<>(current.subList(0, from));
                candidate.addAll(current.subList(from + chunk, current.size()));
                Program p = new Program(best.workers(), candidate);
                if (run(p, factory, s) != null) {
                    current = candidate;
                    best = p;
                    removed = true;
                } else {
                    from += chunk;
                }
            }
            if (!removed) {
                chunk /= 2;
            }
        }
        return best;
    }

    /** Runs one program; null if it behaved as the model says. */
    static Failure run(Program program, Function<ExecutorConfig, Executor> factory, Settings s) {
        Run run = new Run(program.workers(), s);
        try {
            run.start(factory);
            for (Step step : program.steps()) {
                run.step(step);
                run.checkKnownDone();
            }
            run.finish();
            return null;
        } catch (Throwable t) {
            return new Failure(t, List.copyOf(run.trace));
        } finally {
            run.cleanUp();
        }
    }

    /** A callback that ran, and the id of the thread that ran it. */
    private record Ran(int callback, long thread) {}

    /**
     * One future of a run and what the model knows of it. Invariants: the model's fields are
     * touched only by the test thread; {@code callbacksRun} is appended to by whichever thread runs
     * a callback, under its own monitor, which also wakes the test thread waiting for callbacks.
     */
    private static final class F {
        final int id;
        final Op kind;
        final int value;
        final Future<Integer> future;
        final List<Integer> callbacksAdded = new ArrayList<>();
        /** Each callback that ran, and the thread that ran it, in the order they ran. */
        final Queue<Ran> callbacksRun = new ConcurrentLinkedQueue<>();
        boolean cancelledByUs;
        boolean released;
        boolean knownDone;
        boolean maybeCancelled;

        F(int id, Op kind, int value, Future<Integer> future) {
            this.id = id;
            this.kind = kind;
            this.value = value;
            this.future = future;
        }

        String tag() {
            return "f" + id;
        }

        /** A held call the gate has not let through: it cannot finish until the program acts. */
        boolean blocked() {
            return kind == Op.HELD && !released && !cancelledByUs;
        }

        String call() {
            return switch (kind) {
                case VALUE -> "returns " + value;
                case FAIL -> "throws Boom(\"" + tag() + "\")";
                default -> "waits at the gate, then returns " + value;
            };
        }

        @Override
        public String toString() {
            return tag();
        }
    }

    /**
     * The state of one program's run. Only the test thread touches it, except
     * {@code callbackErrors} (a concurrent queue callbacks append to) and each future's
     * {@code callbacksRun}.
     */
    private static final class Run {
        final int workers;
        final Settings s;
        final List<String> trace = new ArrayList<>();
        final List<F> fs = new ArrayList<>();
        final Queue<String> callbackErrors = new ConcurrentLinkedQueue<>();
        Executor executor;
        Gate gate;
        boolean shut;
        int callbacks;

        Run(int workers, Settings s) {
            this.workers = workers;
            this.s = s;
        }

        void start(Function<ExecutorConfig, Executor> factory) {
            gate = Gate.open();
            executor = factory.apply(ExecutorConfig.builder().maxWorkers(workers).build());
        }

        private F pick(int a) {
            return fs.isEmpty() ? null : fs.get(a % fs.size());
        }

        private int held() {
            return (int) fs.stream().filter(F::blocked).count();
        }

        private boolean arrived(F f) {
            return gate.arrivals().contains(f.tag());
        }

        private static void fail(String message) {
            throw new AssertionError(message);
        }

        void step(Step step) {
            switch (step.op()) {
                case VALUE, FAIL, HELD -> submit(step);
                case CANCEL -> cancel(pick(step.a()));
                case CALLBACK -> callback(pick(step.a()));
                case RELEASE -> release();
                case RESULT -> result(pick(step.a()));
                case WAIT -> waitFor(subset(step.b()), ReturnWhen.values()[step.a() % 3]);
                case AS_COMPLETED -> asCompleted(subset(step.b()));
                case MAP -> map(step.a() % 5, step.b());
                case SHUTDOWN -> shutdown(step.a() % 2 == 1);
            }
        }

        void submit(Step step) {
            Op kind = step.op();
            if (kind == Op.HELD && (!s.asyncTasks() || held() >= workers - 1)) {
                kind = Op.VALUE; // keep a worker free, so every call that is not held can finish
            }
            int id = fs.size();
            int value = step.a();
            String tag = "f" + id;
            var task = switch (kind) {
                case VALUE -> PropertyTasks.value(gate.key(), tag, value);
                case FAIL -> PropertyTasks.fail(gate.key(), tag);
                default -> PropertyTasks.held(gate.key(), tag, value);
            };
            if (shut) {
                trace.add("submit(call that " + (kind == Op.FAIL ? "throws" : "returns " + value) + ") after shutdown");
                try {
                    executor.submit(task);
                } catch (RejectedExecutionException expected) {
                    trace.set(trace.size() - 1, trace.get(trace.size() - 1) + " -> RejectedExecutionException");
                    return;
                }
                fail("submit after shutdown was accepted; expected RejectedExecutionException");
            }
            F f = new F(id, kind, value, null);
            trace.add(tag + " = submit(call that " + f.call() + ")");
            fs.add(new F(id, kind, value, executor.submit(task)));
        }

        void cancel(F f) {
            if (f == null || shut) {
                return;
            }
            // a cancelled future stays cancelled, and cancel() says true again (Python's semantics)
            boolean started = (f.knownDone && !f.cancelledByUs) || arrived(f);
            if (f.kind == Op.HELD && arrived(f) && f.blocked() && !f.future.running()) {
                trace.add(f + ".running()");
                fail(f + "'s call is running (it arrived at the gate and is held there), but the future says " + f.future);
            }
            trace.add(f + ".cancel()");
            boolean cancelled = f.future.cancel();
            trace.set(trace.size() - 1, f + ".cancel() -> " + cancelled);
            if (f.cancelledByUs && !cancelled) {
                fail("cancel() returned false for " + f + ", which was cancelled before: " + f.future);
            }
            if (cancelled && started) {
                fail("cancel() returned true for " + f + ", whose call had already started or finished: " + f.future);
            }
            if (cancelled) {
                if (!f.future.cancelled() || !f.future.done()) {
                    fail("cancel() returned true but " + f + " is not cancelled and done: " + f.future);
                }
                f.cancelledByUs = true;
                f.knownDone = true;
            } else if (!f.future.running() && !f.future.done()) {
                fail("cancel() returned false but " + f + " is neither running nor done: " + f.future);
            }
        }

        void callback(F f) {
            if (f == null || shut) {
                return;
            }
            int id = callbacks++;
            boolean doneBefore = f.future.done();
            trace.add(f + ".addDoneCallback(c" + id + ")");
            f.callbacksAdded.add(id);
            Future<Integer> expected = f.future;
            f.future.addDoneCallback(g -> {
                if (g != expected) {
                    callbackErrors.add("callback c" + id + " of " + f + " was called with another future: " + g);
                }
                synchronized (f.callbacksRun) {
                    f.callbacksRun.add(new Ran(id, Thread.currentThread().threadId()));
                    f.callbacksRun.notifyAll();
                }
            });
            if (doneBefore && f.callbacksRun.stream().noneMatch(r -> r.callback() == id)) {
                fail("callback c" + id + " added to " + f + ", which was already done, did not run at once");
            }
        }

        void release() {
            if (shut) {
                return;
            }
            Set<String> candidates = new LinkedHashSet<>();
            fs.stream().filter(F::blocked).forEach(f -> candidates.add(f.tag()));
            if (candidates.isEmpty()) {
                return;
            }
            trace.add("let the oldest call waiting at the gate through");
            String first = gate.awaitFirstOf(candidates, s.hangGuard());
            if (!gate.releaseOldest()) {
                fail(first + " arrived at the gate but was not waiting there");
            }
            F f = fs.get(Integer.parseInt(first.substring(1)));
            f.released = true;
            trace.set(trace.size() - 1, "let the oldest call waiting at the gate through (" + f + ")");
            if (!f.future.running() && !f.future.done()) {
                fail(f + "'s call was running at the gate, but the future says " + f.future);
            }
        }

        void result(F f) {
            if (f == null || shut) {
                return;
            }
            if (f.blocked()) {
                trace.add(f + ".result(0 s)");
                try {
                    Integer v = f.future.result(Duration.ZERO);
                    fail(f + " returned " + v + " while its call was held at the gate");
                } catch (WaitTimeoutException expected) {
                    trace.set(trace.size() - 1, f + ".result(0 s) -> WaitTimeoutException");
                }
                return;
            }
            trace.add(f + ".result()");
            String got = outcome(f, s.hangGuard());
            trace.set(trace.size() - 1, f + ".result() -> " + got);
            String want = expected(f);
            if (!got.equals(want)) {
                fail(f + ".result() gave " + got + ", expected " + want + " (its call " + f.call() + ")");
            }
            f.knownDone = true;
        }

        /** What the future ended with, in words; waits at most {@code limit}. */
        private static String outcome(F f, Duration limit) {
            try {
                return "" + f.future.result(limit);
            } catch (CancellationException e) {
                return "CancellationException";
            } catch (WaitTimeoutException e) {
                throw new AssertionError(f + " was not done " + limit.toSeconds() + " s after the program asked"
                        + ", though nothing holds its call (the provider lost it?): " + f.future, e);
            } catch (Tasks.Boom e) {
                return "Boom(\"" + e.getMessage() + "\")";
            } catch (RuntimeException e) {
                return e.toString();
            }
        }

        private static String expected(F f) {
            if (f.cancelledByUs) {
                return "CancellationException";
            }
            return f.kind == Op.FAIL ? "Boom(\"" + f.tag() + "\")" : "" + f.value;
        }

        /** Futures picked by the bits of {@code bits}, with the lowest one given twice (a duplicate). */
        private List<F> subset(int bits) {
            List<F> out = new ArrayList<>();
            for (int i = 0; i < fs.size(); i++) {
                if ((bits >> (i % 10) & 1) == 1) {
                    out.add(fs.get(i));
                }
            }
            if (!out.isEmpty() && (bits & 1) == 1) {
                out.add(out.get(0));
            }
            return out;
        }

        void waitFor(List<F> sub, ReturnWhen when) {
            if (sub.isEmpty() || shut) {
                return;
            }
            boolean anyBlocked = sub.stream().anyMatch(F::blocked);
            boolean anyFree = sub.stream().anyMatch(f -> !f.blocked());
            boolean failsForSure = sub.stream().anyMatch(f -> f.kind == Op.FAIL && !f.cancelledByUs);
            boolean endsByItself = switch (when) {
                case ALL_COMPLETED -> !anyBlocked;
                case FIRST_COMPLETED -> anyFree;
                case FIRST_EXCEPTION -> !anyBlocked || failsForSure;
            };
            // A wait that should end by itself is still bounded, by the hang guard: a provider that
            // loses a call must fail the program, not hang it.
            Duration timeout = endsByItself ? s.hangGuard() : Duration.ZERO;
            String call = "wait(" + sub + ", " + (endsByItself ? "" : "timeout 0, ") + when + ")";
            trace.add(call);
            List<Future<Integer>> arg = sub.stream().map(f -> f.future).toList();
            DoneAndNotDone<Future<Integer>> r = Futures.wait(arg, timeout, when);
            if (endsByItself && !waitEnded(r, when)) {
                fail(call + " had not returned " + s.hangGuard().toSeconds() + " s later, though nothing holds"
                        + " the calls (the provider lost it?): not done " + r.notDone());
            }
            List<F> done = new ArrayList<>();
            List<F> notDone = new ArrayList<>();
            for (F f : new LinkedHashSet<>(sub)) {
                boolean inDone = r.done().contains(f.future);
                boolean inNotDone = r.notDone().contains(f.future);
                if (inDone == inNotDone) {
                    fail(call + ": " + f + " is in " + (inDone ? "both done and not_done" : "neither done nor not_done"));
                }
                (inDone ? done : notDone).add(f);
            }
            trace.set(trace.size() - 1, call + " -> done " + done + ", not done " + notDone);
            if (r.done().size() + r.notDone().size() != new LinkedHashSet<>(sub).size()) {
                fail(call + " returned futures it was not given: " + r.done() + " / " + r.notDone());
            }
            for (F f : done) {
                if (!f.future.done()) {
                    fail(call + " put " + f + " in done, but it is not: " + f.future);
                }
                if (f.blocked()) {
                    fail(call + " put " + f + " in done while its call was held at the gate");
                }
            }
            for (F f : notDone) {
                if (f.knownDone) {
                    fail(call + " put " + f + " in not_done, but it was done before the call: " + f.future);
                }
            }
            if (endsByItself) {
                switch (when) {
                    case ALL_COMPLETED -> {
                        if (!notDone.isEmpty()) {
                            fail(call + " returned with " + notDone + " not done");
                        }
                    }
                    case FIRST_COMPLETED -> {
                        if (done.isEmpty()) {
                            fail(call + " returned with nothing done");
                        }
                    }
                    case FIRST_EXCEPTION -> {
                        boolean raised = done.stream().anyMatch(f -> !f.future.cancelled() && f.future.exception() != null);
                        if (!notDone.isEmpty() && !raised) {
                            fail(call + " returned with " + notDone + " not done and no exception among " + done);
                        }
                    }
                }
            }
            done.forEach(f -> f.knownDone = true);
        }

        /** Whether {@code wait} returned because its condition was met, not because its timeout passed. */
        private static boolean waitEnded(DoneAndNotDone<Future<Integer>> r, ReturnWhen when) {
            return switch (when) {
                case ALL_COMPLETED -> r.notDone().isEmpty();
                case FIRST_COMPLETED -> !r.done().isEmpty();
                case FIRST_EXCEPTION -> r.notDone().isEmpty()
                        || r.done().stream().anyMatch(f -> !f.cancelled() && f.exception(Duration.ZERO) != null);
            };
        }

        void asCompleted(List<F> sub) {
            if (sub.isEmpty() || shut) {
                return;
            }
            boolean anyBlocked = sub.stream().anyMatch(F::blocked);
            Duration timeout = anyBlocked ? Duration.ofMillis(50) : s.hangGuard(); // bounded: see wait
            String call = "asCompleted(" + sub + (anyBlocked ? ", timeout 50 ms" : "") + ")";
            trace.add(call);
            List<Future<Integer>> arg = sub.stream().map(f -> f.future).toList();
            List<F> yielded = new ArrayList<>();
            boolean timedOut = false;
            try {
                for (Future<Integer> g : Futures.asCompleted(arg, timeout)) {
                    F f = sub.stream().filter(x -> x.future == g).findFirst().orElse(null);
                    if (f == null) {
                        fail(call + " yielded a future it was not given: " + g);
                    }
                    if (yielded.contains(f)) {
                        fail(call + " yielded " + f + " twice");
                    }
                    if (!g.done()) {
                        fail(call + " yielded " + f + " before it was done: " + g);
                    }
                    if (f.blocked()) {
                        fail(call + " yielded " + f + " while its call was held at the gate");
                    }
                    yielded.add(f);
                }
            } catch (WaitTimeoutException e) {
                timedOut = true;
            }
            trace.set(trace.size() - 1, call + " -> " + yielded + (timedOut ? ", then WaitTimeoutException" : ""));
            if (timedOut && !anyBlocked) {
                fail(call + " had not yielded every future " + s.hangGuard().toSeconds() + " s later, though nothing"
                        + " holds the calls (the provider lost it?): yielded " + yielded);
            }
            if (anyBlocked && !timedOut) {
                fail(call + " ended without a WaitTimeoutException, though a call was held at the gate");
            }
            if (!anyBlocked && yielded.size() != new LinkedHashSet<>(sub).size()) {
                fail(call + " yielded " + yielded + ", not every future once");
            }
            yielded.forEach(f -> f.knownDone = true);
        }

        void map(int n, int b) {
            int bad = b % (n + 1) == n ? -1 : b % (n + 1);
            List<Integer> items = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                items.add(i);
            }
            String call = "map(x -> x * x" + (bad >= 0 ? " (throws Boom at " + bad + ")" : "") + ", " + items + ")";
            trace.add(call);
            if (shut) {
                try {
                    executor.map(Tasks.squareFailingAt(bad), items).close();
                } catch (RejectedExecutionException expected) {
                    trace.set(trace.size() - 1, call + " after shutdown -> RejectedExecutionException");
                    return;
                }
                if (n > 0) { // Python's map submits nothing for no items, so nothing is rejected
                    fail(call + " after shutdown was accepted; expected RejectedExecutionException");
                }
                trace.set(trace.size() - 1, call + " after shutdown -> (no items, nothing submitted)");
                return;
            }
            List<String> got = new ArrayList<>();
            try (MapIterator<Integer> results = executor.map(Tasks.squareFailingAt(bad), items, s.hangGuard(), 1)) {
                for (int i = 0; i < n; i++) {
                    if (!results.hasNext()) {
                        fail(call + " ended after " + got);
                    }
                    try {
                        Integer v = results.next();
                        got.add("" + v);
                        if (i == bad || v != i * i) {
                            fail(call + " gave " + got + " (item " + i + " should have " + (i == bad ? "thrown Boom" : "been " + i * i) + ")");
                        }
                    } catch (Tasks.Boom e) {
                        got.add("Boom");
                        if (i != bad) {
                            fail(call + " threw Boom at item " + i);
                        }
                        break;
                    } catch (WaitTimeoutException e) {
                        throw new AssertionError(call + ": item " + i + " was not done " + s.hangGuard().toSeconds()
                                + " s after the call (the provider lost it?)", e);
                    }
                }
                if (bad < 0 && results.hasNext()) {
                    fail(call + " yields more than " + n + " results");
                }
            }
            trace.set(trace.size() - 1, call + " -> " + got);
        }

        void shutdown(boolean cancelFutures) {
            if (shut) {
                return;
            }
            trace.add("shutdown(wait=false, cancelFutures=" + cancelFutures + ")");
            executor.shutdown(false, cancelFutures);
            shut = true;
            if (cancelFutures) {
                for (F f : fs) {
                    if (!f.knownDone && !arrived(f)) {
                        f.maybeCancelled = true;
                    }
                }
            }
        }

        /** A future the program saw done stays done. */
        void checkKnownDone() {
            for (F f : fs) {
                if (f.knownDone && !f.future.done()) {
                    fail(f + " was done, and now is not: " + f.future);
                }
            }
            if (!callbackErrors.isEmpty()) {
                fail(String.join("; ", callbackErrors));
            }
        }

        /** Lets everything through, shuts down waiting, and checks every future, call and callback. */
        void finish() throws InterruptedException {
            gate.release();
            trace.add("(the gate lets every call through) shutdown(wait=true)");
            Thread t = Thread.ofPlatform().daemon().name("property-shutdown").start(() -> executor.shutdown(true));
            if (!t.join(s.hangGuard())) {
                fail("shutdown(wait=true) did not return within " + s.hangGuard().toSeconds() + " s");
            }
            List<String> arrivals = gate.arrivals();
            for (F f : fs) {
                int ran = Collections.frequency(arrivals, f.tag());
                if (!f.future.done()) {
                    fail(f + " is still " + (f.future.running() ? "RUNNING" : "PENDING") + " after shutdown(wait=true) returned: its call ran "
                            + ran + " time(s) and the provider never reported its outcome, so its "
                            + f.callbacksAdded.size() + " callback(s) never ran: " + f.future);
                }
                if (f.future.cancelled()) {
                    if (!f.cancelledByUs && !f.maybeCancelled) {
                        fail(f + " is cancelled, but nothing cancelled it: " + f.future);
                    }
                    if (ran != 0) {
                        fail(f + " is cancelled, but its call ran " + ran + " time(s)");
                    }
                } else {
                    if (f.cancelledByUs) {
                        fail(f + ".cancel() returned true, but the future ended " + f.future);
                    }
                    if (ran != 1) {
                        fail(f + "'s call ran " + ran + " times; expected once: " + f.future);
                    }
                    String got = outcome(f, Duration.ZERO);
                    if (!got.equals(expected(f))) {
                        fail(f + " ended with " + got + ", expected " + expected(f) + " (its call " + f.call() + ")");
                    }
                }
                awaitCallbacks(f, s.hangGuard());
                List<Integer> ranCallbacks = f.callbacksRun.stream().map(Ran::callback).toList();
                List<Long> ranBy = f.callbacksRun.stream().map(Ran::thread).toList();
                if (ranCallbacks.size() != f.callbacksAdded.size()
                        || !new java.util.HashSet<>(ranCallbacks).equals(new java.util.HashSet<>(f.callbacksAdded))) {
                    fail(f + "'s callbacks: added " + names(f.callbacksAdded) + ", ran " + names(ranCallbacks)
                            + " (each must run exactly once)");
                }
                // In the order added, among the callbacks one thread ran (the completing thread runs
                // those added before; one added once the future is done runs at once in the thread
                // that adds it, possibly before the completing thread is through: so in Python too).
                for (int i = 0; i < ranCallbacks.size(); i++) {
                    for (int j = i + 1; j < ranCallbacks.size(); j++) {
                        if (ranBy.get(i).equals(ranBy.get(j)) && ranCallbacks.get(i) > ranCallbacks.get(j)) {
                            fail(f + "'s callbacks: added " + names(f.callbacksAdded) + ", ran " + names(ranCallbacks)
                                    + ": c" + ranCallbacks.get(j) + " was added first but ran after c" + ranCallbacks.get(i)
                                    + " in the same thread");
                        }
                    }
                }
            }
            checkKnownDone();
        }

        /**
         * Waits, at most {@code limit}, until as many callbacks ran as were added: a pool may say
         * its items are done while the thread that completed the last one is still running its
         * callbacks (the future is done before its callbacks run, in Python too).
         */
        private static void awaitCallbacks(F f, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            synchronized (f.callbacksRun) {
                while (f.callbacksRun.size() < f.callbacksAdded.size()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return; // the check below says which never ran
                    }
                    f.callbacksRun.wait(Math.max(1, left / 1_000_000));
                }
            }
        }

        private static List<String> names(List<Integer> ids) {
            return ids.stream().map(i -> "c" + i).toList();
        }

        /** Never leaves a held call or a pending future behind, whatever happened. */
        void cleanUp() {
            if (gate != null) {
                gate.release();
            }
            for (F f : fs) {
                f.future.cancel(); // a future a broken provider never settled would hold up the JVM's exit
            }
            if (executor != null) {
                executor.shutdown(false, true);
            }
            if (gate != null) {
                gate.close();
            }
        }
    }
}
