#!/usr/bin/env bash
# Builds the library's jars and this small module, then measures the process provider as a user's
# module sees it (module path, jars, no Surefire patching), next to CPython's ProcessPoolExecutor.
# Usage: benchmarks/process/run.sh [-Dtimings.only=startup] [-Dtimings.options='opt1|opt2']
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
[ "${BENCH_NO_BUILD:-}" = 1 ] || scripts/mvn -B -o -q package -DskipTests -pl futures.providers -am >/dev/null
JAVA_HOME="$(scripts/find-jdk 21)"
out="$root/benchmarks/process/target"   # a stable path, so that an AOT cache trained on it stays valid
mp="futures.spi/target/futures.spi-0.1.0-SNAPSHOT.jar:futures.core/target/futures.core-0.1.0-SNAPSHOT.jar:futures.providers/target/futures.providers-0.1.0-SNAPSHOT.jar"
# BENCH_NO_BUILD=1 skips both builds: an AOT cache is rejected once a jar's timestamp changes.
if [ "${BENCH_NO_BUILD:-}" != 1 ] || [ ! -f "$out/bench.jar" ]; then
  rm -rf "$out/bench" && mkdir -p "$out"
  "$JAVA_HOME/bin/javac" -d "$out/bench" --module-path "$mp" $(find benchmarks/process/src -name '*.java')
  "$JAVA_HOME/bin/jar" --create --file "$out/bench.jar" -C "$out/bench" .
fi
echo "== futures process provider (load: $(cut -d' ' -f1-3 /proc/loadavg))"
"$JAVA_HOME/bin/java" "$@" --module-path "$mp:$out/bench.jar" --add-modules futures.providers -m bench/bench.ProcessBench
[ "${BENCH_SKIP_PYTHON:-}" = 1 ] && exit 0
echo "== CPython $(python3 -c 'import sys; print(sys.version.split()[0])') ProcessPoolExecutor (load: $(cut -d' ' -f1-3 /proc/loadavg))"
python3 benchmarks/python/process_pool_bench.py --primes
