package futures.examples;

import futures.core.Executor;
import futures.core.Executors;
import futures.spi.ExecutorConfig;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.List;

/**
 * The reference's {@code ProcessPoolExecutor} example: checks six large numbers for primality in
 * worker processes and prints, in input order, exactly what Python prints.
 *
 * <pre>
 * with concurrent.futures.ProcessPoolExecutor() as executor:
 *     for number, prime in zip(PRIMES, executor.map(is_prime, PRIMES)):
 *         print('%d is prime: %s' % (number, prime))
 * </pre>
 *
 * <p>The provider is {@code "process"} unless the system property {@value #PROVIDER_PROPERTY} names
 * another (such as {@code "thread"}, or {@code "cluster"}: a cluster member in this JVM, which joins
 * any member of the default cluster on this machine's loopback, see docs/cluster-provider.md). {@code PrimesExample::isPrime} is a method reference to a
 * static method, so it crosses to a worker JVM as it is, with no cast.
 */
public final class PrimesExample {
    /** The system property that names the provider to run on; {@code "process"} if unset. */
    public static final String PROVIDER_PROPERTY = "futures.examples.provider";

    /** The reference's list, including its duplicate. */
    public static final List<Long> PRIMES = List.of(
            112272535095293L,
            112582705942171L,
            112272535095293L,
            115280095190773L,
            115797848077099L,
            1099726899285419L);

    private PrimesExample() {}

    /** The reference's {@code is_prime}, line for line. */
    public static boolean isPrime(long n) {
        if (n % 2 == 0) {
            return false;
        }
        long sqrtN = (long) Math.floor(Math.sqrt(n));
        for (long i = 3; i < sqrtN + 1; i += 2) {
            if (n % i == 0) {
                return false;
            }
        }
        return true;
    }

    /** Runs on the provider named by {@value #PROVIDER_PROPERTY}, {@code "process"} by default. */
    public static void run(PrintStream out) {
        run(out, System.getProperty(PROVIDER_PROPERTY, "process"));
    }

    /** Runs on the provider called {@code provider}, with its default settings. */
    public static void run(PrintStream out, String provider) {
        run(out, provider, ExecutorConfig.defaults());
    }

    /**
     * Runs on the provider called {@code provider} with {@code config}: on {@code "cluster"}, for
     * instance, a cluster name and the members to join.
     */
    public static void run(PrintStream out, String provider, ExecutorConfig config) {
        try (Executor executor = Executors.create(provider, config)) {
            Iterator<Long> numbers = PRIMES.iterator();
            for (boolean prime : executor.map(PrimesExample::isPrime, PRIMES)) {
                // zip(PRIMES, ...), and Python's str(bool): True or False
                out.println(String.format("%d is prime: %s", numbers.next(), prime ? "True" : "False"));
            }
        }
    }

    public static void main(String[] args) {
        run(System.out);
    }
}
