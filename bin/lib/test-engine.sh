# The Docker engine the integration tests run their Docker-backend sandboxes on. Sourced by bin/test.
# An engine that already answers (DOCKER_HOST, or the default socket) is used as it is; otherwise,
# as root, Debian's dockerd is started for this run only — no iptables, no bridge (sandboxes use
# network mode none), its data in a temporary folder, its socket private — and stopped at the end.

CORRAL_TEST_ENGINE_DIR=

corral_engine_answers() {
  docker version --format '{{.Server.APIVersion}}' >/dev/null 2>&1
}

corral_test_engine_start() {
  if corral_engine_answers; then
    echo "corral: the tests use the Docker engine at ${DOCKER_HOST:-the default socket}" >&2
    return 0
  fi
  [ "$(id -u)" -eq 0 ] || corral_die "no Docker engine answers and only root can start one for the tests; start one (sudo systemctl start docker) or run bin/test as root"
  CORRAL_TEST_ENGINE_DIR=$(mktemp -d /tmp/corral-test-engine.XXXXXX)
  chmod 0755 "$CORRAL_TEST_ENGINE_DIR"   # the tests' ordinary user reaches the socket through it
  export DOCKER_HOST="unix://$CORRAL_TEST_ENGINE_DIR/docker.sock"
  echo "corral: starting a Docker engine for the tests ($DOCKER_HOST)..." >&2
  dockerd --iptables=false --ip-masq=false --bridge=none --group docker \
    --data-root "$CORRAL_TEST_ENGINE_DIR/data" --exec-root "$CORRAL_TEST_ENGINE_DIR/exec" \
    --pidfile "$CORRAL_TEST_ENGINE_DIR/dockerd.pid" --host "$DOCKER_HOST" \
    >"$CORRAL_TEST_ENGINE_DIR/dockerd.log" 2>&1 &
  local tries=0
  until corral_engine_answers; do
    tries=$((tries + 1))
    if [ $tries -gt 300 ] || ! kill -0 $! 2>/dev/null; then
      tail -n 20 "$CORRAL_TEST_ENGINE_DIR/dockerd.log" >&2
      corral_die "the tests' Docker engine did not start (its log is above)"
    fi
    sleep 0.1
  done
  trap corral_test_engine_stop EXIT
}

corral_test_engine_stop() {
  [ -n "$CORRAL_TEST_ENGINE_DIR" ] || return 0
  local pid
  pid=$(cat "$CORRAL_TEST_ENGINE_DIR/dockerd.pid" 2>/dev/null) || pid=
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  # whatever the engine left mounted, then its data
  local mount
  for mount in $( (grep -o " $CORRAL_TEST_ENGINE_DIR/[^ ]*" /proc/self/mounts || true) | sort -r); do umount -l "$mount" 2>/dev/null || true; done
  rm -rf "$CORRAL_TEST_ENGINE_DIR" || echo "corral: could not remove the tests' engine folder $CORRAL_TEST_ENGINE_DIR" >&2
  CORRAL_TEST_ENGINE_DIR=
}

# Corral's base image for the Docker-backend tests, built from Debian's packages by corral image
# build; its root filesystem tarball is kept in CORRAL_IMAGE_CACHE between runs.
corral_test_image_build() {
  export CORRAL_IMAGE_CACHE="${CORRAL_IMAGE_CACHE:-/var/tmp/corral-image-cache}"
  # a tarball in the cache is imported as it is: the folder must be ours alone, not one another user made in /var/tmp
  mkdir -p -m 0700 "$CORRAL_IMAGE_CACHE"
  if [ ! -O "$CORRAL_IMAGE_CACHE" ] || [ -L "$CORRAL_IMAGE_CACHE" ] || [ -n "$(find "$CORRAL_IMAGE_CACHE" -maxdepth 0 -perm /022)" ]; then
    corral_die "$CORRAL_IMAGE_CACHE is not a private folder of $(id -un); remove it (or set CORRAL_IMAGE_CACHE to one) and run again"
  fi
  "$CORRAL_HOME/bin/corral" image build >/dev/null || corral_die "could not build the tests' image (see above)"
}
