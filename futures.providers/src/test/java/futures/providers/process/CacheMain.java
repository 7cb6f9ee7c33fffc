package futures.providers.process;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;

/**
 * The application {@link ClassCacheTest} runs from jars on the class path:
 * {@code CacheMain <class_cache> <class-load log file> [cds]}. It opens a one-worker process pool
 * with that cache setting, its worker logging the classes it loads to the file, runs a lambda of
 * this class in the worker and prints {@code RESULT <value> <worker pid>}. With {@code cds}, the
 * cache is a CDS archive even where the JDK has the AOT cache.
 */
public final class CacheMain {
    private CacheMain() {}

    public static void main(String[] args) {
        if (args.length > 2 && args[2].equals("cds")) {
            ClassCache.aotAllowed = false;
        }
        int base = 40;
        ExecutorConfig config = ExecutorConfig.builder().maxWorkers(1)
                .property(ProcessProvider.CLASS_CACHE, args[0])
                .property(ProcessProvider.JVM_OPTIONS, "-Xlog:class+load:file=" + args[1])
                .build();
        try (Executor ex = Executors.create("process", config)) {
            String reply = ex.submit(x -> (x + base) + " " + ProcessHandle.current().pid(), 2).result();
            System.out.println("RESULT " + reply);
        }
    }
}
