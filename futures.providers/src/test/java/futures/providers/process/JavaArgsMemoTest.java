package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link Launcher#javaArgs} is worked out once for a pool per request, and again whenever what it is made from changes. */
class JavaArgsMemoTest {

    @Test
    @DisplayName("the same main class, options and paths give the remembered arguments; other options or another class path give new ones")
    void rememberedOnlyForTheSameInputs() {
        List<String> first = Launcher.javaArgs(EchoArgsMain.class, List.of("-Xlog:disable"));
        assertSame(first, Launcher.javaArgs(EchoArgsMain.class, List.of("-Xlog:disable")), "remembered");
        List<String> other = Launcher.javaArgs(EchoArgsMain.class, List.of("-Xlog:disable", "-Dx=1"));
        assertTrue(other.contains("-Dx=1"), other.toString());
        String before = System.getProperty("java.class.path");
        String extra = System.getProperty("java.io.tmpdir");
        try {
            System.setProperty("java.class.path", before.isEmpty() ? extra : before + File.pathSeparator + extra);
            List<String> grown = Launcher.javaArgs(EchoArgsMain.class, List.of("-Xlog:disable"));
            assertNotSame(first, grown);
            String cp = grown.get(grown.indexOf("-cp") + 1);
            assertTrue(List.of(cp.split(File.pathSeparator)).contains(extra), "the new class path is used: " + cp);
        } finally {
            System.setProperty("java.class.path", before);
        }
        assertEquals(first, Launcher.javaArgs(EchoArgsMain.class, List.of("-Xlog:disable")));
    }
}
