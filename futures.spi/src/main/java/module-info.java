/**
 * The contract between {@code futures.core} and an executor provider.
 *
 * <p>A provider implements {@link futures.spi.ExecutorProvider} and registers it with
 * {@code provides futures.spi.ExecutorProvider with ...} (and in {@code META-INF/services} for the
 * class path). The core hands its pool {@link futures.spi.WorkItem}s; the pool never sees a
 * {@code Future}, so it cannot get Python's future semantics wrong.
 */
@SuppressWarnings("module") // the two modules of the qualified export are built after this one
module futures.spi {
    exports futures.spi;
    // Not API: what the providers that read bytes from outside this JVM share (StreamLimits).
    exports futures.spi.internal to futures.providers, futures.cluster;
}
