package futures.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the examples in order, each under a header line, and exits with status 1 if any failed (the
 * others still run). Arguments name the examples to run; none means all.
 *
 * <pre>
 * scripts/examples                                      # all of them
 * scripts/examples PrimesExample                        # one
 * scripts/examples -Dfutures.examples.provider=thread   # the primes example on threads
 * </pre>
 */
public final class Main {
    /** One runnable example. */
    @FunctionalInterface
    interface Example {
        void run(PrintStream out) throws Exception;
    }

    /** Every example, in the order of the reference. */
    static final Map<String, Example> EXAMPLES = examples();

    private Main() {}

    private static Map<String, Example> examples() {
        Map<String, Example> all = new LinkedHashMap<>();
        all.put("PowExample", PowExample::run);
        all.put("CopyExample", CopyExample::run);
        all.put("UrlExample", UrlExample::run);
        all.put("PrimesExample", PrimesExample::run);
        all.put("WaitExample", WaitExample::run);
        return all;
    }

    public static void main(String[] args) {
        int failed;
        try {
            failed = run(select(List.of(args)), System.out, System.err);
        } catch (IllegalArgumentException badName) {
            System.err.println(badName.getMessage());
            System.exit(2);
            return;
        }
        if (failed > 0) {
            System.exit(1);
        }
    }

    /**
     * The examples called {@code names}, in the order given; all of them if {@code names} is empty.
     *
     * @throws IllegalArgumentException naming an unknown example and listing the known ones
     */
    static Map<String, Example> select(List<String> names) {
        if (names.isEmpty()) {
            return EXAMPLES;
        }
        Map<String, Example> chosen = new LinkedHashMap<>();
        for (String name : names) {
            Example e = EXAMPLES.get(name);
            if (e == null) {
                throw new IllegalArgumentException(
                        "unknown example '" + name + "'; available: " + String.join(", ", EXAMPLES.keySet()));
            }
            chosen.put(name, e);
        }
        return chosen;
    }

    /**
     * Runs each example under a header line {@code == Name ==}; one that throws is reported on
     * {@code err} with its stack trace and the rest still run.
     *
     * @return how many examples failed
     */
    static int run(Map<String, Example> examples, PrintStream out, PrintStream err) {
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String, Example> e : examples.entrySet()) {
            out.println("== " + e.getKey() + " ==");
            out.flush();
            try {
                e.getValue().run(out);
            } catch (Exception | Error failure) {
                failed.add(e.getKey());
                out.flush();
                err.println(e.getKey() + " FAILED: " + failure);
                failure.printStackTrace(err);
            }
        }
        out.flush();
        if (!failed.isEmpty()) {
            err.println(failed.size() + " of " + examples.size() + " examples failed: " + String.join(", ", failed));
        }
        return failed.size();
    }
}
