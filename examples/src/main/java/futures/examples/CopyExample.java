package futures.examples;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference's {@code with} example, which shuts the executor down at the end of the block:
 *
 * <pre>
 * import shutil
 * with ThreadPoolExecutor(max_workers=4) as e:
 *     e.submit(shutil.copy, 'src1.txt', 'dest1.txt')
 *     e.submit(shutil.copy, 'src2.txt', 'dest2.txt')
 *     e.submit(shutil.copy, 'src3.txt', 'dest3.txt')
 *     e.submit(shutil.copy, 'src3.txt', 'dest4.txt')
 * </pre>
 *
 * <p>try-with-resources plays the part of {@code with}: leaving the block calls
 * {@link Executor#close()}, which is {@code shutdown(wait=true)}, so all four copies are done when
 * the block ends. {@code Files::copy} returns the destination, as {@code shutil.copy} does. The
 * source files are made in a fresh temporary directory, and everything is deleted afterwards.
 */
public final class CopyExample {
    private CopyExample() {}

    /** Runs the example in a temporary directory of its own, deleted afterwards. */
    public static void run(PrintStream out) throws IOException {
        Path dir = Files.createTempDirectory("futures-copy-example");
        try {
            run(out, dir);
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    /**
     * Runs the example in {@code dir}: makes {@code src1.txt} to {@code src3.txt} there, copies them
     * as the reference does, prints each destination with its contents, and deletes the files it
     * made, leaving {@code dir} as it found it.
     *
     * @throws IOException if a file cannot be made or read; a failed copy is rethrown as the
     *     future's {@code result()} throws it (an {@code IOException} wrapped in a
     *     {@code CompletionException})
     */
    public static void run(PrintStream out, Path dir) throws IOException {
        List<String> sources = List.of("src1.txt", "src2.txt", "src3.txt");
        List<Path> made = new ArrayList<>();
        try {
            for (String name : sources) {
                made.add(Files.writeString(dir.resolve(name), "the text of " + name + "\n"));
            }
            for (int i = 1; i <= 4; i++) {
                made.add(dir.resolve("dest" + i + ".txt"));
            }

            List<Future<Path>> copies = new ArrayList<>();
            try (Executor e = Executors.threadPool(4)) {
                copies.add(e.submit(Files::copy, dir.resolve("src1.txt"), dir.resolve("dest1.txt")));
                copies.add(e.submit(Files::copy, dir.resolve("src2.txt"), dir.resolve("dest2.txt")));
                copies.add(e.submit(Files::copy, dir.resolve("src3.txt"), dir.resolve("dest3.txt")));
                copies.add(e.submit(Files::copy, dir.resolve("src3.txt"), dir.resolve("dest4.txt")));
            }
            // The block's end waited for every copy, so each future is done.
            for (Future<Path> copy : copies) {
                Path dest = copy.result();
                out.println(dest.getFileName() + ": " + Files.readString(dest).strip());
            }
        } finally {
            for (Path p : made) {
                Files.deleteIfExists(p);
            }
        }
    }

    public static void main(String[] args) throws IOException {
        run(System.out);
    }
}
