/**
 * The examples of Python's {@code concurrent.futures} documentation, as runnable Java. This module
 * is written as a user's module would be: of this library it requires {@code futures.core} only
 * (and the JDK's {@code jdk.httpserver}, for the URL example's local server). The providers
 * ({@code futures.providers}) are found at run time through {@link java.util.ServiceLoader}, so they
 * need only be on the module path.
 *
 * <p>Run them all with {@code scripts/examples}, or one with its own {@code main}.
 */
module futures.examples {
    requires futures.core;
    requires jdk.httpserver; // UrlExample serves its own pages on the loopback address
}
