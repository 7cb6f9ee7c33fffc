/**
 * The built-in executor providers, found by {@code futures.core} through
 * {@link java.util.ServiceLoader}: {@code "thread"} (platform threads), {@code "virtual"} (a virtual
 * thread per task) and {@code "process"} (child JVMs). It exports nothing: users reach the providers
 * only by name, through {@code Executors.create}.
 */
module futures.providers {
    requires futures.spi;
    requires java.management;
    requires jdk.unsupported; // sun.reflect.ReflectionFactory: SerializedLambda's readResolve (LambdaCache)

    provides futures.spi.ExecutorProvider with
            futures.providers.thread.ThreadProvider,
            futures.providers.virtual.VirtualProvider,
            futures.providers.process.ProcessProvider;
}
