package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Futures#wait} with each {@link ReturnWhen}, and {@link Futures#asCompleted}, over random
 * mixes of pending, running, finished, failed and cancelled futures (with duplicates), some of
 * them completed by another thread during the wait, checked against the partition the reference
 * defines.
 *
 * <p>Only cases whose answer does not depend on timing are generated: a late completion happens
 * only where the wait cannot have returned before it (the completer completes late futures one by
 * one, each after the waiter's listener is on it, and stops where the wait's condition becomes
 * true); a zero timeout is used only where no late completion exists; otherwise there is no
 * timeout, since the wait must end by itself.
 */
@Timeout(120)
class WaitProperties {
    private static final int CASES = 1_000;
    /** How many cases had completions during the wait, and how many were asCompleted: printed, to show the mix. */
    private static final java.util.concurrent.atomic.AtomicInteger withLate = new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.concurrent.atomic.AtomicInteger ofAsCompleted = new java.util.concurrent.atomic.AtomicInteger();

    enum Kind { PENDING, RUNNING, FINISHED, FAILED, CANCELLED }

    /** How a late future completes, from another thread, during the wait. */
    enum Late { RESULT, EXCEPTION, CANCEL }

    /**
     * One future of a case: its state before the wait, and how (if at all) it completes during it.
     * {@code late} is null for a future that stays as it is.
     */
    record Spec(int id, Kind kind, Late late) {
        boolean doneBefore() {
            return kind == Kind.FINISHED || kind == Kind.FAILED || kind == Kind.CANCELLED;
        }

        @Override
        public String toString() {
            return "f" + id + " = " + kind.name().toLowerCase() + (late == null ? "" : ", then " + late.name().toLowerCase() + " during the wait");
        }
    }

    /** A case: the futures, the order they are passed in (with duplicates), and the call. */
    record Case(List<Spec> specs, List<Integer> passed, ReturnWhen when, boolean asCompleted) {}

    // ------------------------------------------------------------------ generation

    /**
     * Steps are futures; the call and the argument order are drawn from the same random source
     * when the case is run, so a shrunk list of futures is still a valid case.
     */
    static List<Spec> generate(SplittableRandom r) {
        int n = 1 + r.nextInt(6);
        List<Spec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Kind kind = Kind.values()[r.nextInt(Kind.values().length)];
            Late late = null;
            if (!isDone(kind) && r.nextInt(3) > 0) {
                late = kind == Kind.RUNNING ? (r.nextBoolean() ? Late.RESULT : Late.EXCEPTION)
                        : Late.values()[r.nextInt(Late.values().length)];
            }
            specs.add(new Spec(i, kind, late));
        }
        return specs;
    }

    private static boolean isDone(Kind k) {
        return k == Kind.FINISHED || k == Kind.FAILED || k == Kind.CANCELLED;
    }

    // ------------------------------------------------------------------ running a case

    private static Future<Integer> make(Spec s) {
        Future<Integer> f = new Future<>();
        switch (s.kind()) {
            case PENDING -> {}
            case RUNNING -> f.setRunningOrNotifyCancel();
            case FINISHED -> f.setResult(s.id());
            case FAILED -> f.setException(new IllegalStateException("f" + s.id()));
            case CANCELLED -> f.cancel();
        }
        return f;
    }

    private static void completeLate(Future<Integer> f, Spec s) {
        switch (s.late()) {
            case RESULT -> f.setResult(s.id());
            case EXCEPTION -> f.setException(new IllegalStateException("late f" + s.id()));
            case CANCEL -> assertTrue(f.cancel());
        }
    }

    /**
     * Which late futures the completer completes, in order, so that the answer cannot depend on
     * timing: it stops where the wait's condition becomes true, and completes none where the wait
     * may return before them.
     */
    static List<Spec> lateOrder(List<Spec> specs, ReturnWhen when, boolean asCompleted) {
        List<Spec> late = specs.stream().filter(s -> s.late() != null).toList();
        boolean stuck = specs.stream().anyMatch(s -> !s.doneBefore() && s.late() == null);
        if (asCompleted) {
            return stuck ? List.of() : late;
        }
        boolean anyDone = specs.stream().anyMatch(Spec::doneBefore);
        boolean anyFailed = specs.stream().anyMatch(s -> s.kind() == Kind.FAILED);
        switch (when) {
            case FIRST_COMPLETED -> {
                return anyDone || late.isEmpty() ? List.of() : late.subList(0, 1);
            }
            case FIRST_EXCEPTION -> {
                if (anyFailed) {
                    return List.of();
                }
                for (int i = 0; i < late.size(); i++) {
                    if (late.get(i).late() == Late.EXCEPTION) {
                        return late.subList(0, i + 1);
                    }
                }
                return stuck ? List.of() : late;
            }
            default -> {
                return stuck ? List.of() : late;
            }
        }
    }

    /** Runs one case, drawing the call from {@code r}. */
    static void run(List<Spec> specs, SplittableRandom r) {
        if (specs.isEmpty()) {
            return;
        }
        ReturnWhen when = ReturnWhen.values()[r.nextInt(3)];
        boolean asCompleted = r.nextInt(4) == 0;
        List<Future<Integer>> futures = specs.stream().map(WaitProperties::make).toList();
        List<Future<Integer>> passed = new ArrayList<>(futures);
        for (int extra = r.nextInt(4); extra > 0; extra--) { // duplicates
            passed.add(futures.get(r.nextInt(futures.size())));
        }
        java.util.Collections.shuffle(passed, new java.util.Random(r.nextLong()));
        List<Spec> late = lateOrder(specs, when, asCompleted);
        Thread completer = null;
        List<Integer> completionOrder = new java.util.concurrent.CopyOnWriteArrayList<>();
        if (asCompleted) {
            ofAsCompleted.incrementAndGet();
        }
        if (!late.isEmpty()) {
            withLate.incrementAndGet();
            completer = new Thread(() -> {
                for (Spec s : late) {
                    Future<Integer> f = futures.get(specs.indexOf(s));
                    awaitWatched(f);
                    completionOrder.add(specs.indexOf(s));
                    completeLate(f, s);
                }
            }, "late-completer");
            completer.setDaemon(true);
            completer.start();
        }
        boolean stuckOrUnfinished = specs.stream().anyMatch(s -> !s.doneBefore() && !late.contains(s));
        Duration timeout = late.isEmpty() && stuckOrUnfinished ? Duration.ZERO : Futures.NO_TIMEOUT;
        try {
            if (asCompleted) {
                checkAsCompleted(specs, futures, passed, late, timeout, completionOrder);
            } else {
                checkWait(specs, futures, passed, late, when, timeout);
            }
            if (completer != null) {
                completer.join(20_000);
                assertFalse(completer.isAlive(), "the completer never saw the wait's listener");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            for (Future<Integer> f : futures) { // leave nothing pending behind
                f.cancel();
                if (f.running()) {
                    f.setResult(-1);
                }
            }
        }
    }

    /** Waits until a wait or asCompleted has its listener on {@code f} (a condition, 10 s guard). */
    private static void awaitWatched(Future<?> f) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (f.listenerCount() == 0 && System.nanoTime() < deadline) {
            Thread.yield();
        }
    }

    private static void checkWait(List<Spec> specs, List<Future<Integer>> futures, List<Future<Integer>> passed,
            List<Spec> late, ReturnWhen when, Duration timeout) {
        DoneAndNotDone<Future<Integer>> r = Futures.wait(passed, timeout, when);
        Set<Future<Integer>> expectedDone = new LinkedHashSet<>();
        Set<Future<Integer>> expectedNotDone = new LinkedHashSet<>();
        for (Future<Integer> f : passed) {
            Spec s = specs.get(futures.indexOf(f));
            (s.doneBefore() || late.contains(s) ? expectedDone : expectedNotDone).add(f);
        }
        assertEquals(List.copyOf(expectedDone), List.copyOf(r.done()),
                when + ": done = the futures that completed (finished or were cancelled), each once, in the order given");
        assertEquals(List.copyOf(expectedNotDone), List.copyOf(r.notDone()), when + ": not_done = the uncompleted futures");
        for (Future<Integer> f : r.notDone()) {
            assertEquals(0, f.listenerCount(), "wait left a waiter on a future it no longer watches");
        }
    }

    private static void checkAsCompleted(List<Spec> specs, List<Future<Integer>> futures, List<Future<Integer>> passed,
            List<Spec> late, Duration timeout, List<Integer> completionOrder) {
        Iterator<Future<Integer>> it = Futures.asCompleted(passed, timeout).iterator();
        List<Future<Integer>> expectedFirst = new ArrayList<>();
        for (Future<Integer> f : passed) {
            if (specs.get(futures.indexOf(f)).doneBefore() && !expectedFirst.contains(f)) {
                expectedFirst.add(f);
            }
        }
        List<Future<Integer>> got = new ArrayList<>();
        WaitTimeoutException timedOut = null;
        try {
            while (it.hasNext()) {
                got.add(it.next());
            }
        } catch (WaitTimeoutException e) {
            timedOut = e;
        }
        int distinct = new LinkedHashSet<>(passed).size();
        assertEquals(expectedFirst, got.subList(0, Math.min(got.size(), expectedFirst.size())),
                "futures that completed before as_completed is called are yielded first, in the order given");
        List<Future<Integer>> lateExpected = completionOrder.stream().map(futures::get).toList();
        assertEquals(lateExpected, got.subList(Math.min(got.size(), expectedFirst.size()), got.size()),
                "then the others as they complete");
        assertEquals(got.size(), new LinkedHashSet<>(got).size(), "duplicated futures are returned once");
        int unfinished = distinct - expectedFirst.size() - late.size();
        if (unfinished > 0) {
            assertTrue(timedOut != null, "a zero timeout with unfinished futures raises TimeoutError");
            assertEquals(unfinished + " (of " + distinct + ") futures unfinished", timedOut.getMessage());
            assertFalse(it.hasNext(), "iteration ends after the timeout");
        } else {
            assertEquals(null, timedOut);
            assertEquals(distinct, got.size());
        }
        assertThrows(java.util.NoSuchElementException.class, it::next);
        for (Future<Integer> f : futures) {
            assertEquals(0, f.listenerCount(), "as_completed left a waiter behind after iteration ended: " + f);
        }
    }

    @Test
    @DisplayName("wait returns the done and not_done sets the reference defines for each return_when, and as_completed yields done-first then as they complete, each once, for random mixes of pending, running, finished, failed and cancelled futures with duplicates")
    void waitAndAsCompletedPartition() {
        PropertyRunner.check("wait/as_completed return the partition of the reference", CASES,
                r -> withCall(generate(r), r.nextLong()),
                steps -> {
                    List<Spec> specs = steps.stream().filter(Spec.class::isInstance).map(Spec.class::cast).toList();
                    long callSeed = steps.stream().filter(CallSeed.class::isInstance).map(CallSeed.class::cast)
                            .mapToLong(CallSeed::seed).findFirst()
                            .orElseThrow(() -> new PropertyRunner.Invalid("a case needs its call"));
                    run(specs, new SplittableRandom(callSeed));
                });
        System.out.println("  of which with completions during the wait: " + withLate.get() + ", asCompleted: " + ofAsCompleted.get()
                + " (counts include shrinking runs, if any)");
    }

    /** The last step of a case: the seed of its call (ReturnWhen, duplicates, order). */
    record CallSeed(long seed) {
        @Override
        public String toString() {
            SplittableRandom r = new SplittableRandom(seed);
            ReturnWhen when = ReturnWhen.values()[r.nextInt(3)];
            return (r.nextInt(4) == 0 ? "asCompleted" : "wait(" + when + ")") + " over fs with duplicates (call seed " + seed + ")";
        }
    }

    private static List<Object> withCall(List<Spec> specs, long callSeed) {
        List<Object> steps = new ArrayList<>(specs);
        steps.add(new CallSeed(callSeed));
        return steps;
    }
}
