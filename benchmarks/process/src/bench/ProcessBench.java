package bench;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Futures;
import futures.core.MapIterator;
import futures.spi.ExecutorConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * Measurements of the process provider from a plain module on the module path (no Surefire, so the
 * workers use the JDK's CDS archive), printed, never asserted: the same workloads as
 * {@code futures.providers/src/test/java/futures/providers/process/ProcessTimings.java}. Run with
 * {@code benchmarks/process/run.sh}.
 */
public final class ProcessBench {

    /** Runs every measurement. */
    public static void main(String[] args) {
        new ProcessBench().measure();
    }


    void measure() {
        String only = System.getProperty("timings.only", "all");
        List<String> variants = new ArrayList<>(List.of(""));
        String extra = System.getProperty("timings.options", "");
        if (!extra.isBlank()) {
            variants.addAll(List.of(extra.split("\\|")));
        }
        if (only.equals("all") || only.equals("startup")) {
            for (String v : variants) {
                startup(v);
            }
        }
        if (only.equals("all") || only.equals("throughput")) {
            throughput();
        }
        if (only.equals("all") || only.equals("primes")) {
            primes();
        }
    }

    /** Median time from create to the first result, 10 fresh pools, for one set of worker options. */
    static void startup(String options) {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            long t0 = System.nanoTime();
            try (Executor ex = Executors.create("process",
                    ExecutorConfig.builder().maxWorkers(2).property("jvm_options", options).build())) {
                ex.submit(() -> 1).result();
                if (i > 0) { // the first run warms this JVM's own classes
                    ms.add((System.nanoTime() - t0) / 1e6);
                }
            }
        }
        Collections.sort(ms);
        System.out.printf("create -> first result, jvm_options='%s': median %.1f ms (min %.1f, max %.1f)%n",
                options, (ms.get(4) + ms.get(5)) / 2, ms.get(0), ms.get(ms.size() - 1));
    }

    static void throughput() {
        try (Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(2).build())) {
            for (int round = 0; round < 2; round++) { // the first round warms both sides
                int n = 3000;
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    ex.submit(x -> x + 1, i).result();
                }
                double oneAtATime = n / ((System.nanoTime() - t0) / 1e9);

                int m = 20_000;
                List<Integer> in = IntStream.range(0, m).boxed().toList();
                t0 = System.nanoTime();
                drain(ex.map((Integer x) -> x + 1, in, Futures.NO_TIMEOUT, 1));
                double chunk1 = m / ((System.nanoTime() - t0) / 1e9);

                int k = 400_000;
                List<Integer> big = IntStream.range(0, k).boxed().toList();
                t0 = System.nanoTime();
                drain(ex.map((Integer x) -> x + 1, big, Futures.NO_TIMEOUT, 100));
                double chunk100 = k / ((System.nanoTime() - t0) / 1e9);
                if (round == 1) {
                    System.out.printf("trivial tasks/s on 2 workers: submit+result one at a time %.0f, map chunk 1 %.0f,"
                            + " map chunk 100 %.0f%n", oneAtATime, chunk1, chunk100);
                }
            }
        }
    }

    private static void drain(MapIterator<?> it) {
        while (it.hasNext()) {
            it.next();
        }
    }

    /** The reference's primes check over a longer list: one thread versus two warm workers. */
    static void primes() {
        List<Long> list = LongStream.range(0, 30).flatMap(i -> Primes.PRIMES.stream().mapToLong(Long::longValue))
                .boxed().toList();
        for (long n : Primes.PRIMES) {
            Primes.isPrime(n); // warm the JIT here as the workers are warmed below
        }
        long t0 = System.nanoTime();
        long primesFound = list.stream().filter(Primes::isPrime).count();
        double single = (System.nanoTime() - t0) / 1e9;
        double[] pooled = new double[3];
        for (int workers = 1; workers <= 2; workers++) {
            try (Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(workers).build())) {
                drain(ex.map(Primes::isPrime, Primes.PRIMES)); // warm the workers
                t0 = System.nanoTime();
                long found = 0;
                MapIterator<Boolean> it = ex.map(Primes::isPrime, list);
                while (it.hasNext()) {
                    found += it.next() ? 1 : 0;
                }
                pooled[workers] = (System.nanoTime() - t0) / 1e9;
                if (found != primesFound) {
                    throw new AssertionError("the pool found " + found + " primes, one thread " + primesFound);
                }
            }
        }
        System.out.printf("primes check over %d numbers (load %s): one thread %.2f s, 1 warm process worker %.2f s,"
                + " 2 warm process workers %.2f s, speed-up of 2 workers over one thread %.2fx%n", list.size(),
                loadAverage(), single, pooled[1], pooled[2], single / pooled[2]);
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
