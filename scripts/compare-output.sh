#!/usr/bin/env bash
# Proves a refactoring changed no output: builds the shipped catalog and a 1,000-entry synthetic
# catalog with a base binary and with the current sources, and diffs both `public/` trees.
#
#   scripts/compare-output.sh [BASE_REV]         # builds BASE_REV (default: HEAD) in a worktree
#   KOKI_BASE_BIN=/path/to/koki scripts/compare-output.sh   # or compares against a given binary
#
# Exit status 0: both trees are byte-identical; 1: they differ (diff summary printed).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK=${KOKI_COMPARE_DIR:-$(mktemp -d)}
BASE_REV=${1:-HEAD}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1795824000}

if [ -n "${KOKI_BASE_BIN:-}" ]; then
  BASE_BIN=$KOKI_BASE_BIN
else
  git worktree add --detach "$WORK/base-src" "$BASE_REV" >/dev/null
  trap 'git worktree remove --force "$WORK/base-src"' EXIT
  (cd "$WORK/base-src" && cargo build --release --quiet --bin koki)
  BASE_BIN=$WORK/base-src/target/release/koki
fi
cargo build --release --quiet --bin koki
NEW_BIN=$ROOT/target/release/koki

# Each side builds with its own revision's theme (a theme may move strings into the code), so
# each gets a root of its own: the site's content plus that side's `themes/`.
mkdir -p "$WORK/base-themes"
git archive "$BASE_REV" themes | tar -x -C "$WORK/base-themes"
"$BASE_BIN" -q bench --generate 1000 --out "$WORK/synth" --theme "$WORK/base-themes/themes/default"
status=0
for site in shipped synth; do
  if [ "$site" = shipped ]; then src=$ROOT; else src=$WORK/synth; fi
  for side in base new; do
    bin=$BASE_BIN; themes=$WORK/base-themes/themes
    if [ "$side" = new ]; then bin=$NEW_BIN; themes=$ROOT/themes; fi
    root=$WORK/$site-$side-root
    mkdir -p "$root"
    cp -R "$src/content" "$root/content"
    cp -R "$themes" "$root/themes"
    "$bin" -q build --root "$root" --output "$WORK/$site-$side"
  done
  if diff -r -q "$WORK/$site-base" "$WORK/$site-new" >"$WORK/$site.diff"; then
    echo "$site: identical ($(find "$WORK/$site-new" -type f | wc -l) files)"
  else
    echo "$site: DIFFERENT ($(wc -l <"$WORK/$site.diff") entries, see $WORK/$site.diff)"
    head -20 "$WORK/$site.diff"
    status=1
  fi
done
exit $status
