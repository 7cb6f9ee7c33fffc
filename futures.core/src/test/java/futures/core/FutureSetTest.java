package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The set behind wait's results and the de-duplication of wait and asCompleted, checked against
 * a {@code HashSet} and a list: order, identity, growth past its sizing, and no large array.
 */
class FutureSetTest {

    @Test
    @DisplayName("a FutureSet keeps the first occurrence of each future, in order, and answers contains like a HashSet")
    void matchesAModel() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 50; round++) {
            int distinct = 1 + random.nextInt(round < 40 ? 200 : 70_000);
            List<Future<Object>> pool = new ArrayList<>(distinct);
            for (int i = 0; i < distinct; i++) {
                pool.add(new Future<>());
            }
            Set<Future<Object>> model = new HashSet<>();
            List<Future<Object>> order = new ArrayList<>();
            List<Future<Object>> input = new ArrayList<>();
            for (int i = 0, adds = distinct * 2; i < adds; i++) {
                Future<Object> f = pool.get(random.nextInt(distinct));
                input.add(f);
                if (model.add(f)) {
                    order.add(f);
                }
            }
            // every way of de-duplicating: the marks before the numbers wrap around (the usual one), the
            // marks after (a duplicate makes the call index the futures), and the index alone (while
            // another call owns the marks); the futures are new, so no number given before is in them
            FutureSet<Future<Object>> set;
            if (round % 3 == 2) {
                set = FutureSet.distinctByIndex(input);
            } else {
                FutureSet.lastCallForTests(round, round % 3 == 1);
                set = FutureSet.distinct(input);
                FutureSet.lastCallForTests(round, true); // as after a wrap-around: right whatever the futures carry
            }
            assertEquals(order.size(), set.size(), "seed " + seed);
            assertTrue(order.equals(List.copyOf(set)), "seed " + seed + ": order or content differs");
            for (int k = 0; k < order.size(); k++) {
                assertTrue(order.get(k) == set.get(k), "seed " + seed);
            }
            for (Future<Object> f : pool) {
                assertEquals(model.contains(f), set.contains(f), "seed " + seed);
            }
            assertFalse(set.contains(new Future<>()));
            assertFalse(set.contains(null));
            assertFalse(set.contains("not a future"));
            assertEquals(model, set, "seed " + seed);
            assertEquals(set, model, "seed " + seed);
            assertEquals(model.hashCode(), set.hashCode(), "seed " + seed);
        }
    }

    @Test
    @DisplayName("a FutureSet is read-only through the Set interface")
    void readOnly() {
        Future<Object> f = new Future<>();
        FutureSet<Future<Object>> set = FutureSet.distinct(List.of(f));
        assertThrows(UnsupportedOperationException.class, () -> set.add(new Future<>()));
        assertThrows(UnsupportedOperationException.class, () -> set.remove(f));
        assertThrows(UnsupportedOperationException.class, set::clear);
        assertThrows(UnsupportedOperationException.class, () -> set.iterator().remove());
        assertThrows(UnsupportedOperationException.class, () -> set.removeIf(x -> true));
        assertEquals(1, set.size());
    }

    @Test
    @DisplayName("de-duplication frees the marks, also when a null element stops it, and what it left in the futures does not mislead the next call")
    void marksGivenBack() {
        for (boolean reused : new boolean[] {false, true}) { // before and after the numbers wrapped around
            Future<Object> a = new Future<>(), b = new Future<>();
            FutureSet.lastCallForTests(0, reused);
            try {
                assertEquals(List.of(a, b), List.copyOf(FutureSet.distinct(List.of(a, b, a))));
                List<Future<Object>> withNull = new ArrayList<>(List.of(a, b));
                withNull.add(null);
                assertThrows(NullPointerException.class, () -> FutureSet.distinct(withNull));
                assertTrue(FutureSet.marksFree(), "the marks stayed owned after the call ended");
                assertEquals(List.of(b, a), List.copyOf(FutureSet.distinct(List.of(b, a, b))),
                        "the call after the one stopped by null has a number of its own");
                assertEquals(List.of(a), List.copyOf(FutureSet.distinct(List.of(a))));
                assertEquals(List.of(b), List.copyOf(FutureSet.distinct(List.of(b, b))));
            } finally {
                FutureSet.lastCallForTests(0, true); // right whatever the futures carry
            }
        }
    }

    @Test
    @DisplayName("until the numbers wrap around, a future that carries the call's number is a duplicate; the wrap-around itself makes the calls after it tell a mark 2^32 - 1 calls old from a duplicate")
    void wrapAroundTurnsTheIndexOn() {
        Future<Object> old = new Future<>(), other = new Future<>();
        FutureSet.lastCallForTests(0, false);
        assertEquals(List.of(old, other), List.copyOf(FutureSet.distinct(List.of(old, other, old, other))));
        // old and other carry 1; the numbers 2 to 2^32 - 1 go to calls that meet neither
        FutureSet.lastCallForTests(-1, false);
        assertEquals(List.of(other, old), List.copyOf(FutureSet.distinct(List.of(other, old, other))),
                "the number after 2^32 - 1 is 1 again: other and old are met once each, not dropped");
        assertEquals(List.of(old, other), List.copyOf(FutureSet.distinct(List.of(old, other, other, old))));
        assertTrue(FutureSet.marksFree());
    }

    @Test
    @DisplayName("the calls' numbers wrap around past 2^32 - 1, skipping 0 (a new future's), and a future whose mark is as old as that is still met once, not dropped as a duplicate")
    void numbersWrapAround() {
        Future<Object> fresh = new Future<>(), old = new Future<>(), other = new Future<>();
        FutureSet.lastCallForTests(-2); // the next call is 2^32 - 1 as an unsigned number
        assertEquals(List.of(old), List.copyOf(FutureSet.distinct(List.of(old))));
        assertEquals(List.of(fresh, other), List.copyOf(FutureSet.distinct(List.of(fresh, other, fresh))),
                "after 2^32 - 1 comes 1, not 0: a new future (mark 0) is not taken for a duplicate");
        // 2^32 - 1 calls later, the number of the call that met `old` comes round again
        FutureSet.lastCallForTests(-2);
        assertEquals(List.of(old), List.copyOf(FutureSet.distinct(List.of(old))), "not dropped");
        FutureSet.lastCallForTests(-2);
        FutureSet<Future<Object>> set = FutureSet.distinct(List.of(other, old, other, fresh, old, fresh, other));
        assertEquals(List.of(other, old, fresh), List.copyOf(set), "met once each, duplicates dropped, in order");
        assertEquals(3, set.size());
        FutureSet.lastCallForTests(-2);
        Future<Object> born = new Future<>();
        assertEquals(List.of(born, fresh, old, other), List.copyOf(FutureSet.distinct(List.of(born, fresh, old, other))),
                "stale marks met after a new future, with no duplicate at all");
        assertTrue(FutureSet.marksFree());
    }

    @Test
    @DisplayName("the done count of a de-duplication counts each done future once, also one met after the first duplicate or whose mark is 2^32 - 1 calls old, so wait with no time to wait puts each future on its side")
    void doneCountedOnceOnEveryPath() {
        Future<Object> p = new Future<>(), q = new Future<>(), old = done(), d1 = done(), d2 = done();
        FutureSet.lastCallForTests(-2);
        FutureSet.distinct(List.of(old)); // old carries 2^32 - 1
        FutureSet.lastCallForTests(-2); // and so does the next call
        FutureSet<Future<Object>> set = FutureSet.distinct(List.of(p, d1, p, old, d1, d2, q, old, d2));
        assertEquals(List.of(p, d1, old, d2, q), List.copyOf(set));
        assertEquals(3, set.doneWhenBuilt(), "d1 before the first duplicate, old (stale) and d2 after it");
        FutureSet.lastCallForTests(-2);
        FutureSet.distinct(List.of(old));
        FutureSet.lastCallForTests(-2);
        // no time to wait: wait splits by the count distinct made, and a count of 0 puts all in notDone
        DoneAndNotDone<Future<Object>> r = Futures.wait(List.of(old, p, old), java.time.Duration.ZERO);
        assertEquals(List.of(old), List.copyOf(r.done()), "the future with the stale mark is done");
        assertEquals(List.of(p), List.copyOf(r.notDone()));
    }

    private static Future<Object> done() {
        Future<Object> f = new Future<>();
        f.setResult("done");
        return f;
    }

    @Test
    @DisplayName("de-duplication frees the marks also when the input's size() throws")
    void marksGivenBackWhenSizeThrows() {
        Future<Object> a = new Future<>();
        List<Future<Object>> input = new ArrayList<>(List.of(a)) {
            @Override
            public int size() {
                throw new IllegalStateException("size() failed");
            }
        };
        assertThrows(IllegalStateException.class, () -> FutureSet.distinct(input));
        assertTrue(FutureSet.marksFree(), "the marks stayed owned after the call ended");
        assertEquals(List.of(a), List.copyOf(FutureSet.distinct(List.of(a, a))));
    }

    @Test
    @DisplayName("a call made while another owns the marks (here from inside the input's iterator) de-duplicates by index; both get every future once, in order")
    void callWhileTheMarksAreOwned() {
        Future<Object> a = new Future<>(), b = new Future<>(), c = new Future<>();
        List<List<Future<Object>>> inner = new ArrayList<>();
        List<Future<Object>> input = new ArrayList<>() {
            @Override
            public java.util.Iterator<Future<Object>> iterator() {
                java.util.Iterator<Future<Object>> it = super.iterator();
                return new java.util.Iterator<>() {
                    int k;

                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Future<Object> next() {
                        if (k++ == 3) { // a and b are marked by the outer call now
                            inner.add(List.copyOf(FutureSet.distinct(List.of(b, c, a, b, c))));
                        }
                        return it.next();
                    }
                };
            }
        };
        input.addAll(List.of(a, b, a, c, a, b));
        FutureSet<Future<Object>> set = FutureSet.distinct(input);
        assertEquals(List.of(a, b, c), List.copyOf(set));
        assertEquals(List.of(List.of(b, c, a)), inner);
        assertTrue(FutureSet.marksFree());
        assertEquals(List.of(c, b, a), List.copyOf(FutureSet.distinct(List.of(c, b, c, a))));
    }

    @Test
    @DisplayName("a collection whose size() overstates (here Integer.MAX_VALUE) is de-duplicated by either path without sizing a table by it")
    void overstatedSize() throws ReflectiveOperationException {
        Future<Object> a = new Future<>(), b = new Future<>();
        java.util.Collection<Future<Object>> overstated = new java.util.AbstractCollection<>() {
            @Override
            public java.util.Iterator<Future<Object>> iterator() {
                return List.of(a, b, a).iterator();
            }

            @Override
            public int size() {
                return Integer.MAX_VALUE;
            }
        };
        assertEquals(List.of(a, b), List.copyOf(FutureSet.distinct(overstated)));
        FutureSet<Future<Object>> byIndex = FutureSet.distinctByIndex(overstated);
        assertEquals(List.of(a, b), List.copyOf(byIndex));
        Field index = FutureSet.class.getDeclaredField("index");
        index.setAccessible(true);
        Field capacity = FutureSet.Index.class.getDeclaredField("capacity");
        capacity.setAccessible(true);
        int slots = (int) capacity.get(index.get(byIndex));
        assertTrue(slots <= 2 * FutureSet.CHUNK, "an index of " + slots + " slots for 2 futures");
    }

    @Test
    @DisplayName("the index of a FutureSet of 300,000 futures and its order hold no array longer than 16K references (none is a G1 humongous object)")
    void noLargeArray() throws ReflectiveOperationException {
        int n = 300_000;
        List<Future<Object>> input = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            input.add(new Future<>());
        }
        FutureSet<Future<Object>> set = FutureSet.distinct(input);
        assertEquals(n, set.size());
        assertTrue(set.contains(input.get(n - 1))); // builds the index
        Field index = FutureSet.class.getDeclaredField("index");
        index.setAccessible(true);
        Field table = FutureSet.Index.class.getDeclaredField("table");
        table.setAccessible(true);
        assertNoArrayAbove((Object[][]) table.get(index.get(set)), FutureSet.CHUNK);
        Field order = FutureSet.class.getDeclaredField("order");
        order.setAccessible(true);
        Field chunks = FutureSet.Chunks.class.getDeclaredField("chunks");
        chunks.setAccessible(true);
        assertNoArrayAbove((Object[][]) chunks.get(order.get(set)), FutureSet.CHUNK);
    }

    @Test
    @DisplayName("an Index grown far past its sizing still finds every element and nothing else")
    void indexGrows() {
        FutureSet.Index index = new FutureSet.Index(0);
        List<Object> all = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            Object o = new Object();
            all.add(o);
            assertTrue(index.add(o));
        }
        for (Object o : all) {
            assertFalse(index.add(o));
            assertTrue(index.contains(o));
        }
        assertFalse(index.contains(new Object()));
    }

    @Test
    @DisplayName("notDone passed back to wait, Python's loop, is taken as it is: its futures are distinct already")
    void notDoneBackToWait() {
        Future<Object> a = new Future<>(), b = new Future<>();
        DoneAndNotDone<Future<Object>> first = Futures.wait(List.of(a, b, a), java.time.Duration.ZERO);
        assertTrue(FutureSet.distinct(first.notDone()) == first.notDone());
        a.setResult(1);
        DoneAndNotDone<Future<Object>> second = Futures.wait(first.notDone(), ReturnWhen.FIRST_COMPLETED);
        assertEquals(List.of(a), List.copyOf(second.done()));
        assertEquals(List.of(b), List.copyOf(second.notDone()));
    }

    @Test
    @DisplayName("calls de-duplicating the same futures at the same time each get every future once, in order")
    void concurrentCalls() throws Exception {
        int threads = 4;
        List<Future<Object>> pool = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            pool.add(new Future<>());
        }
        List<Future<Object>> input = new ArrayList<>(pool);
        input.addAll(pool.reversed());
        input.addAll(pool);
        java.util.concurrent.ExecutorService es = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 200; round++) {
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
                List<java.util.concurrent.Future<List<Future<Object>>>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    results.add(es.submit(() -> {
                        start.await();
                        return List.copyOf(FutureSet.distinct(input));
                    }));
                }
                for (java.util.concurrent.Future<List<Future<Object>>> r : results) {
                    List<Future<Object>> got = r.get(30, java.util.concurrent.TimeUnit.SECONDS);
                    assertTrue(pool.equals(got), "round " + round + ": " + got.size() + " futures, not the 500 given, in order");
                }
            }
        } finally {
            es.shutdownNow();
        }
        assertTrue(FutureSet.marksFree());
        assertTrue(pool.equals(List.copyOf(FutureSet.distinct(input))), "a later call still gets the 500, in order");
    }

    private static void assertNoArrayAbove(Object[][] arrays, int limit) {
        assertTrue(arrays.length <= limit, "outer array of " + arrays.length);
        for (Object[] a : arrays) {
            assertTrue(a == null || a.length <= limit, "an array of " + (a == null ? 0 : a.length));
        }
    }
}
