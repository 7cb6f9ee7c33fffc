package futures.moduletests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import futures.spi.ExecutorProvider;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Discovery as a user meets it: providers are found by name through {@link java.util.ServiceLoader}
 * on the module path, this module's own among them; bad names, bad keys, two providers with one
 * name and a provider that fails to load each give an error that says what was wrong and what is
 * available. This module registers {@code inline}, {@code serializing}, two {@code dup}s and a
 * {@link FailingProvider}.
 */
@Timeout(30)
class DiscoveryTest {

    private static List<String> names() {
        return Executors.providers().stream().map(ExecutorProvider::name).toList();
    }

    @Test
    @DisplayName("Executors.create finds this module's own provider by name")
    void createFindsTheCustomProvider() {
        try (Executor ex = Executors.create("inline")) {
            assertEquals("inline", ex.providerName());
            assertEquals(Thread.currentThread().getName(), ex.submit(() -> Thread.currentThread().getName()).result(),
                    "an inline call runs in the submitting thread");
        }
    }

    @Test
    @DisplayName("Executors.providers() lists the built-in providers and this module's, sorted by name")
    void providersAreListed() {
        List<String> names = names();
        assertTrue(names.contains("inline"), names.toString());
        assertTrue(names.contains("thread"), names.toString());
        assertEquals(2, names.stream().filter("dup"::equals).count(), "both 'dup' providers are listed: " + names);
        assertEquals(names.stream().sorted().toList(), names);
        for (ExecutorProvider p : Executors.providers()) {
            assertFalse(p.description().isBlank(), p.name() + " has no description");
        }
        ExecutorProvider inline = Executors.providers().stream().filter(p -> p.name().equals("inline")).findFirst().orElseThrow();
        assertEquals(InlineProvider.class, inline.getClass());
    }

    @Test
    @DisplayName("the built-in providers print as 'name: description', not as Object's ClassName@hash")
    void builtInProvidersHaveAReadableToString() {
        for (ExecutorProvider p : Executors.providers()) {
            if (List.of("thread", "process", "virtual").contains(p.name())) {
                assertEquals(p.name() + ": " + p.description(), p.toString());
            }
        }
        assertTrue(Executors.providers().toString().contains("thread: a pool of platform threads"),
                Executors.providers().toString());
    }

    @Test
    @DisplayName("an unknown name raises IllegalArgumentException that lists the names available")
    void unknownNameListsTheAvailableOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Executors.create("thred"));
        String msg = e.getMessage();
        String head = "unknown provider 'thred'; available: ";
        assertTrue(msg.startsWith(head), msg);
        // the listed names are every name found, sorted, each once (dup is claimed twice)
        String listed = msg.substring(head.length()).split(";", 2)[0];
        assertEquals(String.join(", ", names().stream().distinct().sorted().toList()), listed, msg);
        assertTrue(listed.startsWith("dup, inline, "), listed);
        assertTrue(listed.contains(", serializing, ") && listed.contains(", thread"), listed);
    }

    @Test
    @DisplayName("a config key the provider does not accept is rejected, naming the key and the accepted ones")
    void unknownConfigKey() {
        ExecutorConfig config = ExecutorConfig.builder().property("colour", "red").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Executors.create("inline", config));
        // deadlock_detection and time_limit are the core's own keys, accepted for every provider
        assertEquals("unknown config key 'colour' for provider 'inline'; accepted: deadlock_detection, max_workers, time_limit",
                e.getMessage());
        Executors.create("inline", ExecutorConfig.builder().deadlockDetection(false).build()).shutdown();
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> Executors.create("thread", config));
        assertTrue(t.getMessage().startsWith("unknown config key 'colour' for provider 'thread'; accepted: "), t.getMessage());
        assertTrue(t.getMessage().contains("max_workers"), t.getMessage());
    }

    @Test
    @DisplayName("two providers with one name is an error that names both classes")
    void duplicateNameNamesBothClasses() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Executors.create("dup"));
        String msg = e.getMessage();
        assertTrue(msg.contains("'dup'"), msg);
        assertTrue(msg.contains(DupProviderOne.class.getName()), msg);
        assertTrue(msg.contains(DupProviderTwo.class.getName()), msg);
    }

    @Test
    @DisplayName("a provider that fails to load is left out, the others still load, and the error for an unknown name reports it")
    void failingProviderIsReportedAndOthersLoad() {
        assertFalse(Executors.providers().stream().anyMatch(p -> p instanceof FailingProvider));
        assertFalse(names().contains("failing"));
        try (Executor ex = Executors.create("inline")) {
            assertEquals(42, ex.submit(() -> 42).result());
        }
        try (Executor ex = Executors.create("thread", ExecutorConfig.builder().maxWorkers(1).build())) {
            assertEquals(42, ex.submit(() -> 42).result());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Executors.create("failing"));
        String msg = e.getMessage();
        assertTrue(msg.startsWith("unknown provider 'failing'; available: "), msg);
        assertTrue(msg.contains("failed to load"), msg);
        assertTrue(msg.contains(FailingProvider.class.getName()), msg);
        assertTrue(msg.contains(FailingProvider.WHY), "the error carries the cause: " + msg);
    }

    @Test
    @DisplayName("a provider that fails to load is logged once as a WARNING naming its class and the cause, with the stack trace; later discoveries log it at DEBUG")
    void failingProviderIsLogged() {
        Executors.providers();
        Executors.providers(); // at least two discoveries
        List<LogRecord> about = FailingProvider.LOG.records().stream()
                .filter(r -> r.getMessage().contains(FailingProvider.class.getName())).toList();
        List<LogRecord> warnings = about.stream().filter(r -> r.getLevel() == Level.WARNING).toList();
        assertEquals(1, warnings.size(), "one warning per JVM: " + about.stream().map(LogRecord::getMessage).toList());
        LogRecord w = warnings.get(0);
        assertTrue(w.getMessage().contains(FailingProvider.WHY), "the log names the cause: " + w.getMessage());
        assertTrue(w.getThrown() != null, "the first warning carries the stack trace");
        assertEquals("futures.core.Executors", w.getSourceClassName(), "the record names the class that logged");
        List<LogRecord> later = about.stream().filter(r -> r != w).toList();
        assertTrue(later.size() >= 1, "later discoveries log it too");
        for (LogRecord r : later) {
            assertEquals(Level.FINE, r.getLevel(), "later discoveries log at DEBUG: " + r.getMessage());
            assertTrue(r.getMessage().endsWith("(warned before)"), r.getMessage());
        }
    }

    @Test
    @DisplayName("a null name or config raises NullPointerException")
    void nullArguments() {
        assertThrows(NullPointerException.class, () -> Executors.create(null));
        assertThrows(NullPointerException.class, () -> Executors.create("inline", null));
    }
}
