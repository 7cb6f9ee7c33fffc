package futures.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.core.Futures;
import futures.spi.ExecutorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * The reference's ThreadPoolExecutor example (retrieve several pages, report each as it completes,
 * one URL failing) on the {@code "virtual"} provider, which suits I/O-bound calls.
 *
 * <p>Python:
 * <pre>
 * with concurrent.futures.ThreadPoolExecutor(max_workers=5) as executor:
 *     future_to_url = {executor.submit(load_url, url, 60): url for url in URLS}
 *     for future in concurrent.futures.as_completed(future_to_url):
 *         url = future_to_url[future]
 *         try:
 *             data = future.result()
 *         except Exception as exc:
 *             print('%r generated an exception: %s' % (url, exc))
 *         else:
 *             print('%r page is %d bytes' % (url, len(data)))
 * </pre>
 *
 * <p>So that it runs anywhere, without the network, it first starts an HTTP server of its own on
 * the loopback address (an ephemeral port) serving four pages of different sizes; the fifth URL is
 * a page the server does not have, answered with 404, which {@code loadUrl} turns into an
 * {@link IOException} as Python's {@code urlopen} raises {@code HTTPError}. It prints one line per
 * URL, in the order they complete:
 * <pre>
 * 'http://127.0.0.1:41234/foxnews' page is 52734 bytes
 * 'http://127.0.0.1:41234/some-made-up-page' generated an exception: HTTP Error 404: Not Found
 * </pre>
 *
 * <p>Its module needs {@code requires jdk.httpserver;} for the server (the client side is
 * {@link java.net.HttpURLConnection}, in {@code java.base}).
 */
public final class UrlExample {
    /** The pages the local server has, with their sizes in bytes. */
    private static final Map<String, Integer> PAGES = new LinkedHashMap<>();

    static {
        PAGES.put("/foxnews", 52_734);
        PAGES.put("/cnn", 127_480);
        PAGES.put("/wsj", 8_911);
        PAGES.put("/bbc", 301_207);
    }

    private UrlExample() {}

    /** Runs the example, printing to standard output. */
    public static void main(String[] args) throws IOException {
        run(System.out);
    }

    /**
     * Runs the example, printing one line per URL to {@code out}.
     *
     * @throws IOException if the local server cannot start
     */
    public static void run(PrintStream out) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService serverThreads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(serverThreads);
        server.createContext("/", UrlExample::serve);
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            List<String> urls = List.of(base + "/foxnews", base + "/cnn", base + "/wsj", base + "/bbc",
                    base + "/some-made-up-page");
            loadAll(urls, out);
        } finally {
            server.stop(0);
            serverThreads.close();
        }
    }

    /** The reference's loop, line for line. */
    private static void loadAll(List<String> urls, PrintStream out) {
        // try-with-resources ensures the threads are cleaned up promptly, as Python's `with`
        try (Executor executor = Executors.create("virtual", ExecutorConfig.builder().maxWorkers(5).build())) {
            // Start the load operations and mark each future with its URL
            Map<Future<byte[]>, String> futureToUrl = new LinkedHashMap<>();
            for (String url : urls) {
                futureToUrl.put(executor.submit(UrlExample::loadUrl, url, 60), url);
            }
            for (Future<byte[]> future : Futures.asCompleted(futureToUrl.keySet())) {
                String url = futureToUrl.get(future);
                byte[] data;
                try {
                    data = future.result();
                } catch (RuntimeException exc) {
                    // result() rethrows the call's checked exception wrapped in CompletionException
                    Throwable cause = exc instanceof CompletionException && exc.getCause() != null ? exc.getCause() : exc;
                    out.printf("'%s' generated an exception: %s%n", url, cause.getMessage());
                    continue;
                }
                out.printf("'%s' page is %d bytes%n", url, data.length);
            }
        }
    }

    /**
     * Retrieves a single page and returns its contents, as the reference's {@code load_url}.
     *
     * @throws IOException for an HTTP error status ("HTTP Error 404: Not Found", as Python says) or
     *     a failed connection
     */
    static byte[] loadUrl(String url, int timeoutSeconds) throws IOException {
        HttpURLConnection conn = (HttpURLConnection) URI.create(url).toURL().openConnection();
        conn.setConnectTimeout(timeoutSeconds * 1000);
        conn.setReadTimeout(timeoutSeconds * 1000);
        try {
            int status = conn.getResponseCode();
            if (status >= 400) {
                throw new IOException("HTTP Error " + status + ": " + conn.getResponseMessage());
            }
            try (InputStream in = conn.getInputStream()) {
                return in.readAllBytes();
            }
        } finally {
            conn.disconnect();
        }
    }

    /** The local server: each known page is that many bytes of text; anything else is a 404. */
    private static void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            Integer size = PAGES.get(exchange.getRequestURI().getPath());
            if (size == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = new byte[size];
            Arrays.fill(body, (byte) 'x');
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }
}
