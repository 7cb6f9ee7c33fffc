package futures.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DESIGN 5: "Long command lines go through an {@code @argfile}". The java launcher must read back
 * exactly what {@link Launcher#writeArgFile} wrote, whatever the characters, and an argument longer
 * than Linux allows on a command line (128 KiB per argument) must get through.
 */
class LauncherArgFileTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("the java launcher reads back every argument written to the @argfile: spaces, quotes, backslashes, '#', and one longer than a command line allows")
    void argFileRoundTrip() throws Exception {
        List<String> sent = List.of(
                "plain",
                "with spaces  and\ttab",
                "double \" quote",
                "single ' quote",
                "back\\slash and \\\" both",
                "# not a comment",
                "",
                "-Dinj=x\n-version", // a parent's -D value with a newline must not become an option of its own
                "carriage\rreturn, form\ffeed, \\n not a newline, \\\n",
                "line\n\nbreaks\n",
                "x".repeat(200_000));
        Path dir = Launcher.privateDirectory();
        List<String> args = new ArrayList<>(Launcher.javaArgs(EchoArgsMain.class, List.of("-Xlog:disable")));
        args.addAll(sent);
        Path argFile = Launcher.writeArgFile(dir, args);
        Process child = new ProcessBuilder(Launcher.currentJava(), "@" + argFile)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            String out;
            try (InputStream in = child.getInputStream()) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                in.transferTo(buf);
                out = buf.toString(StandardCharsets.UTF_8);
            }
            assertEquals(0, child.waitFor(), "the child's exit status");
            List<String> received = out.lines()
                    .map(l -> new String(Base64.getDecoder().decode(l), StandardCharsets.UTF_8)).toList();
            assertEquals(sent.size(), received.size(), "argument count");
            for (int i = 0; i < sent.size(); i++) {
                assertEquals(sent.get(i), received.get(i), "argument " + i);
            }
        } finally {
            child.destroyForcibly();
            Files.deleteIfExists(argFile);
            Files.deleteIfExists(dir);
        }
    }
}
