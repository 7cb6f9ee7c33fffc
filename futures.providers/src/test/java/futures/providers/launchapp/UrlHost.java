package futures.providers.launchapp;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A launcher with a class loader of its own, as {@code mvn exec:java}: {@code UrlHost <paths> <main
 * class> <args...>} loads the application and the futures jars from {@code <paths>} (separated by
 * the path separator) in a {@link URLClassLoader}, makes it the thread's context loader, and runs
 * the main class. Its own class path holds only this class. Uses the JDK only.
 */
public final class UrlHost {
    private UrlHost() {}

    public static void main(String[] args) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String p : args[0].split(File.pathSeparator)) {
            urls.add(new File(p).toURI().toURL());
        }
        try (URLClassLoader loader = new URLClassLoader("host", urls.toArray(new URL[0]),
                ClassLoader.getSystemClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader);
            Class<?> main = Class.forName(args[1], true, loader);
            main.getMethod("main", String[].class).invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        }
    }
}
