package futures.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kotlin.Unit;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.lincheck.datastructures.CustomScenarioDSLKt;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code wait} and {@code asCompleted} de-duplicate with a mark on each future, which one call at
 * a time owns ({@link FutureSet#distinct}); a call made meanwhile de-duplicates by an index.
 * Lincheck's model checker runs such calls, and completions, in every interleaving it can reach:
 * each call must still report every future of {@code [a, b, a, c, b]} exactly once, in the order
 * first given, and leave no mark behind.
 */
public class WaitDedupLincheck {
    private final Future<Integer> a = new Future<>();
    private final Future<Integer> b = new Future<>();
    private final Future<Integer> c = new Future<>();
    private final List<Future<Integer>> given = List.of(a, b, a, c, b);
    private final List<Future<Integer>> distinct = List.of(a, b, c);

    /** Sizes of done + notDone; throws if a future is missing, doubled, or out of order. */
    @Operation
    public int waitReportsEachOnce() {
        DoneAndNotDone<Future<Integer>> r = Futures.wait(given, Duration.ZERO);
        checkOrder(new ArrayList<>(r.done()));
        checkOrder(new ArrayList<>(r.notDone()));
        List<Future<Integer>> all = new ArrayList<>(r.done());
        all.addAll(r.notDone());
        if (!all.containsAll(distinct)) {
            throw new AssertionError("a future is missing: " + r);
        }
        return all.size();
    }

    /** Futures yielded plus those reported unfinished; throws on a future yielded twice. */
    @Operation
    public int asCompletedReportsEachOnce() {
        List<Future<Integer>> seen = new ArrayList<>();
        try {
            for (Future<Integer> f : Futures.asCompleted(given, Duration.ZERO)) {
                if (seen.contains(f)) {
                    throw new AssertionError("yielded twice: " + f);
                }
                seen.add(f);
            }
            return seen.size();
        } catch (WaitTimeoutException e) {
            return seen.size() + Integer.parseInt(e.getMessage().split(" ")[0]);
        }
    }

    @Operation
    public void completeA() {
        a.setResult(1);
    }

    @Operation
    public void completeB() {
        b.setResult(2);
    }

    /** Once every call returned, the marks are free for the next call. */
    @Operation
    public boolean marksFree() {
        return FutureSet.marksFree();
    }

    private void checkOrder(List<Future<Integer>> side) {
        int last = -1;
        for (Future<Integer> f : side) {
            int at = distinct.indexOf(f);
            if (at <= last) {
                throw new AssertionError("out of order or doubled: " + side);
            }
            last = at;
        }
    }

    private static Actor actor(String name) {
        try {
            return new Actor(WaitDedupLincheck.class.getMethod(name), List.of());
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName("wait and asCompleted running at once over the same futures each report every future once, in order, and give every mark back")
    void concurrentDeduplication() {
        new ModelCheckingOptions()
                .iterations(0)
                .addCustomScenario(CustomScenarioDSLKt.scenario(s -> {
                    s.parallel(p -> {
                        p.thread(t -> {
                            t.add(actor("waitReportsEachOnce"));
                            t.add(actor("waitReportsEachOnce"));
                            return Unit.INSTANCE;
                        });
                        p.thread(t -> {
                            t.add(actor("asCompletedReportsEachOnce"));
                            t.add(actor("completeA"));
                            return Unit.INSTANCE;
                        });
                        p.thread(t -> {
                            t.add(actor("waitReportsEachOnce"));
                            t.add(actor("completeB"));
                            return Unit.INSTANCE;
                        });
                        return Unit.INSTANCE;
                    });
                    s.post(t -> {
                        t.add(actor("marksFree"));
                        return Unit.INSTANCE;
                    });
                    return Unit.INSTANCE;
                }))
                .invocationsPerIteration(Integer.getInteger("futures.lincheck.invocations", 150))
                .check(WaitDedupLincheck.class);
    }
}
