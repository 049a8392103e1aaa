#!/usr/bin/env bash
# Rebuilds every WebAssembly module from its WAT source: the examples here, the built-in circuit
# runner (actors/src/main/resources/vhm), the modules of `cdcr bench vhm`
# (cluster-node/src/main/resources/vhm-bench) and the test modules (actors/src/test/resources/vhm).
# The .wasm files are committed, so `mvn -B verify` needs no tool; run this after editing a .wat. Needs wat2wasm (Debian/Ubuntu: apt-get install wabt).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
builtin="$here/../../actors/src/main/resources/vhm"
bench="$here/../../cluster-node/src/main/resources/vhm-bench"
tests="$here/../../actors/src/test/resources/vhm"
command -v wat2wasm >/dev/null || { echo "wat2wasm not found: apt-get install wabt" >&2; exit 1; }
for wat in "$here"/*.wat "$builtin"/*.wat "$bench"/*.wat "$tests"/*.wat; do
  wat2wasm "$wat" -o "${wat%.wat}.wasm"
  echo "built ${wat%.wat}.wasm"
done
