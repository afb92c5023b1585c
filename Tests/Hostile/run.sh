#!/usr/bin/env bash
# Runs the hostile-input corpus (Tests/Hostile/cases.tsv) against a built nas and checks, for every case, what a
# user must be able to rely on when they hand nas a bad input:
#   - it stops on its own within the time limit (run under `timeout -s KILL`), with a non-zero status that is not
#     a signal (below 124: neither timeout's 124 nor a 128+N death);
#   - it says why in exactly one non-empty line on stderr (containing the case's expected text, when it has one);
#   - it leaves its input as it was: no file of the copied input folder changed, none added or removed, and no
#     temporary file left behind (TMPDIR points into the case's own folder and must be empty afterwards).
# Agent cases (args starting with `agent`, with an input) feed the input file to `nas agent` on stdin instead: per the protocol
# (docs/agent-protocol.md) every bad line gets one error reply and the agent stays up, so the check is: exit 0
# when stdin closes, one reply per request line, an error reply for each bad line, and a hello reply to the last
# line (a valid hello with id 99), proving the agent still answers after the bad input.
#
# Usage: Tests/Hostile/run.sh [--tier fast] [--filter REGEX] [--seconds N] [--keep] [NAS_BINARY]
#   NAS_BINARY defaults to .build/release/nas, else .build/debug/nas.
# Prints one PASS/FAIL line per case and a summary line 'N passed, M failed'; exits 1 when any case failed.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tier="" filter="" seconds=20 keep=0 nas=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tier) tier="$2"; shift 2 ;;
    --filter) filter="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) nas="$1"; shift ;;
  esac
done
source "$here/find-nas.sh"
nas="$(find_nas run.sh "$nas")" || exit 2

scratch="$(mktemp -d "${TMPDIR:-/tmp}/nas-hostile.XXXXXX")"
[ "$keep" = 1 ] || trap 'rm -rf "$scratch"' EXIT
gen="$scratch/gen"
"$here/generate.sh" "$gen" > /dev/null || { echo "run.sh: generate.sh failed" >&2; exit 2; }

# Everything under a folder that a command could change: type, size and content of every entry.
snapshot() {
  (cd "$1" && find . -printf '%p %y %s\n' | LC_ALL=C sort && find . -type f -exec sha256sum {} + | LC_ALL=C sort)
}

# check_plain DIR STATUS EXPECT: the checks of an ordinary command; prints the reason of a failure, if any.
check_plain() {
  local err="$1/stderr" status="$2" expect="$3"
  if [ "$status" -eq 0 ]; then echo "exit status 0"; return; fi
  if [ "$status" -ge 124 ]; then echo "status $status (signal or time limit of ${seconds}s)"; return; fi
  local lines; lines="$(wc -l < "$err")"
  if [ "$lines" -ne 1 ] || [ -n "$(tail -c 1 "$err")" ]; then echo "stderr has $lines newline(s), not one line"; return; fi
  if ! grep -q '[^[:space:]]' "$err"; then echo "stderr is blank"; return; fi
  if [ "$expect" != "-" ] && ! grep -qF -- "$expect" "$err"; then echo "stderr lacks '$expect'"; return; fi
}

# check_agent DIR STATUS EXPECT INPUT: the checks of an agent fed a bad line, then a valid hello.
check_agent() {
  local out="$1/stdout" status="$2" expect="$3" input="$4"
  if [ "$status" -ne 0 ]; then echo "agent exited with status $status"; return; fi
  local requests replies; requests="$(grep -c '[^[:space:]]' "$input")"; replies="$(wc -l < "$out")"
  if [ "$replies" -ne "$requests" ]; then echo "$replies replies to $requests requests"; return; fi
  if [ "$(head -n -1 "$out" | grep -vc '"type":"error"')" -ne 0 ]; then echo "a bad line got a reply that is not an error"; return; fi
  if ! tail -n 1 "$out" | grep -q '"id":99,.*"type":"hello"'; then echo "no hello reply after the bad input"; return; fi
  if [ "$expect" != "-" ] && ! head -n 1 "$out" | grep -qF -- "$expect"; then echo "first reply lacks '$expect'"; return; fi
}

# run_case ID INPUT ARGS EXPECT: prints PASS or FAIL for one case.
run_case() {
  local id="$1" input="$2" args="$3" expect="$4"
  local dir="$scratch/case"; rm -rf "$dir"; mkdir -p "$dir/work" "$dir/tmp"
  local IN="-" src
  if [ "$input" != "-" ]; then
    case "$input" in gen/*) src="$gen/${input#gen/}" ;; *) src="$here/$input" ;; esac
    [ -e "$src" ] || { echo "FAIL $id: input $input does not exist"; return 1; }
    cp -R "$src" "$dir/work/" && IN="$dir/work/$(basename "$src")"
  fi
  local before; before="$(snapshot "$dir/work")"
  local stdin=/dev/null agent=0
  case "$args" in agent*) [ "$IN" != "-" ] && { agent=1; stdin="$IN"; } ;; esac
  (
    cd "$dir/work" || exit 125
    export IN REPO="$repo" WORK="$dir/work" TMPDIR="$dir/tmp"
    export GOOD="$repo/SearchSpaces/zoo/lenet5.json" SPACE="$repo/SearchSpaces/fashion-mnist-28.json"
    export SAMPLES="$here/fixtures/samples.jsonl"
    eval "set -- $args" || exit 125
    exec timeout -s KILL "$seconds" "$nas" "$@" < "$stdin" > "$dir/stdout" 2> "$dir/stderr"
  )
  local status=$? why
  if [ "$agent" = 1 ]; then why="$(check_agent "$dir" "$status" "$expect" "$IN")"; else why="$(check_plain "$dir" "$status" "$expect")"; fi
  if [ -z "$why" ] && [ "$before" != "$(snapshot "$dir/work")" ]; then why="the input folder changed (a file written, removed or added)"; fi
  if [ -z "$why" ] && [ -n "$(ls -A "$dir/tmp")" ]; then why="temporary files left in TMPDIR: $(ls -A "$dir/tmp" | head -c 200)"; fi
  if [ -n "$why" ]; then
    echo "FAIL $id: $why; stderr: $(head -c 300 "$dir/stderr" | tr '\n' '|')"
    return 1
  fi
  echo "PASS $id"
}

passed=0 failed=0
while IFS=$'\t' read -r id case_tier input args expect; do
  case "$id" in ''|'#'*) continue ;; esac
  [ -n "$tier" ] && [ "$case_tier" != "$tier" ] && continue
  [ -n "$filter" ] && ! [[ "$id" =~ $filter ]] && continue
  if run_case "$id" "$input" "$args" "${expect:--}"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done < "$here/cases.tsv"
echo "hostile: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
