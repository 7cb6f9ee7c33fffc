package futures.bench;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.spi.ExecutorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Workload 6, memory: the heap retained per future, pending and finished, beside the JDK's
 * {@code CompletableFuture} (bare, and with one dependent made by {@code thenApply}), and per call
 * queued behind a busy worker (ours, beside the JDK's {@code ThreadPoolExecutor}).
 *
 * <p>Method: an array for N objects is allocated first; used heap is read after several
 * {@code System.gc()} calls, the N objects are made and stored in the array, used heap is read the
 * same way again, and the difference is divided by N. Run it with {@code -XX:+UseSerialGC
 * -XX:MarkSweepDeadRatio=0} and a fixed heap ({@code -Xms = -Xmx}), as scripts/bench does: the
 * serial collector's full collection is stop-the-world and compacting, so the figure after it is
 * exact to the byte, and nothing else in this JVM allocates meanwhile. The dead ratio matters: by
 * default the serial collector leaves up to 5% of the old generation as unreclaimed "dead wood"
 * and compacts fully only every 4th full collection, which showed here as the previous round's
 * 5 MB still counted as used after three {@code System.gc()} calls. Each figure is measured in several rounds; all are written.
 * Shared objects (the value, a non-capturing callback) are made once and not counted, in both
 * columns alike.
 *
 * <p>Usage: {@code Memory OUT.json [N] [ROUNDS]}; writes JSON {@code {"results": {key: {"unit":
 * "B", "samples": [...]}}}}, the format the table builder reads.
 */
public final class Memory {
    private static final Integer VALUE = 42;
    private static final Consumer<Future<Object>> CALLBACK = f -> {};
    private static final Function<Object, Object> FN = x -> x;
    private static final Supplier<Object> SUPPLIER = () -> VALUE;
    private static final Callable<Object> CALLABLE = () -> VALUE;

    /** What is being measured; static so that nothing but this array keeps the objects alive. */
    private static Object[] held;

    private Memory() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Memory OUT.json [N] [ROUNDS]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Map<String, List<Double>> results = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            record("memory.future.pending", results, perObject(n, i -> new Future<>()));
            record("memory.future.pending_callback", results, perObject(n, i -> {
                Future<Object> f = new Future<>();
                f.addDoneCallback(CALLBACK);
                return f;
            }));
            record("memory.future.finished", results, perObject(n, i -> {
                Future<Object> f = new Future<>();
                f.setResult(VALUE);
                return f;
            }));
            record("memory.cf.pending", results, perObject(n, i -> new CompletableFuture<>()));
            record("memory.cf.pending_dependent", results, perObject(n, i -> {
                CompletableFuture<Object> cf = new CompletableFuture<>();
                cf.thenApply(FN); // the dependent stays reachable from cf's stack of completions
                return cf;
            }));
            record("memory.cf.finished", results, perObject(n, i -> {
                CompletableFuture<Object> cf = new CompletableFuture<>();
                cf.complete(VALUE);
                return cf;
            }));
            record("memory.queued.futures_thread", results, queuedOnOurs(n));
            record("memory.queued.jdk_supply_async", results, queuedOnJdk(n, true));
            record("memory.queued.jdk_submit", results, queuedOnJdk(n, false));
        }
        StringBuilder json = new StringBuilder("{\n  \"n\": ").append(n).append(",\n  \"jvm\": \"")
                .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.vm.version"))
                .append("\",\n  \"results\": {\n");
        int k = 0;
        for (Map.Entry<String, List<Double>> e : results.entrySet()) {
            json.append("    \"").append(e.getKey()).append("\": {\"unit\": \"B\", \"samples\": [");
            for (int i = 0; i < e.getValue().size(); i++) {
                json.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", e.getValue().get(i)));
            }
            json.append("]}").append(++k < results.size() ? ",\n" : "\n");
        }
        json.append("  }\n}\n");
        write(out, json.toString());
        results.forEach((key, v) -> System.out.printf(Locale.ROOT, "%-36s %s bytes each%n", key, v));
    }

    private static void record(String key, Map<String, List<Double>> results, double bytes) {
        results.computeIfAbsent(key, x -> new ArrayList<>()).add(bytes);
    }

    /** Bytes retained per object made by {@code make}, with N of them held at once. */
    private static double perObject(int n, IntFunction<Object> make) {
        held = new Object[n];
        long before = usedAfterGc();
        for (int i = 0; i < n; i++) {
            held[i] = make.apply(i);
        }
        long after = usedAfterGc();
        held = null;
        return (after - before) / (double) n;
    }

    /**
     * Bytes per call submitted to our thread provider (1 worker, kept busy by a task that waits on
     * a latch), future included: the future, the work item, the call, the executor's entry for it
     * and the queue node.
     */
    private static double queuedOnOurs(int n) {
        CountDownLatch release = new CountDownLatch(1);
        Executor ex = Executors.create("thread", ExecutorConfig.builder().maxWorkers(1).build());
        try {
            Future<Boolean> blocker = ex.submit(() -> release.await(1, TimeUnit.MINUTES));
            while (!blocker.running()) {
                Thread.onSpinWait();
            }
            held = new Object[n];
            long before = usedAfterGc();
            for (int i = 0; i < n; i++) {
                held[i] = ex.submit(Tasks::identity, VALUE);
            }
            long after = usedAfterGc();
            return (after - before) / (double) n;
        } finally {
            release.countDown();
            held = null;
            ex.shutdown();
        }
    }

    /**
     * The same on the JDK's {@code ThreadPoolExecutor} with 1 busy thread: per
     * {@code CompletableFuture.supplyAsync(supplier, pool)} (the JDK's future with completion
     * callbacks) or per {@code pool.submit(callable)} (a plain {@code FutureTask}).
     */
    private static double queuedOnJdk(int n, boolean supplyAsync) {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        ThreadPoolExecutor tpe = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
        try {
            tpe.execute(() -> {
                started.countDown();
                try {
                    release.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            started.await();
            held = new Object[n];
            long before = usedAfterGc();
            for (int i = 0; i < n; i++) {
                held[i] = supplyAsync ? CompletableFuture.supplyAsync(SUPPLIER, tpe) : tpe.submit(CALLABLE);
            }
            long after = usedAfterGc();
            return (after - before) / (double) n;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            release.countDown();
            held = null;
            tpe.shutdown();
            try {
                tpe.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Used heap after full collections (exact under the flags above). */
    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void write(Path out, String text) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Files.writeString(out, text);
    }
}
