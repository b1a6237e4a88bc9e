#!/bin/sh
# Fills fuzz/corpus/<target>/ with the project's own inputs to start from:
# the golden queries, the seed facts file and article, the seed snapshot's
# payload (the fuzz target adds the header). Run from the repository root.
set -eu
root=$(pwd)
out="$root/fuzz/corpus"
mkdir -p "$out/query" "$out/facts" "$out/extract" "$out/snapshot"
i=0
grep -h '^query: \|^setup: ' "$root"/tests/queries/*.test | sed 's/^[a-z]*: //' |
while IFS= read -r q; do
    i=$((i + 1))
    printf '%s' "$q" > "$out/query/golden-$i"
done
cp "$root"/seeds/*.facts "$out/facts/"
cp "$root"/seeds/*.txt "$out/extract/"
tmp=$(mktemp -d)
cargo run -q -- load "$root"/seeds/ukraine-peace-plan-2025-11.facts --db "$tmp/seed.fg" > /dev/null
tail -c +25 "$tmp/seed.fg" > "$out/snapshot/seed-payload"
rm -r "$tmp"
