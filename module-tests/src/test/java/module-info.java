/**
 * Black-box tests: the library exactly as a user's module sees it, on the module path. It reads
 * only the exported API ({@code futures.core}, and {@code futures.spi} through it), never
 * {@code futures.providers}, which is found at run time; and it registers providers of its own:
 * two working ones ({@code "inline"}, and {@code "serializing"}, which copies every task through
 * serialization as a process pool must), two that claim one name ({@code "dup"}) and one whose
 * constructor throws, so discovery is tested with every kind of provider a user can ship.
 *
 * <p>Open, because JUnit reaches the test classes reflectively; {@code futures.spi} is readable
 * because {@code futures.core} requires it transitively.
 */
open module futures.moduletests {
    requires futures.core;
    requires futures.testkit;
    requires org.junit.jupiter.api;
    requires java.logging; // to watch the warning discovery logs for a provider that fails to load
    requires java.compiler; // SnippetsTest compiles the java blocks of README.md and docs/

    provides futures.spi.ExecutorProvider with
            futures.moduletests.InlineProvider,
            futures.moduletests.SerializingProvider,
            futures.moduletests.DupProviderOne,
            futures.moduletests.DupProviderTwo,
            futures.moduletests.FailingProvider;
}
