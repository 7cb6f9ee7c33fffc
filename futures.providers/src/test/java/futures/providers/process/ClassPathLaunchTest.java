package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The process provider works for an application on the class path too, not only on the module path. */
class ClassPathLaunchTest {

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    @DisplayName("an application on the class path runs a lambda of its own in a worker")
    void classPathApplication() throws Exception {
        Set<String> cp = new LinkedHashSet<>();
        for (String p : (System.getProperty("jdk.module.path", "") + File.pathSeparator
                + System.getProperty("java.class.path", "")).split(File.pathSeparator)) {
            if (!p.isBlank()) {
                cp.add(p);
            }
        }
        cp.add(ClassPathMain.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        List<String> cmd = new ArrayList<>(List.of(Launcher.currentJava(), "-Xlog:disable", "-Xlog:all=warning:stderr",
                "-cp", String.join(File.pathSeparator, cp), ClassPathMain.class.getName()));
        Process app = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String out = new String(app.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, app.waitFor(), out);
            String line = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse("no RESULT line: " + out);
            String[] f = line.split(" ");
            assertEquals("42", f[1], line);
            assertNotEquals(f[2], f[4], "the lambda ran in another process: " + line);
            assertEquals("false", f[3], "the worker loaded the class from the class path: " + line);
            assertEquals("false", f[5], "the application runs on the class path: " + line);
            assertTrue(ProcessHandle.of(Long.parseLong(f[2])).map(h -> !h.isAlive()).orElse(true),
                    "the worker is gone after the application's try-with-resources");
        } finally {
            app.destroyForcibly();
        }
    }
}
