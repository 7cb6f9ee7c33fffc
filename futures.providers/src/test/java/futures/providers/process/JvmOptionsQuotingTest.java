package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code jvm_options} is split into options as a POSIX shell splits words: quotes group, backslashes escape. */
class JvmOptionsQuotingTest {

    @Test
    @DisplayName("whitespace separates options; '...' and \"...\" group, joined to what touches them; backslashes escape")
    void split() {
        assertEquals(List.of("-Xmx256m", "-XX:+UseSerialGC"), Launcher.splitOptions("  -Xmx256m \t\n -XX:+UseSerialGC "));
        assertEquals(List.of("-Dmsg=hello world"), Launcher.splitOptions("-Dmsg=\"hello world\""));
        assertEquals(List.of("-Dmsg=hello world", "-Da=b"), Launcher.splitOptions("'-Dmsg=hello world' -Da=b"));
        assertEquals(List.of("-Dq=say \"hi\" \\ $x"), Launcher.splitOptions("-Dq=\"say \\\"hi\\\" \\\\ \\$x\""));
        assertEquals(List.of("-Dq=a\\b"), Launcher.splitOptions("-Dq=\"a\\b\"")); // a backslash before another character is kept
        assertEquals(List.of("-Dsingle=it's"), Launcher.splitOptions("-Dsingle=\"it's\""));
        assertEquals(List.of("-Dliteral=a\\\"b"), Launcher.splitOptions("'-Dliteral=a\\\"b'"));
        assertEquals(List.of("-Dsp=a b"), Launcher.splitOptions("-Dsp=a\\ b"));
        assertEquals(List.of("-Dempty="), Launcher.splitOptions("-Dempty=''"));
        assertEquals(List.of(""), Launcher.splitOptions("\"\""));
        assertEquals(List.of(), Launcher.splitOptions("   "));
    }

    @Test
    @DisplayName("an unclosed quote or a lone trailing backslash is refused at create, saying what is accepted")
    void unbalanced() {
        assertThrows(IllegalArgumentException.class, () -> Launcher.splitOptions("-Dmsg=\"hello"));
        assertThrows(IllegalArgumentException.class, () -> Launcher.splitOptions("-Dmsg='hello"));
        assertThrows(IllegalArgumentException.class, () -> Launcher.splitOptions("-Dmsg=x\\"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Executors.create("process",
                ExecutorConfig.builder().property(ProcessProvider.JVM_OPTIONS, "-Dmsg=\"hello world").build()));
        assertEquals("config key 'jvm_options' is split into options as a shell splits words, with '...' and \"...\""
                + " quotes and \\ escapes: unterminated \" quote at index 6 of '-Dmsg=\"hello world'", e.getMessage());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("jvm_options='-Dmsg=\"hello world\"' gives a worker the property msg = 'hello world'")
    void quotedPropertyReachesWorker() {
        try (Executor ex = Executors.create("process", ExecutorConfig.builder().maxWorkers(1)
                .property(ProcessProvider.JVM_OPTIONS, "-Dmsg=\"hello world\" -Dother='x  y'").build())) {
            assertEquals("hello world|x  y",
                    ex.submit(() -> System.getProperty("msg") + "|" + System.getProperty("other")).result());
        }
    }
}
