/**
 * Python's {@code concurrent.futures} for Java: {@link futures.core.Executors} makes an
 * {@link futures.core.Executor} from a provider found through {@link java.util.ServiceLoader};
 * {@link futures.core.Future}, {@link futures.core.Futures#wait} and
 * {@link futures.core.Futures#asCompleted} have the semantics the Python documentation promises.
 */
module futures.core {
    requires transitive futures.spi;

    exports futures.core;

    uses futures.spi.ExecutorProvider;
}
