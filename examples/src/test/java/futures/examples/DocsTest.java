package futures.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The README and docs/ say what the code and CI do. */
class DocsTest {
    private static final Path ROOT = findRoot();

    private static Path findRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(".ci/run")) && Files.isRegularFile(p.resolve("README.md"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (with .ci/run and README.md) above " + Path.of("").toAbsolutePath());
    }

    private static String read(String relative) throws IOException {
        return Files.readString(ROOT.resolve(relative));
    }

    /** The fenced blocks of a markdown text whose info string is {@code lang}. */
    private static List<String> blocks(String markdown, String lang) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("```" + lang + "\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    @DisplayName("the README's test command is the one .ci/run runs, and its second command is scripts/examples")
    void readmeCommandsMatchCi() throws IOException {
        List<String> commands = blocks(read("README.md"), "sh").get(0).lines()
                .map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty()).toList();
        assertEquals(List.of("scripts/mvn -B verify", "scripts/examples"), commands);
        List<String> ciMaven = read(".ci/run").lines().map(String::strip)
                .filter(l -> l.startsWith("scripts/mvn")).toList();
        assertEquals(1, ciMaven.size(), ".ci/run runs scripts/mvn once: " + ciMaven);
        assertTrue(ciMaven.get(0).startsWith(commands.get(0) + " "), ciMaven.get(0));
        assertTrue(Files.isExecutable(ROOT.resolve("scripts/examples")), "scripts/examples is executable");
    }

    @Test
    @DisplayName("the README's example is PowExample's code, which compiles in a module that requires futures.core only (of this library)")
    void readmeExampleIsCompiled() throws IOException {
        String example = blocks(read("README.md"), "java").get(0);
        String pow = read("examples/src/main/java/futures/examples/PowExample.java");
        // PowExample prints to the stream it is given where the README prints to System.out.
        for (String line : example.lines().map(l -> l.strip().replace("System.out.", "out.")).toList()) {
            if (!line.isEmpty() && !line.startsWith("//")) {
                assertTrue(pow.contains(line), "README line not in PowExample.java: " + line);
            }
        }
        String moduleInfo = read("examples/src/main/java/module-info.java").replaceAll("(?s)/\\*.*?\\*/", "");
        List<String> requires = moduleInfo.lines().map(String::strip).filter(l -> l.startsWith("requires"))
                .map(l -> l.replaceAll("\\s*//.*", "")).toList();
        assertEquals(List.of("requires futures.core;"), requires.stream().filter(l -> l.contains("futures.")).toList());
        // besides the library, only JDK modules: UrlExample's local server needs jdk.httpserver
        assertEquals(List.of("requires jdk.httpserver;"), requires.stream().filter(l -> !l.contains("futures.")).toList());
    }

    @Test
    @DisplayName("every message thrown by futures.spi, futures.core and the thread provider has its section in docs/errors.md")
    void everyThrownMessageIsDocumented() throws IOException {
        String errors = read("docs/errors.md");
        Pattern thrown = Pattern.compile("throw new \\w+\\(\\s*\"([^\"]+)\"");
        List<String> missing = new ArrayList<>();
        int seen = 0;
        for (String dir : List.of("futures.spi/src/main/java", "futures.core/src/main/java",
                "futures.providers/src/main/java/futures/providers/thread")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(dir))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = thrown.matcher(Files.readString(f));
                    while (m.find()) {
                        seen++;
                        // the message up to where a value is spliced in, without trailing separators
                        String fixed = m.group(1).replaceAll("[:;,' ]+$", "");
                        if (!errors.contains(fixed)) {
                            missing.add(ROOT.relativize(f) + ": " + fixed);
                        }
                    }
                }
            }
        }
        assertTrue(seen > 10, "found only " + seen + " throw sites: has the code moved?");
        assertEquals(List.of(), missing);
    }

    @Test
    @DisplayName("every #anchor linked from the README and docs/ exists in its target page")
    void anchorsResolve() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        Pattern link = Pattern.compile("\\]\\(([^)#\\s]*)#([^)\\s]+)\\)");
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            Matcher m = link.matcher(Files.readString(page));
            while (m.find()) {
                if (m.group(1).startsWith("http")) {
                    continue;
                }
                Path target = m.group(1).isEmpty() ? page : page.getParent().resolve(m.group(1)).normalize();
                if (Files.isRegularFile(target) && !anchors(Files.readString(target)).contains(m.group(2))) {
                    broken.add(ROOT.relativize(page) + " -> " + m.group(1) + "#" + m.group(2));
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    /** Explicit {@code <a id>} anchors and the ones GitHub makes from headings. */
    private static Set<String> anchors(String markdown) {
        Set<String> out = new HashSet<>();
        Matcher ids = Pattern.compile("<a id=\"([^\"]+)\"").matcher(markdown);
        while (ids.find()) {
            out.add(ids.group(1));
        }
        Matcher headings = Pattern.compile("(?m)^#+ (.*)$").matcher(markdown);
        while (headings.find()) {
            out.add(headings.group(1).strip().toLowerCase().replaceAll("[^\\w\\- ]", "").replace(' ', '-'));
        }
        return out;
    }
}
