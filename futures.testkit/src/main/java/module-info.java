/**
 * The behaviour suite every executor provider must pass: extend
 * {@link futures.testkit.ExecutorBehaviourSuite} in your provider's tests and make executors of your
 * provider in its factory method. It uses only the public API of {@code futures.core}, so it runs
 * against the built-in providers and against yours alike.
 */
module futures.testkit {
    requires transitive futures.core;
    requires transitive org.junit.jupiter.api;

    exports futures.testkit;

    // JUnit instantiates and invokes the suite's (package-private) test methods reflectively.
    opens futures.testkit to org.junit.platform.commons;
}
