#!/usr/bin/env bash
# The trustworthy-budgets goals of issue #11, measured on this machine in one run:
#   1. nas calibrate --device host (default budget) into a scratch folder;
#   2. the 25th, 50th and 75th percentile of predicted host latency over 200 random networks of the space;
#   3. a search at each percentile as the latency budget (confidence 0.9), then nas verify --top 10 --infeasible 5;
#   4. 50 fresh random networks, verified, for the coverage of the 90 % bound.
# It prints the false-feasible count over the verified winners, their latency MAPE, and the coverage.
#
#   Benchmarks/Budgets/guarantee.sh [--space mobile-224] [--calibration DIR] [--work DIR]
#
# --calibration DIR reuses a finished calibration (its host/ bundle) instead of calibrating again.
# Time: about 6 min of calibration plus 5-15 min of verification on 2 CPUs. Nothing else should run meanwhile.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
space=mobile-224 calibration= work=
while [ $# -gt 0 ]; do
  case $1 in
    --space) space=$2; shift 2 ;;
    --calibration) calibration=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "guarantee.sh: unknown option $1" >&2; exit 64 ;;
  esac
done
cd "$repo"
swift build -c release --product nas >/dev/null
nas="$repo/.build/release/nas"
work=${work:-$(mktemp -d /tmp/nas-guarantee.XXXXXX)}
mkdir -p "$work/runs"
if [ -z "$calibration" ]; then
  calibration="$work/calibration"
  start=$(date +%s)
  "$nas" calibrate --device host --out "$calibration" | tee "$work/calibrate.txt"
  echo "calibration took $(( $(date +%s) - start )) s"
fi
export NAS_BUNDLES="$calibration"

newest() { ls -td "$work/runs"/*/ | head -1; }
# Predicted latency percentiles over random networks of the space.
"$nas" search --device host --space "$space" --algorithm random --evaluations 200 --quality params --out "$work/runs" \
  > /dev/null 2> "$work/percentiles.log"
read -r p25 p50 p75 < <(python3 - "$(newest)candidates.jsonl" <<'PY'
import json, sys
v = sorted(json.loads(l)["costs"]["host"]["latency_ms"] for l in open(sys.argv[1]))
q = lambda p: v[min(len(v) - 1, int(p * len(v)))]
print(f"{q(0.25):.4f} {q(0.5):.4f} {q(0.75):.4f}")
PY
)
echo "predicted host latency of 200 random $space networks: p25 $p25 ms, p50 $p50 ms, p75 $p75 ms"

for budget in "$p25" "$p50" "$p75"; do
  "$nas" search --device host --space "$space" --latency "${budget}ms" --evaluations 1000 --out "$work/runs" \
    > "$work/search-$budget.txt" 2>&1 || true
  run=$(newest)
  "$nas" verify "$run" --top 10 --infeasible 5 --backend host --threads 1 --no-training-time > "$work/verify-$budget.txt" 2>&1 || true
  echo "== budget ${budget} ms: $run"
  grep -E "false-feasible|latency bound|predicted feasible" "$work/verify-$budget.txt" || tail -3 "$work/verify-$budget.txt"
done

"$nas" search --device host --space "$space" --algorithm random --evaluations 50 --seed 99 --quality params --out "$work/runs" \
  > /dev/null 2>&1
"$nas" verify "$(newest)" --top 50 --backend host --threads 1 --no-training-time > "$work/verify-fresh.txt" 2>&1 || true
echo "== 50 fresh random networks"
grep -E "latency bound" "$work/verify-fresh.txt" || tail -3 "$work/verify-fresh.txt"

python3 - "$work" <<'PY'
import json, sys, glob, os
work = sys.argv[1]
ff = fe = 0; ape = []
for path in sorted(glob.glob(os.path.join(work, "runs", "*", "verify.jsonl"))):
    cfg = json.load(open(os.path.join(os.path.dirname(path), "config.json")))
    budgets = [b for b in cfg["budgets"] if b["metric"] == "latency" and b["device"] == "host"]
    if not budgets: continue
    limit = budgets[0]["limit"]
    factor = cfg.get("latency_bounds", {}).get("factors", {}).get("host", {}).get("factor", 1)
    for line in open(path):
        r = json.loads(line)
        if r.get("sampled_as") != "top": continue
        p, m = r["predicted"]["latency_ms"], r["measurement"]["latency"]["median_ms"]
        fe += 1; ff += m > limit; ape.append(abs(p / m - 1))
if fe:
    print(f"verified winners over the three budgets: {ff} of {fe} false-feasible ({100 * ff / fe:.1f} %), latency MAPE {100 * sum(ape) / len(ape):.1f} %")
PY
echo "everything is in $work"
