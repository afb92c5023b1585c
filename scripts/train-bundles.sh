#!/usr/bin/env bash
# Regenerates the shipped predictor bundles (Sources/Predictors/Resources/bundles/ID) bit for bit from
# the public Sponner et al. measurements, and writes the uncalibrated xu4 bundle (no measurements exist).
#
#   scripts/train-bundles.sh                  # retrain all seven into the package
#   scripts/train-bundles.sh --check          # retrain into a temporary directory and compare byte for byte
#   SPONNER_DATA=/path/to/sponner scripts/train-bundles.sh
#
# The data folder defaults to ../shared/data/sponner next to the repository. Training is deterministic
# (fixed CV seed, seeded fits, one-thread exact XGBoost, sorted JSON, no timestamps), so the output only
# changes when the data, the code or the XGBoost version changes.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${SPONNER_DATA:-../shared/data/sponner}"
check=0
[[ "${1:-}" == "--check" ]] && check=1
[[ -f "$data/a100.jsonl" ]] || { echo "train-bundles: no Sponner data in $data (set SPONNER_DATA)" >&2; exit 1; }
[[ -f scripts/bootstrap ]] && source scripts/bootstrap
swift build -c release --product nas >&2
nas=.build/release/nas
shipped=Sources/Predictors/Resources/bundles
out="$shipped"
if (( check )); then out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT; fi
# Device groups (Sources/Predictors/DeviceGroup.swift): pooled candidates learn from the partners' samples too.
partners() {
    case "$1" in
        a100) echo k80 gtx980ti ;; k80) echo a100 gtx980ti ;; gtx980ti) echo a100 k80 ;;
        xeon) echo i7 ;; i7) echo xeon ;;
    esac
}
for id in a100 k80 gtx980ti xeon i7 pi4; do
    pool=()
    for p in $(partners "$id"); do pool+=(--pool "$p=$data/$p.jsonl"); done
    "$nas" train --device "$id" --data "$data/$id.jsonl" "${pool[@]}" --out "$out/$id" --quiet
    echo "trained $id" >&2
done
"$nas" train --device xu4 --out "$out/xu4" --quiet
echo "wrote xu4 (uncalibrated: no measurements)" >&2
if (( check )); then
    for id in a100 k80 gtx980ti xeon i7 pi4 xu4; do
        diff -r "$out/$id" "$shipped/$id" >/dev/null || { echo "train-bundles: $id differs from the shipped bundle" >&2; diff -rq "$out/$id" "$shipped/$id" >&2 || true; exit 1; }
    done
    echo "train-bundles: all seven bundles reproduce the shipped files byte for byte" >&2
fi
