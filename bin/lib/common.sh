# Shared by bin/corral and bin/test: find a JDK 25, make sure the sandbox tools are installed,
# build Corral when its sources are newer than the jar, and keep the JDK's AOT cache fresh.
# Sourced, not run; expects CORRAL_HOME to be set to the checkout.

corral_die() {
  echo "corral: $*" >&2
  exit 125
}

# Sets JDK_VERSION to the JDK's major version from its release file; builtins only, no fork
# (this runs at every start).
corral_jdk_version() {
  local line
  JDK_VERSION=
  [ -r "$1/release" ] || return 1
  while IFS= read -r line; do
    case $line in
      JAVA_VERSION=*) line=${line#JAVA_VERSION=\"}; JDK_VERSION=${line%%[.\"]*}; return 0 ;;
    esac
  done <"$1/release"
  return 1
}

# Sets JAVA and CORRAL_JAVA_HOME to a JDK 25 or newer: $JAVA_HOME first, then the installed JDKs.
corral_find_java() {
  local dir
  for dir in ${JAVA_HOME:+"$JAVA_HOME"} /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/*; do
    [ -x "$dir/bin/java" ] || continue
    corral_jdk_version "$dir" || continue
    if [ -n "$JDK_VERSION" ] && [ "$JDK_VERSION" -ge 25 ] 2>/dev/null; then
      CORRAL_JAVA_HOME=$dir
      JAVA="$dir/bin/java"
      return 0
    fi
  done
  corral_die "no JDK 25 found (looked at \$JAVA_HOME and /usr/lib/jvm); install one (e.g. Temurin 25) or set JAVA_HOME"
}

# bubblewrap, socat and util-linux's setsid/nsenter; installed from the distribution when root.
corral_ensure_tools() {
  local missing=()
  command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
  command -v socat >/dev/null 2>&1 || missing+=(socat)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    corral_die "${missing[*]} not installed; install: sudo apt-get install -y ${missing[*]}"
  fi
  command -v apt-get >/dev/null 2>&1 || corral_die "${missing[*]} not installed and no apt-get here; install them with your package manager"
  echo "corral: installing ${missing[*]} from the distribution's packages..." >&2
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
      || corral_die "could not install ${missing[*]}; run: apt-get update && apt-get install -y ${missing[*]}"
  fi
}

CORRAL_JAR="$CORRAL_HOME/target/corral.jar"

# Whether the jar is missing or older than a source file; builtins only (this runs at every start).
corral_build_stale() {
  local f
  [ -f "$CORRAL_JAR" ] || return 0
  [ "$CORRAL_HOME/pom.xml" -nt "$CORRAL_JAR" ] && return 0
  shopt -s globstar nullglob
  for f in "$CORRAL_HOME"/src/main/**; do
    [ "$f" -nt "$CORRAL_JAR" ] && return 0
  done
  return 1
}

# Builds the jar when it is missing or older than any source.
corral_ensure_built() {
  corral_build_stale || return 0
  command -v mvn >/dev/null 2>&1 || corral_die "Maven is needed to build Corral; install it: sudo apt-get install -y maven"
  [ -w "$CORRAL_HOME" ] || corral_die "Corral is not built and $CORRAL_HOME is not writable; build it once as its owner: bin/corral version"
  echo "corral: building Corral (first use, about a minute)..." >&2
  (cd "$CORRAL_HOME" && MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" JAVA_HOME="$CORRAL_JAVA_HOME" mvn -q -B -ntp -Dstyle.color=never -DskipTests -Dmaven.test.skip=true package >&2) \
    || corral_die "the build failed; see Maven's output above"
  rm -f "$CORRAL_HOME/target/corral.aot" "$CORRAL_HOME/target/corral.aot.stamp"
}

# The JVM options of every Corral start: quick start-up, small footprint, native access for ptys.
CORRAL_JVM_OPTS=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xss512k
  --enable-native-access=ALL-UNNAMED -Xlog:disable -Xlog:all=error:stderr)

# Sets CORRAL_AOT_OPTS to use the AOT cache, creating it first when it is missing or stale (a
# stale cache is silently ignored by the JVM, which makes start-up slower than no cache at all),
# then appends the words of CORRAL_JAVA_OPTIONS: extra JVM options for tests and benchmarks, e.g.
# CORRAL_JAVA_OPTIONS=-Djdk.net.hosts.file=/tmp/hosts (split on blanks, no quoting). They are kept
# out of the cache's training run and its stamp, so they neither rebuild nor invalidate the cache;
# a -D property is harmless to it, while a different GC or module option would make the JVM skip it.
corral_ensure_aot() {
  corral_aot_cache
  local extra=()
  [ -n "${CORRAL_JAVA_OPTIONS:-}" ] && read -r -a extra <<<"$CORRAL_JAVA_OPTIONS"
  CORRAL_AOT_OPTS+=("${extra[@]}")
}

corral_aot_cache() {
  local cache="$CORRAL_HOME/target/corral.aot" stamp="$CORRAL_HOME/target/corral.aot.stamp"
  CORRAL_AOT_OPTS=()
  # What the cache depends on besides the jar (checked by time): the JVM and its options.
  local want have=""
  corral_jdk_version "$CORRAL_JAVA_HOME"
  want="$JAVA $JDK_VERSION ${CORRAL_JVM_OPTS[*]}"
  [ -f "$stamp" ] && read -r have <"$stamp"
  if [ -f "$cache" ] && [ "$want" = "$have" ] && [ "$cache" -nt "$CORRAL_JAR" ] \
      && [ "$cache" -nt "$CORRAL_JAVA_HOME/release" ]; then
    CORRAL_AOT_OPTS=(-XX:AOTCache="$cache")
    return 0
  fi
  [ -w "$CORRAL_HOME/target" ] || return 0
  echo "corral: creating the start-up cache (once per build)..." >&2
  local train
  train=$(mktemp -d) || return 0
  mkdir -p "$train/ws"
  rm -f "$cache" "$stamp"
  # A training run of the paths every start takes: parsing, policy, planning, launching a sandbox.
  if (cd "$train/ws" && HOME="$train/home" XDG_DATA_HOME="$train/data" XDG_CONFIG_HOME="$train/config" \
      XDG_RUNTIME_DIR="$train/run" "$JAVA" "${CORRAL_JVM_OPTS[@]}" -XX:AOTCacheOutput="$cache" \
      -Dcorral.training=true -jar "$CORRAL_JAR" </dev/null >/dev/null 2>&1) && [ -f "$cache" ]; then
    echo "$want" >"$stamp"
    CORRAL_AOT_OPTS=(-XX:AOTCache="$cache")
  else
    echo "corral: could not create the start-up cache; starting without it" >&2
  fi
  rm -rf "$train"
}
