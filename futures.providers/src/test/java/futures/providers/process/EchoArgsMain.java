package futures.providers.process;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Prints each of its arguments, Base64-encoded, one a line: the child of {@link LauncherArgFileTest}. */
public final class EchoArgsMain {
    private EchoArgsMain() {}

    /** Echoes {@code args}. */
    public static void main(String[] args) {
        for (String a : args) {
            System.out.println(Base64.getEncoder().encodeToString(a.getBytes(StandardCharsets.UTF_8)));
        }
        System.out.flush();
    }
}
