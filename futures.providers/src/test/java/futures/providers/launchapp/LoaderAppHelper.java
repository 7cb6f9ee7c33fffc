package futures.providers.launchapp;

/** Called by {@link LoaderApp}'s task: a class that reaches a worker only by being fetched (or on its class path). */
final class LoaderAppHelper {
    private LoaderAppHelper() {}

    static int plus(int a, int b) {
        return a + b;
    }
}
