"""The CPython side of the comparison: the same workloads as the JMH benchmarks in
benchmarks/src/main/java/futures/bench, on CPython's concurrent.futures.

Usage: python3 benchmarks/python/bench.py --out FILE.json [--smoke] [--only w1,w2]
Workloads: roundtrip, process, coldstart, shortjob, waits, primes, memory.

Writes {"python": ..., "results": {key: {"unit": ..., "samples": [...]}}}; the table builder
(table.py) reads it beside JMH's JSON. Each sample is one timed repetition; the table uses the
median. Times are per task (us) where the Java side uses @OperationsPerInvocation, else per call.
"""

import argparse
import gc
import json
import math
import multiprocessing as mp
import os
import platform
import statistics
import sys
import time
import tracemalloc
from concurrent.futures import (FIRST_COMPLETED, Future, ProcessPoolExecutor,
                                ThreadPoolExecutor, as_completed, wait)

# ---------------------------------------------------------------- the tasks (same as Tasks.java)


def noop(x):
    return x


def sleep_then_pid(_):
    time.sleep(0.01)
    return os.getpid()


def is_prime(n):
    # the reference's is_prime, line by line
    if n % 2 == 0:
        return False

    sqrt_n = int(math.floor(math.sqrt(n)))
    for i in range(3, sqrt_n + 1, 2):
        if n % i == 0:
            return False
    return True


PRIMES = [
    112272535095293,
    112582705942171,
    112272535095293,
    115280095190773,
    115797848077099,
    1099726899285419]

WORKERS = 2
CONTEXTS = ("fork", "forkserver", "spawn")

# ---------------------------------------------------------------- measuring


class Settings:
    def __init__(self, smoke):
        self.smoke = smoke
        # seconds of measured repetitions per figure, and bounds on their count
        self.budget = 0.3 if smoke else 1.5
        self.min_reps = 1 if smoke else 5
        self.max_reps = 1 if smoke else 50
        self.warmups = 0 if smoke else 1
        self.cold_reps = 1 if smoke else 8
        self.cold_warmups = 0 if smoke else 2


def repeat(settings, fn, per=1, unit_scale=1e6, min_reps=None, max_reps=None):
    """Runs fn() for warm-up, then times repetitions until the budget is spent (within the bounds
    on their count). Returns each repetition's time divided by `per`, scaled (us by default)."""
    min_reps = settings.min_reps if min_reps is None else min_reps
    max_reps = settings.max_reps if max_reps is None else max_reps
    for _ in range(settings.warmups):
        fn()
    samples = []
    spent = 0.0
    while len(samples) < max_reps and (len(samples) < min_reps or spent < settings.budget):
        t0 = time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        spent += dt
        samples.append(dt / per * unit_scale)
    return samples


def until_every_worker_answered(ex):
    """Waves of WORKERS tasks that sleep 10 ms and return their pid, until WORKERS different pids
    came back (at most 100 waves): the same definition as Pools.untilEveryWorkerAnswered."""
    pids = set()
    for _ in range(100):
        if len(pids) >= WORKERS:
            break
        fs = [ex.submit(sleep_then_pid, i) for i in range(WORKERS)]
        pids.update(f.result() for f in fs)
    return len(pids)


def warm(ex):
    """As Pools.warm: every worker answered, then 2,000 no-op round trips."""
    until_every_worker_answered(ex)
    for _ in range(2):
        for f in [ex.submit(noop, i) for i in range(1000)]:
            f.result()


def submit_then_results(ex, n):
    fs = [ex.submit(noop, i) for i in range(n)]
    total = 0
    for f in fs:
        total += f.result()
    return total


# ---------------------------------------------------------------- workloads


def roundtrip(s, out):
    tasks = 1000
    with ThreadPoolExecutor(max_workers=WORKERS) as ex:
        warm(ex)
        out["roundtrip.cpython_thread"] = ("us", repeat(s, lambda: submit_then_results(ex, tasks), per=tasks))


def process(s, out):
    tasks, chunked = 2000, 20000
    items, chunked_items = list(range(tasks)), list(range(chunked))
    for ctx in CONTEXTS:
        with ProcessPoolExecutor(max_workers=WORKERS, mp_context=mp.get_context(ctx)) as ex:
            warm(ex)
            key = "process.cpython_" + ctx
            out[key + ".submit_result"] = ("us", repeat(s, lambda: submit_then_results(ex, tasks), per=tasks))
            out[key + ".map_chunk1"] = ("us", repeat(s, lambda: sum(ex.map(noop, items)), per=tasks))
            out[key + ".map_chunk100"] = (
                "us", repeat(s, lambda: sum(ex.map(noop, chunked_items, chunksize=100)), per=chunked))


def coldstart(s, out):
    def cold(ctx, until):
        times = []
        for rep in range(s.cold_warmups + s.cold_reps):
            t0 = time.perf_counter()
            ex = ProcessPoolExecutor(max_workers=WORKERS, mp_context=mp.get_context(ctx))
            try:
                until(ex)
                dt = time.perf_counter() - t0
            finally:
                ex.shutdown(wait=True)  # untimed, as in ColdStartBench
            if rep >= s.cold_warmups:
                times.append(dt * 1e3)
        return times

    def every_worker(ex):
        if until_every_worker_answered(ex) < WORKERS:
            raise RuntimeError("not every worker answered in 100 waves")

    for ctx in CONTEXTS:
        key = "coldstart.cpython_" + ctx
        out[key + ".first_result"] = ("ms", cold(ctx, lambda ex: ex.submit(noop, 1).result()))
        out[key + ".every_worker"] = ("ms", cold(ctx, every_worker))

    # As ColdStartBench.reuseCycle: 20 cycles of create, submit, result, close (timed whole, the
    # shutdown included); the first is the warm-up, the table takes the median of the others.
    cycles = 2 if s.smoke else 20
    for ctx in ("spawn", "forkserver"):
        times = []
        for rep in range(cycles):
            t0 = time.perf_counter()
            with ProcessPoolExecutor(max_workers=WORKERS, mp_context=mp.get_context(ctx)) as ex:
                ex.submit(noop, 1).result()
            if rep >= 1:
                times.append((time.perf_counter() - t0) * 1e3)
        out["coldstart.cpython_%s.reuse_cycle" % ctx] = ("ms", times)


def shortjob(s, out):
    """As ShortJobBench: from creating a 2-worker pool to the last of 2,000 no-op results (all
    submitted, then all read), each sample a fresh pool (its shutdown untimed); one warm-up pool
    per context, then `cold_reps` // 2 (at least 1) measured ones."""
    tasks = 2000
    reps = 1 if s.smoke else max(1, s.cold_reps // 2)
    warmups = 0 if s.smoke else 1
    for ctx in CONTEXTS:
        times = []
        for rep in range(warmups + reps):
            t0 = time.perf_counter()
            ex = ProcessPoolExecutor(max_workers=WORKERS, mp_context=mp.get_context(ctx))
            try:
                submit_then_results(ex, tasks)
                dt = time.perf_counter() - t0
            finally:
                ex.shutdown(wait=True)
            if rep >= warmups:
                times.append(dt * 1e3)
        out["shortjob.cpython_%s.fresh_pool" % ctx] = ("ms", times)


def waits(s, out):
    for n in (10_000, 100_000, 1_000_000):
        gc.disable()  # the set-up is not measured: spare it the cyclic collector's passes
        try:
            done = []
            for i in range(n):
                f = Future()
                f.set_result(i)
                done.append(f)
            pending = [Future() for _ in range(n)]
        finally:
            gc.enable()  # the calls are measured with the collector on, as a program runs them

        def all_completed():
            seen = sum(1 for f in as_completed(done) if f.done())
            assert seen == n, (seen, n)

        def first_completed():
            r = wait(pending, timeout=0, return_when=FIRST_COMPLETED)
            assert len(r.not_done) == n, (len(r.not_done), n)

        # At 10^6 one call takes seconds here: 2 timed calls, no warm-up (CPython has no JIT to warm).
        big = n >= 1_000_000
        reps = dict(min_reps=1 if s.smoke else (2 if big else 5), max_reps=1 if s.smoke else (2 if big else 50))
        saved, s.warmups = s.warmups, (0 if big else s.warmups)
        try:
            out["waits.cpython.as_completed_done.%d" % n] = ("ms", repeat(s, all_completed, unit_scale=1e3, **reps))
            out["waits.cpython.wait_first_pending.%d" % n] = ("ms", repeat(s, first_completed, unit_scale=1e3, **reps))
        finally:
            s.warmups = saved
        del done, pending


def primes(s, out):
    def serial():
        assert sum(map(is_prime, PRIMES)) == 5

    reps = dict(min_reps=1 if s.smoke else 2, max_reps=1 if s.smoke else 3)
    saved, s.warmups = s.warmups, 0  # each run is a second or more: the loop needs no warm-up
    try:
        out["primes.cpython.reference_one_thread"] = ("ms", repeat(s, serial, unit_scale=1e3, **reps))
        with ProcessPoolExecutor(max_workers=WORKERS) as ex:
            warm(ex)

            def pooled():
                assert sum(ex.map(is_prime, PRIMES)) == 5

            out["primes.cpython.reference_processes"] = ("ms", repeat(s, pooled, unit_scale=1e3, **reps))
    finally:
        s.warmups = saved


def memory(s, out):
    n = 10_000 if s.smoke else 100_000

    def per_object(make):
        tracemalloc.start()
        try:
            held = [None] * n
            base = tracemalloc.get_traced_memory()[0]
            for i in range(n):
                held[i] = make()
            used = tracemalloc.get_traced_memory()[0] - base
        finally:
            tracemalloc.stop()
        return used / n

    def finished():
        f = Future()
        f.set_result(42)
        return f

    rounds = 1 if s.smoke else 3
    out["memory.cpython.future_pending"] = ("B", [per_object(Future) for _ in range(rounds)])
    out["memory.cpython.future_finished"] = ("B", [per_object(finished) for _ in range(rounds)])


WORKLOADS = {
    "roundtrip": roundtrip,
    "process": process,
    "coldstart": coldstart,
    "shortjob": shortjob,
    "waits": waits,
    "primes": primes,
    "memory": memory,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="where to write the JSON results")
    ap.add_argument("--smoke", action="store_true", help="one short repetition each: checks, not figures")
    ap.add_argument("--only", default=",".join(WORKLOADS), help="comma-separated workloads")
    args = ap.parse_args()
    chosen = [w.strip() for w in args.only.split(",") if w.strip()]
    unknown = [w for w in chosen if w not in WORKLOADS]
    if unknown:
        ap.error("unknown workload(s) %s; known: %s" % (", ".join(unknown), ", ".join(WORKLOADS)))

    settings = Settings(args.smoke)
    results = {}
    for name in chosen:
        t0 = time.perf_counter()
        raw = {}
        WORKLOADS[name](settings, raw)
        for key, (unit, samples) in raw.items():
            results[key] = {"unit": unit, "samples": [round(x, 4) for x in samples]}
            print("%-48s %10.3f %s (median of %d)" % (key, statistics.median(samples), unit, len(samples)),
                  flush=True)
        print("python: %s took %.1f s" % (name, time.perf_counter() - t0), flush=True)

    doc = {
        "python": "%s %s" % (platform.python_implementation(), platform.python_version()),
        "smoke": args.smoke,
        "results": results,
    }
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
