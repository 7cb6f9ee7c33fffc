package futures.spi;

import java.util.Set;

/**
 * A named kind of executor, found through {@link java.util.ServiceLoader}. {@code futures.core}
 * lists the providers on the module path and class path, and {@code Executors.create(name, config)}
 * opens the one with that {@link #name()}.
 *
 * <p>Register an implementation with {@code provides futures.spi.ExecutorProvider with ...} in its
 * module's {@code module-info.java}, and in
 * {@code META-INF/services/futures.spi.ExecutorProvider} for the class path. It needs a public
 * no-argument constructor (or a public static {@code provider()} method on the module path).
 * Give it a {@code toString()} that reads in a listing of {@code Executors.providers()}: the
 * built-in providers print {@code name: description}.
 */
public interface ExecutorProvider {

    /**
     * The name users pass to {@code Executors.create}, such as {@code "thread"}; unique.
     *
     * @return the provider's name
     */
    String name();

    /**
     * One line for listings, such as "a pool of platform threads in this JVM".
     *
     * @return a short description
     */
    String description();

    /**
     * The config keys this provider accepts, such as {@link ExecutorConfig#MAX_WORKERS}. The core
     * rejects a config that sets any other key, naming it and these.
     *
     * @return the accepted keys
     */
    Set<String> configKeys();

    /**
     * Opens a pool. Called once per executor, with a config whose keys are all in
     * {@link #configKeys()}.
     *
     * @param config the settings; never {@code null}
     * @return a new pool, ready to take work
     * @throws IllegalArgumentException if a setting has a value this provider cannot use
     */
    WorkerPool open(ExecutorConfig config);
}
