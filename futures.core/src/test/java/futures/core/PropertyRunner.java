package futures.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A tiny seeded property runner, in place of jqwik (see docs/decisions/0001).
 *
 * <p>A property is a generator of a list of steps from a {@link SplittableRandom}, and a check that
 * runs the steps and throws on failure. The master seed is {@code -Dfutures.seed=N} if given, else
 * random; every case draws its own generator from the master one, so the seed alone reproduces the
 * whole run. A failing case is shrunk by dropping steps (halves, then quarters, ..., then single
 * steps) while it still fails, and reported as the seed, the case number and the remaining steps,
 * one per line, so the failure reads as a tiny program. {@code -Dfutures.cases=N} overrides the
 * number of cases.
 *
 * <p>Steps should make sense in any sub-list: the check interprets each step against the current
 * state (Hypothesis's rule-based style). A check that needs a step may throw {@link Invalid},
 * which counts as passing, so shrinking keeps that step.
 */
final class PropertyRunner {
    private PropertyRunner() {}

    /** The master seed of this run: {@code futures.seed} if set, else a fresh random one. */
    static long seed() {
        String s = System.getProperty("futures.seed");
        if (s != null && !s.isBlank()) {
            return Long.parseLong(s.trim());
        }
        return new SplittableRandom().nextLong();
    }

    static int cases(int defaultCases) {
        return Integer.getInteger("futures.cases", defaultCases);
    }

    /**
     * Runs {@code cases} cases of a property.
     *
     * @param name the property, stating the sentence of the reference it checks
     * @param generate makes one case's steps
     * @param check runs the steps; throws (AssertionError or any exception) if the property fails
     * @return the number of cases run
     */
    static <S> int check(String name, int cases, Function<SplittableRandom, List<S>> generate, Consumer<List<S>> check) {
        long seed = seed();
        SplittableRandom master = new SplittableRandom(seed);
        int n = cases(cases);
        for (int i = 0; i < n; i++) {
            List<S> steps = generate.apply(master.split());
            Throwable failure = run(check, steps);
            if (failure != null) {
                List<S> small = shrink(check, steps);
                Throwable smallFailure = run(check, small);
                if (smallFailure == null) { // flaky under shrinking: report the original
                    small = steps;
                    smallFailure = failure;
                }
                StringBuilder msg = new StringBuilder()
                        .append("Property failed: ").append(name).append('\n')
                        .append("  seed ").append(seed).append(", case ").append(i + 1).append(" of ").append(n)
                        .append(" (re-run: -Dfutures.seed=").append(seed).append(")\n")
                        .append("  ").append(steps.size()).append(" steps, shrunk to ").append(small.size()).append(":\n");
                for (S step : small) {
                    msg.append("    ").append(step).append(";\n");
                }
                msg.append("  error: ").append(smallFailure);
                AssertionError e = new AssertionError(msg.toString(), smallFailure);
                System.err.println(msg);
                throw e;
            }
        }
        System.out.println("Property passed: " + name + ": " + n + " cases (seed " + seed + ")");
        return n;
    }

    /**
     * Thrown by a check for a step list that is not a valid case (a shrink dropped a step the case
     * needs): counts as passing, so shrinking never keeps such a list.
     */
    static final class Invalid extends RuntimeException {
        Invalid(String why) {
            super(why, null, false, false);
        }
    }

    private static <S> Throwable run(Consumer<List<S>> check, List<S> steps) {
        try {
            check.accept(steps);
            return null;
        } catch (Invalid invalid) {
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** Drops chunks of steps, largest first, while the case still fails (delta debugging, simplified). */
    private static <S> List<S> shrink(Consumer<List<S>> check, List<S> steps) {
        List<S> current = new ArrayList<>(steps);
        int chunk = Math.max(1, current.size() / 2);
        int budget = 2_000; // bound the work: shrinking is a convenience, not a proof
        while (chunk >= 1 && budget > 0) {
            boolean removed = false;
            for (int from = 0; from + chunk <= current.size() && budget > 0; ) {
                List<S> candidate = new ArrayList<>(current.subList(0, from));
                candidate.addAll(current.subList(from + chunk, current.size()));
                budget--;
                if (run(check, candidate) != null) {
                    current = candidate;
                    removed = true;
                } else {
                    from += chunk;
                }
            }
            if (!removed) {
                chunk /= 2;
            }
        }
        return current;
    }
}
