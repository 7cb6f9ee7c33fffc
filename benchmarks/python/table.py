"""Builds the comparison table from one run of scripts/bench.

Usage: python3 benchmarks/python/table.py --results DIR [--docs docs/performance.md] [--elapsed S]

Reads DIR/jmh.json (JMH's JSON), DIR/memory.json (futures.bench.Memory), DIR/python.json
(bench.py), DIR/providers.json (futures.bench.Main) and DIR/env.json (scripts/bench), and the
same files in DIR's subfolders (one per workload, as scripts/bench writes them), prints the
table as Markdown, writes it to DIR/table.md and, with --docs, puts it between the markers
<!-- bench:table:begin --> and <!-- bench:table:end --> of that file.

Every figure is the median of its samples (JMH iterations, or bench.py repetitions), with the
smallest and largest beside it. A ratio is always "how many times better ours is": a speed ratio
(peer's time / our time), or a time or size ratio where the target says "at most".
"""

import argparse
import json
import os
import re
import statistics
import sys

BEGIN, END = "<!-- bench:table:begin -->", "<!-- bench:table:end -->"

# JMH benchmark (class.method) -> our key; params are appended as ".value" (provider gives "_value").
JMH_KEYS = {
    "RoundTripBench.futures": "roundtrip.futures",
    "RoundTripBench.jdkThreadPool": "roundtrip.jdk_thread",
    "ProcessPoolBench.submitResult": "process.futures.submit_result",
    "ProcessPoolBench.mapChunk1": "process.futures.map_chunk1",
    "ProcessPoolBench.mapChunk100": "process.futures.map_chunk100",
    "ColdStartBench.firstResult": "coldstart.futures.first_result",
    "ColdStartBench.everyWorker": "coldstart.futures.every_worker",
    "ColdStartBench.firstResultNoClassCache": "coldstart.futures_nocache.first_result",
    "ColdStartBench.everyWorkerNoClassCache": "coldstart.futures_nocache.every_worker",
    "ColdStartBench.reuseCycle": "coldstart.futures.reuse_cycle",
    "ShortJobBench.freshJvm": "shortjob.futures.fresh_jvm",
    "ShortJobBench.freshWorkers": "shortjob.futures.fresh_workers",
    "ShortJobBench.parkedWorkers": "shortjob.futures.parked_workers",
    "WaitBench.asCompletedDone": "waits.futures.as_completed_done",
    "WaitBench.waitFirstCompletedPending": "waits.futures.wait_first_pending",
    "PrimesBench.referenceOneThread": "primes.futures.reference_one_thread",
    "PrimesBench.referenceThreads": "primes.futures.reference_threads",
    "PrimesBench.referenceProcesses": "primes.futures.reference_processes",
    "PrimesBench.longOneThread": "primes.futures.long_one_thread",
    "PrimesBench.longThreads": "primes.futures.long_threads",
    "PrimesBench.longProcesses": "primes.futures.long_processes",
    "ClusterBench.roundTripCluster": "cluster.futures.round_trip",
    "ClusterBench.roundTripEngine": "cluster.engine.round_trip",
    "ClusterBench.roundTripProcess": "cluster.futures_process.round_trip",
    "ClusterBench.callsCluster": "cluster.futures.calls",
    "ClusterBench.callsEngine": "cluster.engine.calls",
    "ClusterBench.callsProcess": "cluster.futures_process.calls",
}

LINEAR = 12.5  # "about 10x per factor of 10": at most this much growth counts as linear


class Figure:
    """The samples of one measurement."""

    def __init__(self, unit, samples):
        self.unit = unit
        self.samples = [float(x) for x in samples]
        self.median = statistics.median(self.samples)
        self.lo, self.hi = min(self.samples), max(self.samples)


def load_json(path, default):
    if not os.path.exists(path):
        return default
    with open(path) as f:
        return json.load(f)


def read_jmh(path):
    figures = {}
    for entry in load_json(path, []):
        cls_method = ".".join(entry["benchmark"].split(".")[-2:])
        key = JMH_KEYS.get(cls_method)
        if key is None:
            continue
        params = entry.get("params") or {}
        if "provider" in params:
            key += "_" + params["provider"]
        if "n" in params:
            key += "." + params["n"]
        metric = entry["primaryMetric"]
        unit = metric["scoreUnit"].split("/")[0]
        samples = [x for fork in metric.get("rawData", []) for x in fork] or [metric["score"]]
        figures[key] = Figure(unit, samples)
    return figures


def read_results(path):
    doc = load_json(path, {"results": {}})
    return {k: Figure(v["unit"], v["samples"]) for k, v in doc["results"].items()}, doc


def fmt(x):
    if x is None:
        return "n/a"
    a = abs(x)
    if a >= 1000:
        return "{:,.0f}".format(x)
    if a >= 100:
        return "%.0f" % x
    if a >= 10:
        return "%.1f" % x
    if a >= 1:
        return "%.2f" % x
    return "%.3f" % x


def cell(fig, transform=None):
    """'median (lo–hi)' of a figure, optionally transformed (e.g. us per task -> tasks/s)."""
    if fig is None:
        return "not run"
    if transform is None:
        return "%s (%s–%s)" % (fmt(fig.median), fmt(fig.lo), fmt(fig.hi))
    vals = sorted([transform(fig.lo), transform(fig.hi)])
    return "%s (%s–%s)" % (fmt(transform(fig.median)), fmt(vals[0]), fmt(vals[1]))


def rate(us):
    return 1e6 / us


def ratio_str(r):
    return "n/a" if r is None else "%.2fx" % r


class Table:
    def __init__(self, figs, providers):
        self.f = figs
        self.providers = providers
        self.targets = []  # (name, measured text, ratio, goal text, standing) ; standing >= 1 passes

    def get(self, key):
        return self.f.get(key)

    def speed(self, ours, peer):
        """peer time / our time, from medians; None when either is missing."""
        a, b = self.get(ours), self.get(peer)
        return None if a is None or b is None else b.median / a.median

    def missing_reason(self, key):
        if key.startswith(("process.futures", "coldstart.futures", "shortjob.futures", "cluster.futures_process")) or key.endswith(("_process", "_processes")):
            name = "process"
        elif key.startswith(("cluster.futures", "cluster.engine")):
            name = "cluster"
        elif key.endswith("_virtual"):
            name = "virtual"
        else:
            return "no result (not selected, or it failed: see the run's log)"
        if name not in self.providers.get("found", [name]):
            return "NOT RUN (%s provider not found)" % name
        return "no result (not selected, or it failed: see the run's log)"

    def target(self, name, ratio, goal, at_least, measured, key_for_reason, unit="x"):
        if ratio is None:
            self.targets.append((name, measured, None, goal, None, self.missing_reason(key_for_reason)))
            return
        standing = ratio / goal if at_least else goal / ratio
        status = "PASS" if standing >= 1 else "BEHIND"
        goal_text = ("≥ " if at_least else "≤ ") + ("%.2fx" % goal if unit == "x" else "%s %s" % (fmt(goal), unit))
        self.targets.append((name, measured, ratio, goal_text, standing, status))

    # ------------------------------------------------------------ sections

    def roundtrip(self, out):
        out.append("### 1. Round trip: submit 1,000 no-op tasks to 2 workers, read every result\n")
        out.append("| pool (2 workers) | µs per task | tasks/s | speed vs JDK TPE(2) | speed vs CPython TPE(2) |")
        out.append("|---|---|---|---|---|")
        rows = [("futures `thread`", "roundtrip.futures_thread"),
                ("futures `virtual`", "roundtrip.futures_virtual"),
                ("futures `process`", "roundtrip.futures_process"),
                ("JDK `ThreadPoolExecutor(2)`", "roundtrip.jdk_thread"),
                ("CPython `ThreadPoolExecutor(2)`", "roundtrip.cpython_thread")]
        for label, key in rows:
            fig = self.get(key)
            if fig is None:
                out.append("| %s | %s | | | |" % (label, self.missing_reason(key)))
                continue
            out.append("| %s | %s | %s | %s | %s |" % (
                label, cell(fig), cell(fig, rate),
                ratio_str(self.speed(key, "roundtrip.jdk_thread")),
                ratio_str(self.speed(key, "roundtrip.cpython_thread"))))
        r = self.speed("roundtrip.futures_thread", "roundtrip.jdk_thread")
        self.target("thread provider round trip vs JDK ThreadPoolExecutor(2) (speed)", r, 0.9, True,
                    "%s vs %s µs/task" % (fmt(self.med("roundtrip.futures_thread")), fmt(self.med("roundtrip.jdk_thread"))),
                    "roundtrip.futures_thread")
        if self.get("roundtrip.futures_process") is not None:
            out.append("\nThe `process` row is a pool after about 2 s of warm-up, still warming (a fresh process pool "
                       "takes 4-7 s to reach its throughput): section 2 has the warm figures.")
        out.append("")

    def med(self, key):
        fig = self.get(key)
        return None if fig is None else fig.median

    def process(self, out):
        out.append("### 2. Process pool, trivial tasks (2 warm workers): tasks per second\n")
        ctxs = ["fork", "forkserver", "spawn"]
        out.append("| measure | futures `process` | CPython fork | CPython forkserver | CPython spawn | futures ÷ best CPython |")
        out.append("|---|---|---|---|---|---|")
        labels = [("submit + result (2,000 tasks)", "submit_result", 3.0),
                  ("map, chunk size 1 (2,000 tasks)", "map_chunk1", 3.0),
                  ("map, chunk size 100 (20,000 tasks)", "map_chunk100", 1.0)]
        for label, m, goal in labels:
            ours_key = "process.futures." + m
            ours = self.get(ours_key)
            peers = [self.get("process.cpython_%s.%s" % (c, m)) for c in ctxs]
            known = [p for p in peers if p is not None]
            best = min(known, key=lambda p: p.median) if known else None
            r = None if ours is None or best is None else best.median / ours.median
            out.append("| %s | %s | %s | %s |" % (
                label, cell(ours, rate) if ours else self.missing_reason(ours_key),
                " | ".join(cell(p, rate) for p in peers), ratio_str(r)))
            best_name = ctxs[peers.index(best)] if best is not None else "?"
            self.target("process trivial tasks, %s, vs best CPython context (rate)" % label.split(" (")[0], r, goal, True,
                        "%s vs %s tasks/s (%s)" % (fmt(rate(ours.median)) if ours else "n/a",
                                                   fmt(rate(best.median)) if best else "n/a", best_name),
                        ours_key)
        out.append("")

    def coldstart(self, out):
        out.append("### 3. Cold start of a 2-worker process pool: ms from create\n")
        out.append("| until | futures `process` | CPython spawn | CPython forkserver | CPython fork | speed vs spawn "
                   "| futures, `class_cache=off` | its speed vs spawn |")
        out.append("|---|---|---|---|---|---|---|---|")
        for label, m in [("first result", "first_result"), ("both workers answered", "every_worker")]:
            key = "coldstart.futures." + m
            off = "coldstart.futures_nocache." + m
            ours = self.get(key)
            cells = [cell(self.get("coldstart.cpython_%s.%s" % (c, m))) for c in ("spawn", "forkserver", "fork")]
            r = self.speed(key, "coldstart.cpython_spawn." + m)
            r_off = self.speed(off, "coldstart.cpython_spawn." + m)
            out.append("| %s | %s | %s | %s | %s | %s |" % (
                label, cell(ours) if ours else self.missing_reason(key), " | ".join(cells), ratio_str(r),
                cell(self.get(off)) if self.get(off) else self.missing_reason(off), ratio_str(r_off)))
            what = "to the first result" if m == "first_result" else "until both workers answered"
            self.target("process cold start %s vs CPython spawn (speed; defaults: class cache on)" % what, r, 1.0,
                        True, "%s vs %s ms" % (fmt(self.med(key)), fmt(self.med("coldstart.cpython_spawn." + m))), key)
        out.append("")
        out.append("A pool per request: create, submit one no-op, its result, close; 20 cycles, the median of "
                   "the 19 after the first, ms (futures with its defaults, which reuse the workers the cycle "
                   "before parked; CPython starts its workers each time)\n")
        out.append("| futures `process` | CPython spawn | CPython forkserver | speed vs forkserver |")
        out.append("|---|---|---|---|")
        key = "coldstart.futures.reuse_cycle"
        r = self.speed(key, "coldstart.cpython_forkserver.reuse_cycle")
        out.append("| %s | %s | %s | %s |" % (
            cell(self.get(key)) if self.get(key) else self.missing_reason(key),
            cell(self.get("coldstart.cpython_spawn.reuse_cycle")),
            cell(self.get("coldstart.cpython_forkserver.reuse_cycle")), ratio_str(r)))
        self.target("a pool per request (create, submit, result, close) vs CPython forkserver (speed)", r, 10.0, True,
                    "%s vs %s ms" % (fmt(self.med(key)), fmt(self.med("coldstart.cpython_forkserver.reuse_cycle"))),
                    key)
        out.append("")
        self.shortjob(out)

    def shortjob(self, out):
        out.append("A fresh pool's short job: create a 2-worker pool, submit 2,000 no-op tasks, read every result; "
                   "ms from create to the last result (the shutdown untimed). CPython: a fresh "
                   "`ProcessPoolExecutor` per sample, in each context\n")
        out.append("| futures `process`: which pool | ms | speed vs CPython spawn | speed vs forkserver | speed vs fork |")
        out.append("|---|---|---|---|---|")
        spawn = "shortjob.cpython_spawn.fresh_pool"
        rows = [("the first pool of a fresh parent JVM (one per JMH fork)", "shortjob.futures.fresh_jvm"),
                ("fresh workers (`reuse_workers=false`), a warm parent", "shortjob.futures.fresh_workers"),
                ("the defaults in a warm parent (the workers the pool before parked)", "shortjob.futures.parked_workers")]
        for label, key in rows:
            fig = self.get(key)
            out.append("| %s | %s | %s | %s | %s |" % (
                label, cell(fig) if fig else self.missing_reason(key),
                ratio_str(self.speed(key, spawn)),
                ratio_str(self.speed(key, "shortjob.cpython_forkserver.fresh_pool")),
                ratio_str(self.speed(key, "shortjob.cpython_fork.fresh_pool"))))
        out.append("| CPython spawn / forkserver / fork | %s / %s / %s | | | |" % tuple(
            cell(self.get("shortjob.cpython_%s.fresh_pool" % c)) for c in ("spawn", "forkserver", "fork")))
        for what, key in [("fresh workers in a warm parent", "shortjob.futures.fresh_workers"),
                          ("the first pool of a fresh JVM", "shortjob.futures.fresh_jvm")]:
            self.target("a fresh pool's short job (2,000 tasks from create), %s, vs CPython spawn (speed)" % what,
                        self.speed(key, spawn), 1.0, True,
                        "%s vs %s ms" % (fmt(self.med(key)), fmt(self.med(spawn))), key)
        out.append("")

    def waits(self, out):
        out.append("### 4. `asCompleted` over N done futures, `wait(FIRST_COMPLETED, timeout 0)` over N pending\n")
        out.append("| call | N | futures ms | growth per ×10 | CPython ms | growth per ×10 | futures ÷ CPython (time) |")
        out.append("|---|---|---|---|---|---|---|")
        for label, m in [("asCompleted / as_completed", "as_completed_done"), ("wait / wait", "wait_first_pending")]:
            worst_growth = None
            for n in (10_000, 100_000, 1_000_000):
                ours, py = self.get("waits.futures.%s.%d" % (m, n)), self.get("waits.cpython.%s.%d" % (m, n))
                g_ours = self.growth("waits.futures.%s" % m, n)
                g_py = self.growth("waits.cpython.%s" % m, n)
                if g_ours is not None:
                    worst_growth = g_ours if worst_growth is None else max(worst_growth, g_ours)
                r = None if ours is None or py is None else ours.median / py.median
                out.append("| %s | 10^%d | %s | %s | %s | %s | %s |" % (
                    label, len(str(n)) - 1, cell(ours), ratio_str(g_ours) if g_ours else "", cell(py),
                    ratio_str(g_py) if g_py else "", "%.4f" % r if r is not None else "n/a"))
                if n == 100_000:
                    name = label.split(" /")[0]
                    self.target("`%s` at N = 10^5, time vs CPython" % name, r, 0.05, False,
                                "%s vs %s ms" % (fmt(self.med("waits.futures.%s.%d" % (m, n))),
                                                 fmt(self.med("waits.cpython.%s.%d" % (m, n)))),
                                "waits")
            self.target("`%s` linear up to 10^6: worst growth per ×10" % label.split(" /")[0], worst_growth, LINEAR, False,
                        ratio_str(worst_growth), "waits")
        out.append("")

    def growth(self, prefix, n):
        if n == 10_000:
            return None
        a, b = self.get("%s.%d" % (prefix, n // 10)), self.get("%s.%d" % (prefix, n))
        return None if a is None or b is None else b.median / a.median

    def primes(self, out):
        out.append("### 5. CPU-bound: the reference's primes example, and a longer run\n")
        out.append("| run | one thread (ms) | 2 platform threads (ms) | 2 process workers (ms) | speed-up, threads | speed-up, processes |")
        out.append("|---|---|---|---|---|---|")
        for label, m in [("reference `PRIMES` (6 numbers)", "reference"), ("24 primes near 10^16", "long")]:
            one, thr, prc = ("primes.futures.%s_%s" % (m, k) for k in ("one_thread", "threads", "processes"))
            out.append("| futures: %s | %s | %s | %s | %s | %s |" % (
                label, cell(self.get(one)), cell(self.get(thr)),
                cell(self.get(prc)) if self.get(prc) else self.missing_reason(prc),
                ratio_str(self.speed(thr, one)), ratio_str(self.speed(prc, one))))
            if m == "long":
                self.target("CPU-bound run on 2 warm process workers vs one thread (speed-up)", self.speed(prc, one), 1.8,
                            True, "%s vs %s ms" % (fmt(self.med(prc)), fmt(self.med(one))), prc)
        one, prc = "primes.cpython.reference_one_thread", "primes.cpython.reference_processes"
        out.append("| CPython: reference `PRIMES` | %s | | %s | | %s |" % (
            cell(self.get(one)), cell(self.get(prc)), ratio_str(self.speed(prc, one))))
        out.append("")

    def memory(self, out):
        out.append("### 6. Memory: heap retained per object (bytes; %s held at once, serial GC; CPython: tracemalloc)\n"
                   % ("{:,}".format(self.memory_n) if self.memory_n else "N"))
        out.append("| object | bytes each | beside |")
        out.append("|---|---|---|")
        rows = [
            ("futures `Future`, pending", "memory.future.pending", None),
            ("futures `Future`, pending, one done callback", "memory.future.pending_callback", "memory.cf.pending_dependent"),
            ("futures `Future`, finished", "memory.future.finished", "memory.cf.finished"),
            ("JDK `CompletableFuture`, pending", "memory.cf.pending", None),
            ("JDK `CompletableFuture`, pending, one dependent (`thenApply`)", "memory.cf.pending_dependent", None),
            ("JDK `CompletableFuture`, completed", "memory.cf.finished", None),
            ("futures: a call queued behind a busy worker (`submit` on `thread`, 1 worker)", "memory.queued.futures_thread",
             "memory.queued.jdk_supply_async"),
            ("JDK: `CompletableFuture.supplyAsync` queued on a busy `ThreadPoolExecutor(1)`", "memory.queued.jdk_supply_async", None),
            ("JDK: `submit` (a `FutureTask`) queued on a busy `ThreadPoolExecutor(1)`", "memory.queued.jdk_submit", None),
            ("CPython `Future()`, pending (tracemalloc)", "memory.cpython.future_pending", None),
            ("CPython `Future()`, finished (tracemalloc)", "memory.cpython.future_finished", None),
        ]
        for label, key, beside in rows:
            fig = self.get(key)
            other = self.get(beside) if beside else None
            diff = "" if fig is None or other is None else "%+.0f B vs %s" % (fig.median - other.median, beside.split("memory.")[1])
            out.append("| %s | %s | %s |" % (label, cell(fig), diff))
        bare = self.get("memory.future.pending")
        cb = self.get("memory.future.pending_callback")
        cf = self.get("memory.cf.pending_dependent")
        q, qj = self.get("memory.queued.futures_thread"), self.get("memory.queued.jdk_supply_async")
        # Retained bytes per object are exact to the byte (10^6 objects held, full GC before and
        # after), so they are compared as whole bytes: a few stray bytes over 10^6 objects must not
        # turn "at the limit" into BEHIND.
        for name, ours in [("pending `Future` (as `submit` returns it)", bare), ("pending `Future` with one callback", cb)]:
            if ours is not None and cf is not None:
                limit = round(cf.median) + 64
                self.target("memory: %s ≤ CompletableFuture + 1 dependent + 64 B" % name, round(ours.median), limit, False,
                            "%s B vs limit %s B" % (fmt(round(ours.median)), fmt(limit)), "memory", unit="B")
            else:
                self.target("memory: %s" % name, None, 1, False, "", "memory")
        if q is not None and qj is not None:
            limit = round(qj.median) + 64
            self.target("memory: a queued call (future + item + queue entry) ≤ JDK supplyAsync's + 64 B (stricter reading)",
                        round(q.median), limit, False, "%s B vs limit %s B" % (fmt(round(q.median)), fmt(limit)), "memory", unit="B")
        out.append("")

    def cluster(self, out):
        if not any(self.get(k) is not None for k in ("cluster.futures.calls", "cluster.engine.calls")):
            return  # the workload was not selected (or the cluster provider is missing): no section
        out.append("### 7. Cluster: two embedded members on loopback (one JVM), trivial calls\n")
        out.append("| executor | round trip, µs per call (one at a time) | calls/s (1,000 submitted, then read) | calls/s ÷ the engine's |")
        out.append("|---|---|---|---|")
        rows = [("futures `cluster` (max_workers 256)", "cluster.futures"),
                ("Hazelcast `IExecutorService`, used directly", "cluster.engine"),
                ("futures `process` (2 warm workers)", "cluster.futures_process")]
        for label, prefix in rows:
            rt, calls = self.get(prefix + ".round_trip"), self.get(prefix + ".calls")
            r = self.speed(prefix + ".calls", "cluster.engine.calls")
            out.append("| %s | %s | %s | %s |" % (
                label, cell(rt) if rt else self.missing_reason(prefix + ".round_trip"),
                cell(calls, rate) if calls else self.missing_reason(prefix + ".calls"), ratio_str(r)))
        r = self.speed("cluster.futures.calls", "cluster.engine.calls")
        self.target("cluster calls/s vs the engine's IExecutorService used directly (rate)", r, 0.9, True,
                    "%s vs %s calls/s" % (fmt(rate(self.med("cluster.futures.calls"))) if self.get("cluster.futures.calls") else "n/a",
                                          fmt(rate(self.med("cluster.engine.calls"))) if self.get("cluster.engine.calls") else "n/a"),
                    "cluster.futures.calls")
        out.append("")

    def summary(self):
        out = ["### Targets\n",
               "| target | measured | ratio | goal | status |",
               "|---|---|---|---|---|"]
        for name, measured, ratio, goal, standing, status in self.targets:
            if name.startswith("memory") and ratio is not None:
                shown = "%s B" % fmt(ratio)
            else:
                shown = ratio_str(ratio) if ratio is not None else "n/a"
            out.append("| %s | %s | %s | %s | %s |" % (name, measured, shown, goal if ratio is not None else "",
                                                        status))
        ranked = [t for t in self.targets if t[4] is not None]
        if ranked:
            worst = min(ranked, key=lambda t: t[4])
            verdict = "behind its goal" if worst[4] < 1 else "closest to its goal (every measured target passes)"
            out.append("")
            out.append("**Slowest ratio, the next target:** %s: %s, goal %s (%s; at %.0f%% of the goal)." % (
                worst[0], worst[1], worst[3], verdict, 100 * worst[4]))
        not_run = [t for t in self.targets if t[4] is None]
        if not_run:
            out.append("")
            out.append("Not measured in this run: " + "; ".join("%s (%s)" % (t[0], t[5]) for t in not_run) + ".")
        out.append("")
        return out


def header(env, providers, py_doc, elapsed):
    smoke = providers.get("smoke") or py_doc.get("smoke")
    lines = []
    if smoke:
        lines.append("> **SMOKE RUN** (1 fork, no warm-up, 1 short iteration; CPython 1 repetition): it shows that")
        lines.append("> everything runs, not how fast. Do not read its figures as results.\n")
    lines.append("- Date: %s" % env.get("date", "?"))
    lines.append("- Machine: %s" % env.get("machine", "?"))
    lines.append("- JDK: %s" % env.get("jdk", "?"))
    lines.append("- CPython: %s" % py_doc.get("python", "?"))
    lines.append("- Commit measured: %s" % env.get("commit", "?"))
    lines.append("- Load average (1 min) at start / end: %s / %s (2 cores; other work was running if it is above 2)" % (
        env.get("load_start", "?"), env.get("load_end", "?")))
    if elapsed:
        lines.append("- Whole run (build, JMH, memory, CPython, table): %.0f s" % float(elapsed))
    lines.append("- Providers found: %s" % (", ".join(providers.get("found", [])) or "none"))
    for s in providers.get("skipped", []):
        lines.append("- Skipped: %s" % s)
    lines.append("- Each cell: median (smallest–largest) of the JMH iterations or CPython repetitions of that figure.")
    lines.append("")
    return lines


def main():
    ap = argparse.ArgumentParser(description="Builds the benchmark table from one run's results.")
    ap.add_argument("--results", required=True)
    ap.add_argument("--docs", help="a Markdown file whose table section to replace")
    ap.add_argument("--elapsed", help="seconds the whole run took")
    args = ap.parse_args()
    d = args.results

    # scripts/bench runs each workload in a folder of its own (JMH, then CPython); memory (and
    # everything, in runs before that) is at the top
    dirs = [d] + sorted(os.path.join(d, s) for s in os.listdir(d) if os.path.isdir(os.path.join(d, s)))
    figs, py_doc, providers = {}, {}, {}
    for sub in dirs:
        figs.update(read_jmh(os.path.join(sub, "jmh.json")))
        py, doc = read_results(os.path.join(sub, "python.json"))
        figs.update(py)
        if os.path.exists(os.path.join(sub, "python.json")) and not py_doc:
            py_doc = doc
        providers = providers or load_json(os.path.join(sub, "providers.json"), {})
    mem, _ = read_results(os.path.join(d, "memory.json"))
    figs.update(mem)
    env = load_json(os.path.join(d, "env.json"), {})

    t = Table(figs, providers)
    t.memory_n = load_json(os.path.join(d, "memory.json"), {}).get("n")
    body = []
    for section in (t.roundtrip, t.process, t.coldstart, t.waits, t.primes, t.memory, t.cluster):
        section(body)
    lines = header(env, providers, py_doc, args.elapsed) + t.summary() + body
    text = "\n".join(lines).rstrip() + "\n"
    print(text)
    with open(os.path.join(d, "table.md"), "w") as f:
        f.write(text)

    if args.docs:
        with open(args.docs) as f:
            doc = f.read()
        if BEGIN not in doc or END not in doc:
            sys.exit("table.py: %s has no %s ... %s section to replace" % (args.docs, BEGIN, END))
        pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
        doc = pattern.sub(lambda _: BEGIN + "\n" + text + END, doc, count=1)
        with open(args.docs, "w") as f:
            f.write(doc)
        print("table.py: wrote the table into %s" % args.docs)


if __name__ == "__main__":
    main()
