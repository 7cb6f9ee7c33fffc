package futures.providers.process;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.channels.FileChannel;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.ZipException;

/**
 * The workers' class-data cache: an archive of what a worker loads and links at its start, so
 * that later workers map it instead of loading, parsing, verifying and linking those classes
 * again. Two kinds, by the worker's JDK:
 * <ul>
 * <li>JDK 25 and later: the JDK's <b>AOT cache</b> (JEP 483/514/515). The training worker runs
 *     with {@code -XX:AOTMode=record}; after it exits, the parent starts the JDK's assembly step
 *     ({@code -XX:AOTMode=create}, a short JVM that runs no main) in the background, at a low
 *     priority, and no pool waits for it; later workers get {@code -XX:AOTCache}. It also keeps
 *     lambdas and method handles linked. Measured: 16-20% off
 *     one worker's time to its first result, 19-22% off two starting at once on 2 cores.
 * <li>JDK 19 to 24: a dynamic CDS archive ({@code -XX:ArchiveClassesAtExit}, then
 *     {@code -XX:SharedArchiveFile}): 2-4% and 9-14%.
 * </ul>
 * One archive per <em>key</em>: the kind, the java binary and its JDK, every option and argument
 * of the worker's argfile, the JVM options in the environment, and the size, modification time,
 * file key and CRC-32 of every jar on its class path and module path and named in the manifest
 * {@code Class-Path} of a class path jar. A changed jar, option or JDK gives another key, so an
 * archive is only ever offered to the exact worker set-up that wrote it; and a pool offers none,
 * nor trains, once one of those files changed after the pool was made. For a CDS archive the
 * JVM's own class-path checks come on top; the JDK 25 AOT cache has none that work (it served a
 * rebuilt jar's old classes, JDK-8377932), so there the key, with the jars' contents in it, is
 * the only check, which is why it reads every jar (once per JVM and jar file).
 *
 * <p>Safety, as measured on JDK 25.0.3 (see docs/process-provider.md): a damaged archive whose
 * header is intact makes the JVM crash (SIGSEGV), so a worker is only given an archive whose
 * CRC-32C and size match the checksum file its training wrote beside it (checked here, in the
 * parent, once per JVM and archive file; the JVM's own {@code -XX:+VerifySharedSpaces} would
 * check the same but also the JDK's base archive, at every start: about 30 ms, more than the cache
 * saves); the JVM's CDS messages go nowhere ({@code -Xlog:cds*=off}), so a stale archive never
 * prints on the user's stderr; archives are written by one training worker per pool into a file
 * of its own and moved into place atomically, checksum first, and only after that worker exited
 * with code 0 (and, for an AOT cache, its assembly step too); the directory must be a real
 * directory (not a link) owned by this user with mode {@code rwx------}, since the JVM maps the
 * archive as class metadata. The JDK's own messages about the cache go nowhere: its log tags are
 * off in every worker of a pool with the cache, and the training worker of an AOT cache, which
 * the JVM makes print a line on stdout at its exit, runs with {@code -XX:-DisplayVMOutput}.
 *
 * <p>No cache (and nothing changes) when: the setting is {@code off}; the OS has no POSIX file
 * permissions; {@code jvm_options} or the environment's {@code JDK_JAVA_OPTIONS},
 * {@code JAVA_TOOL_OPTIONS} or {@code _JAVA_OPTIONS} (which the workers inherit, and which are
 * part of the key) already choose CDS or AOT settings or an options file; the parent runs with
 * {@code --patch-module}, {@code --upgrade-module-path} or {@code --limit-modules} (the JVM turns
 * CDS off then); an entry of the class path, or a jar named in the manifest {@code Class-Path}
 * of one, is a directory, or an entry is missing, or one of the module path is neither a jar nor
 * a directory of jars (the JVM cannot archive from directories); the worker's JDK is older than
 * 19 or its version unknown. No AOT cache (a CDS archive instead) where {@code /bin/sh}, which
 * runs its assembly step, is missing (a distroless image).
 *
 * <p>On by default ({@code auto}, or the system property {@value #PROPERTY}), in the user's cache
 * directory, bounded: at most {@value #KEEP} archives and {@value #KEEP_BYTES} bytes ({@link #prune}).
 *
 * <p>Immutable (the lists of watched files and their identities too), but for {@code training},
 * an atomic flag that makes at most one worker of a pool train. Shared by all pools of the JVM:
 * {@link #PENDING}, a concurrent set of the archives being trained or assembled (one training
 * per archive and JVM: added by the pool that trains, removed when its training or assembly
 * ends); {@link #FAILED}, a concurrent set of the archives whose training or assembly failed
 * (no pool of the JVM trains them again); {@link #ASSEMBLING}, a concurrent set of
 * the assembly steps under way (its monitor is
 * notified when one ends); {@link #TOLD}, an atomic flag for the one DEBUG line;
 * {@link #SWEPT}, an atomic flag that makes one pool prune at its first worker's start, and
 * {@link #VERIFIED} and {@link #JAR_CRCS}, concurrent maps that remember what was read (an
 * archive found intact, a jar's CRC and manifest), each entry tied to the file's identity (file
 * key, size, modification time), so a rewritten file is read again; two threads may compute the
 * same entry, and both results are equal.
 */
final class ClassCache {
    /** Config value: no cache. */
    static final String OFF = "off";
    /** Config value (the default): the cache in the per-user directory. */
    static final String AUTO = "auto";
    /**
     * The system property that sets {@code class_cache} for every pool of the JVM that does not
     * set it itself (same values): {@code -Dfutures.class_cache=off} turns the cache off without a
     * change to the code.
     */
    static final String PROPERTY = "futures.class_cache";

    /** Worker options that mean the user chose CDS or AOT settings; the cache then stays out of the way. */
    private static final List<String> USER_CHOICE = List.of("-Xshare", "SharedArchiveFile", "ArchiveClassesAtExit",
            "AutoCreateSharedArchive", "UseSharedSpaces", "SharedClassListFile", "DumpLoadedClassList",
            "-XX:AOT", "VerifySharedSpaces", "VMOptionsFile", "-XX:Flags=");
    /**
     * The environment variables whose options every JVM (or the java launcher) reads besides its
     * command line: the workers inherit them, so a {@code -Xshare:off} there would make the
     * training worker fail at its start, and the pool break.
     */
    private static final List<String> ENV_OPTIONS = List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS");
    /** Parent options with which the JVM turns CDS off. */
    private static final List<String> CDS_OFF = List.of("--patch-module", "--upgrade-module-path", "--limit-modules");

    /** Worker options when the cache is on: the JVM's CDS messages (a stale or damaged archive) go nowhere. */
    private static final List<String> QUIET_CDS = List.of("-Xlog:cds*=off:stderr");
    /** The same for the AOT cache, whose messages also have the {@code aot} tag (JDK 25+). */
    private static final List<String> QUIET_AOT = List.of("-Xlog:cds*=off:stderr", "-Xlog:aot*=off:stderr");
    /**
     * At most this many archives are kept (an AOT cache is 10-15 MB, a CDS archive 1-2 MB); the
     * least recently used go first. With {@link #KEEP_BYTES}: the cache is on by default, in the
     * user's home, so it stays small; one application has one worker set-up per JDK and jars.
     */
    static final int KEEP = 4;
    /** At most this many bytes of archives are kept (the most recently used one always is). */
    static final long KEEP_BYTES = 64L << 20;
    /** The first JDK whose AOT cache the pool uses (the one measured; it also has the {@code aot} log tag). */
    static final int AOT_FROM = 25;
    /**
     * The longest an AOT cache's assembly step may take before it is killed: it takes 1-2 s (more
     * at its low priority on a busy machine). It runs in the background: no pool waits for it.
     */
    static final long ASSEMBLY_TIMEOUT_SECONDS = 60;
    /** The niceness of the assembly step, where {@code nice} is found: it yields the CPU to the user's own work. */
    static final int ASSEMBLY_NICENESS = 10;
    /**
     * The assembly step, run by {@code /bin/sh} so that it finishes and leaves its archive even if
     * the parent JVM exits meanwhile: {@code sh -c SCRIPT sh CONFIGURATION ARGFILE MADE READY JAVA @ARGFILE}.
     * It runs the java command (at a lower priority with {@code nice}, killed after
     * {@value #ASSEMBLY_TIMEOUT_SECONDS} s with {@code timeout}, where each is found), its output
     * discarded; deletes the configuration and the argfile; and if java exited with 0 and wrote a
     * non-empty file, renames it to READY (atomically: a READY file is a complete archive), else
     * deletes it and exits with 1. The parent, if alive, then checksums READY and moves it into
     * place; if not, the next pool of this worker set-up does ({@link #adopt}).
     */
    private static final String ASSEMBLY_SCRIPT = "c=$1 a=$2 m=$3 r=$4; shift 4; n=; t=;"
            + " command -v nice >/dev/null 2>&1 && n='nice -n " + ASSEMBLY_NICENESS + "';"
            + " command -v timeout >/dev/null 2>&1 && t='timeout -s KILL " + ASSEMBLY_TIMEOUT_SECONDS + "';"
            + " $t $n \"$@\" </dev/null >/dev/null 2>&1; s=$?; rm -f \"$c\" \"$a\";"
            + " if [ $s -eq 0 ] && [ -s \"$m\" ]; then mv -f \"$m\" \"$r\"; else rm -f \"$m\"; exit 1; fi";
    /** The shell that runs {@link #ASSEMBLY_SCRIPT}. */
    private static final String SH = "/bin/sh";
    /**
     * Test hook: the shell that runs {@link #ASSEMBLY_SCRIPT} ({@value #SH}). Where it is not an
     * executable file (a distroless image), no pool chooses the AOT cache, whose assembly needs
     * it, but the CDS archive, which needs none.
     */
    static volatile String shell = SH;
    /** The suffix of an assembled archive not yet checksummed and moved into place ({@link #adopt}). */
    private static final String READY = ".ready";

    /**
     * Test hook: false makes every pool use a dynamic CDS archive even on a JDK with the AOT
     * cache, so that both kinds are tested on one JDK. Set before the pools it is meant for.
     */
    static volatile boolean aotAllowed = true;

    private static final AtomicLong TRAININGS = new AtomicLong();
    /**
     * The archives a worker of this JVM is training, or whose assembly step runs: no other pool of
     * the JVM trains them meanwhile (a pool made while the first pool's archive is assembled in the
     * background would otherwise start a second training worker). An entry is added by
     * {@link #next} and removed when that training ends ({@link #trained}, or its assembly's end).
     */
    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();
    /**
     * The archives whose training or assembly failed in this JVM (the training worker exited
     * with another code than 0 or wrote nothing, or the assembly step could not start, failed or
     * overran): no later pool of the JVM trains them again, so a set-up whose training always
     * fails costs one training per JVM, not one per pool (each would start a recording worker,
     * write ~9 MB at its exit and make the JVM's exit wait for it). Only added to, but by a test.
     */
    private static final Set<Path> FAILED = ConcurrentHashMap.newKeySet();
    /**
     * The trainings of this JVM under way (from the training worker's start to the end of its
     * assembly step), by the common start of their files' names
     * ({@code <archive>.<pid>-<n>-<random>}, see {@link #stem}): {@link #prune} leaves their files
     * alone however old they are. Added by
     * {@link #next}, removed where {@link #PENDING} is.
     */
    private static final Set<String> IN_FLIGHT = ConcurrentHashMap.newKeySet();
    /**
     * Leftover training files younger than this may be another JVM's training under way (its
     * worker writes the file as it exits, its assembly step runs up to
     * {@value #ASSEMBLY_TIMEOUT_SECONDS} s more): {@link #prune} leaves them.
     */
    static final long FRESH_SECONDS = 2 * (ASSEMBLY_TIMEOUT_SECONDS + 5);
    /** The assembly steps under way (their shell processes): a test's seam ({@link #awaitAssemblies}). */
    private static final Set<Process> ASSEMBLING = ConcurrentHashMap.newKeySet();
    /**
     * Training workers that retired and are exiting (their JVM writes the training file as it
     * exits), with nothing of their pool waiting for them: each is taken once
     * ({@link Exiting#claimed}) by its daemon thread when it exits, or by the shutdown hook
     * ({@link #HOOK}) if this JVM exits first.
     */
    private static final Set<Exiting> EXITING = ConcurrentHashMap.newKeySet();
    /** Whether the shutdown hook that finishes {@link #EXITING} at this JVM's exit was added. */
    private static final AtomicBoolean HOOK = new AtomicBoolean();
    /** How long a retired training worker may take to exit (writing its training file) before it is killed. */
    static final long TRAINING_EXIT_SECONDS = 10;
    /**
     * The longest the shutdown hook makes this JVM's exit wait, for all its exiting training
     * workers together (each killed when the time is up), and their assembly steps' starts.
     */
    static final long HOOK_SECONDS = 15;
    /** Whether the DEBUG line that says the cache was trained was logged in this JVM (a test resets it). */
    static final AtomicBoolean TOLD = new AtomicBoolean();
    /** Whether a pool of this JVM pruned the cache directory at its first worker's start ({@link #sweepOnce}). */
    private static final AtomicBoolean SWEPT = new AtomicBoolean();
    /** Archive path to the identity (file key, size, modification time) it had when found intact. */
    private static final ConcurrentHashMap<Path, List<Object>> VERIFIED = new ConcurrentHashMap<>();
    /** Jar path (real) to its identity, CRC-32 and manifest Class-Path, as last read. */
    private static final ConcurrentHashMap<Path, Jar> JAR_CRCS = new ConcurrentHashMap<>();

    /** Worker options that load an agent: its code would run in the AOT cache's assembly step, so that kind is not used. */
    private static final List<String> AGENTS = List.of("-javaagent", "-agentlib", "-agentpath");
    /**
     * Worker options that write files at a JVM's start or exit (or run the user's commands when it
     * fails), left out of the assembly step's command.
     */
    private static final List<String> WRITERS = List.of("-Xlog", "-XX:StartFlightRecording", "-XX:FlightRecorderOptions",
            "-XX:+LogVMOutput", "-XX:LogFile", "-XX:+LogCompilation", "-XX:+PerfDataSaveToFile", "-XX:PerfDataSaveFile",
            "-XX:OnOutOfMemoryError", "-XX:OnError", "-XX:+HeapDumpOnOutOfMemoryError");

    private final Path dir;
    private final Path archive;
    private final boolean aot;
    /** The worker's java binary, which also runs the AOT cache's assembly step. */
    private final String java;
    /** The assembly step's arguments but for its file options: the worker's, less {@link #WRITERS}; empty for CDS. */
    private final List<String> assembly;
    /** The files the key was made from, and their identities then; see {@link #unchanged}. */
    private final List<Path> watched;
    private final List<List<Object>> watchedIds;
    private final String why;
    private final AtomicBoolean training = new AtomicBoolean();

    private ClassCache(Path dir, Path archive, boolean aot, String java, List<String> assembly, List<Path> watched,
            List<List<Object>> watchedIds, String why) {
        this.dir = dir;
        this.archive = archive;
        this.aot = aot;
        this.java = java;
        this.assembly = assembly;
        this.watched = watched;
        this.watchedIds = watchedIds;
        this.why = why;
    }

    private static ClassCache none(String why) {
        return new ClassCache(null, null, false, null, List.of(), List.of(), List.of(), why);
    }

    /** Whether this pool's archive is an AOT cache (else a CDS archive, or none). */
    boolean aot() {
        return aot;
    }

    /** The options that keep the JVM's messages about the cache off the user's stderr, for every worker. */
    List<String> quiet() {
        return aot ? QUIET_AOT : QUIET_CDS;
    }

    /** Whether workers of this pool use the cache. */
    boolean enabled() {
        return archive != null;
    }

    /** Why the cache is off, or "on". */
    String status() {
        return archive == null ? why : "on: " + archive;
    }

    /** The archive file (null if the cache is off). */
    Path archive() {
        return archive;
    }

    /**
     * Checks a {@code class_cache} config value: {@code auto}, {@code off} or an absolute directory.
     *
     * @throws IllegalArgumentException for anything else
     */
    static String checkSetting(String key, String value) {
        String v = value.trim();
        if (valid(v)) {
            return v;
        }
        throw new IllegalArgumentException("config key '" + key + "' must be 'auto' (the default: a per-user cache"
                + " directory), 'off' or an absolute directory path, got '" + value + "'");
    }

    /** Whether a trimmed setting is {@code auto}, {@code off} or an absolute path. */
    private static boolean valid(String v) {
        return v.equalsIgnoreCase(AUTO) || v.equalsIgnoreCase(OFF) || (!v.isEmpty() && Path.of(v).isAbsolute());
    }

    /**
     * The setting of a pool that does not set {@code class_cache}: the system property
     * {@value #PROPERTY} if set, else {@code auto}.
     *
     * @throws IllegalArgumentException if the property is set to anything but {@code auto},
     *     {@code off} or an absolute directory
     */
    static String defaultSetting() {
        String v = System.getProperty(PROPERTY);
        if (v == null) {
            return AUTO;
        }
        String t = v.trim();
        if (valid(t)) {
            return t;
        }
        throw new IllegalArgumentException("system property 'futures.class_cache' (the default of config key"
                + " 'class_cache') must be 'auto', 'off' or an absolute directory path, got '" + v + "'");
    }

    /**
     * The cache for a pool's workers.
     *
     * @param setting {@code auto}, {@code off} or an absolute directory
     * @param java the worker's java binary
     * @param args the argfile's arguments, main class included
     * @param userOptions the {@code jvm_options}
     */
    static ClassCache of(String setting, String java, List<String> args, List<String> userOptions) {
        return of(setting, java, args, userOptions, aotAllowed);
    }

    /** As {@link #of(String, String, List, List)}; {@code aotIfAvailable} false gives a CDS archive on any JDK. */
    static ClassCache of(String setting, String java, List<String> args, List<String> userOptions,
            boolean aotIfAvailable) {
        return of(setting, java, args, userOptions, aotIfAvailable, System.getenv());
    }

    /**
     * As {@link #of(String, String, List, List, boolean)}, the workers having the environment
     * {@code env} (they inherit the parent's): the options in its {@link #ENV_OPTIONS} count like
     * {@code jvm_options}, and are part of the key.
     */
    static ClassCache of(String setting, String java, List<String> args, List<String> jvmOptions,
            boolean aotIfAvailable, Map<String, String> env) {
        if (setting.equalsIgnoreCase(OFF)) {
            return none("off: config");
        }
        if (System.getProperty("os.name", "").startsWith("Windows")) {
            return none("off: needs POSIX file permissions");
        }
        List<String> userOptions = new ArrayList<>(jvmOptions);
        List<String> fromEnv = new ArrayList<>();
        for (String variable : ENV_OPTIONS) {
            String value = env.get(variable);
            if (value != null) {
                fromEnv.add(variable + "=" + value);
                try {
                    userOptions.addAll(Launcher.splitOptions(value));
                } catch (IllegalArgumentException unbalanced) { // the JVM has its own rules: take the words
                    userOptions.addAll(List.of(value.trim().split("\\s+")));
                }
            }
        }
        for (String o : userOptions) {
            for (String off : CDS_OFF) {
                if (o.startsWith(off)) {
                    return none("off: the JVM turns CDS off with " + off);
                }
            }
            for (String u : USER_CHOICE) {
                if (o.contains(u)) {
                    return none("off: jvm_options or " + ENV_OPTIONS + " choose CDS/AOT settings (" + o + ")");
                }
            }
        }
        List<Path> entries = new ArrayList<>();
        List<Boolean> onModulePath = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            for (String off : CDS_OFF) {
                if (a.startsWith(off)) {
                    return none("off: the JVM turns CDS off with " + off);
                }
            }
            boolean modules = a.startsWith("--module-path=");
            String paths = a.equals("-cp") && i + 1 < args.size() ? args.get(i + 1)
                    : modules ? a.substring("--module-path=".length()) : null;
            if (paths != null) {
                for (String p : paths.split(File.pathSeparator)) {
                    if (!p.isEmpty()) {
                        entries.add(Path.of(p));
                        onModulePath.add(modules);
                    }
                }
            }
        }
        try {
            Path javaPath = Path.of(java).toRealPath();
            Path home = javaPath.getParent() == null ? null : javaPath.getParent().getParent();
            Path release = home == null ? null : home.resolve("release");
            if (release == null || !Files.isRegularFile(release)) {
                return none("off: no release file next to " + java);
            }
            byte[] releaseBytes = Files.readAllBytes(release);
            int feature = feature(new String(releaseBytes, StandardCharsets.UTF_8));
            if (feature < 19) {
                return none("off: the worker's JDK is older than 19 or its version is unknown");
            }
            boolean aot = aotIfAvailable && feature >= AOT_FROM
                    && userOptions.stream().noneMatch(o -> AGENTS.stream().anyMatch(o::startsWith))
                    && Files.isExecutable(Path.of(shell)); // its assembly step needs a shell
            Key key = new Key();
            update(key, aot ? "futures class cache v2 aot" : "futures class cache v2 cds");
            update(key, javaPath.toString());
            key.update(releaseBytes);
            stamp(key, javaPath);
            Path modules = home.resolve("lib").resolve("modules");
            if (Files.exists(modules)) {
                stamp(key, modules);
            }
            for (String a : args) {
                update(key, a);
            }
            for (String v : fromEnv) {
                update(key, v);
            }
            Set<Path> named = new HashSet<>();
            for (int i = 0; i < entries.size(); i++) {
                Path e = entries.get(i);
                BasicFileAttributes at = Files.readAttributes(e, BasicFileAttributes.class);
                if (at.isDirectory() && onModulePath.get(i)) {
                    // a module path directory of jars (the usual layout): each jar counts, so does
                    // one added or removed; an exploded module (a directory) cannot be archived
                    List<Path> jars = new ArrayList<>();
                    try (DirectoryStream<Path> ds = Files.newDirectoryStream(e)) {
                        for (Path j : ds) {
                            if (!Files.isRegularFile(j)) {
                                return none("off: " + j + " on the module path is not a jar file");
                            }
                            jars.add(j);
                        }
                    }
                    jars.sort(null);
                    update(key, e.toRealPath().toString());
                    key.watch(e); // a jar added or removed
                    for (Path j : jars) {
                        update(key, j.getFileName().toString());
                        stamp(key, j);
                        update(key, jar(j).crc());
                    }
                    continue;
                }
                if (!at.isRegularFile()) {
                    return none("off: " + e + " on the class or module path is not a jar file");
                }
                update(key, e.toRealPath().toString());
                stamp(key, e);
                Jar jar = jar(e);
                update(key, jar.crc());
                if (!onModulePath.get(i)) {
                    String off = classPathAttribute(key, e, jar, named);
                    if (off != null) {
                        return none(off);
                    }
                }
            }
            Path dir;
            try {
                dir = directory(setting, env);
            } catch (Unsafe e) {
                Launcher.warnOnce("class_cache " + e.getMessage(), "the process pool's class cache is off: "
                        + e.getMessage());
                return none("off: " + e.getMessage());
            }
            Path archive = dir.resolve("worker-" + key.hex() + (aot ? AOT : JSA));
            Path sum = checksumFile(archive);
            if (Files.isRegularFile(sum, LinkOption.NOFOLLOW_LINKS)) {
                // recently used: kept longest (the checksum file is touched, not the archive,
                // whose modification time is part of what VERIFIED remembers)
                Files.setLastModifiedTime(sum, FileTime.from(Instant.now()));
            }
            List<String> assembly = new ArrayList<>();
            if (aot) {
                assembly.add("-Xlog:disable");
                for (String a : args) {
                    if (WRITERS.stream().noneMatch(a::startsWith)) {
                        assembly.add(a);
                    }
                }
            }
            return new ClassCache(dir, archive, aot, java, List.copyOf(assembly), List.copyOf(key.watched),
                    key.ids.stream().map(l -> Collections.unmodifiableList(new ArrayList<>(l))).toList(), null);
        } catch (IOException | RuntimeException e) {
            return none("off: " + e);
        }
    }

    private static final String JSA = ".jsa";
    private static final String AOT = ".aot";

    /**
     * What a jar on the class path names in its manifest's {@code Class-Path} attribute, and the
     * same for each jar named there, each stamped into the key like a jar of the class path: the
     * JVM loads classes from them too, and the AOT cache does not check them either (measured on
     * JDK 25.0.3: a cache made with {@code -cp m.jar}, whose manifest names {@code a.jar}, served
     * the old classes of a rebuilt {@code a.jar}). A name that is missing goes into the key as
     * missing. Null, or why the cache is off: a name is a directory or not a local file.
     */
    private static String classPathAttribute(Key key, Path jar, Jar info, Set<Path> named) throws IOException {
        for (String entry : info.classPath()) {
            Path p;
            try {
                URI u = jar.toAbsolutePath().toUri().resolve(entry);
                if (!"file".equals(u.getScheme())) {
                    return "off: " + jar + " names " + entry + " in its manifest's Class-Path, not a local file";
                }
                p = Path.of(u);
            } catch (IllegalArgumentException e) {
                return "off: " + jar + " names " + entry + " in its manifest's Class-Path, not a local file";
            }
            if (!named.add(p)) {
                continue; // named before (or a cycle): the JVM opens each once
            }
            update(key, "Class-Path " + p);
            if (!Files.exists(p)) {
                update(key, "missing");
                key.watch(p);
                continue;
            }
            if (!Files.isRegularFile(p)) {
                return "off: " + p + ", named in the manifest of " + jar + ", is not a jar file";
            }
            stamp(key, p);
            Jar named1 = jar(p);
            update(key, named1.crc());
            String off = classPathAttribute(key, p, named1, named);
            if (off != null) {
                return off;
            }
        }
        return null;
    }

    /** A jar file as read: its identity (file key, size, modification time), CRC-32 and manifest {@code Class-Path} entries. */
    private record Jar(List<Object> id, String crc, List<String> classPath) {}

    /**
     * A jar's CRC-32 and {@code Class-Path} entries, read once per JVM and jar file (its file key,
     * size and modification time): java.util.zip's native CRC, about 1 ms per 3 MB once the file
     * is in the page cache. A file that is not a zip has no {@code Class-Path}.
     */
    private static Jar jar(Path jar) throws IOException {
        Path real = jar.toRealPath();
        List<Object> id = identity(real);
        if (id.isEmpty()) {
            throw new java.nio.file.NoSuchFileException(real.toString());
        }
        Jar seen = JAR_CRCS.get(real);
        if (seen != null && seen.id().equals(id)) {
            return seen;
        }
        CRC32 crc = new CRC32();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(real)) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                crc.update(buf, 0, n);
            }
        }
        List<String> classPath = List.of();
        try (JarFile j = new JarFile(real.toFile(), false)) {
            Manifest m = j.getManifest();
            String attribute = m == null ? null : m.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (attribute != null) {
                classPath = Arrays.stream(attribute.trim().split("\\s+")).filter(x -> !x.isEmpty()).toList();
            }
        } catch (ZipException notAZip) {
            // the JVM cannot load classes from it either
        }
        Jar value = new Jar(id, Long.toHexString(crc.getValue()), classPath);
        JAR_CRCS.put(real, value);
        return value;
    }

    /** The feature version in a JDK's release file ({@code JAVA_VERSION="21.0.2"}), or -1. */
    static int feature(String release) {
        for (String line : release.split("\n")) {
            if (line.startsWith("JAVA_VERSION=")) {
                String v = line.substring("JAVA_VERSION=".length()).replace("\"", "").trim();
                int end = 0;
                while (end < v.length() && Character.isDigit(v.charAt(end))) {
                    end++;
                }
                try {
                    return end == 0 ? -1 : Integer.parseInt(v.substring(0, end));
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** Why a cache directory is refused: another user could change it (see {@link Ownership}). */
    private static final class Unsafe extends IOException {
        private static final long serialVersionUID = 1L;

        Unsafe(String message) {
            super(message);
        }
    }

    /**
     * The cache directory: the given one, or {@code $XDG_CACHE_HOME/futures/cds}, else
     * {@code ~/.cache/futures/cds}; created {@code rwx------} (with any missing parents) if
     * missing; its real path. Refused ({@link Unsafe}, which the caller logs once as a WARNING)
     * if it is a link, or unless every ancestor is one no other user can change ({@link Ownership}, checked before
     * anything is created under it, and again after), and it is a directory owned by this user
     * that no one else may enter: the JVM maps the archive as class metadata, so another user who
     * could swap it would run code as this user.
     */
    private static Path directory(String setting, Map<String, String> env) throws IOException {
        Path dir;
        if (!setting.equalsIgnoreCase(AUTO)) {
            dir = Path.of(setting);
        } else {
            String xdg = env.get("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                    : Path.of(System.getProperty("user.home"), ".cache");
            dir = base.resolve("futures").resolve("cds");
        }
        Path existing = dir;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        String why = existing == null ? "no part of " + dir + " exists" : Ownership.problem(existing);
        if (why != null) {
            throw new Unsafe("the directory " + dir + " is not safe from other users: " + why);
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.getParent(), PosixFilePermissions.asFileAttribute(Launcher.OWNER_ONLY));
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(Launcher.OWNER_ONLY));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // made by another pool meanwhile: checked below like any existing one
            }
        }
        if (Files.isSymbolicLink(dir)) {
            throw new Unsafe("the directory " + dir + " is a link; give the directory itself");
        }
        Path real = dir.toRealPath();
        why = Ownership.problem(real);
        if (why != null) {
            throw new Unsafe("the directory " + dir + " is not safe from other users: " + why);
        }
        PosixFileAttributes at = Files.readAttributes(real, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        int uid = (Integer) Files.getAttribute(real, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (!at.isDirectory() || !at.permissions().equals(Launcher.OWNER_ONLY)
                || (Ownership.uid() >= 0 ? uid != Ownership.uid()
                        : !at.owner().getName().equals(System.getProperty("user.name")))) {
            throw new Unsafe("the directory " + dir + " must be a directory owned by this user with mode rwx------"
                    + " (700), it is owned by " + at.owner().getName() + " with mode "
                    + PosixFilePermissions.toString(at.permissions()));
        }
        return real;
    }

    /** The name (a prefix) of the link to the archive in a pool's private directory (see {@link #next}). */
    static final String LINK = "cache.";

    /**
     * The options for the next worker: none if a file the key was made from changed since the
     * pool was made; else the archive if it is there and intact; else, if no worker of this pool
     * trained, train this one ({@code training} is then the file it writes: the CDS archive, or
     * the AOT cache's configuration); else none. Called on a worker's own thread, before its JVM
     * starts. The archive goes to the worker as a hard link in the pool's private directory
     * {@code poolDir}, made once per pool and checked to be the file found intact, so that the
     * worker maps that file whatever happens to the cache directory meanwhile; where no link can
     * be made (another file system), as the archive's own path, whose directory and its ancestors
     * {@link #directory} checked.
     */
    Launch next(Path poolDir) {
        return next0(poolDir);
    }

    /** {@link #next(Path)} with no pool directory: the archive goes by its own path. */
    Launch next() {
        return next0(null);
    }

    private Launch next0(Path poolDir) {
        if (archive == null || !unchanged()) {
            return Launch.NONE;
        }
        if (intact() || adopt() && intact()) {
            return new Launch(List.of((aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + handOut(poolDir)), null);
        }
        if (training.get() || FAILED.contains(archive) || !PENDING.add(archive)) {
            // this pool's or another pool's worker trains it, or its assembly runs, or a training
            // of it failed in this JVM: the worker starts without the cache
            return Launch.NONE;
        }
        if (!training.compareAndSet(false, true)) {
            PENDING.remove(archive);
            return Launch.NONE;
        }
        Path tmp = dir.resolve(archive.getFileName() + "." + unique() + ".tmp");
        IN_FLIGHT.add(stem(tmp));
        if (aot) {
            // -DisplayVMOutput: the JVM prints "AOTConfiguration recorded: ..." on stdout at exit
            return new Launch(List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + tmp,
                    "-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput"), tmp);
        }
        return new Launch(List.of("-XX:ArchiveClassesAtExit=" + tmp), tmp);
    }

    /**
     * Once per JVM, at DEBUG (not printed by default), when a training worker has exited (not
     * before it starts: a fresh JVM's first logger costs milliseconds the worker's start would
     * wait for): that the cache was trained, where it goes, what follows and how to turn it off.
     * Never throws.
     */
    private void tell() {
        if (TOLD.compareAndSet(false, true)) {
            try {
                System.getLogger("futures.providers.process").log(System.Logger.Level.DEBUG, "the process pool"
                        + " trained its workers' class cache (class_cache, on by default) with one worker, once per"
                        + " worker set-up" + (aot ? "; the JDK's AOT cache is now assembled in the background, at a"
                        + " low priority, by another java process (1-2 s of CPU)" : "") + "; it goes to " + archive
                        + "; class_cache=off, or -D" + PROPERTY + "=off for the whole JVM, turns it off");
            } catch (Throwable ignored) {
                // logging must not fail the pool
            }
        }
    }

    /**
     * An archive that an assembly step finished ({@code <archive>.<pid>-<n>-<random>.ready}, renamed into
     * place by its shell script once java exited with 0, so complete) but that no parent moved into
     * place (its parent exited meanwhile, or has not got to it yet): checksummed and moved into
     * place as {@link #trained} does, if the files of the key are unchanged. Its name holds the key,
     * which holds the jars' identities and contents, so it was made from what this pool would
     * train. Only one modified since this machine booted ({@link Boot}): the script renames it
     * without a sync, so after a power loss the name may hold zeroed data; older ones (and all, if
     * the boot time is unknown) are deleted, and the pool trains again. True if one was moved into
     * place. Never throws.
     */
    private boolean adopt() {
        if (!aot) {
            return false;
        }
        List<Path> ready = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, archive.getFileName() + ".*" + READY)) {
            ds.forEach(ready::add);
        } catch (IOException | RuntimeException e) {
            return false;
        }
        Instant boot = Boot.TIME;
        for (Path r : ready) {
            if (boot == null || !modified(r).isAfter(boot)) {
                // renamed before this boot, maybe before its data reached the disk (a power loss
                // can leave the name with zeroed data), or when the machine booted is unknown:
                // a damaged archive can crash the JVM that maps it, so it is trained again
                deleteQuietly(r);
                continue;
            }
            if (install(r)) {
                return true;
            }
        }
        return false;
    }

    /**
     * When this machine booted, read once per JVM: on Linux {@code btime} in {@code /proc/stat},
     * elsewhere the start of process 1; null if unknown.
     */
    private static final class Boot {
        static final Instant TIME = read();

        private static Instant read() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII)) {
                    if (line.startsWith("btime ")) {
                        return Instant.ofEpochSecond(Long.parseLong(line.substring("btime ".length()).trim()));
                    }
                }
            } catch (IOException | RuntimeException notLinux) {
                // below
            }
            try {
                return ProcessHandle.of(1).flatMap(h -> h.info().startInstant()).orElse(null);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    /**
     * Checksums an assembled archive and moves its checksum, then it, into place, each atomically,
     * if it is a file of this user's and the files of the key are unchanged; else (or if another
     * pool took it first) leaves it. The checksum is written under a name of its own (two pools,
     * of this JVM or another, may install at once: a shared name could leave a torn checksum);
     * after the move the checksum in place is read again, and while the archive in place is the
     * file this call moved but the checksum is another's (two trainings of one key moved
     * their pairs in crosswise), it is written again. True if it was moved into place. Never
     * throws.
     */
    private boolean install(Path made) {
        Path sumTmp = null;
        try {
            if (!Files.isRegularFile(made, LinkOption.NOFOLLOW_LINKS) || Files.size(made) == 0
                    || Ownership.problemOfOwnFile(made) != null || !unchanged()) {
                return false;
            }
            // on the disk before its checksum says it is whole: renamed without it, a power loss
            // could leave a name with zeroed data (ext4's delayed allocation) and a matching-looking pair
            try (FileChannel f = FileChannel.open(made, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                f.force(true);
            }
            String sum = checksum(made) + "\n";
            Object fileKey = identity(made).get(0);
            sumTmp = made.resolveSibling(made.getFileName() + "." + unique() + ".crc.tmp");
            Files.writeString(sumTmp, sum);
            Files.move(sumTmp, checksumFile(archive), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            Files.move(made, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            for (int i = 0; i < 3 && !sum.equals(Files.readString(checksumFile(archive))); i++) {
                List<Object> now = identity(archive);
                if (fileKey == null || now.isEmpty() || !fileKey.equals(now.get(0))) {
                    break; // another pool's archive is in place now: its checksum is that pool's to write
                }
                Files.writeString(sumTmp, sum);
                Files.move(sumTmp, checksumFile(archive), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
            prune();
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // another pool took it (its checksum and archive then match), or the next one tries
        } finally {
            if (sumTmp != null) {
                deleteQuietly(sumTmp);
            }
        }
    }

    /**
     * A part of a file name no other process makes: this JVM's pid, a counter and 48 random bits
     * (a pid is unique only per host, and cloned hosts may share an NFS home).
     */
    private static String unique() {
        return ProcessHandle.current().pid() + "-" + TRAININGS.incrementAndGet() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    }

    /** The path the worker gets for the archive (see {@link #next}). */
    private Path handOut(Path poolDir) {
        if (poolDir == null) {
            return archive;
        }
        Path link = poolDir.resolve(LINK + (aot ? "aot" : "jsa"));
        synchronized (training) { // one link per pool, made by the first worker that needs it
            try {
                List<Object> id = VERIFIED.get(archive);
                if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createLink(link, archive);
                }
                if (id != null && id.equals(identity(link))) {
                    return link;
                }
                Files.deleteIfExists(link); // not the file found intact (replaced meanwhile): not used
            } catch (IOException | RuntimeException e) {
                // another file system, or links not allowed: the checked path itself
            }
        }
        return archive;
    }

    /**
     * Whether the archive is there and is, byte for byte, what a training worker wrote: its
     * CRC-32C and size match its checksum file. An archive file (known by its file key, size and
     * modification time) is read once per JVM; a missing or other checksum means "no archive", so
     * the pool trains a new one, which replaces both.
     */
    private boolean intact() {
        try {
            if (!Files.isRegularFile(archive, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            String why = Ownership.problemOfOwnFile(archive);
            if (why != null) {
                Launcher.warnOnce("class_cache archive " + archive, "the process pool does not use the class cache's"
                        + " archive: " + why);
                return false;
            }
            List<Object> id = identity(archive);
            if (!id.isEmpty() && id.get(0) != null && id.equals(VERIFIED.get(archive))) {
                return true;
            }
            Path sum = checksumFile(archive);
            if (!Files.isRegularFile(sum, LinkOption.NOFOLLOW_LINKS)
                    || !Files.readString(sum).trim().equals(checksum(archive))) {
                return false;
            }
            if (!id.isEmpty() && id.get(0) != null) {
                VERIFIED.put(archive, id);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The file beside an archive (of either kind) that holds its checksum: {@code worker-<key>.crc}. */
    static Path checksumFile(Path archive) {
        String name = archive.getFileName().toString();
        return archive.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".crc");
    }

    /** Whether a checksum file's archive, of either kind, exists: the inverse of {@link #checksumFile}. */
    private static boolean hasArchive(Path checksumFile) {
        String name = checksumFile.getFileName().toString();
        String base = name.substring(0, name.length() - ".crc".length());
        return Files.exists(checksumFile.resolveSibling(base + JSA)) || Files.exists(checksumFile.resolveSibling(base + AOT));
    }

    /** A file's CRC-32C and size, as {@code "<crc in hex> <size>"}. */
    static String checksum(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        long size = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                crc.update(buf, 0, n);
                size += n;
            }
        }
        return Long.toHexString(crc.getValue()) + " " + size;
    }

    /**
     * After a training worker exited. A CDS archive: if the worker exited with code 0 and the files
     * of the key are unchanged, writes its checksum and moves both into place (checksum first, each
     * atomically), on the worker's own thread (the archive was written by the worker itself at its
     * exit; this only reads it). An AOT cache: starts the JDK's assembly step in the background
     * ({@link #assemble}) and returns at once, so neither the pool's {@code shutdown} nor a
     * replacement worker waits for it. Deletes what is left. Never throws: the cache only saves time.
     */
    void trained(Launch launch, int exitCode) {
        Path tmp = launch.training();
        if (tmp == null) {
            return;
        }
        boolean background = false;
        try {
            if (exitCode != 0 || !Files.isRegularFile(tmp, LinkOption.NOFOLLOW_LINKS) || Files.size(tmp) == 0) {
                FAILED.add(archive); // no later pool of this JVM trains it again
            } else if (unchanged()) {
                tell();
                if (aot) {
                    background = assemble(tmp);
                } else {
                    install(tmp);
                }
            }
        } catch (IOException | RuntimeException e) {
            FAILED.add(archive); // the assembly step could not start: another pool's archive is as good
        } finally {
            if (!background) {
                deleteQuietly(tmp);
                PENDING.remove(archive);
                IN_FLIGHT.remove(stem(tmp));
            }
        }
    }

    /**
     * A retired training worker is exiting: its JVM writes the training file as it exits
     * (1.1-1.6 s measured on 2 loaded cores for an AOT cache's configuration), so its pool does not
     * wait for it. A daemon
     * thread waits for the exit (killing the worker after {@value #TRAINING_EXIT_SECONDS} s) and
     * then calls {@link #trained}, which starts the assembly step in the background. If this JVM
     * exits first, a shutdown hook does the same, so that a program that exits right after its
     * first pool still gets its cache: its exit then waits for that worker's exit (once per worker
     * set-up; for all such workers together at most {@value #HOOK_SECONDS} s, after which those
     * left are killed), not for the assembly, which finishes on its own ({@link #assemble}).
     */
    void afterExit(Process process, Launch launch) {
        Exiting e = new Exiting(this, process, launch, new AtomicBoolean(), new java.util.concurrent.CountDownLatch(1));
        EXITING.add(e);
        if (HOOK.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    // one deadline for all: the workers exit at once, and the JVM's exit waits for this
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(HOOK_SECONDS);
                    for (Exiting left : EXITING) {
                        left.finish(Math.max(0, end - System.nanoTime()));
                        left.await(Math.max(0, end - System.nanoTime())); // the daemon thread may have claimed it
                    }
                }, "futures-class-cache-exit"));
            } catch (IllegalStateException | SecurityException exiting) {
                // the JVM is exiting already: the daemon thread below may still get to it
            }
        }
        Thread t = new Thread(() -> e.finish(TimeUnit.SECONDS.toNanos(TRAINING_EXIT_SECONDS)),
                "futures-class-cache-training");
        t.setDaemon(true);
        try {
            t.start();
        } catch (RuntimeException | Error noThread) {
            e.finish(TimeUnit.SECONDS.toNanos(TRAINING_EXIT_SECONDS));
        }
    }

    /**
     * A training worker that is exiting; {@code claimed}: whether a thread took it to call
     * {@link #trained}; {@code done}: counted down once that call returned.
     */
    private record Exiting(ClassCache cache, Process process, Launch launch, AtomicBoolean claimed,
            java.util.concurrent.CountDownLatch done) {
        /** At the JVM's exit: waits, at most {@code nanos}, until whoever claimed it started the assembly. */
        void await(long nanos) {
            try {
                done.await(nanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Waits for the worker's exit, at most {@code nanos} (then kills it), then, once for all
         * callers, {@link #trained}.
         */
        void finish(long nanos) {
            int exit = -1;
            try {
                if (process.waitFor(nanos, TimeUnit.NANOSECONDS)) {
                    exit = process.exitValue();
                } else {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // counted as a failed training
            }
            if (claimed.compareAndSet(false, true)) {
                try {
                    cache.trained(launch, exit);
                } finally {
                    done.countDown();
                    EXITING.remove(this);
                    synchronized (ASSEMBLING) {
                        ASSEMBLING.notifyAll();
                    }
                }
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // left for the next cleanup (prune deletes training files an hour old)
        }
    }

    /**
     * Starts the AOT cache's assembly step in the background: {@code java -XX:AOTMode=create} with
     * the recorded configuration and the worker's arguments (the JVM runs no main in this mode),
     * but for those that write files (logs, flight recordings: a user's log file would be
     * overwritten), in an argfile beside the configuration, run by {@link #ASSEMBLY_SCRIPT}: at a
     * low priority, its output discarded, killed after {@value #ASSEMBLY_TIMEOUT_SECONDS} s. A
     * daemon thread of this JVM waits for it (killing it and its java if it overruns) and then
     * moves the archive into place ({@link #install}); if this JVM exits first, the script still
     * finishes, and the next pool of this worker set-up moves the archive into place
     * ({@link #adopt}). True if it was started (the configuration is then the script's to delete).
     */
    private boolean assemble(Path configuration) throws IOException {
        String name = configuration.getFileName().toString();
        String base = name.substring(0, name.length() - ".tmp".length());
        Path made = configuration.resolveSibling(base + ".made.tmp");
        Path argFile = configuration.resolveSibling(base + ".args.tmp");
        Path ready = configuration.resolveSibling(base + READY);
        List<String> options = new ArrayList<>(List.of(
                "-XX:AOTMode=create", "-XX:AOTConfiguration=" + configuration, "-XX:AOTCache=" + made));
        options.addAll(assembly);
        // in an argfile, as for the workers: a long class path would pass the kernel's limit
        // for one argument (128 kB on Linux), and the step would fail at every training
        Launcher.writeArgs(argFile, options);
        Process p;
        try {
            p = new ProcessBuilder(shell, "-c", ASSEMBLY_SCRIPT, "sh", configuration.toString(), argFile.toString(),
                    made.toString(), ready.toString(), java, "@" + argFile)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException | RuntimeException e) {
            deleteQuietly(argFile);
            throw e;
        }
        ASSEMBLING.add(p);
        Thread waiter = new Thread(() -> assembled(p, ready), "futures-class-cache-assembly");
        waiter.setDaemon(true);
        try {
            waiter.start();
        } catch (RuntimeException | Error e) { // no thread: the next pool adopts what the script leaves
            ASSEMBLING.remove(p);
            PENDING.remove(archive);
            IN_FLIGHT.remove(stem(configuration));
        }
        return true;
    }

    /**
     * On the assembly's daemon thread: waits for the script (killing it and what it started after
     * {@value #ASSEMBLY_TIMEOUT_SECONDS} s and a little more), then moves what it made into place.
     */
    private void assembled(Process p, Path ready) {
        try {
            boolean done = false;
            try {
                done = p.waitFor(ASSEMBLY_TIMEOUT_SECONDS + 5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                // nobody interrupts this thread: treated as an overrun
            }
            if (!done) {
                FAILED.add(archive);
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return;
            }
            if (p.exitValue() == 0) {
                install(ready);
            } else {
                FAILED.add(archive);
            }
        } catch (RuntimeException e) {
            // the next pool adopts what is left, or trains again
        } finally {
            ASSEMBLING.remove(p);
            PENDING.remove(archive);
            IN_FLIGHT.remove(stem(ready));
            synchronized (ASSEMBLING) {
                ASSEMBLING.notifyAll();
            }
        }
    }

    /**
     * Test seam: waits until no training worker of this JVM is exiting and no assembly step runs
     * (its archive is then in place, or was dropped), at most {@code timeoutMillis}. True if none.
     */
    static boolean awaitAssemblies(long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (ASSEMBLING) {
            while (!EXITING.isEmpty() || !ASSEMBLING.isEmpty()) {
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                ASSEMBLING.wait(Math.min(left, 100));
            }
        }
        return true;
    }

    /** Test seam: forgets that a training of this archive failed in this JVM, so a pool may train it again. */
    static void forgetFailure(Path archive) {
        FAILED.remove(archive);
    }

    /** The pids of the assembly steps (their shells) under way in this JVM: a test's seam. */
    static List<Long> assemblyPids() {
        return ASSEMBLING.stream().map(Process::pid).toList();
    }

    /**
     * Once per JVM, on a worker's thread while its JVM starts: {@link #prune}, so that what a
     * parent that died while its worker trained or its assembly step ran left (up to 25 MB) goes
     * even when no pool trains again (prune otherwise runs only after a training).
     */
    void sweepOnce() {
        if (archive != null && SWEPT.compareAndSet(false, true)) {
            try {
                prune();
            } catch (IOException | RuntimeException e) {
                // the next JVM tries again
            }
        }
    }

    /**
     * Keeps the most recently used archives, at most {@value #KEEP} and {@value #KEEP_BYTES} bytes in
     * all (the most recent always), and deletes the rest with their checksums. Assembled archives
     * not yet moved into place ({@code .ready}, left by a parent that exited during the assembly)
     * count like archives, by their own time. Recently used: by their checksum files' modification
     * time, which each pool that finds them touches. Training files left over ({@code .tmp}: a
     * recording of about 9 MB, an archive half made, an argfile, a checksum being written) count
     * in the same byte budget, after the archives kept: the newest are kept while the sum fits,
     * the older deleted, and all over an hour old; a parent that exits (or is killed, its
     * assembly step with it) during every run would otherwise leave 9-22 MB per run. Not counted
     * nor deleted: the files of this JVM's trainings under way ({@link #IN_FLIGHT}) and leftovers
     * younger than {@value #FRESH_SECONDS} s (another JVM's training may be under way). Also
     * deletes checksums without an archive more than an hour old.
     */
    void prune() throws IOException {
        List<Path> archives = new ArrayList<>();
        List<Path> leftovers = new ArrayList<>();
        Instant now = Instant.now();
        Instant hourAgo = now.minusSeconds(3600);
        Instant freshFrom = now.minusSeconds(FRESH_SECONDS);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "worker-*")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (inFlight(n)) {
                    continue;
                }
                if (n.endsWith(JSA) || n.endsWith(AOT) || n.endsWith(READY)) {
                    archives.add(p);
                } else if (n.endsWith(".tmp")) {
                    Instant t = modified(p);
                    if (t.isBefore(hourAgo)) {
                        deleteQuietly(p);
                    } else if (t.isBefore(freshFrom)) {
                        leftovers.add(p);
                    }
                } else if (n.endsWith(".crc") && !hasArchive(p) && modified(p).isBefore(hourAgo)) {
                    deleteQuietly(p);
                }
            }
        }
        archives.sort(Comparator.comparing(ClassCache::used).reversed());
        long bytes = 0;
        int kept = 0;
        for (Path p : archives) {
            long size;
            try {
                size = Files.size(p);
            } catch (IOException gone) { // moved into place or deleted by another pool meanwhile
                continue;
            }
            if (kept == 0 || (kept < KEEP && bytes + size <= KEEP_BYTES)) {
                kept++;
                bytes += size;
                continue;
            }
            Files.deleteIfExists(p);
            if (!p.getFileName().toString().endsWith(READY)) {
                Files.deleteIfExists(checksumFile(p));
            }
        }
        leftovers.sort(Comparator.comparing(ClassCache::modified).reversed());
        for (Path p : leftovers) {
            long size;
            try {
                size = Files.size(p);
            } catch (IOException gone) {
                continue;
            }
            if (bytes + size <= KEEP_BYTES) {
                bytes += size;
            } else {
                deleteQuietly(p);
            }
        }
    }

    /** The common start of a training's files' names: a training file's or assembled archive's name less its suffix. */
    private static String stem(Path training) {
        String n = training.getFileName().toString();
        return n.endsWith(READY) ? n.substring(0, n.length() - READY.length())
                : n.endsWith(".tmp") ? n.substring(0, n.length() - ".tmp".length()) : n;
    }

    /** Whether a file of the cache directory belongs to a training of this JVM under way ({@link #IN_FLIGHT}). */
    private static boolean inFlight(String name) {
        for (String stem : IN_FLIGHT) {
            if (name.startsWith(stem + ".")) {
                return true;
            }
        }
        return false;
    }

    /** When an archive was last used: its checksum file's time; for a {@code .ready} one, its own. */
    private static Instant used(Path archive) {
        return archive.getFileName().toString().endsWith(READY) ? modified(archive) : modified(checksumFile(archive));
    }

    private static Instant modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    /** How one worker starts: its extra options, and the archive file it writes if it trains. */
    record Launch(List<String> options, Path training) {
        static final Launch NONE = new Launch(List.of(), null);
    }

    private static void update(Key key, String s) {
        key.update(s.getBytes(StandardCharsets.UTF_8));
        key.update(new byte[] {0});
    }

    /** Puts a file's identity into the key, and watches it (see {@link #unchanged}). */
    private static void stamp(Key key, Path p) throws IOException {
        List<Object> id = identity(p);
        if (id.isEmpty()) {
            throw new java.nio.file.NoSuchFileException(p.toString());
        }
        update(key, id.toString());
        key.watch(p, id);
    }

    /**
     * What tells a file's versions apart without reading it: its file key, size and modification
     * time, links followed; empty if it is missing.
     */
    private static List<Object> identity(Path p) throws IOException {
        try {
            BasicFileAttributes at = Files.readAttributes(p, BasicFileAttributes.class);
            return Arrays.asList(at.fileKey(), at.size(), at.lastModifiedTime());
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of();
        }
    }

    /**
     * Whether every file the key was made from (the JDK's binary and modules, the jars, the module
     * path directories, the manifests' missing names) is still as it was when this pool was made:
     * a jar rebuilt while the pool lives would otherwise meet an archive of its old classes in the
     * pool's next worker (the AOT cache would serve them, JDK-8377932), and a training worker that
     * ran on it would leave an archive of the new classes under the old key.
     */
    private boolean unchanged() {
        try {
            for (int i = 0; i < watched.size(); i++) {
                if (!identity(watched.get(i)).equals(watchedIds.get(i))) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * A 128-bit hash of the key's bytes: two independent 64-bit hashes (FNV-1a, and a
     * multiply-xorshift one). It only has to tell set-ups apart by accident, not resist an
     * attacker (the directory is private), and unlike a {@code MessageDigest} it does not
     * initialize the JDK's security providers (tens of ms) in a fresh parent before the first
     * worker starts. Confined to the thread that builds the cache.
     */
    private static final class Key {
        private long fnv = 0xcbf29ce484222325L;
        private long mix = 0x6a09e667f3bcc909L;
        /** The files the key was made from, and their identities then (see {@link #unchanged}). */
        final List<Path> watched = new ArrayList<>();
        final List<List<Object>> ids = new ArrayList<>();

        void watch(Path p) throws IOException {
            watch(p, identity(p));
        }

        void watch(Path p, List<Object> id) {
            watched.add(p);
            ids.add(id);
        }

        void update(byte[] bytes) {
            for (byte b : bytes) {
                fnv = (fnv ^ (b & 0xff)) * 0x100000001b3L;
                mix = (mix ^ (b & 0xff)) * 0x9e3779b97f4a7c15L;
                mix ^= mix >>> 29;
            }
        }

        String hex() {
            String a = Long.toHexString(fnv);
            String b = Long.toHexString(mix);
            return "0".repeat(16 - a.length()) + a + "0".repeat(16 - b.length()) + b;
        }
    }

    /** For messages: where the cache is, or why it is off. */
    @Override
    public String toString() {
        return "ClassCache[" + status() + "]";
    }
}
