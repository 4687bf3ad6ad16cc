#!/usr/bin/env bash
# Many sandboxes at once: starts N detached sandboxes on one git repository, each on a branch of
# its own (`corral run -d --branch bench-I`) running a small idle agent stand-in (a shell that
# prints a line every few seconds), then reports what Corral itself costs per sandbox — the
# supervisor JVM, bubblewrap's processes and the in-sandbox forwarder, not the stand-in — as memory
# (PSS: pages shared between supervisors, such as the JVM's code and the start-up cache, counted
# once across them; also USS and RSS) and idle CPU, and the time to start all N, against one
# foreground `corral run -- true` measured in the same run. Stops and removes them all at the end.
# Usage: bench/scale.sh [N...]   (default: 10 25 50)
set -euo pipefail
corral_source=${BASH_SOURCE[0]}
[ -L "$corral_source" ] && corral_source=$(readlink -f "$corral_source")
case $corral_source in */*) ;; *) corral_source=./$corral_source ;; esac
cd "${corral_source%/*}/.." && CORRAL_HOME=$PWD && cd "$OLDPWD"
. "$CORRAL_HOME/bin/lib/common.sh"
counts=("$@")
[ ${#counts[@]} -eq 0 ] && counts=(10 25 50)
corral_find_java
corral_ensure_tools
corral_ensure_built
corral_ensure_aot

work=$(mktemp -d /tmp/corral-scale.XXXXXX)
export HOME="$work/home" XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_RUNTIME_DIR="$work/run"
mkdir -p "$HOME" "$work/repo"
cleanup() {
  for name in $(corral ls --json 2>/dev/null | python3 -c 'import json,sys; [print(s["name"]) for s in json.load(sys.stdin)]' 2>/dev/null); do
    corral rm -f "$name" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
corral() { "$CORRAL_HOME/bin/corral" "$@"; }
now() { date +%s%N; }

git -C "$work/repo" init -q
printf 'hello\n' >"$work/repo/README"
git -C "$work/repo" -c user.name=bench -c user.email=bench@example.com add README
git -C "$work/repo" -c user.name=bench -c user.email=bench@example.com commit -qm init
standin='i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 5; done'

# The baseline: one foreground run, warmed up.
for _ in 1 2 3; do (cd "$work/repo" && corral run --name bench-fg -- /bin/true); done
t0=$(now); (cd "$work/repo" && corral run --name bench-fg -- /bin/true); t1=$(now)
foreground_ms=$(( (t1 - t0) / 1000000 ))
corral rm bench-fg >/dev/null

echo "machine: $(nproc) cpus, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(uname -r), $("$JAVA" -version 2>&1 | head -1)"
echo "baseline: one foreground corral run -- true: ${foreground_ms} ms"
printf '%5s %12s %10s %9s %12s %12s %12s %12s %14s %12s\n' N start_all_s per_sbx_ms ratio_fg pss_MiB/sbx uss_MiB/sbx rss_MiB/sbx jvm_pss_MiB idle_cpu_%/sbx stop_all_s
for n in "${counts[@]}"; do
  t0=$(now)
  for i in $(seq "$n"); do
    (cd "$work/repo" && corral run -d --name "bench-$i" --branch "bench-$i" -- /bin/sh -c "$standin" >/dev/null 2>"$work/start-$i.err") \
      || { echo "start of bench-$i failed:"; cat "$work/start-$i.err"; exit 1; }
  done
  t1=$(now)
  start_ms=$(( (t1 - t0) / 1000000 ))
  sleep 5
  # Corral's processes: each supervisor and its descendants that are bubblewrap or the forwarder.
  corral ls --json >"$work/ls.json"
  python3 - "$work/ls.json" "$n" "$start_ms" "$foreground_ms" <<'PY' >"$work/row"
import json, os, sys, time
views = json.load(open(sys.argv[1]))
n, start_ms, fg_ms = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
running = [v for v in views if v.get("status") == "running" and v["name"].startswith("bench-")]
if len(running) != n:
    sys.exit(f"expected {n} running sandboxes, found {len(running)}")
children = {}
for pid in os.listdir("/proc"):
    if not pid.isdigit():
        continue
    try:
        stat = open(f"/proc/{pid}/stat").read()
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(pid))
    except OSError:
        pass
def comm(pid):
    return open(f"/proc/{pid}/comm").read().strip()
CORRAL = ("java", "bwrap", "socat")  # the supervisor, bubblewrap's two processes, the in-sandbox forwarder
def corral_processes(root):
    """The supervisor and every process below it that is Corral's, not the stand-in's (sh, sleep)."""
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        try:
            if pid == root or comm(pid) in CORRAL:
                out.append(pid)
        except OSError:
            continue
        todo.extend(children.get(pid, []))
    try:  # the small shell that leads the supervisor's session
        stat = open(f"/proc/{root}/stat").read()
        parent = int(stat[stat.rindex(")") + 2:].split()[1])
        if b"corral-supervisor" in open(f"/proc/{parent}/cmdline", "rb").read():
            out.append(parent)
    except OSError:
        pass
    return out
def rollup(pid):
    fields = {}
    for line in open(f"/proc/{pid}/smaps_rollup"):
        parts = line.split()
        if len(parts) >= 3 and parts[0].endswith(":"):
            fields[parts[0][:-1]] = int(parts[1])
    return fields
def cpu_ticks(pid):
    stat = open(f"/proc/{pid}/stat").read()
    f = stat[stat.rindex(")") + 2:].split()
    return int(f[11]) + int(f[12])
pids = []
jvms = []
for v in running:
    procs = corral_processes(v["pid"])
    pids.extend(procs)
    jvms.append(v["pid"])
pss = uss = rss = jvm_pss = 0
for pid in pids:
    try:
        r = rollup(pid)
    except OSError:
        continue
    pss += r.get("Pss", 0); rss += r.get("Rss", 0)
    uss += r.get("Private_Clean", 0) + r.get("Private_Dirty", 0)
    if pid in jvms:
        jvm_pss += r.get("Pss", 0)
def total_ticks():
    t = 0
    for pid in pids:
        try:
            t += cpu_ticks(pid)
        except OSError:
            pass
    return t
window = 10.0
a = total_ticks(); time.sleep(window); b = total_ticks()
hz = os.sysconf("SC_CLK_TCK")
cpu_pct = (b - a) / hz / window * 100 / n
mib = 1024.0
print(f"{n:5d} {start_ms/1000:12.1f} {start_ms/n:10.0f} {start_ms/n/fg_ms:8.2f}x {pss/mib/n:12.1f} {uss/mib/n:12.1f} {rss/mib/n:12.1f} {jvm_pss/mib/n:12.1f} {cpu_pct:14.2f}", end="")
PY
  t0=$(now)
  names=()
  for i in $(seq "$n"); do names+=("bench-$i"); done
  corral stop "${names[@]}" >/dev/null
  t1=$(now)
  printf '%s %12.1f\n' "$(cat "$work/row")" "$(awk -v t=$(( (t1 - t0) / 1000000 )) 'BEGIN{print t/1000}')"
  for name in "${names[@]}"; do corral rm -f "$name" >/dev/null; done
  stray=$(pgrep -f "bench-[0-9]" || true)
  [ -z "$stray" ] || { echo "stray processes after rm: $stray"; exit 1; }
done
echo "target: N=50 works; Corral's own memory per sandbox < 40 MiB (PSS)"
