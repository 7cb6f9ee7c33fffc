package futures.spi;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The settings of one executor: immutable, built from code with {@link #builder()}, from a
 * {@link Map} with {@link #of(Map)} or from {@link Properties} with {@link #of(Properties)}.
 *
 * <p>Keys use Python's parameter names. The common ones have typed accessors:
 * {@value #MAX_WORKERS}, {@value #THREAD_NAME_PREFIX}, {@value #INITIALIZER},
 * {@value #MAX_TASKS_PER_CHILD}, and {@value #DEADLOCK_DETECTION} and {@value #TIME_LIMIT}, which
 * the core reads and accepts for every provider. Any other key is a provider-specific string property (such as the
 * process provider's {@code java} and {@code jvm_options}). Which keys a provider accepts is its
 * {@link ExecutorProvider#configKeys()}; the core rejects the others before the provider sees them.
 *
 * <p>Values are checked when set: {@code max_workers} and {@code max_tasks_per_child} must be
 * positive integers, {@code time_limit} a number of seconds in (0, {@value #MAX_TIME_LIMIT_SECONDS}]
 * ({@link IllegalArgumentException} otherwise, saying what was given), and no key
 * or value may be {@code null} ({@link NullPointerException} naming the key).
 */
public final class ExecutorConfig {

    /** How many workers run at once; a positive integer. Python's {@code max_workers}. */
    public static final String MAX_WORKERS = "max_workers";
    /** The prefix of worker thread names. Python's {@code thread_name_prefix}. */
    public static final String THREAD_NAME_PREFIX = "thread_name_prefix";
    /** An {@link Initializer} run in each worker before its first task; code only. */
    public static final String INITIALIZER = "initializer";
    /** Tasks a worker process runs before it is replaced; a positive integer. */
    public static final String MAX_TASKS_PER_CHILD = "max_tasks_per_child";
    /**
     * Whether the core fails a wait that can never end, inside a call of this executor, with
     * {@code futures.core.DeadlockException} (docs/deadlocks.md); {@code true} (the default) or
     * {@code false}. Read by the core, accepted for every provider; it has an effect only on pools
     * whose calls run in this JVM ({@link WorkerPool#runsCallsInThisJvm()}).
     */
    public static final String DEADLOCK_DETECTION = "deadlock_detection";
    /**
     * The default time limit of each call of this executor, in seconds (a decimal such as
     * {@code 0.2} or {@code 30}, or an ISO-8601 duration such as {@code PT0.2S}; more than 0, at
     * most {@value #MAX_TIME_LIMIT_SECONDS} seconds), counted
     * from when the call starts running: a call still running then fails with
     * {@link CallTimeoutException} and is stopped where its provider can stop it (pebble's
     * {@code schedule(timeout=)} as an executor default). Unset: no limit, as in CPython. Read by
     * the core, accepted for every provider; {@code Executor.submit(Duration, Task)} overrides it
     * for one call.
     */
    public static final String TIME_LIMIT = "time_limit";
    /** The largest {@value #TIME_LIMIT} accepted, in seconds: 365 days. */
    public static final long MAX_TIME_LIMIT_SECONDS = 365L * 24 * 3600;

    private static final ExecutorConfig EMPTY = new ExecutorConfig(new TreeMap<>());

    /** Every key that is set, with its value; sorted by key so messages are stable. */
    private final Map<String, Object> values;

    private ExecutorConfig(TreeMap<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * A config with nothing set: each provider uses its defaults.
     *
     * @return the empty config
     */
    public static ExecutorConfig defaults() {
        return EMPTY;
    }

    /**
     * A builder with nothing set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A config from a map of keys to values. Values of {@value #MAX_WORKERS} and
     * {@value #MAX_TASKS_PER_CHILD} may be numbers or strings; {@value #TIME_LIMIT} a number of
     * seconds, a string or a {@link Duration}; {@value #INITIALIZER} must be an
     * {@link Initializer}; other values are turned into strings.
     *
     * @param settings keys and values; the map is copied
     * @return the config
     * @throws IllegalArgumentException if a value is not valid for its key
     * @throws NullPointerException if the map, a key or a value is null
     */
    public static ExecutorConfig of(Map<String, ?> settings) {
        Objects.requireNonNull(settings, "settings");
        Builder b = builder();
        settings.forEach(b::set);
        return b.build();
    }

    /**
     * A config from properties, every value a string.
     *
     * @param settings keys and string values; they are copied
     * @return the config
     * @throws IllegalArgumentException if a value is not valid for its key
     */
    public static ExecutorConfig of(Properties settings) {
        Objects.requireNonNull(settings, "settings");
        Builder b = builder();
        for (String key : settings.stringPropertyNames()) {
            b.set(key, settings.getProperty(key));
        }
        return b.build();
    }

    /**
     * {@value #MAX_WORKERS}, if set.
     *
     * @return the number of workers, always positive, or empty
     */
    public OptionalInt maxWorkers() {
        Integer v = (Integer) values.get(MAX_WORKERS);
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    /**
     * {@value #MAX_TASKS_PER_CHILD}, if set.
     *
     * @return the tasks per worker process, always positive, or empty
     */
    public OptionalInt maxTasksPerChild() {
        Integer v = (Integer) values.get(MAX_TASKS_PER_CHILD);
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    /**
     * {@value #DEADLOCK_DETECTION}, if set.
     *
     * @return whether detection is on for this executor, or empty for the default (on)
     */
    public Optional<Boolean> deadlockDetection() {
        return Optional.ofNullable((Boolean) values.get(DEADLOCK_DETECTION));
    }

    /**
     * {@value #TIME_LIMIT}, if set.
     *
     * @return the default time limit of each call, more than zero, or empty for no limit
     */
    public Optional<Duration> timeLimit() {
        return Optional.ofNullable((Duration) values.get(TIME_LIMIT));
    }

    /**
     * {@value #THREAD_NAME_PREFIX}, if set.
     *
     * @return the prefix, or empty
     */
    public Optional<String> threadNamePrefix() {
        return Optional.ofNullable((String) values.get(THREAD_NAME_PREFIX));
    }

    /**
     * {@value #INITIALIZER}, if set.
     *
     * @return the initializer, or empty
     */
    public Optional<Initializer> initializer() {
        return Optional.ofNullable((Initializer) values.get(INITIALIZER));
    }

    /**
     * A provider-specific string property, if set.
     *
     * @param key the property's name, such as {@code "jvm_options"}
     * @return its value, or empty
     */
    public Optional<String> property(String key) {
        Object v = values.get(Objects.requireNonNull(key, "key"));
        return v == null ? Optional.empty() : Optional.of(String.valueOf(v));
    }

    /**
     * Checks a time limit as {@value #TIME_LIMIT} does, for code that takes one per call (the
     * core's {@code Executor.submit(Duration, Task)}).
     *
     * @param what the parameter's name, for the message
     * @param limit the limit
     * @return {@code limit}
     * @throws IllegalArgumentException if {@code limit} is zero, negative or more than
     *     {@value #MAX_TIME_LIMIT_SECONDS} seconds (the message says what is accepted)
     * @throws NullPointerException if {@code limit} is null
     */
    public static Duration checkTimeLimit(String what, Duration limit) {
        return Builder.checkTimeLimit(what, limit);
    }

    /**
     * Every key that is set, sorted.
     *
     * @return the keys set, an unmodifiable sorted set
     */
    public Set<String> keys() {
        return Collections.unmodifiableSet(new TreeSet<>(values.keySet()));
    }

    /**
     * Checks that every key set here is one of {@code accepted}.
     *
     * @param provider the provider's name, for the message
     * @param accepted the keys the provider accepts
     * @throws IllegalArgumentException naming the first unknown key and listing the accepted ones
     */
    public void requireKeysIn(String provider, Set<String> accepted) {
        for (String key : values.keySet()) {
            if (!accepted.contains(key)) {
                throw new IllegalArgumentException("unknown config key '" + key + "' for provider '"
                        + provider + "'; accepted: " + String.join(", ", new TreeSet<>(accepted)));
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExecutorConfig other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "ExecutorConfig" + values;
    }

    /** Builds an {@link ExecutorConfig}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final TreeMap<String, Object> values = new TreeMap<>();

        private Builder() {}

        /**
         * Python's {@code max_workers}.
         *
         * @param n the number of workers, 1 or more
         * @return this builder
         * @throws IllegalArgumentException if {@code n <= 0}
         */
        public Builder maxWorkers(int n) {
            values.put(MAX_WORKERS, positive(MAX_WORKERS, n));
            return this;
        }

        /**
         * Python's {@code thread_name_prefix}.
         *
         * @param prefix the start of each worker thread's name
         * @return this builder
         */
        public Builder threadNamePrefix(String prefix) {
            values.put(THREAD_NAME_PREFIX, Objects.requireNonNull(prefix, THREAD_NAME_PREFIX));
            return this;
        }

        /**
         * Python's {@code initializer}; capture its arguments in the lambda.
         *
         * @param initializer run once in each worker before its first task
         * @return this builder
         */
        public Builder initializer(Initializer initializer) {
            values.put(INITIALIZER, Objects.requireNonNull(initializer, INITIALIZER));
            return this;
        }

        /**
         * Python's {@code max_tasks_per_child}.
         *
         * @param n the tasks a worker process runs before it is replaced, 1 or more
         * @return this builder
         * @throws IllegalArgumentException if {@code n <= 0}
         */
        public Builder maxTasksPerChild(int n) {
            values.put(MAX_TASKS_PER_CHILD, positive(MAX_TASKS_PER_CHILD, n));
            return this;
        }

        /**
         * {@value #DEADLOCK_DETECTION}: false turns deadlock detection off for this executor.
         *
         * @param on false to turn detection off (it is on by default)
         * @return this builder
         */
        public Builder deadlockDetection(boolean on) {
            values.put(DEADLOCK_DETECTION, on);
            return this;
        }

        /**
         * {@value #TIME_LIMIT}: the default time limit of each call of this executor, counted from
         * when the call starts running.
         *
         * @param limit more than zero, at most {@value #MAX_TIME_LIMIT_SECONDS} seconds
         * @return this builder
         * @throws IllegalArgumentException if {@code limit} is zero, negative or too large
         * @throws NullPointerException if {@code limit} is null
         */
        public Builder timeLimit(Duration limit) {
            values.put(TIME_LIMIT, checkTimeLimit(TIME_LIMIT, limit));
            return this;
        }

        /**
         * A provider-specific string property, such as the process provider's {@code jvm_options}.
         *
         * @param key the property's name
         * @param value its value
         * @return this builder
         */
        public Builder property(String key, String value) {
            return set(key, value);
        }

        /**
         * Sets any key from an untyped value, as {@link ExecutorConfig#of(Map)} does.
         *
         * @param key any key, such as {@value #MAX_WORKERS}
         * @param value a value of a type the key accepts, or a string
         * @return this builder
         * @throws IllegalArgumentException if the value is not valid for the key
         */
        public Builder set(String key, Object value) {
            Objects.requireNonNull(key, "config key");
            Objects.requireNonNull(value, () -> "value of config key '" + key + "'");
            switch (key) {
                case MAX_WORKERS, MAX_TASKS_PER_CHILD -> values.put(key, positive(key, toInt(key, value)));
                case INITIALIZER -> {
                    if (!(value instanceof Initializer init)) {
                        throw new IllegalArgumentException("config key '" + INITIALIZER + "' takes a "
                                + Initializer.class.getName() + ", got " + value.getClass().getName());
                    }
                    values.put(key, init);
                }
                case DEADLOCK_DETECTION -> values.put(key, toBoolean(key, value));
                case TIME_LIMIT -> values.put(key, toTimeLimit(value));
                default -> values.put(key, String.valueOf(value));
            }
            return this;
        }

        /**
         * The config; the builder can go on being used.
         *
         * @return a new immutable config of what was set so far
         */
        public ExecutorConfig build() {
            return values.isEmpty() ? EMPTY : new ExecutorConfig(new TreeMap<>(values));
        }

        private static int toInt(String key, Object value) {
            if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
                return ((Number) value).intValue();
            }
            if (value instanceof Long l && l == l.intValue()) {
                return l.intValue();
            }
            try {
                return Integer.parseInt(String.valueOf(value).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        key + " must be a positive integer, got '" + value + "'", e);
            }
        }

        private static boolean toBoolean(String key, Object value) {
            if (value instanceof Boolean b) {
                return b;
            }
            String v = String.valueOf(value).trim();
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(v);
            }
            throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'");
        }

        /**
         * A {@value #TIME_LIMIT} from seconds (a number, or a decimal string such as {@code "0.2"}),
         * an ISO-8601 duration string ({@code "PT0.2S"}, what {@link Duration#toString()} gives, so
         * a config's {@code property("time_limit")} reads back), or a {@link Duration}.
         */
        private static Duration toTimeLimit(Object value) {
            if (value instanceof Duration d) {
                return checkTimeLimit(TIME_LIMIT, d);
            }
            String text = String.valueOf(value).trim();
            String rule = TIME_LIMIT + " must be a number of seconds (such as 0.2 or 30) or an ISO-8601 duration"
                    + " (PT0.2S), more than 0 and at most " + MAX_TIME_LIMIT_SECONDS + " seconds (365 days), got '"
                    + value + "'";
            BigDecimal seconds;
            try {
                if (text.startsWith("P") || text.startsWith("p") || text.startsWith("-P") || text.startsWith("-p")) {
                    Duration d = Duration.parse(text);
                    seconds = BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9));
                } else {
                    seconds = new BigDecimal(text);
                }
            } catch (NumberFormatException | java.time.format.DateTimeParseException | ArithmeticException e) {
                throw new IllegalArgumentException(rule, e);
            }
            if (seconds.signum() <= 0 || seconds.compareTo(BigDecimal.valueOf(MAX_TIME_LIMIT_SECONDS)) > 0) {
                throw new IllegalArgumentException(rule);
            }
            long nanos = seconds.movePointRight(9).setScale(0, java.math.RoundingMode.UP).longValueExact();
            return Duration.ofNanos(nanos);
        }

        /**
         * Checks a time limit: more than zero, at most {@value #MAX_TIME_LIMIT_SECONDS} seconds.
         * Public through {@link ExecutorConfig#checkTimeLimit}, for the per-call limit.
         */
        private static Duration checkTimeLimit(String what, Duration limit) {
            Objects.requireNonNull(limit, what);
            if (limit.isNegative() || limit.isZero() || limit.compareTo(Duration.ofSeconds(MAX_TIME_LIMIT_SECONDS)) > 0) {
                throw new IllegalArgumentException(timeLimitRule(what) + ", got " + limit);
            }
            return limit;
        }

        private static String timeLimitRule(String what) {
            return what + " must be more than 0 and at most " + MAX_TIME_LIMIT_SECONDS + " seconds (365 days)";
        }

        private static int positive(String key, int n) {
            if (n <= 0) {
                throw new IllegalArgumentException(key + " must be greater than 0, got " + n);
            }
            return n;
        }
    }
}
