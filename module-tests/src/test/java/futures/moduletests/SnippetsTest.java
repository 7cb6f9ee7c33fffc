package futures.moduletests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md and docs/ compiles, so the pages cannot show code that
 * has rotted. Each block is preceded by a marker comment that says what kind of code it is (the
 * convention is in docs/using.md, "Snippets in these pages"); a block without a marker fails the
 * test, so none is skipped in silence.
 *
 * <p>Kinds: {@code unit} (a whole source file), {@code module-info} (a module declaration whose code
 * is the page's units in packages under the module's name), {@code statements} (a method body) and
 * {@code members} (a class body); the last two may carry {@code given: ...}, Java member
 * declarations of the names the block uses but does not show. {@code not compiled; because: ...}
 * is for a block whose code this module cannot see (a module not on its path): it must say why,
 * and is counted and printed with its reason. The blocks of one page compile
 * together against the library's modules (and JUnit and the testkit, for the provider guide): the
 * modules of the page on the module path, everything else on the class path.
 */
class SnippetsTest {
    private static final Path ROOT = findRoot();
    private static final Pattern FENCE = Pattern.compile("^```java\\s*$");
    private static final Pattern MARKER = Pattern.compile(
            "^<!-- snippet: (unit|module-info|statements|members|not compiled)(?:; (?:given|because): (.*?))? -->$");
    private static final Pattern MODULE = Pattern.compile("(?m)^\\s*(?:open\\s+)?module\\s+([\\w.]+)");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
    private static final Pattern TYPE = Pattern.compile("(?m)^(?:public\\s+|final\\s+|abstract\\s+)*(?:class|interface|record|enum)\\s+(\\w+)");
    private static final Pattern REQUIRES = Pattern.compile("(?m)^\\s*requires\\s+(?:transitive\\s+|static\\s+)*([\\w.]+)\\s*;");

    /** What {@code statements} and {@code members} blocks see, besides java.lang. */
    private static final String IMPORTS = String.join("\n",
            "import futures.core.*;",
            "import futures.spi.*;",
            "import java.io.*;",
            "import java.math.*;",
            "import java.nio.file.*;",
            "import java.time.*;",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "import java.util.function.*;",
            "import futures.testkit.*;",
            // the names both futures.core and java.util.concurrent have: ours win, as the pages mean
            "import futures.core.Executor;",
            "import futures.core.Executors;",
            "import futures.core.Future;",
            "");

    record Block(Path page, int line, String kind, String given, String code) {
        String where() {
            return ROOT.relativize(page) + ":" + line;
        }
    }

    private static Path findRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(".ci/run")) && Files.isRegularFile(p.resolve("README.md"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (with .ci/run and README.md) above " + Path.of("").toAbsolutePath());
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The java blocks of a page; a block without a marker is returned with kind null. */
    static List<Block> blocks(Path page) throws IOException {
        List<String> lines = Files.readAllLines(page);
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!FENCE.matcher(lines.get(i)).matches()) {
                continue;
            }
            int start = i + 1;
            StringBuilder code = new StringBuilder();
            for (i = start; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                code.append(lines.get(i)).append('\n');
            }
            String kind = null;
            String given = "";
            int before = start - 2;
            while (before >= 0 && lines.get(before).isBlank()) {
                before--;
            }
            if (before >= 0) {
                Matcher m = MARKER.matcher(lines.get(before).strip());
                if (m.matches()) {
                    kind = m.group(1);
                    given = m.group(2) == null ? "" : m.group(2);
                }
            }
            out.add(new Block(page, start + 1, kind, given, code.toString())); // 1-based line of the first code line
        }
        return out;
    }

    /** {@code { ... }} and a line {@code ...} stand for code left out. */
    private static String elide(String code) {
        return code.replace("{ ... }", "{ }").replaceAll("(?m)^\\s*\\.\\.\\.\\s*$", "");
    }

    @Test
    @DisplayName("every ```java block of README.md and docs/ has a snippet marker and compiles")
    void everyJavaBlockCompiles(@TempDir Path out) throws IOException {
        List<String> problems = new ArrayList<>();
        int total = 0;
        Map<String, Integer> kinds = new LinkedHashMap<>();
        List<Path> pages = pages();
        for (Path page : pages) {
            List<Block> blocks = blocks(page);
            total += blocks.size();
            for (Block b : blocks) {
                if (b.kind() == null) {
                    problems.add(b.where() + ": a ```java block without a marker such as <!-- snippet: statements -->"
                            + " on the line before it (see docs/using.md, \"Snippets in these pages\")");
                } else if (b.kind().equals("not compiled") && b.given().isBlank()) {
                    problems.add(b.where() + ": <!-- snippet: not compiled --> needs a reason: <!-- snippet: not compiled; because: ... -->");
                } else {
                    kinds.merge(b.kind(), 1, Integer::sum);
                    if (b.kind().equals("not compiled")) {
                        System.out.println("SnippetsTest: not compiled, " + b.where() + ": " + b.given());
                    }
                }
            }
            if (!blocks.isEmpty() && blocks.stream().allMatch(b -> b.kind() != null)) {
                problems.addAll(compilePage(page, blocks, out.resolve(page.getFileName().toString().replace(".md", ""))));
            }
        }
        System.out.println("SnippetsTest: " + total + " java blocks in " + pages.size() + " pages " + kinds);
        assertTrue(total >= 20, "found only " + total + " java blocks: has the parsing broken?");
        if (!problems.isEmpty()) {
            fail(problems.size() + " problem(s) in the pages' java blocks:\n" + String.join("\n\n", problems));
        }
    }

    @Test
    @DisplayName("a block without a marker, and a block that does not compile, are reported with page and line")
    void theCheckCanFail(@TempDir Path dir) throws IOException {
        Path page = dir.resolve("page.md");
        Files.writeString(page, """
                text
                ```java
                int x = 1;
                ```
                <!-- snippet: statements; given: Executor executor; -->
                ```java
                Future<Integer> a = executor.submit(() -> b.result() + 5);
                Future<Integer> b = executor.submit(() -> 6);
                ```
                """);
        List<Block> blocks = blocks(page);
        assertEquals(2, blocks.size());
        assertEquals(null, blocks.get(0).kind());
        assertEquals("statements", blocks.get(1).kind());
        List<String> problems = compilePage(page, blocks.subList(1, 2), dir.resolve("out"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("page.md:7") && problems.get(0).contains("cannot find symbol"), problems.get(0));
    }

    /** Compiles one page's blocks: its modules first (in order of their requires), then the rest. */
    private static List<String> compilePage(Path page, List<Block> blocks, Path out) throws IOException {
        String pageId = page.getFileName().toString().replace(".md", "").replaceAll("[^A-Za-z0-9]", "_").toLowerCase(Locale.ROOT);
        Map<String, Block> modules = new LinkedHashMap<>();
        List<Block> units = new ArrayList<>();
        List<Source> loose = new ArrayList<>();
        int n = 0;
        for (Block b : blocks) {
            n++;
            String code = elide(b.code());
            switch (b.kind()) {
                case "module-info" -> {
                    Matcher m = MODULE.matcher(code);
                    if (!m.find()) {
                        return List.of(b.where() + ": marked module-info but declares no module");
                    }
                    modules.put(m.group(1), new Block(b.page(), b.line(), b.kind(), b.given(), code));
                }
                case "unit" -> units.add(new Block(b.page(), b.line(), b.kind(), b.given(), code));
                case "statements" -> loose.add(new Source(b, "snippets." + pageId, "Block" + n,
                        "package snippets." + pageId + ";\n" + IMPORTS
                                + "@SuppressWarnings(\"all\")\nclass Block" + n + " {\n" + b.given() + "\n"
                                + "void run() throws Throwable {\n", code, "}\n}\n"));
                case "not compiled" -> { } // counted and printed with its reason above
                case "members" -> loose.add(new Source(b, "snippets." + pageId, "Block" + n,
                        "package snippets." + pageId + ";\n" + IMPORTS
                                + "@SuppressWarnings(\"all\")\nclass Block" + n + " {\n" + b.given() + "\n", code, "}\n"));
                default -> throw new AssertionError(b.kind());
            }
        }
        // each unit belongs to the module with the longest name its package is in, else to the class path
        Map<String, List<Source>> byModule = new LinkedHashMap<>();
        modules.keySet().forEach(name -> byModule.put(name, new ArrayList<>()));
        for (Block u : units) {
            Matcher p = PACKAGE.matcher(u.code());
            Matcher t = TYPE.matcher(u.code());
            if (!t.find()) {
                return List.of(u.where() + ": marked unit but declares no top-level class, interface, record or enum");
            }
            String pkg = p.find() ? p.group(1) : "";
            String owner = modules.keySet().stream()
                    .filter(name -> pkg.equals(name) || pkg.startsWith(name + "."))
                    .max(Comparator.comparingInt(String::length)).orElse(null);
            Source s = new Source(u, pkg, t.group(1), "", u.code(), "");
            (owner == null ? loose : byModule.get(owner)).add(s);
        }
        List<String> problems = new ArrayList<>();
        List<String> modulePath = new ArrayList<>(libraryPath());
        List<String> done = new ArrayList<>();
        while (done.size() < modules.size()) {
            String next = modules.keySet().stream().filter(name -> !done.contains(name))
                    .filter(name -> requires(modules.get(name).code()).stream()
                            .noneMatch(r -> modules.containsKey(r) && !done.contains(r)))
                    .findFirst().orElse(null);
            if (next == null) {
                return List.of(ROOT.relativize(page) + ": the modules of this page require each other in a cycle");
            }
            Block info = modules.get(next);
            List<Source> sources = new ArrayList<>(byModule.get(next));
            sources.add(new Source(info, "", "module-info", "", info.code(), ""));
            Path dir = out.resolve(next);
            problems.addAll(compile(sources, dir, List.of("--module-path", String.join(File.pathSeparator, modulePath))));
            modulePath.add(0, dir.toString());
            done.add(next);
        }
        if (!loose.isEmpty()) {
            List<String> classPath = new ArrayList<>(modulePath);
            classPath.addAll(List.of(System.getProperty("java.class.path", "").split(File.pathSeparator)));
            problems.addAll(compile(loose, out.resolve("classes"),
                    List.of("--class-path", String.join(File.pathSeparator, classPath))));
        }
        return problems;
    }

    private static List<String> requires(String moduleInfo) {
        List<String> out = new ArrayList<>();
        Matcher m = REQUIRES.matcher(moduleInfo);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The library's modules and JUnit, as this test's JVM has them on its module path. */
    private static List<String> libraryPath() {
        String mp = System.getProperty("jdk.module.path", "");
        assertTrue(!mp.isEmpty(), "this test runs on the module path: jdk.module.path is empty");
        List<String> out = new ArrayList<>();
        for (String entry : mp.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                out.add(entry);
            }
        }
        return out;
    }

    /** One generated source file: what comes before the block, the block, what comes after. */
    record Source(Block block, String pkg, String name, String head, String code, String tail) {
        String text() {
            return head + code + tail;
        }

        int firstLine() {
            return (int) head.lines().count();
        }
    }

    private static List<String> compile(List<Source> sources, Path dir, List<String> pathOptions) throws IOException {
        Files.createDirectories(dir);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertTrue(javac != null, "no system Java compiler: run the tests on a JDK, not a JRE");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<JavaFileObject> files = new ArrayList<>();
        Map<JavaFileObject, Source> origin = new LinkedHashMap<>();
        for (Source s : sources) {
            String path = (s.pkg().isEmpty() ? "" : s.pkg().replace('.', '/') + "/") + s.name() + ".java";
            JavaFileObject f = new SimpleJavaFileObject(URI.create("string:///" + path), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return s.text();
                }
            };
            files.add(f);
            origin.put(f, s);
        }
        List<String> options = new ArrayList<>(List.of("--release", "21", "-proc:none", "-implicit:none", "-d", dir.toString()));
        options.addAll(pathOptions);
        boolean ok = javac.getTask(null, null, diagnostics, options, null, files).call();
        List<String> problems = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            Source s = origin.get(d.getSource());
            if (s == null) {
                problems.add(d.getMessage(Locale.ROOT));
                continue;
            }
            long lineInBlock = d.getLineNumber() - s.firstLine();
            String shown = lineInBlock >= 1 && lineInBlock <= s.code().lines().count()
                    ? s.block().where().replaceAll(":\\d+$", ":" + (s.block().line() + lineInBlock - 1))
                    : s.block().where() + " (in the code wrapped around the block)";
            problems.add(shown + " (" + s.block().kind() + "): " + d.getMessage(Locale.ROOT) + "\n" + s.code().strip());
        }
        if (!ok && problems.isEmpty()) {
            problems.add(sources.get(0).block().where() + ": javac failed without an error diagnostic");
        }
        return problems;
    }
}
