#!/usr/bin/env bash
# One command for the benchmark suite: factgraph vs Kuzu vs networkx on the
# same generated files. Builds factgraph --release, makes sure the Python
# peers are importable (in bench/.venv when the system Python lacks them),
# then runs bench/compare.py with every argument given here:
#
#   bench/run.sh                         # 10k and 100k, everything
#   bench/run.sh --sizes 10k,100k,1M     # sizes: 1k 10k 100k 1M 5M or a node count
#   bench/run.sh --only queries          # rerun phases: load, snapshot, queries
#   bench/run.sh --sizes 10k --smoke     # no report; exit 1 if the engines disagree
#
# Results: bench/results/RESULTS.md, bench/results/time_vs_size.png,
# bench/results/raw/<size>.json. Generated files and stores go to
# $BENCH_WORK (default /tmp/factgraph-bench) and are reused while the size
# and seed stay the same.
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=false
for arg in "$@"; do [ "$arg" = "--smoke" ] && smoke=true; done

echo "== building factgraph (release)" >&2
cargo build --release --quiet --bin factgraph --example bench_queries

needs="import kuzu, networkx"
$smoke || needs="$needs, matplotlib"
python=python3
if ! $python -c "$needs" >/dev/null 2>&1; then
  if [ ! -x bench/.venv/bin/python ]; then
    echo "== creating bench/.venv for kuzu, networkx, matplotlib" >&2
    python3 -m venv bench/.venv
  fi
  python=bench/.venv/bin/python
  if ! $python -c "$needs" >/dev/null 2>&1; then
    $python -m pip install --quiet --upgrade pip
    $python -m pip install --quiet 'kuzu>=0.11' 'networkx>=3.4' matplotlib
  fi
fi

exec "$python" bench/compare.py "$@"
