package futures.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JUnitVersionTest {

    @Test
    @DisplayName("the JUnit running this build is read, and is new enough")
    void readsTheRunningVersion() {
        String found = JUnitVersion.found();
        assertNotNull(found, "the JUnit Jupiter API jar names its version");
        assertTrue(found.startsWith("5.") || found.startsWith("6."), found);
        assertDoesNotThrow(() -> JUnitVersion.check());
    }

    @Test
    @DisplayName("an older JUnit fails the suite with a message that says what is needed")
    void olderJUnitFails() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> JUnitVersion.check("5.10.2"));
        assertTrue(e.getMessage().contains("needs JUnit Jupiter 5.14 or newer")
                && e.getMessage().contains("5.10.2 is running it"), e.getMessage());
        assertDoesNotThrow(() -> JUnitVersion.check("5.14.1"));
        assertDoesNotThrow(() -> JUnitVersion.check("6.1.3"));
        assertDoesNotThrow(() -> JUnitVersion.check(null));
    }
}
