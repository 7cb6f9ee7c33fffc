package futures.moduletests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The build snippets in README.md and docs/ name versions a user's build accepts, and the ones
 * this build uses: every {@code <dependency>} and {@code <plugin>} of an {@code xml} block has a
 * {@code <version>} (Maven refuses a dependency without one), and the library's, JUnit's, Surefire's
 * and the compiler plugin's are the root pom's; so are the Gradle coordinates.
 */
class DocsVersionsTest {
    private static final Path ROOT = findRoot();

    private static Path findRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(".ci/run")) && Files.isRegularFile(p.resolve("README.md"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }

    private static String pomValue(String pom, String element) {
        Matcher m = Pattern.compile("<" + Pattern.quote(element) + ">([^<]+)</").matcher(pom);
        assertTrue(m.find(), "root pom.xml has no <" + element + ">");
        return m.group(1).strip();
    }

    @Test
    @DisplayName("every dependency and plugin in the docs' xml blocks has a version, and it is the one this build uses")
    void docsNameTheBuildsVersions() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        String project = pomValue(pom, "version"); // the parent's own version comes first
        Map<String, String> expected = Map.of(
                "futures.spi", project, "futures.core", project, "futures.providers", project, "futures.testkit", project,
                "junit-jupiter", pomValue(pom, "junit.version"),
                "maven-surefire-plugin", pomValue(pom, "surefire.plugin.version"),
                "maven-compiler-plugin", pomValue(pom, "compiler.plugin.version"));
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        Pattern xmlBlock = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL);
        Pattern element = Pattern.compile("<(dependency|plugin)>(.*?)</\\1>", Pattern.DOTALL);
        Pattern gradle = Pattern.compile("\"io\\.github\\.futures:([\\w.]+):([^\"]+)\"");
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Path page : pages) {
            String text = Files.readString(page);
            Matcher block = xmlBlock.matcher(text);
            while (block.find()) {
                Matcher e = element.matcher(block.group(1));
                while (e.find()) {
                    checked++;
                    String body = e.group(2);
                    Matcher artifact = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(body);
                    Matcher version = Pattern.compile("<version>([^<]+)</version>").matcher(body);
                    String name = artifact.find() ? artifact.group(1).strip() : "?";
                    if (!version.find()) {
                        wrong.add(ROOT.relativize(page) + ": <" + e.group(1) + "> " + name + " has no <version>");
                    } else if (expected.containsKey(name) && !expected.get(name).equals(version.group(1).strip())) {
                        wrong.add(ROOT.relativize(page) + ": " + name + " " + version.group(1).strip()
                                + ", but this build uses " + expected.get(name));
                    }
                }
            }
            Matcher g = gradle.matcher(text);
            while (g.find()) {
                checked++;
                if (!project.equals(g.group(2))) {
                    wrong.add(ROOT.relativize(page) + ": io.github.futures:" + g.group(1) + ":" + g.group(2)
                            + ", but this build is " + project);
                }
            }
        }
        assertTrue(checked >= 8, "checked only " + checked + " dependencies and plugins: has the parsing broken?");
        assertEquals(List.of(), wrong);
    }
}
