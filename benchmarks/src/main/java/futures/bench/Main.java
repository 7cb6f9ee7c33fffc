package futures.bench;

import futures.core.Executors;
import futures.spi.ExecutorProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH side of the comparison (workloads 1 to 5; workload 6 is {@link Memory}, in its own
 * JVM), with the providers that are installed: a workload that needs a provider this class path
 * does not have is skipped with a line that says so, and the rest still run.
 *
 * <p>Usage: {@code java -jar benchmarks.jar --out DIR [--smoke] [--only w1,w2] [--prof P]}, where
 * the workloads are {@code roundtrip, process, coldstart, shortjob, waits, primes, cluster}. Writes
 * {@code DIR/jmh.json} (JMH's JSON) and {@code DIR/providers.json} (what was found and skipped).
 * {@code --smoke} runs 1 fork, no warm-up and 1 short iteration: it checks that everything runs,
 * and its figures are not for comparison.
 */
public final class Main {
    /** Workload name to the benchmark class that holds it. */
    private static final Map<String, Class<?>> WORKLOADS = new LinkedHashMap<>();

    static {
        WORKLOADS.put("roundtrip", RoundTripBench.class);
        WORKLOADS.put("process", ProcessPoolBench.class);
        WORKLOADS.put("coldstart", ColdStartBench.class);
        WORKLOADS.put("shortjob", ShortJobBench.class);
        WORKLOADS.put("waits", WaitBench.class);
        WORKLOADS.put("primes", PrimesBench.class);
        WORKLOADS.put("cluster", ClusterBench.class);
    }

    private Main() {}

    public static void main(String[] args) throws Exception {
        Path out = null;
        boolean smoke = false;
        List<String> only = new ArrayList<>(WORKLOADS.keySet());
        List<String> profilers = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--smoke" -> smoke = true;
                case "--only" -> only = Arrays.stream(value(args, ++i, "--only").split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).toList();
                case "--prof" -> profilers.add(value(args, ++i, "--prof"));
                default -> usage("unknown argument '" + args[i] + "'");
            }
        }
        if (out == null) {
            usage("--out DIR is required");
        }
        for (String w : only) {
            if (!WORKLOADS.containsKey(w) && !w.equals("memory")) {
                usage("unknown workload '" + w + "'; known: " + String.join(", ", WORKLOADS.keySet()) + ", memory");
            }
        }
        Files.createDirectories(out);

        Set<String> found = Executors.providers().stream().map(ExecutorProvider::name)
                .collect(Collectors.toCollection(TreeSet::new));
        System.out.println("providers found: " + String.join(", ", found));
        boolean process = found.contains("process");
        List<String> ours = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String p : List.of("thread", "virtual", "process")) {
            if (found.contains(p)) {
                ours.add(p);
            } else {
                String what = p.equals("process")
                        ? "skipping the process round trip, process pool, cold start, short job and primes on processes"
                        : "skipping its round trip";
                String line = p + " provider not found: " + what;
                System.out.println(line);
                skipped.add(line);
            }
        }

        ChainedOptionsBuilder opts = new OptionsBuilder()
                .resultFormat(ResultFormatType.JSON)
                .result(out.resolve("jmh.json").toString())
                // One benchmark that throws (a broken pool, say) must not lose the rest of the run:
                // JMH prints its stack trace, and the table shows it as not run.
                .shouldFailOnError(false)
                // The process pools' class cache is on by default, in the user's cache directory:
                // the benchmark JVMs keep theirs in the results directory instead.
                .jvmArgsAppend("-Dfutures.class_cache=" + out.toAbsolutePath().resolve("class-cache"));
        int included = 0;
        for (String w : only) {
            Class<?> bench = WORKLOADS.get(w);
            if (bench == null) {
                continue; // "memory" runs in its own JVM
            }
            if (!process && (w.equals("process") || w.equals("coldstart") || w.equals("shortjob"))) {
                continue;
            }
            if (w.equals("cluster") && !found.contains("cluster")) {
                String line = "cluster provider not found: skipping the cluster workload";
                System.out.println(line);
                skipped.add(line);
                continue;
            }
            opts.include("^" + bench.getName().replace(".", "\\.") + "\\.");
            included++;
        }
        if (!process) {
            opts.exclude("PrimesBench\\.\\w*Processes$");
            opts.exclude("ClusterBench\\.\\w*Process$");
        }
        if (ours.isEmpty()) {
            opts.exclude("RoundTripBench\\.futures$");
        } else {
            opts.param("provider", ours.toArray(String[]::new));
        }
        if (smoke) {
            opts.forks(1).warmupIterations(0).measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(300));
        }
        profilers.forEach(opts::addProfiler);

        writeProviders(out.resolve("providers.json"), found, skipped, smoke);
        if (included == 0) {
            System.out.println("no JMH workload selected");
            Files.writeString(out.resolve("jmh.json"), "[]\n");
            return;
        }
        new Runner(opts.build()).run();
    }

    private static void writeProviders(Path file, Set<String> found, List<String> skipped, boolean smoke)
            throws IOException {
        String json = "{\n  \"found\": [" + found.stream().map(Main::quote).collect(Collectors.joining(", "))
                + "],\n  \"skipped\": [" + skipped.stream().map(Main::quote).collect(Collectors.joining(", "))
                + "],\n  \"smoke\": " + smoke + "\n}\n";
        Files.writeString(file, json);
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            usage(flag + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("benchmarks: " + problem);
        System.err.println("usage: java -jar benchmarks.jar --out DIR [--smoke] [--only roundtrip,process,coldstart,shortjob,waits,primes,cluster] [--prof PROFILER]");
        System.exit(2);
    }
}
