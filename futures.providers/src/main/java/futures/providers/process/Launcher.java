package futures.providers.process;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the command line of a child JVM that can load the same classes as this one: the same
 * java binary (unless configured), the module path, patches, reads, exports and opens this JVM
 * was started with (read from {@code RuntimeMXBean.getInputArguments()}, which is where Maven
 * Surefire's {@code --patch-module} shows up), its system properties given with {@code -D},
 * {@code -cp} from {@code java.class.path} plus the code sources of the futures classes (which a
 * launcher with a class loader of its own, such as {@code mvn exec:java}, keeps off that path), and
 * {@code --add-modules} with what makes the child's boot layer this JVM's ({@link #bootRoots}), so
 * that the user's modules and the JDK modules this JVM resolved are in the child's boot layer even
 * though the worker's module does not require them. The options go to an {@code @argfile}, since
 * a test class path easily exceeds the limits of a command line.
 *
 * <p>Not copied: {@code -X}/{@code -XX} options, agents and debugger options of the parent (they
 * name ports, files or heap sizes meant for one JVM); set what workers need with
 * {@code jvm_options}.
 *
 * <p>Immutable once made.
 */
final class Launcher {
    /**
     * Module-system options copied from the parent, in the {@code --name=value} form the JVM
     * reports. {@code --add-modules} is not among them: {@link #bootRoots} replaces it.
     */
    private static final List<String> COPIED_PREFIXES = List.of(
            "--module-path=", "--upgrade-module-path=", "--patch-module=", "--add-reads=",
            "--add-exports=", "--add-opens=", "--limit-modules=",
            "--enable-native-access=", "--illegal-native-access=", "--enable-preview", "-D");

    /**
     * Options every worker gets. JVM log output goes to stderr, never stdout (notes: the JVM logs to
     * stdout by default, which would mix into the user's output), and so do the VM's own messages
     * ({@code DisplayVMOutputToStderr}: a crash banner, "Error occurred during initialization of
     * boot layer"); {@code -UsePerfData} skips the hsperfdata file, which only tools like jps read.
     * There is no {@code -XX:+ExitOnOutOfMemoryError}: a call's {@code OutOfMemoryError} is the
     * call's exception, reported by the worker, which then exits ({@link WorkerMain}).
     */
    static final List<String> WORKER_OPTIONS = List.of(
            "-Xlog:disable", "-Xlog:all=warning:stderr", "-XX:-UsePerfData", "-XX:+DisplayVMOutputToStderr");

    /** The environment variables whose JVM options a worker's JVM (or its java launcher) reads. */
    static final List<String> OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    /**
     * The logging options of the JVM option variables ({@link #OPTION_VARIABLES}) of
     * {@code environment}, moved to stderr: {@code options} for the argfile (after
     * {@link #WORKER_OPTIONS}, which would otherwise disable them), and {@code variables}, the new
     * values of the variables (null: remove it). {@code -verbose:gc} in {@code JAVA_TOOL_OPTIONS}
     * logs to stdout whatever the command line says (the JVM applies it last), so it becomes
     * {@code -Xlog:gc:stderr}; {@code -XX:+PrintGC(Details)}, {@code -verbose:class},
     * {@code -verbose:module} and {@code -Xlog} to stdout likewise. Other options stay where they
     * are, and so does a variable with quotes (its words are not split here).
     */
    record LoggingMove(List<String> options, java.util.Map<String, String> variables) {}

    static LoggingMove moveLogging(java.util.Map<String, String> environment) {
        List<String> options = new ArrayList<>();
        java.util.Map<String, String> variables = new java.util.LinkedHashMap<>();
        for (String name : OPTION_VARIABLES) {
            String value = environment.get(name);
            if (value == null || value.indexOf('"') >= 0 || value.indexOf('\'') >= 0) {
                continue;
            }
            List<String> kept = new ArrayList<>();
            boolean moved = false;
            for (String word : splitOptions(value)) {
                String to = toStderr(word);
                if (to == null) {
                    kept.add(word);
                } else {
                    options.add(to);
                    moved = true;
                }
            }
            if (moved) {
                variables.put(name, kept.isEmpty() ? null : String.join(" ", kept));
            }
        }
        return new LoggingMove(List.copyOf(options), java.util.Collections.unmodifiableMap(variables));
    }

    /** {@code option} logging to stderr instead of stdout, or null if it is no logging option to stdout. */
    static String toStderr(String option) {
        switch (option) {
            case "-verbose:gc", "-XX:+PrintGC" -> {
                return "-Xlog:gc:stderr";
            }
            case "-XX:+PrintGCDetails" -> {
                return "-Xlog:gc*:stderr";
            }
            case "-verbose:class" -> {
                return "-Xlog:class+load=info,class+unload=info:stderr";
            }
            case "-verbose:module" -> {
                return "-Xlog:module+load=info,module+unload=info:stderr";
            }
            case "-Xlog" -> {
                return "-Xlog:all=info:stderr";
            }
            default -> {
                if (!option.startsWith("-Xlog:") || option.equals("-Xlog:disable") || option.startsWith("-Xlog:help")) {
                    return null;
                }
                String[] parts = option.substring("-Xlog:".length()).split(":", -1);
                if (parts.length == 1) {
                    return option + ":stderr";
                }
                if (parts[1].isEmpty() || parts[1].equals("stdout")) {
                    parts[1] = "stderr";
                    return "-Xlog:" + String.join(":", parts);
                }
                return null;
            }
        }
    }

    /** The oldest Java feature release a worker runs on: the futures classes are compiled for it. */
    static final int MINIMUM_JAVA = 21;

    /**
     * The feature release of the JDK or JRE whose binary {@code java} is, from the {@code release}
     * file beside its {@code bin} directory ({@code JAVA_VERSION="17.0.2"}: 17; {@code "1.8.0_402"}:
     * 8), following links; -1 if there is no such file or it says nothing readable.
     */
    static int javaFeature(Path java) {
        try {
            Path home = java.toRealPath().getParent().getParent();
            Path release = home.resolve("release");
            if (!Files.exists(release) && home.getFileName() != null && home.getFileName().toString().equals("jre")) {
                release = home.getParent().resolve("release"); // a JDK 8: <jdk>/jre/bin/java
            }
            for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "").trim();
                    if (v.startsWith("1.")) {
                        v = v.substring(2);
                    }
                    int end = 0;
                    while (end < v.length() && Character.isDigit(v.charAt(end))) {
                        end++;
                    }
                    return end == 0 ? -1 : Integer.parseInt(v.substring(0, end));
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown: the worker's start tells
        }
        return -1;
    }

    private Launcher() {}

    /**
     * This JVM's input arguments, read once: they cannot change while it runs, and the first read
     * loads and initializes java.management (measured at tens of ms in a fresh JVM), which later
     * pools need not pay again.
     */
    private static final class InputArguments {
        static final List<String> LIST = List.copyOf(ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** The java binary of this JVM. */
    static String currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java").toString();
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }

    /**
     * The JVM options and main-class arguments that start {@code main} in a child JVM with this
     * JVM's classes: everything that goes into the argfile.
     *
     * @param main the class whose {@code main} the child runs
     * @param extraOptions options placed after the copied ones, so they win
     */
    static List<String> javaArgs(Class<?> main, List<String> extraOptions) {
        String classPathProperty = System.getProperty("java.class.path", "");
        String modulePathProperty = System.getProperty("jdk.module.path");
        ArgsMemo m = lastArgs;
        if (m != null && m.main() == main && m.extraOptions().equals(extraOptions)
                && m.classPath().equals(classPathProperty) && Objects.equals(m.modulePath(), modulePathProperty)) {
            return m.args();
        }
        List<String> args = List.copyOf(computeJavaArgs(main, extraOptions));
        lastArgs = new ArgsMemo(main, List.copyOf(extraOptions), classPathProperty, modulePathProperty, args);
        return args;
    }

    /**
     * The last {@link #javaArgs} made, with what it was made from: a program that makes a pool per
     * request would otherwise work them out again each time (~0.5 ms of a young JVM's cycle). What
     * else they depend on cannot change while the JVM runs: its input arguments, the boot layer,
     * where the futures classes were loaded from. Immutable; replaced whole (volatile).
     */
    private record ArgsMemo(Class<?> main, List<String> extraOptions, String classPath, String modulePath,
            List<String> args) {}

    private static volatile ArgsMemo lastArgs;

    private static List<String> computeJavaArgs(Class<?> main, List<String> extraOptions) {
        List<String> args = new ArrayList<>();
        boolean modulePath = false;
        for (String a : InputArguments.LIST) {
            if (a.startsWith("-Djdk.module.") || a.startsWith("-Djava.class.path=") || a.startsWith("--add-modules=")) {
                continue; // set by the launcher from -m, -cp and --add-modules; ours are given below
            }
            for (String p : COPIED_PREFIXES) {
                if (a.startsWith(p)) {
                    args.add(a);
                    modulePath |= a.startsWith("--module-path=");
                    break;
                }
            }
        }
        String jdkModulePath = System.getProperty("jdk.module.path");
        if (!modulePath && jdkModulePath != null && !jdkModulePath.isEmpty()) {
            args.add("--module-path=" + jdkModulePath);
            modulePath = true;
        }
        Module module = main.getModule();
        boolean asModule = module.isNamed() && module.getLayer() == ModuleLayer.boot() && modulePath;

        Set<String> classPath = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!e.isBlank()) {
                classPath.add(e);
            }
        }
        if (!asModule) {
            Set<Path> have = new java.util.HashSet<>();
            for (String e : classPath) {
                have.add(Path.of(e).toAbsolutePath().normalize());
            }
            for (Class<?> c : futuresClasses(main)) {
                String own = location(c);
                if (own == null) {
                    if (c == main) {
                        continue; // a main class of a test without a code source: the class path may still hold it
                    }
                    throw new IllegalStateException(notFromFiles(c));
                }
                if (have.add(Path.of(own).toAbsolutePath().normalize())) {
                    classPath.add(own);
                }
            }
        }
        if (!classPath.isEmpty()) {
            args.add("-cp");
            args.add(String.join(File.pathSeparator, classPath));
        }
        String roots = bootRoots(asModule);
        if (!roots.isEmpty()) {
            args.add("--add-modules=" + roots);
        }
        args.addAll(extraOptions);
        if (asModule) {
            args.add("-m");
            args.add(module.getName() + "/" + main.getName());
        } else {
            args.add(main.getName());
        }
        return args;
    }

    /**
     * The classes whose code sources a worker on the class path needs: {@code main}'s, and one of
     * each futures module's ({@code futures.spi}, {@code futures.core}, {@code futures.providers}).
     * Under a launcher with a class loader of its own ({@code mvn exec:java}, an application
     * server, a plugin host), they are not on {@code java.class.path}: the worker gets them from
     * where this JVM loaded them.
     */
    private static List<Class<?>> futuresClasses(Class<?> main) {
        List<Class<?>> out = new ArrayList<>(List.of(main, WorkerMain.class, futures.spi.Task.class));
        try {
            out.add(Class.forName("futures.core.Executors", false, WorkerMain.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
            // futures.core is not where futures.providers is: the worker's fingerprint check says so
        }
        return out;
    }

    static String notFromFiles(Class<?> c) {
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        return "cannot start process pool workers: " + c.getName() + " was loaded from "
                + (cs == null || cs.getLocation() == null ? "no code source" : cs.getLocation())
                + ", not from a jar file or directory a worker JVM can put on its class path (a Spring Boot"
                + " executable jar's nested jars are like this). Put the futures jars (futures.spi, futures.core,"
                + " futures.providers) on the class path or module path as files: for Spring Boot, list them"
                + " under requiresUnpack of spring-boot-maven-plugin";
    }

    /**
     * What a worker adds to its default root modules so that its boot layer holds every module of
     * this JVM's boot layer, and no module this JVM did not resolve: the modules this JVM resolved
     * from the module path (or upgrade module path) and any incubator module it resolved (those are
     * never resolved by default), by name. A worker on the class path resolves the JDK's default
     * modules by itself, as this JVM did; a worker started as a module ({@code -m}) resolves only its
     * own module's by default, so it also gets {@code ALL-DEFAULT}. Never {@code ALL-MODULE-PATH}: a
     * jar on the module path that this JVM never resolved, perhaps with a requirement that is
     * missing, would kill every worker at start. When this JVM ran a main module of its own
     * ({@code -m}), its boot layer is that module's graph, and a worker started as a module gets
     * exactly its names instead. Empty, and no {@code --add-modules} at all, for a
     * plain class-path application: any {@code --add-modules} turns off the JDK's archived module
     * graph (CDS), which costs a worker ~25 ms of start.
     */
    static String bootRoots(boolean asModule) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        java.lang.module.Configuration boot = ModuleLayer.boot().configuration();
        for (java.lang.module.ResolvedModule m : boot.modules()) {
            boolean system = m.reference().location().map(u -> "jrt".equalsIgnoreCase(u.getScheme())).orElse(false);
            if (!system || m.name().startsWith("jdk.incubator.")) {
                names.add(m.name());
            }
        }
        if (asModule) {
            if (System.getProperty("jdk.module.main") != null) {
                // this JVM ran a module of its own: its boot layer is that module's graph, not the
                // JDK's default set, so the worker gets exactly its names
                java.util.TreeSet<String> all = new java.util.TreeSet<>();
                for (java.lang.module.ResolvedModule m : boot.modules()) {
                    all.add(m.name());
                }
                return String.join(",", all);
            }
            return names.isEmpty() ? "ALL-DEFAULT" : "ALL-DEFAULT," + String.join(",", names);
        }
        return String.join(",", names);
    }

    private static String location(Class<?> c) {
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            return null;
        }
        try {
            return classPathEntry(cs.getLocation().toURI());
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /**
     * The file a code source's location names, for a worker's class path: a {@code file:} URI, or
     * {@code jar:file:/x.jar!/} (how some hosts name a jar); null for anything else, such as a
     * Spring Boot nested jar ({@code jar:nested:/app.jar/!BOOT-INF/lib/x.jar!/}), {@code jrt:} or an
     * in-memory class loader's.
     */
    static String classPathEntry(java.net.URI location) {
        java.net.URI u = location;
        if ("jar".equalsIgnoreCase(u.getScheme())) {
            String inner = u.getRawSchemeSpecificPart();
            if (!inner.endsWith("!/") || inner.indexOf("!/") != inner.length() - 2) {
                return null; // an entry inside a jar, or a jar inside a jar
            }
            try {
                u = new java.net.URI(inner.substring(0, inner.length() - 2));
            } catch (URISyntaxException e) {
                return null;
            }
        }
        if (!"file".equalsIgnoreCase(u.getScheme())) {
            return null;
        }
        try {
            return Path.of(u).toString();
        } catch (RuntimeException e) { // a file: URI with an authority, a query...
            return null;
        }
    }

    /**
     * Splits {@code jvm_options} into options as a POSIX shell splits words (without expansions):
     * whitespace separates options; inside {@code '...'} every character is itself; inside
     * {@code "..."} a backslash escapes {@code "}, {@code \\}, {@code $} and {@code `} (else it
     * is itself); outside quotes a backslash makes the next character itself. Quotes join with
     * what is next to them, so {@code -Dmsg="hello world"} is one option, {@code -Dmsg=hello world}.
     *
     * @throws IllegalArgumentException if a quote is not closed, or the text ends with a lone backslash
     */
    static List<String> splitOptions(String options) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int n = options.length();
        for (int i = 0; i < n; i++) {
            char c = options.charAt(i);
            if (c == '\'') {
                int end = options.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated ' quote at index " + i + " of '" + options + "'");
                }
                word.append(options, i + 1, end);
                inWord = true;
                i = end;
            } else if (c == '"') {
                int j = i + 1;
                for (; j < n && options.charAt(j) != '"'; j++) {
                    char d = options.charAt(j);
                    if (d == '\\' && j + 1 < n && "\"\\$`".indexOf(options.charAt(j + 1)) >= 0) {
                        d = options.charAt(++j);
                    }
                    word.append(d);
                }
                if (j >= n) {
                    throw new IllegalArgumentException("unterminated \" quote at index " + i + " of '" + options + "'");
                }
                inWord = true;
                i = j;
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    throw new IllegalArgumentException("a lone backslash ends '" + options + "'");
                }
                word.append(options.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(word.toString());
        }
        return out;
    }

    /**
     * Makes a directory only this user can enter ({@code rwx------}), for the argfile and the
     * workers' sockets. It is short, since a Unix-domain socket path must stay under 108 bytes.
     */
    static Path privateDirectory() throws IOException {
        Path base = baseDirectory();
        if (isWindows()) {
            return Files.createTempDirectory(base, "futures-");
        }
        // Not Files.createTempDirectory: its first use makes a SecureRandom (~40 ms in a fresh JVM,
        // measured) before the first worker can start. The name need not be secret: mkdir with
        // rwx------ either makes a new directory, or fails if anything (a link included) has the
        // name, and then the next name is tried.
        FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
        long pid = ProcessHandle.current().pid();
        for (int attempt = 0; ; attempt++) {
            long n = DIRECTORIES.incrementAndGet() ^ (System.nanoTime() * 0x9e3779b97f4a7c15L);
            Path dir = base.resolve("futures-" + pid + "-" + Long.toHexString(n));
            try {
                return Files.createDirectory(dir, mode);
            } catch (FileAlreadyExistsException taken) {
                if (attempt >= 100) {
                    throw taken;
                }
            }
        }
    }

    private static final AtomicLong DIRECTORIES = new AtomicLong();

    /** {@code rwx------}: the mode of the pool's private directory and of the class-data cache's. */
    static final Set<PosixFilePermission> OWNER_ONLY = Set.copyOf(PosixFilePermissions.fromString("rwx------"));

    /**
     * Where the private directories go: {@code java.io.tmpdir}, or {@code /tmp} if that path is
     * long; but only a directory no other user can change ({@link Ownership}: another user owning
     * an ancestor could rename the pool's directory and put their own argfile in its place), else
     * {@code $XDG_RUNTIME_DIR}, else {@code /tmp}, with one WARNING per JVM saying why. Its real
     * path (links resolved).
     *
     * @throws IOException if none of them is safe
     */
    static Path baseDirectory() throws IOException {
        return baseDirectory(System.getProperty("java.io.tmpdir"), System.getenv("XDG_RUNTIME_DIR"));
    }

    /** {@link #baseDirectory()} for the given {@code java.io.tmpdir} and {@code $XDG_RUNTIME_DIR}. */
    static Path baseDirectory(String tmpdir, String xdgRuntimeDir) throws IOException {
        if (isWindows()) {
            return Path.of(tmpdir);
        }
        Path base = Path.of(tmpdir);
        if (base.toAbsolutePath().toString().length() > 60) {
            base = Path.of("/tmp");
        }
        String why = Ownership.problem(base);
        if (why == null) {
            return base.toRealPath();
        }
        StringBuilder refused = new StringBuilder(base + " (" + why + ")");
        List<Path> fallbacks = new ArrayList<>();
        if (xdgRuntimeDir != null && !xdgRuntimeDir.isEmpty() && Path.of(xdgRuntimeDir).isAbsolute()) {
            fallbacks.add(Path.of(xdgRuntimeDir));
        }
        fallbacks.add(Path.of("/tmp"));
        for (Path f : fallbacks) {
            String fwhy = Files.isDirectory(f) ? Ownership.problem(f) : "not a directory";
            if (fwhy == null) {
                warnOnce("tmpdir " + base, "the process pool does not use " + refused
                        + " for its private directory; it uses " + f + " instead");
                return f.toRealPath();
            }
            refused.append(", ").append(f).append(" (").append(fwhy).append(")");
        }
        throw new IOException("no directory for the process pool's private directory that other users cannot"
                + " change: " + refused + "; set java.io.tmpdir to a directory owned by this user");
    }

    /** The keys of the WARNINGs logged once per JVM (see {@link #warnOnce}). */
    private static final Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** How many WARNINGs {@link #warnOnce} logged: a test's seam. */
    static final java.util.concurrent.atomic.AtomicInteger WARNINGS = new java.util.concurrent.atomic.AtomicInteger();

    /** Test hook: when set, the WARNINGs of {@link #warnOnce} go to it instead of the logger. */
    static volatile java.util.function.Consumer<String> warningSink;

    /** Logs {@code message} at WARNING the first time this JVM calls this with {@code key}; never throws. */
    static void warnOnce(String key, String message) {
        if (WARNED.add(key)) {
            WARNINGS.incrementAndGet();
            java.util.function.Consumer<String> sink = warningSink;
            if (sink != null) {
                sink.accept(message);
                return;
            }
            try {
                System.getLogger("futures.providers.process").log(System.Logger.Level.WARNING, message);
            } catch (Throwable ignored) {
                // logging must not fail the pool
            }
        }
    }

    /** The argfile's name in a pool's private directory. */
    static final String ARG_FILE = "worker.args";

    /** A private directory's name ({@code futures-<pid>-<hex>}, POSIX) and a worker's socket in it. */
    private static final Pattern DIRECTORY_NAME = Pattern.compile("futures-(\\d{1,19})-[0-9a-f]{1,16}");
    private static final Pattern SOCKET_NAME = Pattern.compile("w\\d{1,10}\\.sock");

    /** Where worker {@code index} of the pool with private directory {@code dir} finds its socket. */
    static Path socketPath(Path dir, int index) {
        return dir.resolve("w" + index + ".sock");
    }

    /**
     * Removes the private directories that pools of JVMs now gone left behind: a JVM killed with
     * SIGKILL, or one that crashed, cannot remove its own (as the JVM itself does with the
     * {@code hsperfdata} files of dead JVMs). Removed: a directory (not a link) beside
     * {@code own} named {@code futures-<pid>-<hex>}, owned by this user, whose pid is no live
     * process (a zombie or a reused pid counts as live: it is left for a later sweep), unchanged
     * for {@link #STALE_AFTER_MILLIS}, holding nothing but what a pool puts there (its argfile,
     * workers' sockets, the class cache's link), and whose argfile this JVM can lock (a live pool
     * holds that lock, see {@link #lockArgFile}) or that has no argfile (its JVM exited while
     * making or deleting it). Anything else is left alone. At most {@link #SWEEP_LISTED} entries
     * are read, {@link #SWEEP_EXAMINED} of them looked at. Failures are quiet, since this is
     * housekeeping: one directory's skips that directory, and one of the listing ends the sweep.
     *
     * @param own this JVM's own private directory: its owner is "this user", its parent the base
     * @return how many directories were removed
     */
    static int sweepStaleDirectories(Path own) {
        if (ProcessHandle.of(ProcessHandle.current().pid()).isEmpty()) {
            return 0; // pids cannot be looked up here (no /proc?): every pool would look dead
        }
        long youngest = System.currentTimeMillis() - STALE_AFTER_MILLIS;
        int removed = 0;
        int listed = 0;
        int examined = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(own.getParent())) {
            UserPrincipal me = Files.getOwner(own, LinkOption.NOFOLLOW_LINKS);
            for (Path d : entries) {
                if (++listed > SWEEP_LISTED || examined >= SWEEP_EXAMINED) {
                    break; // bounded: a directory full of others' entries must not slow a pool's start
                }
                if (!d.getFileName().toString().startsWith("futures-")) {
                    continue;
                }
                examined++;
                try {
                    if (removeIfStale(d, own, me, youngest)) {
                        removed++;
                    }
                } catch (IOException | RuntimeException e) {
                    // this one vanished, or is not ours to remove: the others are still looked at
                }
            }
        } catch (IOException | RuntimeException e) {
            // housekeeping only
        }
        return removed;
    }

    private static boolean removeIfStale(Path d, Path own, UserPrincipal me, long youngest) throws IOException {
        Matcher m = DIRECTORY_NAME.matcher(d.getFileName().toString());
        if (!m.matches() || d.equals(own) || !Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(m.group(1));
        } catch (NumberFormatException tooLarge) {
            return false;
        }
        // The pid check comes before the argfile is opened: this JVM's own pools carry its live
        // pid, and closing a channel of a file this JVM has locked through another channel would
        // drop that lock (POSIX locks belong to the process, and any close releases them).
        if (ProcessHandle.of(pid).isPresent()
                || !me.equals(Files.getOwner(d, LinkOption.NOFOLLOW_LINKS)) || !onlyPoolFiles(d)
                || Files.getLastModifiedTime(d, LinkOption.NOFOLLOW_LINKS).toMillis() > youngest) {
            return false;
        }
        if (!Files.exists(d.resolve(ARG_FILE), LinkOption.NOFOLLOW_LINKS)) {
            // No argfile: its JVM exited (System.exit, SIGTERM) between making the directory and
            // the argfile, or after its cleanup deleted the argfile and before the directory; a
            // live pool writes its argfile right after mkdir, far less than STALE_AFTER_MILLIS ago.
            deletePoolDirectory(d);
            return !Files.exists(d, LinkOption.NOFOLLOW_LINKS);
        }
        // The lock tells a live pool in another PID namespace sharing this directory
        // (containers sharing /tmp), whose pid means nothing here: it holds the lock.
        try (FileChannel arg = FileChannel.open(d.resolve(ARG_FILE), StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
                FileLock lock = arg.tryLock()) {
            if (lock == null) {
                return false;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
                for (Path f : files) {
                    if (isPoolFile(f.getFileName().toString())) { // anything else keeps the directory
                        Files.deleteIfExists(f);
                    }
                }
            }
            Files.deleteIfExists(d);
            return true;
        } catch (OverlappingFileLockException lockedByThisJvm) {
            return false;
        }
    }

    private static boolean isPoolFile(String name) {
        return name.equals(ARG_FILE) || SOCKET_NAME.matcher(name).matches() || name.startsWith(ClassCache.LINK);
    }

    /**
     * The private directories of this JVM's live pools, which one shutdown hook deletes if the JVM
     * exits before they do: never {@code File.deleteOnExit}, whose list only grows (2 entries per
     * pool, kept until the JVM exits). A concurrent set; a pool adds its own and removes it when it
     * deletes it ({@link #deleteNow}); each with whether its pool still has work (see {@link #deleteLive}).
     */
    private static final java.util.Map<Path, java.util.function.BooleanSupplier> LIVE =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    /**
     * Has {@code dir} (a pool's private directory) deleted at JVM exit unless {@link #deleteNow}
     * comes first; {@code busy} tells whether its pool still has queued or running work.
     */
    static void deleteAtExit(Path dir, java.util.function.BooleanSupplier busy) {
        if (HOOKED.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(Launcher::deleteLive, "futures-process-cleanup"));
            } catch (IllegalStateException exiting) {
                // the JVM is exiting already
            }
        }
        LIVE.put(dir, busy);
    }

    /** Deletes a pool's private directory with what a pool put in it, and forgets it; never throws. */
    static void deleteNow(Path dir) {
        LIVE.remove(dir);
        deletePoolDirectory(dir);
    }

    /** How many private directories are registered for deletion at exit: a test's seam. */
    static int liveDirectories() {
        return LIVE.size();
    }

    /**
     * The shutdown hook. On a normal exit it first waits, pool by pool, until the pool has no
     * queued or running work: the core's exit guard, another hook that runs at the same time,
     * waits for those futures then, and a pool finishing them may need its argfile to start a
     * worker ({@code File.deleteOnExit} ran only after every hook, for the same reason). On
     * {@code System.exit} or a signal it deletes at once, since then nothing waits for pending
     * work. A socket a worker makes after the delete keeps its directory until a later JVM's sweep.
     */
    private static void deleteLive() {
        boolean normalExit = !explicitExit();
        for (java.util.Map.Entry<Path, java.util.function.BooleanSupplier> e : LIVE.entrySet()) {
            try {
                while (normalExit && e.getValue().getAsBoolean()) {
                    Thread.sleep(10);
                }
            } catch (InterruptedException | RuntimeException stop) {
                // nothing interrupts this thread on purpose: delete now
            }
            deletePoolDirectory(e.getKey());
        }
    }

    /**
     * Whether the JVM exits through {@code System.exit}, {@code Runtime.exit} or a signal (a thread
     * is in {@code Shutdown.exit}), rather than because its last non-daemon thread ended; the
     * core's exit guard tells the two apart the same way.
     */
    private static boolean explicitExit() {
        for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().equals("java.lang.Shutdown") && frame.getMethodName().equals("exit")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void deletePoolDirectory(Path d) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
            for (Path f : files) {
                if (isPoolFile(f.getFileName().toString())) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone already, or not ours: the directory's delete below fails quietly too
        }
        try {
            Files.deleteIfExists(d);
        } catch (IOException | RuntimeException e) {
            // something else is in it, or it is gone
        }
    }

    private static final AtomicBoolean SWEPT = new AtomicBoolean();

    /** A directory changed this recently is left alone: its pool may be between mkdir and locking its argfile. */
    static final long STALE_AFTER_MILLIS = 60_000;
    /**
     * A sweep reads at most this many entries of the directory, and looks closer (a few file
     * system calls each) at no more than {@link #SWEEP_EXAMINED} named {@code futures-*}: 100,000
     * such entries of others made a JVM's first pool take 2-2.8 s before this bound. What is left
     * goes at a later JVM's sweep, as entries come and go.
     */
    static final int SWEEP_LISTED = 4096;
    /** See {@link #SWEEP_LISTED}. */
    static final int SWEEP_EXAMINED = 256;

    /**
     * Opens and locks a pool's argfile for as long as the pool lives (the lock goes with the
     * process): the sweep of a JVM that cannot see this JVM's pid (another PID namespace sharing
     * the directory) then knows the pool is alive. Null if the file system cannot lock; the sweep
     * then cannot lock it either and leaves it alone. Null on Windows, where there is no sweep and
     * a lock is mandatory: the worker's java launcher could not read the locked argfile.
     */
    static FileChannel lockArgFile(Path argFile) {
        if (isWindows()) {
            return null;
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(argFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            if (ch.tryLock() != null) {
                return ch;
            }
        } catch (IOException | RuntimeException e) {
            // no locking here
        }
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing held
            }
        }
        return null;
    }

    /** {@link #sweepStaleDirectories} the first time a JVM calls this (POSIX only); later calls do nothing. */
    static void sweepStaleDirectoriesOnce(Path own) {
        if (!isWindows() && SWEPT.compareAndSet(false, true)) {
            sweepStaleDirectories(own);
        }
    }

    private static boolean onlyPoolFiles(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (!isPoolFile(f.getFileName().toString()) || Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Writes {@code args} to an argfile the java launcher reads with {@code @file}: each argument
     * in double quotes, with {@code \\} and {@code "} escaped by a backslash, and the characters
     * that would end or split a line written as the escapes the launcher reads back inside quotes
     * ({@code \n}, {@code \r}, {@code \t}, {@code \f}): a newline in a parent's {@code -D}
     * value must not start a worker option of its own.
     */
    static Path writeArgFile(Path dir, List<String> args) throws IOException {
        Path file = dir.resolve(ARG_FILE);
        writeArgs(file, args);
        return file;
    }

    /** Writes {@code args} to the argfile {@code file}, as {@link #writeArgFile} does. */
    static void writeArgs(Path file, List<String> args) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String a : args) {
            sb.append('"');
            for (int i = 0; i < a.length(); i++) {
                char c = a.charAt(i);
                switch (c) {
                    case '\\', '"' -> sb.append('\\').append(c);
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    case '\f' -> sb.append("\\f");
                    default -> sb.append(c);
                }
            }
            sb.append("\"\n");
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }

    /**
     * Describes a process's exit status as a shell would: {@code "exit code 1"}, or for a code
     * above 128 on POSIX, the signal that killed it: {@code "killed by signal 9 (SIGKILL), exit code 137"}.
     */
    static String describeExit(int code) {
        if (!isWindows() && code > 128 && code < 128 + SIGNALS.length) {
            int sig = code - 128;
            return "killed by signal " + sig + " (" + SIGNALS[sig] + "), exit code " + code;
        }
        if (code == Codec.SKEW_EXIT) {
            return "exit code " + code + " (the worker's futures classes are not the parent's: were the futures"
                    + " jars replaced while the pool ran?)";
        }
        if (code == WorkerMain.MISSING_EXIT) {
            return "exit code " + code + " (the worker could not load the futures classes: see its message on stderr)";
        }
        if (code == 3) {
            return "exit code 3 (the code a worker exits with when it runs out of memory and cannot report it,"
                    + " or under -XX:+ExitOnOutOfMemoryError: it probably ran out of memory)";
        }
        return "exit code " + code;
    }

    private static final String[] SIGNALS = {
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM"
    };

    /**
     * The resident set of process {@code pid} in bytes, from the {@code VmRSS} line of
     * {@code /proc/PID/status} (Linux), or -1 if it cannot be read (no such file, the process is
     * gone). About 20-40 us: read only when {@code max_worker_memory} is set.
     */
    static long residentBytes(long pid) {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring(6).trim();
                    int space = kb.indexOf(' ');
                    return Long.parseLong(space < 0 ? kb : kb.substring(0, space)) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone: no figure
        }
        return -1;
    }
}
