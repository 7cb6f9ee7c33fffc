package futures.bench;

import java.util.List;

/**
 * The calls the benchmarks run, as static methods of a class with plain signatures: a method
 * reference to one of them crosses to a process worker (which gets this jar as its class path)
 * and loads there without dragging JMH types along. {@code benchmarks/python/bench.py} defines
 * the same functions for CPython.
 */
public final class Tasks {
    private Tasks() {}

    /** The no-op task: returns its argument (Python: {@code def noop(x): return x}). */
    public static Integer identity(Integer x) {
        return x;
    }

    /** Sleeps 10 ms, then names the process it ran in (Python: {@code sleep(0.01); os.getpid()}). */
    public static Long sleepThenPid(Integer ignored) throws InterruptedException {
        Thread.sleep(10);
        return ProcessHandle.current().pid();
    }

    /** The reference's {@code is_prime}, line by line. */
    public static boolean isPrime(Long boxed) {
        long n = boxed;
        if (n % 2 == 0) {
            return false;
        }
        long sqrtN = (long) Math.floor(Math.sqrt((double) n));
        for (long i = 3; i <= sqrtN; i += 2) {
            if (n % i == 0) {
                return false;
            }
        }
        return true;
    }

    /** The reference's {@code PRIMES}, in its order; the last is not prime (3306091 x 332636609). */
    public static final List<Long> REFERENCE_PRIMES = List.of(
            112272535095293L,
            112582705942171L,
            112272535095293L,
            115280095190773L,
            115797848077099L,
            1099726899285419L);

    /**
     * The CPU-bound run: 24 primes just above 10^16 (about 50 million trial divisions each), a
     * few seconds on one thread here. The count is even so 2 workers share it evenly.
     */
    public static final List<Long> LONG_PRIMES = List.of(
            10066036674904513L, 10040099878324231L, 10031896217938019L, 10000822257569951L,
            10033476086880443L, 10031304448940011L, 10041738535683557L, 10093829294634571L,
            10084738602722741L, 10003119478161707L, 10031013053645687L, 10084838300900057L,
            10002865831986551L, 10021667652769141L, 10085292929337749L, 10088801315387507L,
            10065403879534013L, 10084256335336643L, 10099014572940091L, 10050913872865531L,
            10059147103744339L, 10012098011589109L, 10069562784032107L, 10072724203556501L);
}
