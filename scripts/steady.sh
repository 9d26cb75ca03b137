#!/usr/bin/env bash
# Is the suite steady on a busy machine? Runs `make test` N times in a row (default 20) while a
# full `pytest -q -n 1` loops beside it on the same cores; one line per run in steady.log;
# the output of a failed run, either kind, is kept (steady_N.out, side_N.out).
#   bash scripts/steady.sh [N]
set -u
cd "$(dirname "$0")/.."
runs=${1:-20}
log=steady.log
: > "$log"
( k=0; while true; do k=$((k + 1))
    .venv/bin/python -m pytest -q -n 1 -p no:cacheprovider > "side_$k.out" 2>&1
    code=$?; echo "side $k exit $code $(tail -n 1 "side_$k.out")" >> "$log"
    [ "$code" = 0 ] && rm -f "side_$k.out"; done ) &
side=$!
trap 'kill $side 2>/dev/null' EXIT
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  make test > "steady_$i.out" 2>&1
  code=$?
  echo "run $i exit $code $(( $(date +%s) - start ))s $(tail -n 1 "steady_$i.out")" >> "$log"
  [ "$code" = 0 ] && rm -f "steady_$i.out"
done
