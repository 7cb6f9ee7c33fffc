package futures.examples;

import futures.core.Executor;
import futures.core.Executors;
import futures.core.Future;
import futures.spi.ExecutorConfig;
import java.io.PrintStream;
import java.math.BigInteger;

/**
 * The reference's {@code submit} example:
 *
 * <pre>
 * with ThreadPoolExecutor(max_workers=1) as executor:
 *     future = executor.submit(pow, 323, 1235)
 *     print(future.result())
 * </pre>
 *
 * <p>Python's {@code pow} on two ints gives an exact big integer. {@code Math.pow} works on doubles,
 * so {@code 323.0^1235.0} overflows to {@code Infinity}; {@code BigInteger::pow} gives the same
 * 3,099-digit number Python prints. Both are shown.
 */
public final class PowExample {
    private PowExample() {}

    /** Prints {@code Infinity}, then the exact value Python prints. */
    public static void run(PrintStream out) {
        try (Executor executor = Executors.create("thread", ExecutorConfig.builder().maxWorkers(1).build())) {
            Future<Double> future = executor.submit(Math::pow, 323.0, 1235.0);
            out.println(future.result());

            Future<BigInteger> exact = executor.submit(BigInteger::pow, BigInteger.valueOf(323), 1235);
            out.println(exact.result());
        }
    }

    public static void main(String[] args) {
        run(System.out);
    }
}
