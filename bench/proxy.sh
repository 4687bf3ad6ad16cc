#!/usr/bin/env bash
# Cost of the egress proxy against the direct path, measured in the same run:
#   throughput: curl downloads SIZE_MIB MiB from a Python HTTP server in a network namespace of the
#     bench's own, directly from the host vs from inside a sandbox through the proxy (target >= 0.8x);
#   latency: a Python client makes REQUESTS sequential GETs, each on a new connection, directly vs
#     inside a sandbox through the proxy (absolute-URI requests to $HTTP_PROXY); p50 and p99.
# Rounds alternate direct and proxied runs so machine noise hits both alike; medians are reported.
# Usage (root): bench/proxy.sh [SIZE_MIB] [REQUESTS]   (defaults 512 and 300)
#   ROUNDS=N (default 5) sets the number of rounds; DIRECT_ONLY=1 measures the direct half only.
# The server's network is the one the proxy tests use (src/test/java/dev/corral/it/TestNetwork.java):
# the host has 198.51.100.1/24 on one end of a veth, the namespace 198.51.100.2/24 on the other; the
# corral JVM resolves bench.corral.test from a hosts file given through CORRAL_JAVA_OPTIONS.
set -euo pipefail
corral_source=${BASH_SOURCE[0]}
[ -L "$corral_source" ] && corral_source=$(readlink -f "$corral_source")
case $corral_source in */*) ;; *) corral_source=./$corral_source ;; esac
cd "${corral_source%/*}/.." && CORRAL_HOME=$PWD && cd "$OLDPWD"
. "$CORRAL_HOME/bin/lib/common.sh"

size_mib=${1:-512}
requests=${2:-300}
rounds=${ROUNDS:-5}
direct_only=${DIRECT_ONLY:-0}
bytes=$((size_mib * 1024 * 1024))
host_address=198.51.100.1
server_address=198.51.100.2
server_port=8080
server_name=bench.corral.test
python=/usr/bin/python3                         # Debian's, not a pyenv shim
lock_file=/run/lock/corral-testnet.lock         # shared with TestNetwork: one test network at a time
[ -d /run/lock ] || lock_file=/tmp/corral-testnet.lock
id=$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n')
ns=corral-t$id                                  # corral-t*: leftovers of crashed runs are removed
veth_host=crt${id}h veth_ns=crt${id}n

die() {
  echo "bench/proxy.sh: $*" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || die "needs root (it creates a network namespace and a veth pair)"
[ -x "$python" ] || die "$python is missing; install: apt-get install -y python3"
command -v curl >/dev/null 2>&1 || die "curl is missing; install: apt-get install -y curl"
corral_find_java
corral_ensure_tools
corral_ensure_built
corral_ensure_aot

# ---- the network and the server

work=$(mktemp -d /tmp/corral-bench-proxy.XXXXXX)
server_pid=

cleanup() {
  set +e
  [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null
  if ip netns list | grep -q "^$ns\b"; then
    kill_namespace "$ns"
    ip link del "$veth_host" 2>/dev/null
    ip netns del "$ns"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Kills every process in a namespace and deletes the veths inside it (which takes their peers along).
kill_namespace() {
  local pids link
  for _ in $(seq 50); do
    pids=$(ip netns pids "$1" 2>/dev/null)
    [ -z "$pids" ] && break
    kill -9 $pids 2>/dev/null || true
    sleep 0.02
  done
  for link in $(ip -n "$1" -o link show 2>/dev/null | awk -F': ' '$2 != "lo" {sub(/@.*/, "", $2); print $2}'); do
    ip -n "$1" link del "$link" 2>/dev/null || true
  done
}

# Holding the lock, namespaces named corral-t* are leftovers of a run that crashed.
remove_leftovers() {
  local old
  for old in $(ip netns list | awk '{print $1}' | grep '^corral-t' || true); do
    kill_namespace "$old"
    ip netns del "$old" 2>/dev/null || true
  done
  if ip -o -4 addr show | grep -q " $host_address/"; then
    die "$host_address is already on a host interface (a leftover? remove it with ip addr del): $(ip -o -4 addr show | grep " $host_address/")"
  fi
}

create_network() {
  ip netns add "$ns"
  ip link add "$veth_host" type veth peer name "$veth_ns"
  ip link set "$veth_ns" netns "$ns"
  ip addr add "$host_address/24" dev "$veth_host"
  ip link set "$veth_host" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$server_address/24" dev "$veth_ns"
  ip -n "$ns" link set "$veth_ns" up
}

# HTTP/1.1 with keep-alive: /bytes/N answers N bytes streamed from memory in 64 KiB chunks, anything
# else "hello from ADDRESS". Prints READY once it listens.
start_server() {
  cat >"$work/server.py" <<'PY'
import http.server, socketserver, sys
address, port = sys.argv[1], int(sys.argv[2])
CHUNK = b'corral!\n' * 8192

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    disable_nagle_algorithm = True  # head and body go in two writes: without this, kept-alive requests wait for delayed ACKs

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        path = self.path.split('?')[0]
        n = int(path[7:]) if path.startswith('/bytes/') and path[7:].isdigit() else None
        data = b'' if n is not None else ('hello from ' + address).encode()
        self.send_response(200)
        self.send_header('Content-Length', str(n if n is not None else len(data)))
        self.end_headers()
        if n is None:
            self.wfile.write(data)
            return
        view = memoryview(CHUNK)
        while n > 0:
            k = min(n, len(CHUNK))
            self.wfile.write(view[:k])
            n -= k

class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 128

    def server_bind(self):
        # HTTPServer's own looks the address up in DNS, which the namespace lacks.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

server = Server((address, port), Handler)
print('READY', flush=True)
server.serve_forever()
PY
  ip netns exec "$ns" "$python" "$work/server.py" "$server_address" "$server_port" >"$work/server.log" 2>&1 </dev/null &
  server_pid=$!
  disown "$server_pid"   # killed in cleanup, quietly
  for _ in $(seq 200); do
    grep -q '^READY' "$work/server.log" && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.05
  done
  die "the HTTP server did not start: $(cat "$work/server.log")"
}

# ---- the measurements

# REQUESTS sequential GETs of /, each on a new connection, then REQUESTS on one kept-alive connection;
# prints p50 and p99 of each in microseconds.
# argv: URL COUNT direct|proxy (proxy: an absolute-URI request to $HTTP_PROXY).
write_latency_client() {
  cat >"$work/ws/latency.py" <<'PY'
import http.client, math, os, sys, time, urllib.parse
url, count, via = sys.argv[1], int(sys.argv[2]), sys.argv[3]
target = urllib.parse.urlsplit(url)
if via == 'proxy':
    proxy = os.environ.get('HTTP_PROXY') or os.environ.get('http_proxy')
    if not proxy:
        sys.exit('latency client: HTTP_PROXY is not set in the sandbox (no egress proxy)')
    p = urllib.parse.urlsplit(proxy)
    host, port, path = p.hostname, p.port or 80, url
else:
    host, port, path = target.hostname, target.port or 80, target.path or '/'
def measure(reuse):
    times = []
    kept = http.client.HTTPConnection(host, port, timeout=10) if reuse else None
    for i in range(count + 5):  # the first five warm up
        start = time.perf_counter()
        connection = kept or http.client.HTTPConnection(host, port, timeout=10)
        connection.request('GET', path)
        response = connection.getresponse()
        body = response.read()
        if not reuse:
            connection.close()
        elapsed = time.perf_counter() - start
        if response.status != 200 or not body.startswith(b'hello from'):
            sys.exit(f'latency client: {response.status} {body[:200]!r} for {url} ({via})')
        if i >= 5:
            times.append(elapsed)
    times.sort()
    rank = lambda p: times[max(0, math.ceil(p / 100 * len(times)) - 1)]
    return f'{rank(50) * 1e6:.0f} {rank(99) * 1e6:.0f}'
# each request on a new connection, then all on one kept-alive connection (as agents' HTTP clients do)
print(measure(False), measure(True))
PY
}

export HOME="$work/home" XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_RUNTIME_DIR="$work/run"
bin_corral() { (cd "$work/ws" && "$CORRAL_HOME/bin/corral" "$@"); }
in_sandbox() { bin_corral run --allow "$server_name" -- "$@"; }
url=http://$server_name:$server_port

# MiB/s from curl's "SIZE SECONDS" line, checking that everything arrived.
mib_per_s() {
  local size seconds
  read -r size seconds <<<"$1"
  [ "$size" = "$bytes" ] || die "download ($2) got ${size:-nothing} of $bytes bytes: $1"
  awk -v b="$size" -v s="$seconds" 'BEGIN { printf "%.1f", b / s / 1048576 }'
}

# $1: curl's --limit-rate (0: none). A capped download stands for a fast internet link: what an
# agent's downloads actually get, where the question is whether the proxy is what limits them.
throughput_direct() {
  mib_per_s "$(curl -sS --noproxy '*' --limit-rate "${1:-0}" -o /dev/null -w '%{size_download} %{time_total}' \
    "http://$server_address:$server_port/bytes/$bytes")" direct
}

throughput_proxy() {
  local out
  out=$(in_sandbox /bin/sh -c 'exec curl -sS -x "$HTTP_PROXY" --limit-rate "$2" -o /dev/null -w "%{size_download} %{time_total}" "$1"' \
    sh "$url/bytes/$bytes" "${1:-0}") || die "the download through the proxy failed: $out"
  mib_per_s "$out" proxy
}

latency_direct() { "$python" "$work/ws/latency.py" "http://$server_address:$server_port/" "$requests" direct; }
latency_proxy() { in_sandbox "$python" "$work/ws/latency.py" "$url/" "$requests" proxy; }

# Fails with one clear line unless the sandbox has a proxy that reaches the server.
check_proxy() {
  local out status=0
  out=$(in_sandbox /bin/sh -c 'printf "%s" "${HTTP_PROXY:-}"' 2>"$work/probe.err") || status=$?
  [ "$status" -eq 0 ] || die "corral run --allow $server_name failed (exit $status): $(tail -1 "$work/probe.err")"
  [ -n "$out" ] || die "the sandbox has no proxy: HTTP_PROXY is unset inside corral run (the egress proxy is not there yet?)"
  out=$(in_sandbox /bin/sh -c 'curl -sS --max-time 10 -x "$HTTP_PROXY" "$1" 2>&1' sh "$url/") \
    || die "a GET of $url/ through the proxy ($out) failed"
  [ "$out" = "hello from $server_address" ] || die "a GET of $url/ through the proxy answered: $out"
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# ---- the run

exec 9>"$lock_file"
flock -w 180 9 || die "another test network (a test, or this bench) held $lock_file for 180 s"
remove_leftovers
mkdir -p "$work/ws" "$HOME"
create_network
start_server
write_latency_client
printf '%s %s\n' "$server_address" "$server_name" >"$work/hosts"
chmod 755 "$work" && chmod 644 "$work/hosts"
export CORRAL_JAVA_OPTIONS="${CORRAL_JAVA_OPTIONS:-} -Djdk.net.hosts.file=$work/hosts"
[ "$direct_only" = 1 ] || check_proxy

# Warm-up: page cache, the sandbox's state folder, the server's first connections.
throughput_direct >/dev/null
latency_direct >/dev/null
if [ "$direct_only" != 1 ]; then
  throughput_proxy >/dev/null
  latency_proxy >/dev/null
fi

cap=${CAP_MIB:-100}M
tput_direct=() tput_proxy=() p50_direct=() p99_direct=() p50_proxy=() p99_proxy=()
capped_direct=() capped_proxy=() k50_direct=() k99_direct=() k50_proxy=() k99_proxy=()
for round in $(seq "$rounds"); do
  # Odd rounds go direct first, even rounds proxy first.
  for side in $( ((round % 2)) && echo "direct proxy" || echo "proxy direct"); do
    [ "$side" = proxy ] && [ "$direct_only" = 1 ] && continue
    t=$(throughput_$side)
    c=$(throughput_$side "$cap")
    read -r p50 p99 k50 k99 <<<"$(latency_$side)"
    [ -n "${k99:-}" ] || die "the latency client ($side) printed nothing"
    eval "tput_$side+=($t) capped_$side+=($c) p50_$side+=($p50) p99_$side+=($p99) k50_$side+=($k50) k99_$side+=($k99)"
    echo "round $round $side: $t MiB/s ($c capped), new connection p50 $((p50)) us p99 $((p99)) us, kept-alive p50 $((k50)) us p99 $((k99)) us" >&2
  done
done

# ---- the summary

td=$(median "${tput_direct[@]}") d50=$(median "${p50_direct[@]}") d99=$(median "${p99_direct[@]}")
cd_=$(median "${capped_direct[@]}") kd50=$(median "${k50_direct[@]}") kd99=$(median "${k99_direct[@]}")
echo "machine: $(nproc) cpus, $(uname -r), $("$JAVA" -version 2>&1 | head -1)"
echo "rounds: $rounds (interleaved), $size_mib MiB downloads, $requests requests each on a new connection; medians:"
awk -v t="$td" -v a="$d50" -v b="$d99" 'BEGIN {
  printf "  throughput direct:          %8.1f MiB/s\n", t
  printf "  latency direct:             p50 %6.3f ms   p99 %6.3f ms\n", a / 1000, b / 1000 }'
if [ "$direct_only" = 1 ]; then
  echo "(DIRECT_ONLY=1: the proxy was not measured)"
  exit 0
fi
tp=$(median "${tput_proxy[@]}") x50=$(median "${p50_proxy[@]}") x99=$(median "${p99_proxy[@]}")
cp_=$(median "${capped_proxy[@]}") kx50=$(median "${k50_proxy[@]}") kx99=$(median "${k99_proxy[@]}")
awk -v td="$td" -v tp="$tp" -v d50="$d50" -v d99="$d99" -v x50="$x50" -v x99="$x99" -v cd="$cd_" -v cp="$cp_" \
    -v kd50="$kd50" -v kd99="$kd99" -v kx50="$kx50" -v kx99="$kx99" -v cap="$cap" 'BEGIN {
  printf "  throughput through proxy:   %8.1f MiB/s\n", tp
  printf "  latency through proxy:      p50 %6.3f ms   p99 %6.3f ms\n", x50 / 1000, x99 / 1000
  printf "ratio throughput proxy/direct, as fast as the local server goes: %.2fx (target >= 0.8x)\n", tp / td
  printf "ratio throughput proxy/direct, a %s/s link (curl --limit-rate): %.2fx (%.1f vs %.1f MiB/s)\n", cap, cp / cd, cp, cd
  printf "added latency, new connection per request: p50 %+.3f ms (%.2fx)   p99 %+.3f ms (%.2fx)\n", (x50 - d50) / 1000, x50 / d50, (x99 - d99) / 1000, x99 / d99
  printf "added latency, kept-alive connection:      p50 %+.3f ms (%.2fx)   p99 %+.3f ms (%.2fx)   (direct p50 %.3f ms)\n", (kx50 - kd50) / 1000, kx50 / kd50, (kx99 - kd99) / 1000, kx99 / kd99, kd50 / 1000 }'
