# Sourced by the suites in this folder: find_nas SCRIPT [PATH] prints the absolute path of the nas to test,
# PATH when given, else .build/release/nas, else .build/debug/nas; fails with a line naming SCRIPT.
find_nas() {
  local script=$1 nas=${2:-} repo c
  repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  if [ -z "$nas" ]; then
    for c in "$repo/.build/release/nas" "$repo/.build/debug/nas"; do [ -x "$c" ] && { nas="$c"; break; }; done
  fi
  [ -n "$nas" ] && [ -x "$nas" ] || { echo "$script: no nas binary (build first, or pass its path)" >&2; return 2; }
  echo "$(cd "$(dirname "$nas")" && pwd)/$(basename "$nas")"
}
