package bench;

import java.util.List;

/** The reference's example data and its is_prime, line for line. */
final class Primes {
    static final List<Long> PRIMES = List.of(112272535095293L, 112582705942171L, 112272535095293L,
            115280095190773L, 115797848077099L, 1099726899285419L);

    private Primes() {}

    static boolean isPrime(long n) {
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
}
