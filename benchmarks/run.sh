#!/usr/bin/env bash
# Runs memsnap's benchmark suite and rewrites docs/benchmarks.md. One command, from anywhere:
#
#   benchmarks/run.sh                      # the report profile (~15-20 min on 2 cores)
#   benchmarks/run.sh --profile quick      # 1k and 10k only, short iterations (~5 min idle; 12 min on a loaded 2-core box)
#   benchmarks/run.sh --profile full       # every size to 1M, longer iterations (hours)
#   benchmarks/run.sh --only turns,heap    # rerun some runs, keep the other results
#   benchmarks/run.sh --render-only        # rewrite the report from the last results
#   benchmarks/run.sh --python-peer ~/Coda_Lite/memory/memory_snapshot.py   # with the Python original beside memsnap
#                                          # (or MEMSNAP_PYTHON_PEER=...; without it the Python rows say so)
#
# PostgreSQL rows need Debian's PostgreSQL binaries (.ci/postgres.sh installs them); without them the rows say so.
# Needs Java 17+, Maven 3.8+, and about 12 GB of free memory for the benchmark JVMs (-Xmx12g).
# The machine should be otherwise idle; the report records the load average before and after.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

# Paths the user gives are relative to where they ran this, not to the repository root it moves to.
args=()
expect_peer=false
for arg in "$@"; do
  if [[ "$expect_peer" == true ]]; then
    arg="$(cd "$(dirname "$arg")" && pwd)/$(basename "$arg")"
    expect_peer=false
  fi
  [[ "$arg" == "--python-peer" ]] && expect_peer=true
  args+=("$arg")
done
if [[ -n "${MEMSNAP_PYTHON_PEER:-}" ]]; then
  export MEMSNAP_PYTHON_PEER="$(cd "$(dirname "$MEMSNAP_PYTHON_PEER")" && pwd)/$(basename "$MEMSNAP_PYTHON_PEER")"
fi
set -- "${args[@]+"${args[@]}"}"
cd "$root"

render_only=false
partial=false
for arg in "$@"; do
  [[ "$arg" == "--render-only" ]] && render_only=true
  [[ "$arg" == "--only" ]] && partial=true
done

if [[ "$render_only" == false || ! -f benchmarks/target/memsnap-benchmarks.jar ]]; then
  mvn -B -q -pl benchmarks -am package -DskipTests
fi

# What is measured, for the report: read-only git queries (no index refresh, no lock).
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$root" --no-optional-locks status --porcelain -- api core 2>/dev/null || true)" ]]; then
  core_changes="with uncommitted changes in api/ or core/"
else
  core_changes="api/ and core/ as committed"
fi

# Run from a copy of the jar, so that a build or clean elsewhere cannot pull it away from the JMH forks.
scratch="${TMPDIR:-/tmp}/memsnap-bench"
mkdir -p "$scratch" benchmarks/target/benchmark-results
jar="$scratch/memsnap-benchmarks-$$.jar"
cp benchmarks/target/memsnap-benchmarks.jar "$jar"
trap 'rm -f "$jar"' EXIT

run() {
  java -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$jar" \
    --out docs/benchmarks.md --results benchmarks/target/benchmark-results --scratch "$scratch/work" \
    --commit "$commit" --core-changes "$core_changes" \
    --python-driver "$root/benchmarks/python/peer_driver.py" "$@"
}
log=benchmarks/target/benchmark-results/run.log
if [[ "$render_only" == true ]]; then
  run "$@"
elif [[ "$partial" == true ]]; then
  run "$@" 2>&1 | tee -a "$log"
else
  run "$@" 2>&1 | tee "$log"
fi
