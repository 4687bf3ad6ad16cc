#!/usr/bin/env bash
# Time to an agent's first output, sandboxed against unsandboxed, measured in the same run: the real
# Claude Code (installed by Corral on first use) answers one prompt from a local mock of the Messages
# API (HTTPS on loopback, a test CA). Unsandboxed, the same installed program runs with the same
# environment straight against the mock; sandboxed, `corral run claude` with the key as a secret, so
# the request goes through the proxy, which terminates TLS and puts the key in. Also `--version`,
# which needs no network. Prints medians and the ratios corral / direct.
# Usage: [FIRST_TOKEN_MS=800] bench/agent.sh [RUNS]   (default 10 runs, interleaved so machine noise
# hits all alike; FIRST_TOKEN_MS makes the mock wait as long as a real model does to its first token,
# default 0: the harshest case, where nothing but the two programs' own start-up is measured)
set -euo pipefail
corral_source=${BASH_SOURCE[0]}
[ -L "$corral_source" ] && corral_source=$(readlink -f "$corral_source")
case $corral_source in */*) ;; *) corral_source=./$corral_source ;; esac
cd "${corral_source%/*}/.." && CORRAL_HOME=$PWD && cd "$OLDPWD"   # builtins only: this runs at every start
. "$CORRAL_HOME/bin/lib/common.sh"
runs=${1:-10}
corral_find_java
corral_ensure_tools
corral_ensure_built
corral_ensure_aot

work=$(mktemp -d)
mock_pid=
cleanup() { [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/ws" "$work/home" "$work/direct-home" "$work/config/corral" "$work/ca"
# the agent cache is the user's (or CORRAL_AGENT_CACHE): installed once, not per run of the bench
cache=${CORRAL_AGENT_CACHE:-${XDG_DATA_HOME:-$HOME/.local/share}/corral/agents}

# a test CA and a certificate for the mock's name
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$work/ca/ca.key" \
  -out "$work/ca/ca.pem" -days 1 -subj "/CN=Corral bench CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$work/ca/leaf.key" \
  -out "$work/ca/leaf.csr" -subj "/CN=mock-llm.test" 2>/dev/null
printf 'subjectAltName=DNS:mock-llm.test,DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$work/ca/leaf.ext"
openssl x509 -req -in "$work/ca/leaf.csr" -CA "$work/ca/ca.pem" -CAkey "$work/ca/ca.key" -CAcreateserial \
  -days 1 -extfile "$work/ca/leaf.ext" -out "$work/ca/leaf.pem" 2>/dev/null

python3 "$CORRAL_HOME/src/test/resources/dev/corral/agents/mock_llm_api.py" --cert "$work/ca/leaf.pem" \
  --key "$work/ca/leaf.key" --port-file "$work/port" --reply "pong" --first-token-ms "${FIRST_TOKEN_MS:-0}" >"$work/mock.log" 2>&1 &
mock_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
port=$(cat "$work/port")
echo "127.0.0.1 mock-llm.test" >"$work/hosts"
printf '[network]\nca-files = ["%s"]\n[agents]\ncache-dir = "%s"\n' "$work/ca/ca.pem" "$cache" >"$work/config/corral/config.toml"

export HOME="$work/home" XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_RUNTIME_DIR="$work/run"
bin_corral() { (cd "$work/ws" && "$CORRAL_HOME/bin/corral" "$@"); }
# install (first use only) and name the installed program, outside the timed runs
bin_corral run claude --name bench-install -- --version >/dev/null
claude=$(ls -d "$cache"/claude/*/ | sort -V | tail -1)node_modules/.bin/claude
key=sk-ant-bench-$RANDOM$RANDOM
printf '%s' "$key" | bin_corral secret set anthropic --host mock-llm.test >/dev/null
export CORRAL_JAVA_OPTIONS="-Djdk.net.hosts.file=$work/hosts"   # the proxy resolves the mock's name
bin_corral run claude --allow "mock-llm.test:$port" -e "ANTHROPIC_BASE_URL=https://mock-llm.test:$port" -- --version >/dev/null

# the profile's environment, unsandboxed
direct_env=(env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$work/direct-home" LANG=C.UTF-8 IS_SANDBOX=1
  CLAUDE_CONFIG_DIR="$work/direct-home/.claude" DISABLE_AUTOUPDATER=1 DISABLE_TELEMETRY=1 DISABLE_ERROR_REPORTING=1
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 NODE_EXTRA_CA_CERTS="$work/ca/ca.pem"
  ANTHROPIC_BASE_URL="https://mock-llm.test:$port" ANTHROPIC_API_KEY="$key")
# the direct run resolves mock-llm.test too: through /etc/hosts it can't, so it gets localhost's address
direct_env+=(ANTHROPIC_BASE_URL="https://localhost:$port")
fb="python3 $CORRAL_HOME/bench/first-byte.py"
direct_version() { $fb "${direct_env[@]}" "$claude" --dangerously-skip-permissions --version; }
corral_version() { $fb "$CORRAL_HOME/bin/corral" run claude -w "$work/ws" -- --version; }
direct_prompt() { $fb "${direct_env[@]}" "$claude" --dangerously-skip-permissions -p "ping"; }
corral_prompt() { $fb "$CORRAL_HOME/bin/corral" run claude -w "$work/ws" -- -p "ping"; }

for _ in 1 2; do direct_version >/dev/null; corral_version >/dev/null; direct_prompt >/dev/null; corral_prompt >/dev/null; done
dv=() cv=() dp=() cp=() dpe=() cpe=()
for _ in $(seq "$runs"); do
  read -r a _ < <(direct_version); dv+=("$a")
  read -r a _ < <(corral_version); cv+=("$a")
  read -r a b < <(direct_prompt); dp+=("$a"); dpe+=("$b")
  read -r a b < <(corral_prompt); cp+=("$a"); cpe+=("$b")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "machine: $(nproc) cpus, $(uname -r); claude $("$claude" --version 2>/dev/null | head -1)"
echo "runs: $runs (interleaved), mock model's time to first token: ${FIRST_TOKEN_MS:-0} ms; medians of the time to the first byte of output:"
awk -v dv="$(median "${dv[@]}")" -v cv="$(median "${cv[@]}")" -v dp="$(median "${dp[@]}")" -v cp="$(median "${cp[@]}")" \
    -v dpe="$(median "${dpe[@]}")" -v cpe="$(median "${cpe[@]}")" 'BEGIN {
  printf "  claude --version (same flags)  direct %7.1f ms   corral run claude %7.1f ms   ratio %.2fx\n", dv, cv, cv/dv
  printf "  claude -p (first output)       direct %7.1f ms   corral run claude %7.1f ms   ratio %.2fx (target <= 1.2x)\n", dp, cp, cp/dp
  printf "  claude -p (exit)               direct %7.1f ms   corral run claude %7.1f ms   ratio %.2fx\n", dpe, cpe, cpe/dpe
}'
