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
 * else a CDS archive; {@code auto}, the default, keeps it in a per-user directory, at most 4
 * archives and 64 MB; {@code off}, or {@code -Dfutures.class_cache=off} for the whole JVM, uses none; or
 * an absolute directory), {@code max_message_size} (the largest result or exception a worker may
 * send; default {@code 256m}) and {@code message_timeout} (seconds a message may take once begun;
 * default 60), {@code reuse_workers} (whether a shut-down pool's idle workers are kept for the next
 * pool with the same worker settings; default {@code true}) and {@code idle_timeout} (seconds a
 * worker may stay idle before it exits; default 300, or {@code none}) and {@code max_worker_memory}
 * (a worker whose resident set is larger after a call is replaced; default {@code none}) and
 * {@code on_worker_death} ({@code break_pool}, the default, or {@code fail_call}). See
 * {@code docs/process-provider.md}, "Security", "Workers' lifecycle" and "When a worker dies".
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
    /**
     * Config key: the workers' class-data cache: {@code auto} (the default, a per-user directory),
     * {@code off} or an absolute directory. The system property {@code futures.class_cache} sets
     * the default for the JVM: {@code -Dfutures.class_cache=off} turns it off.
     */
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
    /**
     * Config key: whether a pool's idle workers are kept, at shutdown, for the next pool of this
     * JVM whose workers would be started the same way, which then takes them instead of starting
     * JVMs: {@code true} (the default) or {@code false}.
     */
    public static final String REUSE_WORKERS = "reuse_workers";
    /**
     * Config key: how long, in seconds, a worker may stay idle, in its pool or kept for the next
     * one, before it exits (a pool starts workers again when work comes); a decimal number from
     * 0.001 to 86400, or {@code none}; default 300 (as joblib runs loky).
     */
    public static final String IDLE_TIMEOUT = "idle_timeout";
    /**
     * Config key: the largest resident set (RSS) a worker may have after a call, in bytes with an
     * optional {@code k}, {@code m} or {@code g} suffix, or {@code none} (the default): a worker
     * over it is replaced by a fresh JVM once the call's result is back, which is not a break
     * (loky's memory leak protection). Linux only: it reads {@code /proc/PID/status}.
     */
    public static final String MAX_WORKER_MEMORY = "max_worker_memory";

    /**
     * Config key: what a worker's death costs. {@code break_pool} (the default, CPython's rule): the
     * pool breaks, and every pending and running call fails with a {@code BrokenProcessPoolException}.
     * {@code fail_call} (pebble's {@code ProcessExpired}): only the call the dead worker held fails,
     * with a {@link futures.spi.WorkerDiedException}, and a new worker takes its place.
     */
    public static final String ON_WORKER_DEATH = "on_worker_death";
    /** Value of {@link #ON_WORKER_DEATH}: a worker's death breaks the pool (the default). */
    public static final String BREAK_POOL = "break_pool";
    /** Value of {@link #ON_WORKER_DEATH}: a worker's death fails only the call it held. */
    public static final String FAIL_CALL = "fail_call";

    private static final Set<String> KEYS = Set.of(ExecutorConfig.MAX_WORKERS, ExecutorConfig.INITIALIZER,
            ExecutorConfig.MAX_TASKS_PER_CHILD, JAVA, JVM_OPTIONS, CLASS_CACHE, MAX_MESSAGE_SIZE, MESSAGE_TIMEOUT,
            REUSE_WORKERS, IDLE_TIMEOUT, MAX_WORKER_MEMORY, ON_WORKER_DEATH);

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
     *     (or, where it is not given, the system property {@code futures.class_cache}) is not
     *     {@code auto}, {@code off} or an absolute path, {@code jvm_options} has an unclosed
     *     quote, {@code max_message_size}, {@code message_timeout} or {@code idle_timeout} is out of
     *     range, {@code reuse_workers} is neither {@code true} nor {@code false},
     *     {@code max_worker_memory} is not a size (or is given where {@code /proc} cannot be read),
     *     {@code on_worker_death} is neither {@code break_pool} nor {@code fail_call}, or the
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
        boolean reuse = config.property(REUSE_WORKERS).map(ProcessProvider::reuse).orElse(true);
        long idleMillis = config.property(IDLE_TIMEOUT).map(ProcessProvider::idleMillis)
                .orElse(ProcessPool.Lifecycle.DEFAULT.idleMillis());
        long maxMemory = config.property(MAX_WORKER_MEMORY).map(ProcessProvider::workerMemory).orElse(0L);
        boolean failCall = config.property(ON_WORKER_DEATH).map(ProcessProvider::failCall).orElse(false);
        String classCache = ClassCache.checkSetting(CLASS_CACHE,
                config.property(CLASS_CACHE).orElseGet(ClassCache::defaultSetting));
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
        ProcessPool pool = new ProcessPool(workers, config.maxTasksPerChild().orElse(0), init, java, options, classCache,
                classes, maxMessage, timeoutMillis, new ProcessPool.Lifecycle(reuse, idleMillis, maxMemory));
        pool.failCallOnDeath(failCall);
        return pool;
    }

    /** Parses {@code on_worker_death}: true for {@code fail_call}, false for {@code break_pool}. */
    static boolean failCall(String value) {
        return switch (value.trim()) {
            case FAIL_CALL -> true;
            case BREAK_POOL -> false;
            default -> throw new IllegalArgumentException("config key '" + ON_WORKER_DEATH + "' must be '" + BREAK_POOL
                    + "' (the default: a dead worker breaks the pool) or '" + FAIL_CALL
                    + "' (only the dead worker's call fails), got '" + value + "'");
        };
    }

    /**
     * Parses {@code max_worker_memory}: bytes with an optional k, m or g suffix (powers of 1024),
     * from 1m to 1024g, or {@code none} (0: no limit).
     */
    static long workerMemory(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.equals("none")) {
            return 0;
        }
        long unit = v.endsWith("k") ? 1L << 10 : v.endsWith("m") ? 1L << 20 : v.endsWith("g") ? 1L << 30 : 1;
        String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
        long bytes = -1;
        if (!digits.isEmpty() && digits.length() <= 13 && digits.chars().allMatch(Character::isDigit)) {
            bytes = Long.parseLong(digits) * unit;
        }
        if (bytes < (1L << 20) || bytes > (1L << 40)) {
            throw new IllegalArgumentException("config key '" + MAX_WORKER_MEMORY + "' must be a number of bytes from"
                    + " 1m to 1024g, with an optional k, m or g suffix, or none, got '" + value + "'");
        }
        if (Launcher.residentBytes(ProcessHandle.current().pid()) < 0) {
            throw new IllegalArgumentException("config key '" + MAX_WORKER_MEMORY + "' needs /proc/PID/status to read"
                    + " a worker's resident memory, which this system does not have (Linux has it); leave it out");
        }
        return bytes;
    }

    /** Parses {@code reuse_workers}: {@code true} or {@code false}. */
    static boolean reuse(String value) {
        String v = value.trim();
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("config key '" + REUSE_WORKERS + "' must be true or false, got '"
                    + value + "'");
        }
        return v.equals("true");
    }

    /** Parses {@code idle_timeout}: seconds from 0.001 to 86400, or {@code none} (0: no limit). */
    static long idleMillis(String value) {
        return value.trim().equals("none") ? 0 : millis(IDLE_TIMEOUT, value, ", or none");
    }

    /** Parses {@code max_message_size}: bytes, with an optional k, m or g suffix (powers of 1024). */
    static int messageSize(String value) {
        return StreamLimits.parseSize(MAX_MESSAGE_SIZE, value, FrameChannel.MAX_PAYLOAD);
    }

    /** Parses {@code message_timeout}: seconds, a decimal number above 0 and at most a day. */
    static long timeoutMillis(String value) {
        return millis(MESSAGE_TIMEOUT, value, "");
    }

    /** Parses seconds from 0.001 to 86400 into milliseconds; {@code orElse} ends the message's list of what is accepted. */
    private static long millis(String key, String value, String orElse) {
        double seconds;
        try {
            seconds = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            seconds = Double.NaN;
        }
        if (!(seconds >= 0.001 && seconds <= 86_400)) {
            throw new IllegalArgumentException("config key '" + key + "' must be a number of seconds from"
                    + " 0.001 to 86400" + orElse + ", got '" + value + "'");
        }
        return Math.round(seconds * 1000);
    }
}
