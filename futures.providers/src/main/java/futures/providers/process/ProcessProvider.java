package futures.providers.process;

import futures.spi.ExecutorConfig;
import futures.spi.ExecutorProvider;
import futures.spi.WorkerPool;
import futures.spi.internal.StreamLimits;
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
 * {@code "-Xmx256m -XX:+UseSerialGC"}, with shell-like quotes) and {@code class_cache} (the workers' class-data cache, which
 * makes later workers start faster: on JDK 25+ the JDK's AOT cache, 16-20% off a worker's start,
 * else a CDS archive; {@code off}, the default; {@code auto} keeps it in a per-user directory; or
 * an absolute directory), {@code max_message_size} (the largest result or exception a worker may
 * send; default {@code 256m}) and {@code message_timeout} (seconds a message may take once begun;
 * default 60). See {@code docs/process-provider.md}, "Security".
 */
public final class ProcessProvider implements ExecutorProvider {
    /** Config key: the java binary workers run. */
    public static final String JAVA = "java";
    /**
     * Config key: extra JVM options for workers, split as a POSIX shell splits words: whitespace
     * separates them, {@code '...'} and {@code "..."} quote ({@code -Dmsg="hello world"} is one
     * option), a backslash escapes.
     */
    public static final String JVM_OPTIONS = "jvm_options";
    /** Config key: the workers' class-data cache: {@code off} (default), {@code auto} or an absolute directory. */
    public static final String CLASS_CACHE = "class_cache";
    /**
     * Config key: the largest result or exception a worker may send, in bytes, with an optional
     * {@code k}, {@code m} or {@code g} suffix; default {@code 256m}. A larger one fails its task.
     */
    public static final String MAX_MESSAGE_SIZE = "max_message_size";
    /**
     * Config key: how long, in seconds, a message between the pool and a worker may take once it
     * has begun; default 60. A worker that stops in the middle of one is killed and the pool breaks.
     */
    public static final String MESSAGE_TIMEOUT = "message_timeout";

    private static final Set<String> KEYS = Set.of(ExecutorConfig.MAX_WORKERS, ExecutorConfig.INITIALIZER,
            ExecutorConfig.MAX_TASKS_PER_CHILD, JAVA, JVM_OPTIONS, CLASS_CACHE, MAX_MESSAGE_SIZE, MESSAGE_TIMEOUT);

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
     *     is not {@code auto}, {@code off} or an absolute path, {@code jvm_options} has an unclosed
     *     quote, {@code max_message_size} or {@code message_timeout} is out of range, or the
     *     initializer cannot be serialized
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
        List<String> options;
        try {
            options = Launcher.splitOptions(config.property(JVM_OPTIONS).orElse(""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config key '" + JVM_OPTIONS + "' is split into options as a shell"
                    + " splits words, with '...' and \"...\" quotes and \\ escapes: " + e.getMessage(), e);
        }
        int maxMessage = config.property(MAX_MESSAGE_SIZE).map(ProcessProvider::messageSize)
                .orElse(ProcessPool.DEFAULT_MAX_MESSAGE_SIZE);
        long timeoutMillis = config.property(MESSAGE_TIMEOUT).map(ProcessProvider::timeoutMillis)
                .orElse(ProcessPool.DEFAULT_MESSAGE_TIMEOUT_MILLIS);
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
        return new ProcessPool(workers, config.maxTasksPerChild().orElse(0), init, java, options, classCache, classes,
                maxMessage, timeoutMillis);
    }

    /** Parses {@code max_message_size}: bytes, with an optional k, m or g suffix (powers of 1024). */
    static int messageSize(String value) {
        return StreamLimits.parseSize(MAX_MESSAGE_SIZE, value, FrameChannel.MAX_PAYLOAD);
    }

    /** Parses {@code message_timeout}: seconds, a decimal number above 0 and at most a day. */
    static long timeoutMillis(String value) {
        double seconds;
        try {
            seconds = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            seconds = Double.NaN;
        }
        if (!(seconds >= 0.001 && seconds <= 86_400)) {
            throw new IllegalArgumentException("config key '" + MESSAGE_TIMEOUT + "' must be a number of seconds from"
                    + " 0.001 to 86400, got '" + value + "'");
        }
        return Math.round(seconds * 1000);
    }
}
