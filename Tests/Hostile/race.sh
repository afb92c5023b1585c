#!/usr/bin/env bash
# Race suite: two nas processes writing to one place at the same moment, then checks that the run folders stay
# whole and that a loser says why in one line:
#   - pairs of `nas search` started together into one --out: every search gets a folder of its own (0 shared),
#     both exit 0, each log holds exactly its evaluations with indices 0…n-1 in order;
#   - pairs of `nas search --resume` of one interrupted run: exactly one resumes, the other exits non-zero with a
#     line naming the pid that holds the run; the finished log is byte-identical to an uninterrupted run's;
#   - pairs of `nas verify` of one run: one verifies, the other is refused the same way; verify.jsonl holds each
#     candidate once, and nas reads it back (its line checks hold).
#
# Usage: Tests/Hostile/race.sh [--pairs N] [--resumes N] [--verifies N] [--keep] [NAS_BINARY]
#   Defaults: 100 search pairs, 20 racing resumes, 20 racing verifies. Prints PASS/FAIL lines and
#   'race: N passed, M failed'.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
pairs=100 resumes=20 verifies=20 keep=0 nas=""
while [ $# -gt 0 ]; do
  case "$1" in
    --pairs) pairs="$2"; shift 2 ;;
    --resumes) resumes="$2"; shift 2 ;;
    --verifies) verifies="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) nas="$1"; shift ;;
  esac
done
source "$here/find-nas.sh"
nas="$(find_nas race.sh "$nas")" || exit 2
cd "$repo"
work="$(mktemp -d "${TMPDIR:-/tmp}/nas-race.XXXXXX")"
[ "$keep" = 1 ] || trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); [ -n "${quiet_pass:-}" ] || echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }

# The loser of a race: status non-zero, one stderr line that says the run is in use by a pid.
is_clear_refusal() { [ "$(wc -l < "$1")" = 1 ] && grep -q "in use: pid [0-9]*, nas" "$1"; }

# Indices 0…n-1 in order in a candidates.jsonl.
indices_in_order() {
  local n=$2
  [ "$(wc -l < "$1")" = "$n" ] || return 1
  [ "$(grep -o '"index":[0-9]*' "$1" | cut -d: -f2 | tr '\n' ' ')" = "$(seq -s ' ' 0 $((n - 1))) " ]
}

# -- searches started together into one --out ------------------------------------------------------------------
pair_args=(search --space fashion-mnist-28 --device pi4 --latency 5ms --quality params --evaluations 40)
shared=0
for i in $(seq 1 "$pairs"); do
  out="$work/pairs-$i"
  "$nas" "${pair_args[@]}" --seed 1 --out "$out" > /dev/null 2> "$out.a.err" & a=$!
  "$nas" "${pair_args[@]}" --seed 2 --out "$out" > /dev/null 2> "$out.b.err" & b=$!
  wait $a; sa=$?; wait $b; sb=$?
  folders=$(ls -d "$out"/*/ 2> /dev/null | wc -l)
  [ "$folders" = 2 ] || shared=$((shared + 1))
  if [ $sa != 0 ] || [ $sb != 0 ]; then bad "pair.$i" "exit $sa and $sb: $(cat "$out.a.err" "$out.b.err" | tail -n 1)"; continue; fi
  [ "$folders" = 2 ] || { bad "pair.$i" "$folders run folders for two searches"; continue; }
  seeds=""
  for run in "$out"/*/; do
    indices_in_order "$run/candidates.jsonl" 40 || { bad "pair.$i" "$run/candidates.jsonl is not indices 0…39 in order"; continue 2; }
    seeds="$seeds$(grep -o '"seed": *"[0-9]*"' "$run/config.json")"
  done
  [ "$(echo "$seeds" | grep -o '"[12]"' | sort | tr -d '\n')" = '"1""2"' ] || { bad "pair.$i" "seeds mixed: $seeds"; continue; }
  quiet_pass=1 ok "pair.$i"
done
echo "search pairs: $pairs started together, $shared shared a folder"

# -- resumes of one interrupted run ----------------------------------------------------------------------------
resume_args=(search --space fashion-mnist-28 --device pi4 --latency 5ms --quality params --evaluations 4000 --seed 5)
if [ "$resumes" -gt 0 ]; then
  "$nas" "${resume_args[@]}" --out "$work/resume-ref" > /dev/null 2>&1 || { echo "race.sh: reference search failed" >&2; exit 2; }
  ref="$(ls -d "$work/resume-ref"/*/ | head -n 1)"
fi
for i in $(seq 1 "$resumes"); do
  out="$work/resume-$i"
  "$nas" "${resume_args[@]}" --out "$out" > /dev/null 2>&1 & p=$!
  # Killed once it has logged some candidates, so that there is a run to resume.
  for _ in $(seq 1 1000); do
    [ -n "$(cat "$out"/*/candidates.jsonl 2> /dev/null | head -c 1)" ] && break
    kill -0 $p 2> /dev/null || break
    sleep 0.01
  done
  kill -9 $p 2> /dev/null; wait $p 2> /dev/null
  run="$(ls -d "$out"/*/ 2> /dev/null | head -n 1)"
  [ -n "$run" ] && [ -f "$run/config.json" ] || { bad "resume.$i" "no run to resume after the kill"; continue; }
  "$nas" search --resume "$run" > /dev/null 2> "$out.a.err" & a=$!
  "$nas" search --resume "$run" > /dev/null 2> "$out.b.err" & b=$!
  wait $a; sa=$?; wait $b; sb=$?
  if [ $sa = 0 ] && [ $sb != 0 ]; then loser="$out.b.err"
  elif [ $sb = 0 ] && [ $sa != 0 ]; then loser="$out.a.err"
  else bad "resume.$i" "exit $sa and $sb (one must win, one must be refused)"; continue; fi
  is_clear_refusal "$loser" || { bad "resume.$i" "the loser said: $(head -c 300 "$loser")"; continue; }
  cmp -s "$run/candidates.jsonl" "$ref/candidates.jsonl" || { bad "resume.$i" "candidates.jsonl differs from an uninterrupted run"; continue; }
  "$nas" show "$run" > /dev/null 2>&1 || { bad "resume.$i" "nas show fails on the run"; continue; }
  ok "resume.$i"
done

# -- verifies of one run ---------------------------------------------------------------------------------------
verify_args=(--top 3 --backend host --repeats 200 --warmup 1 --threads 1 --bootstrap 100 --no-training-time)
if [ "$verifies" -gt 0 ]; then
  "$nas" search --space fashion-mnist-28 --device host --latency 50ms --quality params --evaluations 40 --out "$work/verify-src" > /dev/null 2>&1 \
    || { echo "race.sh: the host search to verify failed" >&2; exit 2; }
  source_run="$(ls -d "$work/verify-src"/*/ | head -n 1)"
fi
sequential=0
for i in $(seq 1 "$verifies"); do
  run="$work/verify-$i"
  cp -r "$source_run" "$run"
  "$nas" verify "$run" "${verify_args[@]}" > /dev/null 2> "$run.a.err" & a=$!
  "$nas" verify "$run" "${verify_args[@]}" > /dev/null 2> "$run.b.err" & b=$!
  wait $a; sa=$?; wait $b; sb=$?
  if [ $sa = 0 ] && [ $sb != 0 ]; then loser="$run.b.err"
  elif [ $sb = 0 ] && [ $sa != 0 ]; then loser="$run.a.err"
  elif [ $sa = 0 ] && [ $sb = 0 ]; then loser=""; sequential=$((sequential + 1))  # one finished before the other began
  else bad "verify.$i" "exit $sa and $sb"; continue; fi
  [ -z "$loser" ] || is_clear_refusal "$loser" || { bad "verify.$i" "the loser said: $(head -c 300 "$loser")"; continue; }
  [ "$(wc -l < "$run/verify.jsonl")" = 3 ] || { bad "verify.$i" "$(wc -l < "$run/verify.jsonl") records, not 3"; continue; }
  dup="$(grep -o '^{"backend":"[^"]*","candidate":[0-9]*' "$run/verify.jsonl" | sort | uniq -d)"
  [ -z "$dup" ] || { bad "verify.$i" "candidate verified twice: $dup"; continue; }
  # A second verify reads every record back (checks included) and measures nothing new.
  "$nas" verify "$run" "${verify_args[@]}" > /dev/null 2> "$run.c.err" || { bad "verify.$i" "re-reading verify.jsonl failed: $(tail -n 1 "$run.c.err")"; continue; }
  [ "$(wc -l < "$run/verify.jsonl")" = 3 ] || { bad "verify.$i" "a re-run added records"; continue; }
  ok "verify.$i"
done
[ "$verifies" = 0 ] || echo "verifies: $verifies raced, $sequential of them did not overlap (both exit 0, one after the other)"
echo "race: $pass passed, $fail failed"
[ "$fail" = 0 ]
