package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The storage behind {@code wait} and {@code asCompleted} ({@link FutureSet}: its {@code Chunks},
 * its {@code Index}, the marks and their wrap-around) over sizes drawn to cross every threshold
 * of that storage: the first chunk's minimum of 8, the index's minimum of 16 (32 slots), the chunk
 * size of 16,384 and twice that. Each case is a list of futures passed in (with duplicates, some
 * done), checked against a model: the first occurrences in order, and how many are done.
 */
@Timeout(300)
class FutureSetProperties {
    private static final int CASES = 60;
    /** Sizes on both sides of each threshold of the storage. */
    private static final int[] EDGES = {1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65,
            FutureSet.CHUNK - 1, FutureSet.CHUNK, FutureSet.CHUNK + 1, 2 * FutureSet.CHUNK - 1, 2 * FutureSet.CHUNK,
            2 * FutureSet.CHUNK + 1};

    /** One position of the input: which future (an index into the distinct ones), and whether that future is done. */
    record Ref(int future, boolean done) {
        @Override
        public String toString() {
            return "f" + future + (done ? " (done)" : "");
        }
    }

    static List<Ref> generate(SplittableRandom r) {
        int n = r.nextInt(4) == 0 ? 1 + r.nextInt(100) : EDGES[r.nextInt(EDGES.length)];
        // distinct futures: all of them, or about half, or a few (many duplicates)
        int distinct = switch (r.nextInt(3)) {
            case 0 -> n;
            case 1 -> Math.max(1, n / 2);
            default -> Math.max(1, Math.min(n, 1 + r.nextInt(10)));
        };
        boolean[] done = new boolean[distinct];
        int doneShare = r.nextInt(3); // none, some, all done
        for (int i = 0; i < distinct; i++) {
            done[i] = doneShare == 2 || (doneShare == 1 && r.nextBoolean());
        }
        List<Ref> refs = new ArrayList<>(n);
        int introduced = 0;
        for (int i = 0; i < n; i++) {
            int left = n - i;
            int f;
            if (introduced < distinct && (left <= distinct - introduced || r.nextBoolean())) {
                f = introduced++; // a new one (so every distinct future appears)
            } else {
                f = r.nextInt(Math.max(1, introduced));
            }
            refs.add(new Ref(f, done[f]));
        }
        return refs;
    }

    static void check(List<Ref> refs, SplittableRandom r) {
        Map<Integer, Future<Integer>> byId = new java.util.HashMap<>();
        List<Future<Integer>> input = new ArrayList<>(refs.size());
        for (Ref ref : refs) {
            Future<Integer> f = byId.computeIfAbsent(ref.future(), id -> {
                Future<Integer> g = new Future<>();
                if (ref.done()) {
                    g.setResult(id);
                }
                return g;
            });
            input.add(f);
        }
        // the model: first occurrences, in order
        Map<Future<Integer>, Boolean> seen = new IdentityHashMap<>();
        List<Future<Integer>> order = new ArrayList<>();
        int doneCount = 0;
        for (Future<Integer> f : input) {
            if (seen.put(f, Boolean.TRUE) == null) {
                order.add(f);
                if (f.done()) {
                    doneCount++;
                }
            }
        }
        if (r.nextInt(4) == 0) {
            FutureSet.lastCallForTests(r.nextInt(), true); // as after a wrap-around: right whatever the futures carry
        }
        checkSet("distinct", FutureSet.distinct(input), order, doneCount);
        checkSet("distinctByIndex", FutureSet.distinctByIndex(input), order, doneCount);
        checkChunks(order);

        List<Future<Integer>> done = order.stream().filter(Future::done).toList();
        List<Future<Integer>> notDone = order.stream().filter(f -> !f.done()).toList();
        DoneAndNotDone<Future<Integer>> w = Futures.wait(input, Duration.ZERO);
        assertEquals(done, new ArrayList<>(w.done()), "wait's done, in order");
        assertEquals(notDone, new ArrayList<>(w.notDone()), "wait's not done, in order");

        Iterator<Future<Integer>> it = Futures.asCompleted(input, Duration.ZERO).iterator();
        for (Future<Integer> f : done) {
            assertSame(f, it.next(), "asCompleted returns the done futures first, in input order");
        }
        if (notDone.isEmpty()) {
            assertFalse(it.hasNext());
        } else {
            assertThrows(WaitTimeoutException.class, it::next);
        }
        // completing the rest one by one: asCompleted returns each once, as it completes
        if (!notDone.isEmpty() && notDone.size() <= 40) {
            Iterator<Future<Integer>> later = Futures.asCompleted(input, Duration.ofSeconds(30)).iterator();
            for (Future<Integer> f : done) {
                assertSame(f, later.next());
            }
            for (int k = notDone.size() - 1; k >= 0; k--) {
                Future<Integer> f = notDone.get(k);
                f.setResult(k);
                assertSame(f, later.next(), "the one just completed");
            }
            assertFalse(later.hasNext());
        }
    }

    private static void checkSet(String how, FutureSet<Future<Integer>> s, List<Future<Integer>> order, int doneCount) {
        assertEquals(order.size(), s.size(), how + ": size");
        assertEquals(doneCount, s.doneWhenBuilt(), how + ": done count");
        int k = 0;
        for (Future<Integer> f : s) {
            assertSame(order.get(k), f, how + ": element " + k);
            assertSame(f, s.get(k), how + ": get(" + k + ")");
            k++;
        }
        assertEquals(order.size(), k, how + ": iterated");
        for (Future<Integer> f : order) {
            assertTrue(s.contains(f), how + ": contains");
        }
        assertFalse(s.contains(new Future<Integer>()), how + ": contains a stranger");
        assertThrows(IndexOutOfBoundsException.class, () -> s.get(order.size()));
    }

    private static void checkChunks(List<Future<Integer>> order) {
        for (int expected : new int[] {0, order.size()}) {
            FutureSet.Chunks c = new FutureSet.Chunks(expected);
            for (Future<Integer> f : order) {
                c.add(f);
            }
            assertEquals(order.size(), c.size(), "chunks sized for " + expected);
            for (int k = 0; k < order.size(); k++) {
                assertSame(order.get(k), c.get(k), "chunks sized for " + expected + ": element " + k);
            }
            FutureSet.Index index = new FutureSet.Index(expected);
            for (Future<Integer> f : order) {
                assertTrue(index.add(f), "index: first add");
            }
            for (Future<Integer> f : order) {
                assertFalse(index.add(f), "index: second add");
                assertTrue(index.contains(f), "index: contains");
            }
            assertFalse(index.contains(new Future<Integer>()), "index: a stranger");
        }
    }

    @Test
    @DisplayName("FutureSet, wait and asCompleted keep the first occurrence of each future, in order, and count the done ones, at sizes crossing 8, 16, 32, 16,384 and 32,768")
    void storageAcrossThresholds() {
        PropertyRunner.check("storage across the thresholds", CASES, FutureSetProperties::generate,
                refs -> check(refs, new SplittableRandom(refs.size() * 31L + refs.hashCode())));
    }
}
