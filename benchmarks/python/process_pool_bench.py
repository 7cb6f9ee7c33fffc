#!/usr/bin/env python3
"""CPython's ProcessPoolExecutor on the workloads of ProcessTimings.java, for comparison.

Prints: the median time from creating a pool of 2 workers to the first result (10 fresh pools),
trivial tasks per second with submit+result one at a time, with map chunksize=1 and with map
chunksize=100, all on 2 workers; and the primes check of the reference over a longer list on
one thread versus 2 workers.

Run: python3 benchmarks/python/process_pool_bench.py
"""
import concurrent.futures
import math
import statistics
import time

PRIMES = [112272535095293, 112582705942171, 112272535095293,
          115280095190773, 115797848077099, 1099726899285419]


def is_prime(n):
    if n % 2 == 0:
        return False
    sqrt_n = int(math.floor(math.sqrt(n)))
    for i in range(3, sqrt_n + 1, 2):
        if n % i == 0:
            return False
    return True


def one(_=None):
    return 1


def inc(x):
    return x + 1


def startup():
    times = []
    for i in range(11):
        t0 = time.perf_counter()
        with concurrent.futures.ProcessPoolExecutor(max_workers=2) as ex:
            ex.submit(one).result()
            if i > 0:
                times.append((time.perf_counter() - t0) * 1000)
    print("create -> first result: median %.1f ms (min %.1f, max %.1f)"
          % (statistics.median(times), min(times), max(times)))


def throughput():
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as ex:
        for rnd in range(2):
            n = 3000
            t0 = time.perf_counter()
            for i in range(n):
                ex.submit(inc, i).result()
            one_at_a_time = n / (time.perf_counter() - t0)
            m = 20000
            t0 = time.perf_counter()
            for _ in ex.map(inc, range(m)):
                pass
            chunk1 = m / (time.perf_counter() - t0)
            k = 400000
            t0 = time.perf_counter()
            for _ in ex.map(inc, range(k), chunksize=100):
                pass
            chunk100 = k / (time.perf_counter() - t0)
            if rnd == 1:
                print("trivial tasks/s on 2 workers: submit+result one at a time %.0f, map chunk 1 %.0f,"
                      " map chunk 100 %.0f" % (one_at_a_time, chunk1, chunk100))


def primes(copies):
    numbers = PRIMES * copies
    t0 = time.perf_counter()
    single = [is_prime(n) for n in numbers]
    t_single = time.perf_counter() - t0
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as ex:
        list(ex.map(is_prime, PRIMES[:2]))
        t0 = time.perf_counter()
        pooled = list(ex.map(is_prime, numbers))
        t_pool = time.perf_counter() - t0
    print("primes check over %d numbers: one thread %.2f s, 2 workers %.2f s, speed-up %.2fx (same: %s)"
          % (len(numbers), t_single, t_pool, t_single / t_pool, single == pooled))


if __name__ == "__main__":
    import sys
    startup()
    throughput()
    if "--primes" in sys.argv:
        primes(1)
