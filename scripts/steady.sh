#!/usr/bin/env bash
# Is the suite steady on a busy machine? Runs `make test` N times in a row (default 20) while a
# full `pytest -q -n 1` loops beside it on the same cores; one line per run in steady.log.
#   bash scripts/steady.sh [N]
set -u
cd "$(dirname "$0")/.."
runs=${1:-20}
log=steady.log
: > "$log"
( while true; do .venv/bin/python -m pytest -q -n 1 -p no:cacheprovider > /dev/null 2>&1
    echo "side exit $?" >> "$log"; done ) &
side=$!
trap 'kill $side 2>/dev/null' EXIT
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  make test > "steady_$i.out" 2>&1
  code=$?
  echo "run $i exit $code $(( $(date +%s) - start ))s $(tail -n 1 "steady_$i.out")" >> "$log"
  [ "$code" = 0 ] && rm -f "steady_$i.out"
done
