package futures.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The core's own tests run without futures.providers: what a user who forgot that module sees. */
class NoProviderTest {

    @Test
    @DisplayName("with no provider at all, 'unknown provider' says futures.providers is probably missing from the path")
    void noProviderSaysWhatIsMissing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Executors.threadPool(1));
        String msg = e.getMessage();
        assertTrue(msg.startsWith("unknown provider 'thread'; available: (none)"), msg);
        assertTrue(msg.contains("futures.providers") && msg.contains("probably missing from the module path or class path"),
                msg);
    }
}
