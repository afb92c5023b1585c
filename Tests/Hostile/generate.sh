#!/usr/bin/env bash
# Writes the generated part of the hostile-input corpus into OUT (default: a new temp folder, printed on stdout).
#
# Large inputs (100000-deep nesting, million-digit numbers, megabyte lines) and damaged run folders are made here
# from a few lines of shell instead of being committed; the same commands always give the same bytes.
# Usage: Tests/Hostile/generate.sh [OUT]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$(mktemp -d "${TMPDIR:-/tmp}/nas-hostile-gen.XXXXXX")}"
mkdir -p "$out"/{arch,space,samples,agent,run,bundle,zoo}

# repeat TEXT N: TEXT written N times, without a newline.
repeat() {
  if [ "${#1}" -eq 1 ]; then head -c "$2" /dev/zero | tr '\0' "$1"; else { yes -- "$1" || true; } | head -n "$2" | tr -d '\n'; fi
}

hello='{"id":99,"type":"hello","protocol_version":1}'
valid_line="$(head -n 1 "$here/fixtures/samples.jsonl")"

arch() {
  local a="$out/arch"
  repeat '[' 100000 > "$a/deep-array-100000.json"
  { repeat '{"a":' 100000; printf '1'; } > "$a/deep-object-100000.json"
  { printf '{"input":[8,8,3],"layers":[],"description":'; repeat '[' 513; repeat ']' 513; printf '}'; } > "$a/deep-513.json"
  # Within the parser's depth limit: parsed fully, then refused as a wrong type.
  { printf '{"input":[8,8,3],"layers":[{"type":"conv2d","filters":4,"kernel":'; repeat '[' 500; printf '3'; repeat ']' 500; printf '}]}'; } > "$a/deep-500-kernel.json"
  { printf '{"input":[8,8,3],"layers":[],"batch":'; repeat 9 1000000; printf '}'; } > "$a/number-million-digits.json"
  { printf '{"input":[8,8,3],"layers":[],"batch":1.'; repeat 0 1000000; printf '1}'; } > "$a/fraction-million-digits.json"
  { printf '{"input":[8,8,3],"layers":[],"batch":1e'; repeat 9 100000; printf '}'; } > "$a/exponent-100000-digits.json"
  { printf '{"input":[8,8,3],"layers":[],"batch":-'; repeat 0 100000; printf '}'; } > "$a/leading-zeros.json"
  { repeat ' ' 8000000; printf 'x'; } > "$a/whitespace-8mb-then-garbage.json"
  { repeat $'\n' 1000000; printf '{'; } > "$a/million-lines-then-truncated.json"
  { printf '{"input":[8,8,3],"layers":[],"'; repeat k 1000000; printf '":1}'; } > "$a/unknown-key-1mb.json"
  { printf '{"input":[8,8,3],"layers":['; repeat '{"type":"conv2d","filters":3,"kernel":1},' 20000
    printf '{"type":"conv2d","filters":3,"kernel":99}]}'; } > "$a/20000-layers-last-bad.json"
  { printf '{"input":[8,8,3],"layers":[],"description":"'; repeat '\ud800' 100000; printf '"}'; } > "$a/many-lone-surrogates.json"
  { printf '{"input":[8,8,3],"layers":[],"name":"'; repeat '\u0000' 100000; printf '\n"}'; } > "$a/nul-escapes-and-newline.json"
  { printf '{"input":[8,8,3],"layers":[]'; for i in $(seq 1 20000); do printf ',"k%d":%d' "$i" "$i"; done; printf ',"k1":0}'; } > "$a/20000-keys-duplicate-last.json"
  head -c 65536 /dev/zero > "$a/zeros-64k.json"
}

space() {
  repeat '[' 100000 > "$out/space/deep-array-100000.json"
  { printf '{"name":"s","input":[28,28,1],"classes":'; repeat 9 100000; printf '}'; } > "$out/space/classes-100000-digits.json"
}

samples() {
  local s="$out/samples"
  { yes garbage || true; } | head -n 100000 > "$s/100000-garbage-lines.jsonl"
  { repeat '[' 100000; printf '\n'; } > "$s/deep-array-line.jsonl"
  { printf '{"label":"'; repeat x 16000000; printf '"}\n'; } > "$s/line-16mb.jsonl"
  { for _ in $(seq 1 2000); do printf '%s\n' "$valid_line"; done; printf '%s\n' "${valid_line/\"status\":\"ok\"/\"status\":\"??\"}"; } > "$s/2000-good-then-bad.jsonl"
}

agent() {
  local g="$out/agent"
  { repeat '[' 100000; printf '\n%s\n' "$hello"; } > "$g/deep-array-100000.jsonl"
  { printf '{"id":1,"type":"'; repeat x 8000000; printf '"}\n%s\n' "$hello"; } > "$g/line-8mb-unknown-type.jsonl"
  { { yes garbage || true; } | head -n 1000; printf '%s\n' "$hello"; } > "$g/1000-garbage-lines.jsonl"
  { printf '{"id":1,"type":"hello","protocol_version":'; repeat 9 1000000; printf '}\n%s\n' "$hello"; } > "$g/version-million-digits.jsonl"
}

# run NAME COMMAND…: a copy of the fixture run, then COMMAND run inside it.
run() {
  local name="$1"; shift
  rm -rf "${out:?}/run/$name"; cp -R "$here/fixtures/run" "$out/run/$name"
  (cd "$out/run/$name" && eval "$@")
}

runs() {
  local c=candidates.jsonl f=config.json
  run no-config "rm $f"
  run config-empty ": > $f"
  run config-garbage "printf 'garbage\n' > $f"
  run config-truncated "head -c 700 $f > t && mv t $f"
  run config-array "{ printf '['; cat $f; printf ']'; } > t && mv t $f"
  run config-format-9 "sed -i 's/\"format_version\": 1,/\"format_version\": 9,/' $f"
  run config-seed-bad "sed -i 's/\"seed\": \"[0-9]*\"/\"seed\": \"-1\"/' $f"
  run config-seed-number "sed -i 's/\"seed\": \"[0-9]*\"/\"seed\": 18446744073709551616/' $f"
  run config-algorithm-unknown "sed -i 's/\"name\": \"evolution\"/\"name\": \"annealing\"/' $f"
  run config-population-huge "sed -i 's/\"population\": 64/\"population\": 9223372036854775807/' $f"
  run config-evaluations-negative "sed -i 's/\"evaluations\": 4/\"evaluations\": -4/' $f"
  run config-device-unknown "sed -i 's/\"devices\": \[\"host\"\]/\"devices\": [\"pi5\"]/' $f"
  run config-budget-nan "sed -i 's/\"limit\": 5,/\"limit\": NaN,/' $f"
  run config-budget-string "sed -i 's/\"limit\": 5,/\"limit\": \"5\",/' $f"
  run config-dup-key "sed -i 's/\"evaluations\": 4,/\"evaluations\": 4, \"evaluations\": 5,/' $f"
  run config-dir "rm $f && mkdir $f"
  run config-newline-key "sed -i 's/\"evaluations\": 4,/\"evalu\\\\nations\": 4,/' $f"
  run config-deep "{ repeat '[' 100000; } > $f"
  run no-candidates "rm $c"
  run candidates-dir "rm $c && mkdir $c"
  run candidates-garbage-first "{ printf 'garbage\n'; cat $c; } > t && mv t $c"
  run candidates-torn-middle "{ head -n 1 $c | head -c 100; printf '\n'; tail -n +2 $c; } > t && mv t $c"
  run candidates-nul "{ head -n 1 $c; head -c 200 /dev/zero; printf '\n'; } > t && mv t $c"
  run candidates-nan "sed -i '1s/\"quality\":[0-9]*/\"quality\":NaN/' $c"
  run candidates-genotype-long "sed -i '1s/\"genotype\":\[/\"genotype\":[0,0,0,0,0,0,0,0,0,0,/' $c"
  run candidates-genotype-range "sed -i '1s/\"genotype\":\[[0-9]*/\"genotype\":[99/' $c"
  run candidates-genotype-huge "sed -i '1s/\"genotype\":\[[0-9]*/\"genotype\":[9223372036854775808/' $c"
  run candidates-index-huge "sed -i '1s/\"index\":0/\"index\":9223372036854775807/' $c"
  run candidates-deep "{ repeat '[' 100000; printf '\n'; } >> $c"
  run candidates-array-line "sed -i '1s/^/[/; 1s/\$/]/' $c"
  mkdir -p "$out/run/empty-dir"
  printf 'not a folder\n' > "$out/run/a-file"
}

bundles() {
  mkdir -p "$out/bundle/empty"
  cp -R "$here/../../Sources/Predictors/Resources/bundles/host" "$out/bundle/manifest-garbage"
  printf 'garbage' > "$out/bundle/manifest-garbage/manifest.json"
  cp -R "$here/../../Sources/Predictors/Resources/bundles/host" "$out/bundle/model-truncated"
  local m; m="$(ls "$out/bundle/model-truncated"/conv2d.latency.*.json)"
  head -c 1000 "$m" > "$m.t" && mv "$m.t" "$m"
}

zoo() {
  mkdir -p "$out/zoo/bad"
  cp "$here/../../SearchSpaces/zoo/lenet5.json" "$out/zoo/bad/"
  printf '{"input":[8,8,3],"layers":[{"type":"conv2d","filters":4,"kernel":9}]}' > "$out/zoo/bad/broken.json"
  mkdir -p "$out/zoo/empty"
}

arch; space; samples; agent; runs; bundles; zoo
printf '%s\n' "$out"
