#!/usr/bin/env bash
# Runs every libFuzzer target built in BUILD_DIR for SECONDS each (make fuzz).
# The corpus grows in BUILD_DIR/corpus/<target> (seeded from fuzz/corpus/<target>, which stays
# untouched); crashes, leaks and UB reports stop the run and leave the reproducer in
# BUILD_DIR/artifacts/. A summary (executions and time per target) goes to
# BUILD_DIR/fuzz-summary.txt. Usage: run-fuzzers.sh BUILD_DIR SECONDS [TARGET...]
set -euo pipefail

build_dir=$1
seconds=$2
shift 2
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for bin in "$build_dir"/bin/*_fuzzer; do targets+=("$(basename "$bin" _fuzzer)"); done
fi

# Arrow's own allocator would hide heap errors from ASan.
export ARROW_DEFAULT_MEMORY_POOL=system
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p "$build_dir/artifacts"
summary="$build_dir/fuzz-summary.txt"
: > "$summary"
status=0
for target in "${targets[@]}"; do
  corpus="$build_dir/corpus/$target"
  mkdir -p "$corpus"
  log="$build_dir/fuzz-$target.log"
  echo "fuzzing $target for ${seconds}s (log: $log)"
  if ! "$build_dir/bin/${target}_fuzzer" "$corpus" "$source_dir/fuzz/corpus/$target" \
      -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 -timeout=25 \
      -print_final_stats=1 -artifact_prefix="$build_dir/artifacts/$target-" >"$log" 2>&1; then
    echo "FAILED: $target (see $log and $build_dir/artifacts/)" | tee -a "$summary"
    tail -40 "$log"
    status=1
    continue
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo '?')
  echo "$target: $runs executions in ${seconds}s, coverage $cov edges, corpus $(ls "$corpus" | wc -l) inputs, no findings" |
    tee -a "$summary"
done
exit $status
