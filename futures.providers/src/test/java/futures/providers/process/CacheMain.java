package futures.providers.process;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;

/**
 * The application {@link ClassCacheTest} runs from jars on the class path:
 * {@code CacheMain <class_cache> <class-load log file> [cds|aot] [exit]}. It opens a one-worker
 * process pool with that cache setting (its default, {@code auto}, when the setting is
 * {@code default}), its worker logging the classes it loads to the file, runs a lambda of this
 * class in the worker, shuts the pool down and prints {@code RESULT <value> <worker pid>
 * parked=<whether the worker was parked>}.
 * With {@code cds}, the cache is a CDS archive even where the JDK has the AOT cache. Then it waits
 * for the training worker's exit and the assembly step to end, so that the archive is in place
 * when it exits, unless {@code exit} is given: then it exits at once, as a short program does.
 */
public final class CacheMain {
    private CacheMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 2 && args[2].equals("cds")) {
            ClassCache.aotAllowed = false;
        }
        boolean exit = args.length > 3 && args[3].equals("exit");
        int base = 40;
        ExecutorConfig.Builder config = ExecutorConfig.builder().maxWorkers(1)
                .property(ProcessProvider.JVM_OPTIONS, "-Xlog:class+load:file=" + args[1]);
        if (!args[0].equals("default")) {
            config.property(ProcessProvider.CLASS_CACHE, args[0]);
        }
        String reply;
        try (Executor ex = Executors.create("process", config.build())) {
            reply = ex.submit(x -> (x + base) + " " + ProcessHandle.current().pid(), 2).result();
        }
        long pid = Long.parseLong(reply.split(" ")[1]);
        System.out.println("RESULT " + reply + " parked=" + WorkerPark.pids().contains(pid));
        if (!exit && !ClassCache.awaitAssemblies(120_000)) {
            System.err.println("the class cache's assembly did not end within 120 s");
        }
    }
}
