package futures.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Executor#map} over random inputs, chunk sizes and failing items: the results come in input
 * order, each item's exception is raised when its value is reached, and the iteration ends there.
 */
@Timeout(120)
class MapProperties {
    private static final int CASES = 1_000;
    private static Executor[] executors;

    /** One input item: its value, and whether the call on it raises. */
    record Item(int value, boolean fails) {
        @Override
        public String toString() {
            return "item " + value + (fails ? " (raises)" : "");
        }
    }

    /** The call: worker count (index into the shared executors), chunk size, and an optional second input. */
    record Call(int workers, int chunkSize, int secondLength) {
        @Override
        public String toString() {
            return "map on " + workers + " worker(s), chunksize=" + chunkSize
                    + (secondLength < 0 ? "" : ", second input of length " + secondLength);
        }
    }

    @BeforeAll
    static void start() {
        executors = new Executor[] {ThreadsPool.executor(1), ThreadsPool.executor(2), ThreadsPool.executor(4)};
    }

    @AfterAll
    static void stop() {
        for (Executor e : executors) {
            e.shutdown(true, true);
        }
    }

    static List<Object> generate(SplittableRandom r) {
        List<Object> steps = new ArrayList<>();
        int n = r.nextInt(40);
        boolean anyFailures = r.nextInt(3) == 0;
        for (int i = 0; i < n; i++) {
            steps.add(new Item(r.nextInt(-1000, 1000), anyFailures && r.nextInt(8) == 0));
        }
        int[] workers = {1, 2, 4};
        steps.add(new Call(workers[r.nextInt(3)], 1 + r.nextInt(r.nextBoolean() ? 3 : 12), r.nextInt(3) == 0 ? r.nextInt(45) : -1));
        return steps;
    }

    static void run(List<Object> steps) {
        List<Item> items = steps.stream().filter(Item.class::isInstance).map(Item.class::cast).toList();
        Call call = steps.stream().filter(Call.class::isInstance).map(Call.class::cast).findFirst()
                .orElseThrow(() -> new PropertyRunner.Invalid("a case needs its call"));
        Executor ex = executors[call.workers() == 1 ? 0 : call.workers() == 2 ? 1 : 2];
        MapIterator<Integer> it;
        int length = items.size();
        if (call.secondLength() < 0) {
            it = ex.map(MapProperties::apply, items, Futures.NO_TIMEOUT, call.chunkSize());
        } else {
            List<Integer> second = new ArrayList<>();
            for (int i = 0; i < call.secondLength(); i++) {
                second.add(i);
            }
            length = Math.min(length, second.size());
            it = ex.map((Item item, Integer k) -> apply(item) + k, items, second, Futures.NO_TIMEOUT, call.chunkSize());
        }
        try (it) {
            for (int i = 0; i < length; i++) {
                Item item = items.get(i);
                if (item.fails()) {
                    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, it::next,
                            "the exception of the call on " + item + " is raised when its value is retrieved");
                    assertEquals("raised on " + item.value(), e.getMessage());
                    assertFalse(it.hasNext(), "iteration ends after a call's exception");
                    return;
                }
                int expected = item.value() * 3 + 1 + (call.secondLength() < 0 ? 0 : i);
                assertEquals(expected, it.next(), "result " + i + " in input order");
            }
            assertFalse(it.hasNext(), "map stops at the shortest input");
        }
    }

    private static int apply(Item item) {
        if (item.fails()) {
            throw new IllegalStateException("raised on " + item.value());
        }
        return item.value() * 3 + 1;
    }

    @Test
    @DisplayName("map is equivalent to map(func, *iterables), results in input order up to the shortest input, and a call's exception is raised when its value is retrieved (random inputs, chunk sizes and failing items)")
    void mapFollowsInputOrder() {
        PropertyRunner.check("map returns results in input order and raises each call's exception at its place",
                CASES, MapProperties::generate, MapProperties::run);
    }
}
