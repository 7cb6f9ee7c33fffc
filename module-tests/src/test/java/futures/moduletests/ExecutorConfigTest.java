package futures.moduletests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.spi.ExecutorConfig;
import futures.spi.Initializer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ExecutorConfig} as DESIGN section 2 shapes it: immutable, typed accessors for the common
 * keys plus provider-specific string properties, buildable from code, from a {@code Map} and from
 * {@code Properties}; a bad value is rejected when it is set, saying what was given.
 */
@Timeout(30)
class ExecutorConfigTest {

    @Test
    @DisplayName("defaults() has nothing set: every accessor is empty")
    void defaultsAreEmpty() {
        ExecutorConfig c = ExecutorConfig.defaults();
        assertEquals(Set.of(), c.keys());
        assertEquals(OptionalInt.empty(), c.maxWorkers());
        assertEquals(OptionalInt.empty(), c.maxTasksPerChild());
        assertEquals(Optional.empty(), c.threadNamePrefix());
        assertEquals(Optional.empty(), c.initializer());
        assertEquals(Optional.empty(), c.property("jvm_options"));
    }

    @Test
    @DisplayName("the builder sets each common key, read back by its typed accessor, and string properties")
    void builderTypedAccessors() {
        Initializer init = () -> {};
        ExecutorConfig c = ExecutorConfig.builder().maxWorkers(3).maxTasksPerChild(7).threadNamePrefix("w")
                .initializer(init).property("jvm_options", "-Xmx64m").build();
        assertEquals(OptionalInt.of(3), c.maxWorkers());
        assertEquals(OptionalInt.of(7), c.maxTasksPerChild());
        assertEquals(Optional.of("w"), c.threadNamePrefix());
        assertSame(init, c.initializer().orElseThrow());
        assertEquals(Optional.of("-Xmx64m"), c.property("jvm_options"));
        assertEquals(Set.of("max_workers", "max_tasks_per_child", "thread_name_prefix", "initializer", "jvm_options"),
                c.keys());
    }

    @Test
    @DisplayName("a config is immutable: a builder used again, or its keys() set, cannot change a config already built")
    void immutable() {
        ExecutorConfig.Builder b = ExecutorConfig.builder().maxWorkers(2);
        ExecutorConfig first = b.build();
        b.maxWorkers(5).property("x", "y");
        assertEquals(OptionalInt.of(2), first.maxWorkers());
        assertEquals(Set.of("max_workers"), first.keys());
        assertThrows(UnsupportedOperationException.class, () -> first.keys().add("x"));
        assertEquals(OptionalInt.of(5), b.build().maxWorkers());
    }

    @Test
    @DisplayName("of(Map) takes numbers or strings for the integer keys, an Initializer, and strings for the rest")
    void fromMap() {
        Initializer init = () -> {};
        Map<String, Object> m = new HashMap<>();
        m.put("max_workers", 4L);
        m.put("max_tasks_per_child", "9");
        m.put("initializer", init);
        m.put("jvm_options", 42);
        ExecutorConfig c = ExecutorConfig.of(m);
        assertEquals(OptionalInt.of(4), c.maxWorkers());
        assertEquals(OptionalInt.of(9), c.maxTasksPerChild());
        assertSame(init, c.initializer().orElseThrow());
        assertEquals(Optional.of("42"), c.property("jvm_options"));
        assertEquals(ExecutorConfig.builder().maxWorkers(4).maxTasksPerChild(9).initializer(init)
                .property("jvm_options", "42").build(), c, "equal configs whichever way they were built");
    }

    @Test
    @DisplayName("of(Properties) reads every value as a string, the integer keys parsed")
    void fromProperties() {
        Properties p = new Properties();
        p.setProperty("max_workers", " 6 ");
        p.setProperty("thread_name_prefix", "io");
        ExecutorConfig c = ExecutorConfig.of(p);
        assertEquals(OptionalInt.of(6), c.maxWorkers());
        assertEquals(Optional.of("io"), c.threadNamePrefix());
    }

    @Test
    @DisplayName("max_workers and max_tasks_per_child must be positive integers: the error names the key and the value given")
    void badIntegers() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> ExecutorConfig.builder().maxWorkers(0));
        assertTrue(zero.getMessage().contains("max_workers") && zero.getMessage().contains("0"), zero.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> ExecutorConfig.builder().maxTasksPerChild(-1));
        assertTrue(negative.getMessage().contains("max_tasks_per_child") && negative.getMessage().contains("-1"),
                negative.getMessage());
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> ExecutorConfig.of(Map.of("max_workers", "four")));
        assertTrue(text.getMessage().contains("max_workers") && text.getMessage().contains("four"), text.getMessage());
        Properties p = new Properties();
        p.setProperty("max_workers", "0");
        assertThrows(IllegalArgumentException.class, () -> ExecutorConfig.of(p));
        assertThrows(IllegalArgumentException.class, () -> ExecutorConfig.of(Map.of("max_workers", 1L << 40)));
    }

    @Test
    @DisplayName("initializer set from a map must be an Initializer: the error names the key and the type given")
    void badInitializer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExecutorConfig.of(Map.of("initializer", "not code")));
        assertTrue(e.getMessage().contains("initializer") && e.getMessage().contains("java.lang.String"), e.getMessage());
    }

    @Test
    @DisplayName("a null map, key or value is refused with NullPointerException naming the key")
    void nulls() {
        assertThrows(NullPointerException.class, () -> ExecutorConfig.of((Map<String, ?>) null));
        assertThrows(NullPointerException.class, () -> ExecutorConfig.of((Properties) null));
        NullPointerException v = assertThrows(NullPointerException.class,
                () -> ExecutorConfig.builder().property("jvm_options", null));
        assertTrue(v.getMessage().contains("jvm_options"), v.getMessage());
        assertThrows(NullPointerException.class, () -> ExecutorConfig.builder().threadNamePrefix(null));
        assertThrows(NullPointerException.class, () -> ExecutorConfig.builder().initializer(null));
        assertThrows(NullPointerException.class, () -> ExecutorConfig.defaults().property(null));
    }

    @Test
    @DisplayName("requireKeysIn rejects a key outside the accepted set, naming it, the provider and the accepted keys")
    void requireKeysIn() {
        ExecutorConfig c = ExecutorConfig.builder().maxWorkers(1).property("colour", "red").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.requireKeysIn("mine", Set.of("max_workers", "thread_name_prefix")));
        assertTrue(e.getMessage().contains("'colour'") && e.getMessage().contains("'mine'")
                && e.getMessage().contains("max_workers, thread_name_prefix"), e.getMessage());
        c.requireKeysIn("mine", Set.of("max_workers", "colour"));
    }
}
