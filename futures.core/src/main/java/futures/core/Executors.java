package futures.core;

import futures.spi.ExecutorConfig;
import futures.spi.ExecutorProvider;
import futures.spi.WorkerPool;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes executors from the providers found through {@link ServiceLoader}: the built-in
 * {@code "thread"}, {@code "process"} and {@code "virtual"} (module {@code futures.providers}),
 * and any of your own.
 *
 * <pre>{@code
 * try (Executor ex = Executors.create("thread", ExecutorConfig.builder().maxWorkers(1).build())) {
 *     Future<Double> f = ex.submit(Math::pow, 323.0, 1235.0);
 *     System.out.println(f.result());
 * }
 * }</pre>
 *
 * <p>Discovery goes through {@link ServiceLoader#load(Class)}, that is the calling thread's context
 * class loader (the system class loader if it has none). What it finds is remembered for that
 * loader when every provider found is defined by the system class loader or one of its ancestors
 * (the class path and the boot layer's module path, which do not change while the JVM runs) and
 * none failed to load; then {@code create} skips the scan (which a program that makes an executor
 * per request would otherwise pay each time, about a millisecond in a young JVM) but still makes a
 * new provider instance for each executor, as a fresh discovery would. A name not among those
 * remembered is always looked up afresh, so a provider added later (a new module layer or class
 * loader made the context class loader, a jar added to a loader) is seen; the only thing a
 * remembered discovery does not see is a second provider, added later to the same loader, claiming
 * a name already found. A provider of any other loader (a plugin's) is never remembered, and
 * neither is its loader: such discoveries scan on every call, as {@link #providers()} always does.
 * A provider that fails to load is logged (logger {@code futures.core.Executors}: level WARNING
 * with its stack trace the first time in this JVM, DEBUG at later discoveries, so a program that
 * makes many executors does not repeat the warning) and named, with the cause, in the error for
 * an unknown name; the others still load.
 */
public final class Executors {
    /** Load failures whose stack trace was logged already; grows only by distinct failures (a concurrent set: add() decides who logs). */
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();
    /**
     * Discoveries remembered per context class loader (see the class comment); guarded by its own
     * monitor. Weak keys: an entry holds only providers of the system class loader and its
     * ancestors, never the key loader, so a loader that is otherwise unreachable still goes.
     */
    private static final Map<ClassLoader, Discovery> REMEMBERED = new WeakHashMap<>();

    private Executors() {}

    /**
     * {@code create(name, ExecutorConfig.defaults())}: an executor of the provider called
     * {@code name} with its default settings.
     *
     * @param name a provider's name, such as {@code "thread"} or {@code "process"}
     * @return a new executor, ready to take calls
     * @throws IllegalArgumentException if no provider has that name (the message lists the names
     *     available)
     * @throws IllegalStateException if two providers have that name (the message names both classes)
     * @throws NullPointerException if {@code name} is null
     */
    public static Executor create(String name) {
        return create(name, ExecutorConfig.defaults());
    }

    /**
     * Opens an executor of the provider called {@code name}.
     *
     * @return a new executor, ready to take calls
     * @param name a provider's name, such as {@code "thread"} or {@code "process"}
     * @param config its settings; every key must be one the provider accepts
     * @throws IllegalArgumentException if no provider has that name (the message lists the names
     *     available), or the config sets a key the provider does not accept (the message names it
     *     and lists the accepted ones), or a setting's value is not usable
     * @throws IllegalStateException if two providers have that name (the message names both classes)
     * @throws NullPointerException if an argument is null
     */
    public static Executor create(String name, ExecutorConfig config) {
        Objects.requireNonNull(name, "provider name");
        Objects.requireNonNull(config, "config");
        ClassLoader loader = contextLoader();
        Discovery found;
        synchronized (REMEMBERED) {
            found = REMEMBERED.get(loader);
        }
        List<ExecutorProvider> matches = found == null ? null : found.fresh(name);
        if (matches == null) {
            // nothing remembered, or not this name (it may have been added since): scan afresh
            found = discover();
            if (found.remembered()) {
                Discovery handles = found.handlesOnly();
                synchronized (REMEMBERED) {
                    REMEMBERED.put(loader, handles);
                }
            }
            matches = found.scanned(name);
        }
        if (matches.isEmpty()) {
            StringBuilder msg = new StringBuilder("unknown provider '").append(name).append("'; available: ")
                    .append(found.byName.isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(found.byName.keySet())));
            if (!found.failures.isEmpty()) {
                msg.append("; failed to load: ").append(String.join("; ", found.failures));
            }
            if (found.byName.isEmpty()) {
                msg.append("; no provider was found at all: the module futures.providers (the built-in"
                        + " \"thread\", \"process\" and \"virtual\") is probably missing from the module path"
                        + " or class path (with Maven: a dependency on io.github.futures:futures.providers,"
                        + " scope runtime)");
            }
            throw new IllegalArgumentException(msg.toString());
        }
        if (matches.size() > 1) {
            throw new IllegalStateException("provider name '" + name + "' is claimed by more than one provider: "
                    + String.join(", ", matches.stream().map(p -> p.getClass().getName()).toList()));
        }
        ExecutorProvider provider = matches.get(0);
        Set<String> accepted = new TreeSet<>(provider.configKeys());
        accepted.add(ExecutorConfig.DEADLOCK_DETECTION); // the core's own keys, for every provider
        accepted.add(ExecutorConfig.TIME_LIMIT);
        config.requireKeysIn(name, accepted);
        WorkerPool pool = Objects.requireNonNull(provider.open(config),
                () -> provider.getClass().getName() + ".open returned null");
        return new Executor(name, pool, config.deadlockDetection().orElse(true), config.timeLimit().orElse(null));
    }

    /**
     * {@code create("thread", maxWorkers(n))}: Python's {@code ThreadPoolExecutor(max_workers=n)}.
     *
     * @param maxWorkers the most calls running at once, 1 or more
     * @return a new executor of the "thread" provider
     * @throws IllegalArgumentException if {@code maxWorkers <= 0} (Python's {@code ValueError}), or
     *     no {@code "thread"} provider is on the module path or class path
     */
    public static Executor threadPool(int maxWorkers) {
        return create("thread", ExecutorConfig.builder().maxWorkers(maxWorkers).build());
    }

    /**
     * {@code create("process", maxWorkers(n))}: Python's {@code ProcessPoolExecutor(max_workers=n)}.
     * Workers start when calls need them, not here.
     *
     * @param maxWorkers the most worker processes, 1 or more
     * @return a new executor of the "process" provider
     * @throws IllegalArgumentException if {@code maxWorkers <= 0} (Python's {@code ValueError}), or
     *     no {@code "process"} provider is on the module path or class path
     */
    public static Executor processPool(int maxWorkers) {
        return create("process", ExecutorConfig.builder().maxWorkers(maxWorkers).build());
    }

    /**
     * The providers found, sorted by name; a name may appear twice if two providers claim it.
     * Providers that fail to load are logged and left out.
     *
     * @return an unmodifiable list of the providers on the module path and class path
     */
    public static List<ExecutorProvider> providers() {
        List<ExecutorProvider> all = new ArrayList<>();
        discover().byName.values().forEach(found -> found.forEach(f -> all.add(f.instance())));
        all.sort(Comparator.comparing(ExecutorProvider::name));
        return List.copyOf(all);
    }

    /** The loader {@link ServiceLoader#load(Class)} uses for this thread. */
    private static ClassLoader contextLoader() {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return l != null ? l : ClassLoader.getSystemClassLoader();
    }

    /**
     * One provider found: the instance the scan made (for the caller that scanned, and for
     * {@link #providers()}; null in a remembered discovery), and its handle, which makes a new one
     * for each executor that a remembered discovery serves.
     */
    private record Found(ExecutorProvider instance, ServiceLoader.Provider<ExecutorProvider> handle) {}

    /**
     * A scan's outcome, immutable once made (a remembered one is read by any thread).
     * {@code remembered()}: whether it may be kept for its loader (see the class comment): nothing
     * failed, and every provider is of a loader that lives as long as the JVM.
     */
    private record Discovery(Map<String, List<Found>> byName, List<String> failures) {
        boolean remembered() {
            if (!failures.isEmpty()) {
                return false;
            }
            for (List<Found> l : byName.values()) {
                for (Found f : l) {
                    if (!permanent(f.handle().type().getClassLoader())) {
                        return false;
                    }
                }
            }
            return true;
        }

        /**
         * The same without the instances the scan made, as it is remembered: a provider instance
         * may hold state, or the context class loader that is the weak key it is kept under, which
         * would then never go (found by a review).
         */
        Discovery handlesOnly() {
            Map<String, List<Found>> m = new java.util.HashMap<>();
            byName.forEach((n, l) -> m.put(n, l.stream().map(f -> new Found(null, f.handle())).toList()));
            return new Discovery(Map.copyOf(m), failures);
        }

        /** The providers called {@code name}, as the scan made them: for the thread that scanned. */
        List<ExecutorProvider> scanned(String name) {
            return byName.getOrDefault(name, List.of()).stream().map(Found::instance).toList();
        }

        /**
         * New instances of the providers called {@code name}, as a fresh scan would make them; null
         * if there is none, or one now fails to load or has another name: the caller then scans
         * afresh, which reports what changed.
         */
        List<ExecutorProvider> fresh(String name) {
            List<Found> l = byName.get(name);
            if (l == null) {
                return null;
            }
            List<ExecutorProvider> out = new ArrayList<>(l.size());
            for (Found f : l) {
                ExecutorProvider p;
                try {
                    p = f.handle().get();
                } catch (ServiceConfigurationError | RuntimeException e) {
                    return null;
                }
                if (p == null || !name.equals(p.name())) {
                    return null;
                }
                out.add(p);
            }
            return out;
        }
    }

    /** Whether {@code l} is the system class loader or one of its ancestors (null: the bootstrap loader). */
    private static boolean permanent(ClassLoader l) {
        for (ClassLoader s = ClassLoader.getSystemClassLoader(); s != null; s = s.getParent()) {
            if (s == l) {
                return true;
            }
        }
        return l == null;
    }

    /** Loads every provider, each in its own try, so one broken provider does not hide the others. */
    private static Discovery discover() {
        Map<String, List<Found>> byName = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        Iterator<ServiceLoader.Provider<ExecutorProvider>> it = ServiceLoader.load(ExecutorProvider.class).stream()
                .iterator();
        while (true) {
            ServiceLoader.Provider<ExecutorProvider> handle;
            ExecutorProvider p;
            try {
                if (!it.hasNext()) {
                    break;
                }
                handle = it.next();
                p = handle.get();
            } catch (ServiceConfigurationError e) {
                String what = e.getMessage() + (e.getCause() != null ? " (" + e.getCause() + ")" : "");
                // A discovery with a failure is never remembered, so it runs on every create: the
                // warning, with its stack trace, is logged once per failure; later discoveries say
                // it again at DEBUG only.
                if (REPORTED.add(what)) {
                    Logs.log(Executors.class, Level.WARNING,
                            "an executor provider failed to load and is skipped: " + what, e);
                } else {
                    Logs.log(Executors.class, Level.DEBUG, "an executor provider failed to load and is skipped: "
                            + what + " (warned before)", (Throwable) null);
                }
                failures.add(what);
                continue;
            }
            byName.computeIfAbsent(p.name(), k -> new ArrayList<>(1)).add(new Found(p, handle));
        }
        return new Discovery(byName, failures);
    }
}
