#!/bin/sh
# Writes the expected folded output of every dialect (../*.collapsed*.expected.txt) with stackcollapse-perf.pl,
# then gzips the inputs. README.md says, file by file, which expected files are the Perl script's own output
# and which are its output on a reshaped copy (reshape.js) or corrected by fix-exited.js, and why.
# Usage: FLAMEGRAPH_DIR=/path/to/FlameGraph sh expected.sh   (after record.sh)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(cd "$HERE/.." && pwd)
PERL="perl ${FLAMEGRAPH_DIR:-/work/FlameGraph}/stackcollapse-perf.pl"
cd "$OUT"

input() { if [ -f "$1.txt" ]; then cat "$1.txt"; else gzip -dc "$1.txt.gz"; fi; }
# fold NAME [OPTION]: the Perl script's answer, as is.
fold() { input "$1" | $PERL ${2:+--$2} 2>/dev/null > "$1.collapsed${2:+-$2}.expected.txt"; }
# fold_reshaped NAME [OPTION]: the Perl script's answer on the reshaped records.
fold_reshaped() { input "$1" | node "$HERE/reshape.js" | $PERL ${2:+--$2} 2>/dev/null > "$1.collapsed${2:+-$2}.expected.txt"; }

for name in deep-recursion deleted deleted-unresolved dwarf mmap-events-attached ns short srccode srcline \
  task-events tracepoint two-events; do
  fold "$name"
done
fold deleted all
fold deleted-unresolved addrs
for name in no-callchain systemwide-no-callchain hide-callgraph fields-header-only fields-no-pid \
  fields-no-pid-callchain fields-period insn; do
  fold_reshaped "$name"
done
fold_reshaped systemwide-no-callchain tid
fold_reshaped fields-period tid
input exited-thread | $PERL 2>/dev/null | node "$HERE/fix-exited.js" > exited-thread.collapsed.expected.txt
input exited-thread | $PERL --tid 2>/dev/null | node "$HERE/fix-exited.js" > exited-thread.collapsed-tid.expected.txt

for f in *.txt; do
  case "$f" in *.expected.txt | short.txt) ;; *) gzip -9n "$f" ;; esac
done
