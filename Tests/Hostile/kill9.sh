#!/usr/bin/env bash
# Kill -9 suite: kills search, profile, verify and calibrate at random points (once or twice per round, the
# second time during the resume), lets the command continue to the end, and checks that nothing was lost or
# duplicated:
#   - search: the resumed run's candidates.jsonl, front.csv and architectures/ are byte-identical to those of an
#     uninterrupted run with the same settings (predictions are deterministic);
#   - profile, verify, calibrate (measurements differ run to run): every complete line written before a kill is
#     still there, unchanged, at the same place; each record (workload at a batch, candidate, network) appears
#     exactly once; the finished file has as many records as an uninterrupted run, and calibrate finishes its bundle.
# Delays are drawn uniformly from 2 %…95 % of the uninterrupted run's time with bash's RANDOM seeded by --seed,
# so a failing round can be replayed.
#
# Usage: Tests/Hostile/kill9.sh [--rounds N] [--calibrate-rounds N] [--only search,profile,verify,calibrate]
#                               [--seed S] [--keep] [NAS_BINARY]
#   Defaults: 10 rounds of search, profile and verify, 2 of calibrate (about a minute each); NAS_BINARY defaults
#   to .build/release/nas, else .build/debug/nas. Prints PASS/FAIL per round and 'kill9: N passed, M failed, K kills'.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
rounds=10 calibrate_rounds=2 only="search,profile,verify,calibrate" seed=1 keep=0 nas=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --calibrate-rounds) calibrate_rounds="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) nas="$1"; shift ;;
  esac
done
source "$here/find-nas.sh"
nas="$(find_nas kill9.sh "$nas")" || exit 2
cd "$repo"
RANDOM=$seed
work="$(mktemp -d "${TMPDIR:-/tmp}/nas-kill9.XXXXXX")"
[ "$keep" = 1 ] || trap 'rm -rf "$work"' EXIT
pass=0 fail=0 kills=0

ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }
wanted() { case ",$only," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
now_ms() { date +%s%3N; }

# A delay in milliseconds within 2 %…95 % of a reference duration.
draw_delay() { local t=$1; echo $(( t * 2 / 100 + (RANDOM * 32768 + RANDOM) % (t * 93 / 100 + 1) )); }

# kill_after MS CMD…: runs CMD, SIGKILLs it after MS milliseconds; status 0 when it was killed, 1 when it ended first.
kill_after() {
  local ms=$1; shift
  "$@" > /dev/null 2>&1 &
  local pid=$! waited=0
  while [ $waited -lt "$ms" ]; do
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.01; waited=$((waited + 10))
  done
  if kill -9 "$pid" 2> /dev/null; then wait "$pid" 2> /dev/null; kills=$((kills + 1)); return 0; fi
  wait "$pid" 2> /dev/null; return 1
}

# The complete lines of FILE (a torn last line dropped), into OUT; empty when FILE does not exist.
complete_lines() {
  if [ -f "$1" ]; then head -n "$(wc -l < "$1")" "$1" > "$2"; else : > "$2"; fi
}

# FILE starts with the bytes of PREFIX.
starts_with() { cmp -s -n "$(stat -c %s "$1")" "$1" "$2"; }

# The key of each record of a JSON-lines file by a grep -o pattern; prints duplicated keys.
duplicates() { grep -o "$2" "$1" | sort | uniq -d; }

# -- search ------------------------------------------------------------------------------------------------------
search_args=(search --space fashion-mnist-28 --device pi4 --latency 5ms --quality params --evaluations 3000 --seed 7)
search_round() {
  local i=$1 out="$work/search-$1" t=$2 run tries=0
  kill_after "$(draw_delay "$t")" "$nas" "${search_args[@]}" --out "$out"
  run="$(ls -d "$out"/*/ 2> /dev/null | head -n 1)"
  if [ -z "$run" ]; then
    "$nas" "${search_args[@]}" --out "$out" > /dev/null 2>&1 || { bad "search.$i" "a fresh start after an early kill failed"; return; }
    run="$(ls -d "$out"/*/ | head -n 1)"
  else
    [ -f "$run/config.json" ] || { bad "search.$i" "killed run folder $run has no config.json"; return; }
    [ $((RANDOM % 2)) = 0 ] && kill_after "$(draw_delay "$t")" "$nas" search --resume "$run"
    until "$nas" search --resume "$run" > "$work/search-$i.log" 2>&1; do
      tries=$((tries + 1)); [ $tries -lt 3 ] || { bad "search.$i" "resume failed: $(tail -n 1 "$work/search-$i.log")"; return; }
    done
  fi
  for f in candidates.jsonl front.csv; do
    cmp -s "$run/$f" "$ref_search/$f" || { bad "search.$i" "$f differs from the uninterrupted run"; return; }
  done
  diff -r -q "$run/architectures" "$ref_search/architectures" > /dev/null || { bad "search.$i" "architectures/ differs"; return; }
  [ -z "$(find "$run" -name '*.tmp*')" ] || { bad "search.$i" "temporary files left: $(find "$run" -name '*.tmp*' | head -n 1)"; return; }
  ok "search.$i"
}

# -- profile -----------------------------------------------------------------------------------------------------
profile_args=(profile --limit 8 --batches 1,2 --repeats 3 --warmup 1 --threads 1)
workload_key='"workload":{[^}]*}'
profile_round() {
  local i=$1 file="$work/profile-$1.jsonl" t=$2 k
  for k in 1 2; do
    [ $k = 2 ] && [ $((RANDOM % 2)) = 0 ] && break
    kill_after "$(draw_delay "$t")" "$nas" "${profile_args[@]}" --out "$file"
    complete_lines "$file" "$work/profile-$i.before$k"
  done
  "$nas" "${profile_args[@]}" --out "$file" > "$work/profile-$i.log" 2>&1 || { bad "profile.$i" "resume failed: $(tail -n 1 "$work/profile-$i.log")"; return; }
  for k in 1 2; do
    [ -f "$work/profile-$i.before$k" ] || continue
    starts_with "$work/profile-$i.before$k" "$file" || { bad "profile.$i" "lines written before kill $k changed"; return; }
  done
  local dup; dup="$(duplicates "$file" "$workload_key")"
  [ -z "$dup" ] || { bad "profile.$i" "duplicated record ${dup:0:120}"; return; }
  [ "$(wc -l < "$file")" = "$ref_profile_lines" ] || { bad "profile.$i" "$(wc -l < "$file") records, the uninterrupted run has $ref_profile_lines"; return; }
  ok "profile.$i"
}

# -- verify ------------------------------------------------------------------------------------------------------
verify_args=(--top 3 --backend host --repeats 3 --warmup 1 --threads 1 --bootstrap 100 --no-training-time)
verify_round() {
  local i=$1 run="$work/verify-$1" t=$2 k
  cp -r "$verify_run" "$run"
  for k in 1 2; do
    [ $k = 2 ] && [ $((RANDOM % 2)) = 0 ] && break
    kill_after "$(draw_delay "$t")" "$nas" verify "$run" "${verify_args[@]}"
    complete_lines "$run/verify.jsonl" "$work/verify-$i.before$k"
  done
  "$nas" verify "$run" "${verify_args[@]}" > "$work/verify-$i.log" 2>&1 || { bad "verify.$i" "resume failed: $(tail -n 1 "$work/verify-$i.log")"; return; }
  for k in 1 2; do
    [ -f "$work/verify-$i.before$k" ] || continue
    starts_with "$work/verify-$i.before$k" "$run/verify.jsonl" || { bad "verify.$i" "records written before kill $k changed"; return; }
  done
  local dup; dup="$(duplicates "$run/verify.jsonl" '^{"backend":"[^"]*","candidate":[0-9]*')"
  [ -z "$dup" ] || { bad "verify.$i" "candidate verified twice: $dup"; return; }
  [ "$(wc -l < "$run/verify.jsonl")" = 3 ] || { bad "verify.$i" "$(wc -l < "$run/verify.jsonl") records, not 3"; return; }
  [ -f "$run/verify.md" ] || { bad "verify.$i" "no verify.md"; return; }
  ok "verify.$i"
}

# -- calibrate ---------------------------------------------------------------------------------------------------
calibrate_args=(calibrate --device host --budget 1m --threads 1 --zoo "$work/zoo")
calibrate_round() {
  local i=$1 out="$work/calibrate-$1" t=$2 f
  kill_after "$(draw_delay "$t")" "$nas" "${calibrate_args[@]}" --out "$out"
  for f in isolated in-context in-context-networks; do complete_lines "$out/work/$f.jsonl" "$work/calibrate-$i.$f.before"; done
  "$nas" "${calibrate_args[@]}" --out "$out" > "$work/calibrate-$i.log" 2>&1 || { bad "calibrate.$i" "resume failed: $(tail -n 1 "$work/calibrate-$i.log")"; return; }
  for f in isolated in-context in-context-networks; do
    starts_with "$work/calibrate-$i.$f.before" "$out/work/$f.jsonl" || { bad "calibrate.$i" "$f.jsonl lines written before the kill changed"; return; }
  done
  local dup; dup="$(duplicates "$out/work/isolated.jsonl" "$workload_key")"
  [ -z "$dup" ] || { bad "calibrate.$i" "isolated layer measured twice: ${dup:0:120}"; return; }
  dup="$(duplicates "$out/work/in-context.jsonl" '"label":"[^"]*"')"
  [ -z "$dup" ] || { bad "calibrate.$i" "in-context network measured twice: $dup"; return; }
  dup="$(duplicates "$out/work/in-context-networks.jsonl" '"network":"[^"]*"')"
  [ -z "$dup" ] || { bad "calibrate.$i" "in-context network total written twice: $dup"; return; }
  [ -f "$out/host/manifest.json" ] || { bad "calibrate.$i" "no trained bundle"; return; }
  ok "calibrate.$i"
}

# Times one uninterrupted run of CMD… in milliseconds (into the variable named by $1).
timed() { local var=$1 start; shift; start=$(now_ms); "$@" > /dev/null 2>&1 || return 1; printf -v "$var" '%s' $(( $(now_ms) - start )); }

if wanted search; then
  timed t_search "$nas" "${search_args[@]}" --out "$work/search-ref" || { echo "kill9.sh: the reference search failed" >&2; exit 2; }
  ref_search="$(ls -d "$work/search-ref"/*/ | head -n 1)"
  for i in $(seq 1 "$rounds"); do search_round "$i" "$t_search"; done
fi
if wanted profile; then
  timed t_profile "$nas" "${profile_args[@]}" --out "$work/profile-ref.jsonl" || { echo "kill9.sh: the reference profile failed" >&2; exit 2; }
  ref_profile_lines="$(wc -l < "$work/profile-ref.jsonl")"
  for i in $(seq 1 "$rounds"); do profile_round "$i" "$t_profile"; done
fi
if wanted verify; then
  "$nas" search --space fashion-mnist-28 --device host --latency 50ms --quality params --evaluations 40 --out "$work/verify-src" > /dev/null 2>&1 \
    || { echo "kill9.sh: the host search to verify failed" >&2; exit 2; }
  verify_run="$(ls -d "$work/verify-src"/*/ | head -n 1)"
  cp -r "$verify_run" "$work/verify-ref"
  timed t_verify "$nas" verify "$work/verify-ref" "${verify_args[@]}" || { echo "kill9.sh: the reference verify failed" >&2; exit 2; }
  for i in $(seq 1 "$rounds"); do verify_round "$i" "$t_verify"; done
fi
if wanted calibrate && [ "$calibrate_rounds" -gt 0 ]; then
  mkdir -p "$work/zoo" && cp SearchSpaces/zoo/lenet5.json "$work/zoo/"
  timed t_calibrate "$nas" "${calibrate_args[@]}" --out "$work/calibrate-ref" || { echo "kill9.sh: the reference calibration failed" >&2; exit 2; }
  for i in $(seq 1 "$calibrate_rounds"); do calibrate_round "$i" "$t_calibrate"; done
fi
echo "kill9: $pass passed, $fail failed, $kills kills"
[ "$fail" = 0 ]
