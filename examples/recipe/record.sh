#!/usr/bin/env bash
# Records examples/pattern.txt.gz: the workload of workload.js profiled with perf at 499 Hz on CLOCK_MONOTONIC.
# Needs Linux perf and root (or kernel.perf_event_paranoid <= 1) and Node.js. Usage: examples/recipe/record.sh [SECONDS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../pattern.txt.gz"
seconds="${1:-15}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --perf-basic-prof writes /tmp/perf-PID.map so that perf can name the JIT-compiled JavaScript functions.
cat > "$work/run.sh" <<RUN
#!/usr/bin/env bash
node --perf-basic-prof "$here/workload.js" main $seconds & echo \$! >> "$work/pids"
node --perf-basic-prof "$here/workload.js" side $seconds & echo \$! >> "$work/pids"
wait
RUN
chmod +x "$work/run.sh"

# Run in the scratch directory: node also writes an isolate-*.log there.
cd "$work"
perf record -F 499 -g -k mono -o "$work/perf.data" -- "$work/run.sh"
perf script --header -i "$work/perf.data" | gzip -9 > "$out"
while read -r pid; do rm -f "/tmp/perf-$pid.map"; done < "$work/pids"
ls -l "$out"
node "$here/bands.js" "$out"   # the pattern must show: most samples in the spinA/spinB/spinC bands
