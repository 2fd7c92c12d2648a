#!/usr/bin/env bash
# Builds every fuzz target with clang's libFuzzer under ASan+UBSan and fuzzes
# each for SECONDS (default 60), starting from the seed corpus in the repo.
# Without clang it says so and does nothing. A crash fails the run and leaves
# the input under build/fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"

if ! command -v clang++ >/dev/null; then
  echo "fuzzing SKIPPED: clang++ is not installed"
  exit 0
fi

build=build/fuzz
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DFLOWD_SANITIZE=ON -DFLOWD_FUZZ=ON -DFLOWD_WERROR=OFF >/dev/null
targets=$(sed -n 's/^flowd_fuzz_target(\([a-z0-9_]*\).*/\1/p' tests/fuzz/CMakeLists.txt)
# shellcheck disable=SC2086
cmake --build "$build" -j2 --target $targets

mkdir -p "$build/artifacts"
for target in $targets; do
  work=$(mktemp -d)
  cp -r tests/fuzz/corpus/. "$work/"
  echo "fuzzing $target for ${seconds}s"
  status=0
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$build/tests/fuzz/$target" -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$target-" "$work" >"$build/$target.log" 2>&1 || status=$?
  tail -n 15 "$build/$target.log"
  rm -rf "$work"
  if [ "$status" -ne 0 ]; then
    echo "$target FAILED: see $build/artifacts/"
    exit 1
  fi
done
echo "fuzzing passed: $targets"
