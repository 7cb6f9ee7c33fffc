package futures.providers.process;

import futures.spi.ExecutorConfig;
import futures.spi.ExecutorProvider;
import futures.spi.WorkerPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Provider {@code "process"}: Python's {@code ProcessPoolExecutor}, a pool of at most
 * {@code max_workers} child JVMs (default: the number of processors), started when needed and
 * reused. Tasks, their arguments, results and exceptions cross as serialized objects over one
 * private Unix-domain socket per worker.
 *
 * <p>Config keys: {@code max_workers}, {@code initializer} (run in each worker before its first
 * task; if it throws, the pool is broken), {@code max_tasks_per_child} (a worker is replaced after
 * that many tasks), {@code java} (the java binary for workers; default: this JVM's) and
 * {@code jvm_options} (extra options for workers, separated by whitespace, such as
 * {@code "-Xmx256m -XX:+UseSerialGC"}) and {@code class_cache} (the workers' class-data cache, which
 * makes later workers start faster: on JDK 25+ the JDK's AOT cache, 16-20% off a worker's start,
 * else a CDS archive; {@code off}, the default; {@code auto} keeps it in a per-user directory; or
 * an absolute directory). See {@code docs/process-provider.md}.
 */
public final class ProcessProvider implements ExecutorProvider {
    /** Config key: the java binary workers run. */
    public static final String JAVA = "java";
    /** Config key: extra JVM options for workers, separated by whitespace. */
    public static final String JVM_OPTIONS = "jvm_options";
    /** Config key: the workers' class-data cache: {@code off} (default), {@code auto} or an absolute directory. */
    public static final String CLASS_CACHE = "class_cache";

    private static final Set<String> KEYS = Set.of(ExecutorConfig.MAX_WORKERS, ExecutorConfig.INITIALIZER,
            ExecutorConfig.MAX_TASKS_PER_CHILD, JAVA, JVM_OPTIONS, CLASS_CACHE);

    /** For {@link java.util.ServiceLoader}. */
    public ProcessProvider() {}

    @Override
    public String name() {
        return "process";
    }

    @Override
    public String description() {
        return "a pool of child JVMs (Python's ProcessPoolExecutor)";
    }

    /** The name and the description, as {@code Executors.providers()} listings show them. */
    @Override
    public String toString() {
        return name() + ": " + description();
    }

    @Override
    public Set<String> configKeys() {
        return KEYS;
    }

    /**
     * @throws IllegalArgumentException if {@code java} is not an executable file, {@code class_cache}
     *     is not {@code auto}, {@code off} or an absolute path, or the initializer cannot be serialized
     */
    @Override
    public WorkerPool open(ExecutorConfig config) {
        int workers = config.maxWorkers().orElse(Runtime.getRuntime().availableProcessors());
        String java = config.property(JAVA).orElseGet(Launcher::currentJava);
        Path javaPath = Path.of(java);
        if (!Files.isRegularFile(javaPath) || !Files.isExecutable(javaPath)) {
            throw new IllegalArgumentException("config key '" + JAVA + "' must name an executable java binary, got '"
                    + java + "'" + (Files.exists(javaPath) ? " (not an executable file)" : " (no such file)"));
        }
        if (config.property(JAVA).isPresent()) {
            int feature = Launcher.javaFeature(javaPath);
            if (feature >= 0 && feature < Launcher.MINIMUM_JAVA) {
                throw new IllegalArgumentException("config key '" + JAVA + "' names " + java + ", a Java " + feature
                        + " runtime; workers need Java " + Launcher.MINIMUM_JAVA + " or newer (the futures classes are"
                        + " compiled for it)");
            }
        }
        List<String> options = Launcher.splitOptions(config.property(JVM_OPTIONS).orElse(""));
        String classCache = ClassCache.checkSetting(CLASS_CACHE, config.property(CLASS_CACHE).orElse(ClassCache.OFF));
        byte[] init = null;
        ClassServer classes = new ClassServer();
        if (config.initializer().isPresent()) {
            try {
                init = Codec.serializeTask(config.initializer().get(), classes);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(Codec.transferFailure(
                        "the initializer could not be serialized to send it to worker processes", e).getMessage(), e);
            }
        }
        return new ProcessPool(workers, config.maxTasksPerChild().orElse(0), init, java, options, classCache, classes);
    }
}
