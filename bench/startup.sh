#!/usr/bin/env bash
# Start-up overhead of `corral run -- true` against its floor, measured in the same run:
# the floor is a bare `bwrap ... true` (the same namespaces) plus a JVM hello world on the same JDK
# with the same JVM flags. Prints the medians and the ratio corral / floor.
# Usage: bench/startup.sh [RUNS]   (default 20; runs are interleaved so machine noise hits all alike)
set -euo pipefail
corral_source=${BASH_SOURCE[0]}
[ -L "$corral_source" ] && corral_source=$(readlink -f "$corral_source")
case $corral_source in */*) ;; *) corral_source=./$corral_source ;; esac
cd "${corral_source%/*}/.." && CORRAL_HOME=$PWD && cd "$OLDPWD"   # builtins only: this runs at every start
. "$CORRAL_HOME/bin/lib/common.sh"
runs=${1:-20}
corral_find_java
corral_ensure_tools
corral_ensure_built
corral_ensure_aot

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/ws" "$work/hello"
cat >"$work/hello/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
"$CORRAL_JAVA_HOME/bin/javac" -d "$work/hello" "$work/hello/Hello.java"
export HOME="$work/home" XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_RUNTIME_DIR="$work/run"
mkdir -p "$HOME"

now() { date +%s%N; }
bwrap_true() {
  bwrap --unshare-user --unshare-ipc --unshare-pid --unshare-net --unshare-uts --unshare-cgroup-try \
    --die-with-parent --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 \
    --ro-bind /etc /etc --proc /proc --dev /dev --tmpfs /tmp -- /bin/true
}
jvm_hello() { "$JAVA" "${CORRAL_JVM_OPTS[@]}" -cp "$work/hello" Hello >/dev/null; }
corral_true() { (cd "$work/ws" && bin_corral run -- /bin/true); }
bin_corral() { "$CORRAL_HOME/bin/corral" "$@"; }

# Warm up the page cache and the sandbox's state folder.
for _ in 1 2 3; do bwrap_true; jvm_hello; corral_true; done

floor=() corral=()
for _ in $(seq "$runs"); do
  t0=$(now); bwrap_true; t1=$(now); jvm_hello; t2=$(now); corral_true; t3=$(now)
  floor+=($(( (t2 - t0) / 1000 )))
  corral+=($(( (t3 - t2) / 1000 )))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
f=$(median "${floor[@]}")
c=$(median "${corral[@]}")
echo "machine: $(nproc) cpus, $(uname -r), $("$JAVA" -version 2>&1 | head -1)"
echo "runs: $runs (interleaved), medians:"
awk -v f="$f" -v c="$c" 'BEGIN { printf "  floor (bwrap true + JVM hello): %6.1f ms\n  corral run -- true:             %6.1f ms\nratio corral/floor: %.2fx (target <= 2x now, <= 1.2x later)\n", f/1000, c/1000, c/f }'
