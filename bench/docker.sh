#!/usr/bin/env bash
# Start latency of the Docker backend, measured in the same run against two baselines:
# `docker run --rm --network none IMAGE true` on the same engine and image (what the engine costs
# anyway) and the native backend's `corral run -- true`. Prints the medians and both ratios.
# Usage: bench/docker.sh [RUNS]   (default 15; runs are interleaved so machine noise hits all alike)
# Needs a running engine (DOCKER_HOST or the default socket) with Corral's image (corral image build).
set -euo pipefail
corral_source=${BASH_SOURCE[0]}
[ -L "$corral_source" ] && corral_source=$(readlink -f "$corral_source")
case $corral_source in */*) ;; *) corral_source=./$corral_source ;; esac
cd "${corral_source%/*}/.." && CORRAL_HOME=$PWD && cd "$OLDPWD"   # builtins only: this runs at every start
. "$CORRAL_HOME/bin/lib/common.sh"
runs=${1:-15}
corral_find_java
corral_ensure_tools
corral_ensure_built
corral_ensure_aot
command -v docker >/dev/null 2>&1 || corral_die "the docker command is needed for the baseline; install docker.io"
docker version >/dev/null 2>&1 || corral_die "no Docker engine answers; start one (see bin/lib/test-engine.sh) or set DOCKER_HOST"

work=$(mktemp -d)
trap '"$CORRAL_HOME/bin/corral" rm -f bench-docker >/dev/null 2>&1; rm -rf "$work"' EXIT
mkdir -p "$work/native" "$work/docker"
export HOME="$work/home" XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_RUNTIME_DIR="$work/run"
mkdir -p "$HOME"
image=$("$CORRAL_HOME/bin/corral" image build 2>/dev/null | tail -n 1)
[ -n "$image" ] || corral_die "could not build or find Corral's image (run: bin/corral image build)"

now() { date +%s%N; }
docker_true() { docker run --rm --network none "$image" true >/dev/null; }
corral_docker_true() { (cd "$work/docker" && "$CORRAL_HOME/bin/corral" run --backend docker --name bench-docker -- true); }
corral_native_true() { (cd "$work/native" && "$CORRAL_HOME/bin/corral" run -- true); }

# Warm up the page cache, the engine and the sandboxes' state (the first docker run makes the home volume).
for _ in 1 2; do docker_true; corral_docker_true; corral_native_true; done

plain=() docker=() native=()
for _ in $(seq "$runs"); do
  t0=$(now); docker_true; t1=$(now); corral_docker_true; t2=$(now); corral_native_true; t3=$(now)
  plain+=($(( (t1 - t0) / 1000 )))
  docker+=($(( (t2 - t1) / 1000 )))
  native+=($(( (t3 - t2) / 1000 )))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
p=$(median "${plain[@]}")
d=$(median "${docker[@]}")
n=$(median "${native[@]}")
echo "machine: $(nproc) cpus, $(uname -r), engine $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})'), image $image"
echo "runs: $runs (interleaved), medians:"
awk -v p="$p" -v d="$d" -v n="$n" 'BEGIN {
  printf "  docker run --rm --network none IMAGE true: %7.1f ms\n", p/1000
  printf "  corral run --backend docker -- true:        %7.1f ms\n", d/1000
  printf "  corral run -- true (native):                %7.1f ms\n", n/1000
  printf "ratio corral docker / docker run: %.2fx\nratio corral docker / corral native: %.2fx\n", d/p, d/n }'
