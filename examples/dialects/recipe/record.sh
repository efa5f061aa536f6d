#!/bin/sh
# Records every dialect in ../ with perf (run as root, perf 6.1, x86-64). Each step prints the exact
# `perf record` and `perf script` commands it runs; ../README.md lists them with what each file shows.
# Usage: sh record.sh   (writes ../*.txt; then run finish.sh to trim, gzip and fold the expected files)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(cd "$HERE/.." && pwd)
WORK=/tmp/flamescope-dialects      # fixed, so that the paths inside the recordings are stable
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
CFLAGS="-O1 -g -fno-omit-frame-pointer"
gcc $CFLAGS -o burn "$HERE/burn.c"
gcc $CFLAGS -pthread -o threads "$HERE/threads.c"
gcc $CFLAGS -fno-optimize-sibling-calls -o recurse "$HERE/recurse.c"
gcc $CFLAGS -shared -fPIC -o libdoomed.so "$HERE/doomed-lib.c"
gcc $CFLAGS -o doomed "$HERE/doomed.c" -ldl

run() { echo "+ $*" >&2; "$@"; }
rec() { run perf record -q "$@" 2>/dev/null; }
script() { name=$1; shift; echo "+ perf script $* > $name.txt" >&2; perf script "$@" > "$OUT/$name.txt" 2>/dev/null; }

# No callchain: perf's default without -g, one record per line, comm right-aligned (%16s).
rec -F 499 -o nocg.data -- ./burn 1
script no-callchain -i nocg.data
# -a without -g: every CPU, idle swapper samples, [cpu] column.
rec -a -F 499 -o nocg-a.data -- ./burn 0.5
script systemwide-no-callchain -i nocg-a.data

# With callchains, read back in several ways.
rec -F 499 -g -o cg.data -- ./burn 0.5
script hide-callgraph -i cg.data -G
script fields-header-only -i cg.data -F comm,tid,time,event
script ns -i cg.data --ns
script srcline -i cg.data -F +srcline
script insn -i cg.data -F +insn
script srccode -i cg.data -F +srccode

# Threads whose comm has a space ("worker one", "worker two") and a one-word comm ("threads"), no pid/tid.
rec -F 499 -o thr.data -- ./threads 0.3
script fields-no-pid -i thr.data -F comm,time,event,ip,sym,dso
script fields-period -i thr.data -F comm,tid,time,period,event,ip,sym,dso
rec -F 499 -g -o thr-cg.data -- ./threads 0.3
script fields-no-pid-callchain -i thr-cg.data -F comm,time,event,ip,sym,dso

# Side-band records: COMM, MMAP2, FORK, EXIT (some stamped 0.000000).
rec -F 499 -g -o task.data -- sh -c './burn 0.1; ./burn 0.1'
script task-events -i task.data --show-task-events --show-mmap-events
# Attached to a running process: the synthesized side-band records are stamped 0.000000.
./burn 1.0 & pid=$!; sleep 0.2
rec -F 499 -g -p $pid -o attach.data -- sleep 0.2 || true; wait $pid
script mmap-events-attached -i attach.data --show-task-events --show-mmap-events

# Two events, and a tracepoint with its arguments after the event name.
rec -F 499 -g -e cpu-clock -e page-faults -o two.data -- ./threads 0.2
script two-events -i two.data
rec -g -e sched:sched_switch -o sched.data -- sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.01; done'
script tracepoint -i sched.data

# DWARF unwinding.
rec -F 499 --call-graph dwarf,16384 -o dwarf.data -- ./burn 0.2
script dwarf -i dwarf.data

# Deleted modules: a library unlinked after dlopen, a binary deleted while running, code in a memfd.
# perf attaches after the deletion, so the maps it reads say "(deleted)".
mkdir -p gone && cp doomed gone/doomed && cp libdoomed.so gone/libdoomed.so
./gone/doomed 1.5 "$WORK/gone/libdoomed.so" > doomed.out & pid=$!
while ! grep -q ready doomed.out; do sleep 0.05; done
rm gone/doomed
rec -F 499 -g -p $pid -o doomed.data -- sleep 0.3 || true; wait $pid
script deleted-unresolved -i doomed.data
# perf opens a deleted module by its printed name, "(deleted)" included: give it the same builds under those
# names, so that it resolves their symbols (as it does in the wild from its build-id cache or a new package).
cp doomed "gone/doomed (deleted)" && cp libdoomed.so "gone/libdoomed.so (deleted)"
script deleted -i doomed.data

# Exiting threads: samples taken after the kernel detached the pid print as ":-1    -1".
# They are rare (a few per 10,000 samples), so record until there are at least three.
for attempt in 1 2 3 4 5 6; do
  rec -a -F 4999 -g -o exit.data -- sh -c 'for i in $(seq 3000); do /bin/true; done'
  script exited-thread-full -i exit.data
  [ "$(grep -c '^:-1 ' "$OUT/exited-thread-full.txt")" -ge 3 ] && break
done

# A very short recording.
rec -F 499 -g -o short.data -- ./burn 0.01
script short -i short.data

# A deep recursion (1,000 frames): the kernel keeps at most kernel.perf_event_max_stack frames (127 by
# default), so raise it for the recording, then put it back; perf script prints 127 unless told otherwise.
old=$(cat /proc/sys/kernel/perf_event_max_stack)
echo 1100 > /proc/sys/kernel/perf_event_max_stack
rec -F 99 -g -o deep.data -- ./recurse 0.3 1000
script deep-recursion -i deep.data --max-stack 2048
echo "$old" > /proc/sys/kernel/perf_event_max_stack

# Keep only the exiting-thread samples (the full file is tens of MB, and the other processes' C++ templates
# would hit stackcollapse-perf.pl's template bug in the expected files).
node "$HERE/trim.js" 150000 '^:-1 ' 0 < "$OUT/exited-thread-full.txt" > "$OUT/exited-thread.txt"
rm "$OUT/exited-thread-full.txt"
echo "recorded; now run: sh $HERE/expected.sh" >&2
