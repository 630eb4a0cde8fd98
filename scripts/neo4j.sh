#!/usr/bin/env bash
# A local Neo4j Community server for the tests and for local runs, speaking Bolt on 127.0.0.1.
#
#   scripts/neo4j.sh install   fetch Neo4j into var/neo4j/ (a second run finds it and does nothing)
#   scripts/neo4j.sh start     install if needed, start, wait until Bolt answers, print the NEO4J_* lines
#   scripts/neo4j.sh stop      stop the server (killed if it has not stopped after NEO4J_STOP_TIMEOUT s)
#   scripts/neo4j.sh status    exit 0 when it runs, 3 when it does not
#
# Where Neo4j comes from: Maven Central, the one source this needs. Central does not carry the
# packaged server (org.neo4j.assembly:neo4j-community:*:unix:tar.gz is absent), but it carries every
# jar of it: org.neo4j:neo4j ("Neo4j Community Edition") and its runtime dependencies. Maven resolves
# them (--strict-checksums: each file must match the .sha1 Central publishes beside it), each jar is
# checked once more against that .sha1 while it is copied into lib/, and the install gets small
# bin/neo4j and bin/neo4j-admin launchers that run Neo4j's own command-line entry points, as the
# packaged bin/neo4j does.
#
# Java: NEO4J_VERSION (pinned below) is built for Java 21 (class files 65: Java 17 cannot load it)
# and runs on Temurin 25. The JDK is NEO4J_JAVA_HOME when set, else the first Java of
# NEO4J_JAVA_MAJORS found under /usr/lib/jvm.
#
# Layout (var/ is git-ignored):
#   var/neo4j/neo4j-community-<version>/   bin/, lib/, plugins/, conf/neo4j.conf (rewritten on every
#                                          start), server.jsa (class-data archive, see write_conf)
#   var/neo4j/{data,logs,run,import}/      the store, the logs (logs/neo4j.log), the pid file
#   var/neo4j/install.log                  Maven's output of the last install
#
# Settings, all from the environment:
#   NEO4J_PASSWORD        password of user neo4j (default helixgraph-dev-password; 8 characters at least)
#   NEO4J_BOLT_PORT       Bolt port on 127.0.0.1 (default 7687)
#   NEO4J_HTTP_PORT       HTTP port on 127.0.0.1 (default 7474; HTTPS and the browser are off)
#   NEO4J_HEAP            JVM heap, initial and maximum (default 512m)
#   NEO4J_PAGECACHE       page cache (default 256m)
#   NEO4J_START_TIMEOUT   seconds 'start' waits for Bolt (default 120)
#   NEO4J_STOP_TIMEOUT    seconds 'stop' waits before it kills the server (default 60)
#   NEO4J_JAVA_HOME       the JDK to run Neo4j with (default: found under /usr/lib/jvm)
#   NEO4J_DIR             the folder of this instance: install, store, logs (default var/neo4j);
#                         the test suite runs its own instance in var/neo4j-test
# They are applied on 'start' of a stopped server; a running server keeps the ones it started with.
#
# The password: a new store gets NEO4J_PASSWORD through 'neo4j-admin dbms set-initial-password'.
# The store remembers a hash of the password it was given (data/.password.sha256). When
# NEO4J_PASSWORD differs from it, 'start' makes the environment win: it starts the server once with
# authentication off, HTTP off and Bolt on 127.0.0.1 only, sets the password of user neo4j with
# ALTER USER on the system database, stops it and starts normally. The data are kept.
set -euo pipefail

NEO4J_VERSION="2026.08.1"          # org.neo4j:neo4j on Maven Central
NEO4J_JAVA_MAJORS="25 21"          # Java releases this version runs on, preferred first
DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
CENTRAL="https://repo.maven.apache.org/maven2"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VAR_DIR="${NEO4J_DIR:-$ROOT/var/neo4j}"
HOME_DIR="$VAR_DIR/neo4j-community-$NEO4J_VERSION"
DATA_DIR="$VAR_DIR/data"
LOGS_DIR="$VAR_DIR/logs"
RUN_DIR="$VAR_DIR/run"
IMPORT_DIR="$VAR_DIR/import"
PID_FILE="$RUN_DIR/neo4j.pid"
PASSWORD_STAMP="$DATA_DIR/.password.sha256"

PASSWORD="${NEO4J_PASSWORD:-helixgraph-dev-password}"
BOLT_PORT="${NEO4J_BOLT_PORT:-7687}"
HTTP_PORT="${NEO4J_HTTP_PORT:-7474}"
HEAP="${NEO4J_HEAP:-512m}"
PAGECACHE="${NEO4J_PAGECACHE:-256m}"
START_TIMEOUT="${NEO4J_START_TIMEOUT:-120}"
STOP_TIMEOUT="${NEO4J_STOP_TIMEOUT:-60}"

JAVA_DIR=""        # set by find_java
PYTHON=""          # set by find_python
AUTH_REFUSED=0     # set by launch

die() {
  printf 'neo4j.sh: %s\n' "$*" >&2
  exit 1
}

say() {
  printf 'neo4j.sh: %s\n' "$*" >&2
}

rel() {
  printf '%s\n' "${1#"$ROOT"/}"
}

usage() {
  printf 'usage: scripts/neo4j.sh install|start|stop|status\n' >&2
  exit 2
}

check_settings() {
  local name value
  for name in BOLT_PORT HTTP_PORT; do
    value="${!name}"
    if ! [[ "$value" =~ ^[0-9]+$ ]] || ((10#$value < 1 || 10#$value > 65535)); then
      die "NEO4J_$name must be a port number, not '$value'"
    fi
    printf -v "$name" '%d' "$((10#$value))"
  done
  [[ "$BOLT_PORT" != "$HTTP_PORT" ]] || die "NEO4J_BOLT_PORT and NEO4J_HTTP_PORT are both $BOLT_PORT"
  [[ "$HEAP" =~ ^[0-9]+[kKmMgG]?$ ]] || die "NEO4J_HEAP must be a size such as 512m, not '$HEAP'"
  [[ "$PAGECACHE" =~ ^[0-9]+[kKmMgG]?$ ]] || die "NEO4J_PAGECACHE must be a size such as 256m, not '$PAGECACHE'"
  [[ "$START_TIMEOUT" =~ ^[0-9]+$ ]] || die "NEO4J_START_TIMEOUT must be whole seconds, not '$START_TIMEOUT'"
  [[ "$STOP_TIMEOUT" =~ ^[0-9]+$ ]] || die "NEO4J_STOP_TIMEOUT must be whole seconds, not '$STOP_TIMEOUT'"
  ((${#PASSWORD} >= 8)) || die "NEO4J_PASSWORD must have 8 characters at least (Neo4j refuses shorter ones)"
  [[ "$PASSWORD" != *$'\n'* ]] || die "NEO4J_PASSWORD must be one line"
}

# Major release of the JDK in $1 (17, 21, 25, ...), from its release file, else from java -version.
java_major() {
  local version=""
  if [[ -r "$1/release" ]]; then
    version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release")"
  fi
  if [[ -z "$version" ]]; then
    version="$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)" || true
  fi
  version="${version#1.}"
  printf '%s\n' "${version%%[.+-]*}"
}

find_java() {
  local major want dir
  if [[ -n "${NEO4J_JAVA_HOME:-}" ]]; then
    [[ -x "$NEO4J_JAVA_HOME/bin/java" ]] || die "NEO4J_JAVA_HOME=$NEO4J_JAVA_HOME has no bin/java"
    major="$(java_major "$NEO4J_JAVA_HOME")"
    [[ " $NEO4J_JAVA_MAJORS " == *" $major "* ]] ||
      die "NEO4J_JAVA_HOME is Java ${major:-?}; Neo4j $NEO4J_VERSION runs on Java ${NEO4J_JAVA_MAJORS// / or }"
    JAVA_DIR="$NEO4J_JAVA_HOME"
    return 0
  fi
  for want in $NEO4J_JAVA_MAJORS; do
    for dir in /usr/lib/jvm/*/; do
      dir="${dir%/}"
      [[ -x "$dir/bin/java" ]] || continue
      if [[ "$(java_major "$dir")" == "$want" ]]; then
        JAVA_DIR="$dir"
        return 0
      fi
    done
  done
  die "no Java ${NEO4J_JAVA_MAJORS// / or } under /usr/lib/jvm (Neo4j $NEO4J_VERSION needs one); set NEO4J_JAVA_HOME"
}

find_python() {
  if [[ -x "$ROOT/.venv/bin/python" ]]; then
    PYTHON="$ROOT/.venv/bin/python"
  elif command -v python3 >/dev/null 2>&1; then
    PYTHON="$(command -v python3)"
  else
    die "no Python to check Bolt with: run scripts/bootstrap.sh (or install python3)"
  fi
}

# Bolt checks, with the neo4j driver (a raw Bolt handshake when the driver is missing).
#   bolt wait URI PID SECONDS [noauth]  -> 0 ready, 2 password refused, 3 server gone, 4 timed out
#   bolt set-password URI               -> sets NEO4J_PASSWORD on user neo4j (server without auth)
# The password travels in the environment, never on a command line.
bolt() {
  NEO4J_PASSWORD="$PASSWORD" "$PYTHON" - "$@" <<'PY'
import os
import socket
import sys
import time

mode, uri = sys.argv[1], sys.argv[2]
password = os.environ["NEO4J_PASSWORD"]
try:
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, Neo4jError
except ImportError:
    GraphDatabase = None

    class AuthError(Exception):
        pass


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def handshake():
    host, port = uri.split("://", 1)[1].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=2) as conn:
        proposals = bytes([0, 8, 8, 5, 0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0])
        conn.sendall(b"\x60\x60\xb0\x17" + proposals)
        agreed = conn.recv(4)
        if len(agreed) != 4 or agreed == b"\x00\x00\x00\x00":
            raise OSError("no Bolt version agreed")


if mode == "wait":
    pid, deadline = int(sys.argv[3]), time.monotonic() + float(sys.argv[4])
    auth = None if sys.argv[5:] == ["noauth"] else ("neo4j", password)
    while True:
        try:
            if GraphDatabase is None:
                handshake()
            else:
                with GraphDatabase.driver(uri, auth=auth, connection_timeout=2) as driver:
                    driver.verify_connectivity()
            sys.exit(0)
        except AuthError:
            sys.exit(2)
        except Exception:
            pass
        if not alive(pid):
            sys.exit(3)
        if time.monotonic() > deadline:
            sys.exit(4)
        time.sleep(0.25)

if mode == "set-password":
    if GraphDatabase is None:
        sys.exit("changing the password needs the neo4j driver: run scripts/bootstrap.sh")
    with GraphDatabase.driver(uri, auth=None) as driver:
        driver.execute_query(
            "CREATE USER neo4j IF NOT EXISTS SET PASSWORD $pw CHANGE NOT REQUIRED",
            pw=password,
            database_="system",
        )
        try:
            driver.execute_query(
                "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED",
                pw=password,
                database_="system",
            )
        except Neo4jError as error:  # the same password again is refused, and is what we want
            if "same" not in str(error).lower():
                raise
    sys.exit(0)

sys.exit(f"unknown mode {mode}")
PY
}

# ---------------------------------------------------------------------------------------------
# install

# The SHA-1 Maven Central publishes for the jar $1 ($2: its path there): the .sha1 file Maven
# fetched beside it, else the one on Central.
published_sha1() {
  local want=""
  if [[ -s "$1.sha1" ]]; then
    read -r want _ <"$1.sha1" || true
  else
    want="$(curl -fsS --retry 2 "$CENTRAL/$2.sha1")" || die "cannot fetch $CENTRAL/$2.sha1"
    want="${want%%[[:space:]]*}"
  fi
  [[ "$want" =~ ^[0-9a-f]{40}$ ]] || die "no valid SHA-1 for $2 (got '$want')"
  printf '%s\n' "$want"
}

write_launcher() { # $1: file, $2: Neo4j's entry point class
  cat >"$1" <<EOF
#!/usr/bin/env bash
# Neo4j $NEO4J_VERSION command line (written by scripts/neo4j.sh install).
set -euo pipefail
home="\$(cd "\$(dirname "\${BASH_SOURCE[0]}")/.." && pwd)"
java_home="\${NEO4J_JAVA_HOME:-$JAVA_DIR}"
export NEO4J_HOME="\$home" NEO4J_CONF="\${NEO4J_CONF:-\$home/conf}" JAVA_HOME="\$java_home"
exec "\$java_home/bin/java" --enable-native-access=ALL-UNNAMED -Dfile.encoding=UTF-8 \\
  -cp "\$home/lib/*" -Dbasedir="\$home" $2 "\$@"
EOF
  chmod +x "$1"
}

install() {
  local stage log line coords path name remote sha1 count
  local -a fields jars=() names=()
  if [[ "$(cat "$HOME_DIR/.installed" 2>/dev/null)" == "$NEO4J_VERSION" ]]; then
    say "Neo4j $NEO4J_VERSION is installed in $(rel "$HOME_DIR")"
    return 0
  fi
  find_java
  command -v mvn >/dev/null 2>&1 || die "mvn (Maven) is needed to fetch Neo4j from Maven Central"
  mkdir -p "$VAR_DIR"
  say "installing Neo4j $NEO4J_VERSION from Maven Central into $(rel "$HOME_DIR")"
  stage="$(mktemp -d "$VAR_DIR/.install.XXXXXX")"
  # shellcheck disable=SC2064  # expand now: $stage is local
  trap "rm -rf '$stage'" EXIT
  log="$VAR_DIR/install.log"
  cat >"$stage/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.helixgraph</groupId>
  <artifactId>neo4j-server-install</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.neo4j</groupId>
      <artifactId>neo4j</artifactId>
      <version>$NEO4J_VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
  if ! mvn -B -q --strict-checksums -f "$stage/pom.xml" "$DEPENDENCY_PLUGIN:list" \
    -DincludeScope=runtime -DoutputAbsoluteArtifactFilename=true \
    -DoutputFile="$stage/artifacts.txt" >"$log" 2>&1; then
    die "cannot download org.neo4j:neo4j:$NEO4J_VERSION from Maven Central (see $(rel "$log"))"
  fi

  mkdir -p "$stage/home/bin" "$stage/home/lib" "$stage/home/conf" "$stage/home/plugins"
  # Lines read "group:artifact:type[:classifier]:version:scope:/path/in/local/repo.jar [-- module m]".
  while IFS= read -r line; do
    [[ "$line" == *:/* ]] || continue
    coords="${line%%:/*}"
    coords="${coords#"${coords%%[![:space:]]*}"}"
    path="/${line#*:/}"
    path="${path%% -- *}"
    [[ "$path" == *.jar ]] || continue
    name="${path##*/}"
    [[ " ${names[*]} " != *" $name "* ]] || die "two artifacts are both named $name"
    IFS=: read -r -a fields <<<"$coords"
    remote="${fields[0]//.//}/${fields[1]}/${fields[${#fields[@]} - 2]}/$name"
    sha1="$(published_sha1 "$path" "$remote")"
    printf '%s  %s\n' "$sha1" "$path" >>"$stage/jars.sha1"
    jars+=("$path")
    names+=("$name")
  done <"$stage/artifacts.txt"
  ((${#jars[@]} > 0)) || die "Maven listed no jar for org.neo4j:neo4j:$NEO4J_VERSION (see $(rel "$log"))"
  if ! sha1sum --quiet -c "$stage/jars.sha1" >"$stage/sha1.out" 2>&1; then
    line="$(head -n 1 "$stage/sha1.out")"
    line="${line%%:*}"
    die "${line##*/} does not match the SHA-1 Maven Central publishes for it"
  fi
  cp "${jars[@]}" "$stage/home/lib/"
  count=${#jars[@]}
  [[ -f "$stage/home/lib/neo4j-$NEO4J_VERSION.jar" ]] ||
    die "Maven resolved no org.neo4j:neo4j:$NEO4J_VERSION jar (see $(rel "$log"))"

  write_launcher "$stage/home/bin/neo4j" org.neo4j.server.startup.Neo4jCommand
  write_launcher "$stage/home/bin/neo4j-admin" org.neo4j.server.startup.Neo4jAdminCommand
  printf '%s\n' "$NEO4J_VERSION" >"$stage/home/.installed"
  rm -rf "$HOME_DIR"
  mv "$stage/home" "$HOME_DIR"
  rm -rf "$stage"
  trap - EXIT
  say "installed Neo4j $NEO4J_VERSION: $count jars, each matching its SHA-1 on Maven Central"
}

# ---------------------------------------------------------------------------------------------
# configuration

# Writes conf/neo4j.conf from the environment; $1 = auth (the server), noauth (the server for a
# password reset) or admin (neo4j-admin, which takes the server's JVM options too: not the class-data
# archive, which must be written by the server alone).
write_conf() {
  local mode="$1" auth=true http=true tmp
  if [[ "$mode" == noauth ]]; then
    auth=false
    http=false
  fi
  tmp="$HOME_DIR/conf/.neo4j.conf.$$"
  {
    cat <<EOF
# Written by scripts/neo4j.sh on every start, from the environment: edits here are lost.

server.directories.data=$DATA_DIR
server.directories.logs=$LOGS_DIR
server.directories.run=$RUN_DIR
server.directories.import=$IMPORT_DIR
server.directories.plugins=$HOME_DIR/plugins

# Only this machine: every connector on 127.0.0.1, advertised there too (neo4j:// routing).
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:$BOLT_PORT
server.bolt.advertised_address=127.0.0.1:$BOLT_PORT
server.http.enabled=$http
server.http.listen_address=127.0.0.1:$HTTP_PORT
server.http.advertised_address=127.0.0.1:$HTTP_PORT
server.https.enabled=false
# No browser module (its jar is not installed either) and no proxy headers.
server.http_enabled_modules=TRANSACTIONAL_ENDPOINTS,UNMANAGED_EXTENSIONS,QUERY_API_ENDPOINTS
server.http.x_forward.enabled=false

dbms.security.auth_enabled=$auth

# Small: a test and development server. Transaction logs grow as needed (not 256 MB each at once).
server.memory.heap.initial_size=$HEAP
server.memory.heap.max_size=$HEAP
server.memory.pagecache.size=$PAGECACHE
db.tx_log.preallocate=false
db.tx_log.rotation.retention_policy=512M size

# Nothing leaves the machine: no usage reports, no Fleet Manager, no discovery broadcasts.
dbms.usage_report.enabled=false
dbms.fleet_manager.enabled=false
server.fleet_discovery.enabled=false
server.bolt.telemetry.enabled=false

# Stop in about a second instead of waiting twice for Netty's 5 s quiet period (an internal
# setting: strict config validation refuses to start if a new NEO4J_VERSION no longer knows it).
internal.dbms.bolt.netty_server_shutdown_quiet_period_duration=0s

# The JVM options of Neo4j's packaged neo4j.conf, without -XX:+AlwaysPreTouch (it would commit the
# whole heap at start) and with -XX:+ExitOnOutOfMemoryError.
server.jvm.additional=-XX:+UseG1GC
server.jvm.additional=-XX:-OmitStackTraceInFastThrow
server.jvm.additional=-XX:+UnlockExperimentalVMOptions
server.jvm.additional=-XX:+TrustFinalNonStaticFields
server.jvm.additional=-XX:+DisableExplicitGC
server.jvm.additional=-XX:+ExitOnOutOfMemoryError
server.jvm.additional=-Djdk.nio.maxCachedBufferSize=1024
server.jvm.additional=-Dio.netty.tryReflectionSetAccessible=true
server.jvm.additional=-Djdk.tls.ephemeralDHKeySize=2048
server.jvm.additional=-Djdk.tls.rejectClientInitiatedRenegotiation=true
server.jvm.additional=-XX:FlightRecorderOptions=stackdepth=256
server.jvm.additional=-XX:+UnlockDiagnosticVMOptions
server.jvm.additional=-XX:+DebugNonSafepoints
server.jvm.additional=--add-opens=java.base/java.nio=ALL-UNNAMED
server.jvm.additional=--add-opens=java.base/java.io=ALL-UNNAMED
server.jvm.additional=--add-opens=java.base/sun.nio.ch=ALL-UNNAMED
server.jvm.additional=--enable-native-access=ALL-UNNAMED
server.jvm.additional=-Dlog4j2.disable.jmx=true
server.jvm.additional=-Dlog4j.layout.jsonTemplate.maxStringLength=32768
EOF
    [[ "$mode" == admin ]] || cat <<EOF
# A class-data archive of the server's classes (written when the first server exits, 100-150 MB,
# renewed by the JVM when the JDK or lib/ change): later starts take some seconds less. Its log is
# off: it only says, harmlessly, that the module options differ from those of the JDK's own archive.
server.jvm.additional=-XX:+AutoCreateSharedArchive
server.jvm.additional=-XX:SharedArchiveFile=$HOME_DIR/server.jsa
server.jvm.additional=-Xlog:cds=off
EOF
  } >"$tmp"
  mv "$tmp" "$HOME_DIR/conf/neo4j.conf"
}

# Neo4j's launchers run with this install's conf and none of the caller's HEAP_SIZE / JAVA_OPTS
# (Neo4j's launcher reads both); descriptor 9 (the lock) is not handed on. bin/neo4j: see launch.
neo4j_admin() {
  env -u HEAP_SIZE -u JAVA_OPTS NEO4J_JAVA_HOME="$JAVA_DIR" NEO4J_CONF="$HOME_DIR/conf" \
    "$HOME_DIR/bin/neo4j-admin" "$@" 9>&-
}

password_hash() {
  printf 'neo4j:%s' "$PASSWORD" | sha256sum | cut -d ' ' -f 1
}

# ---------------------------------------------------------------------------------------------
# process

# Prints the pid of this checkout's running server; fails when none runs.
server_pid() {
  local pid args
  [[ -f "$PID_FILE" ]] || return 1
  pid="$(tr -dc '0-9' <"$PID_FILE")"
  [[ -n "$pid" ]] || return 1
  args="$(ps -ww -o args= -p "$pid" 2>/dev/null)" || return 1
  [[ "$args" == *org.neo4j.server.* && "$args" == *"--home-dir=$VAR_DIR/"* ]] || return 1
  printf '%s\n' "$pid"
}

# "version bolt-port http-port" of the running server $1, from its command line and its conf.
running_info() {
  local args home conf version bolt http
  args="$(ps -ww -o args= -p "$1" 2>/dev/null)" || true
  home="${args##*--home-dir=}"
  home="${home%% *}"
  version="${home##*/neo4j-community-}"
  conf="$home/conf/neo4j.conf"
  bolt="$(sed -n 's/^server\.bolt\.listen_address=.*:\([0-9]*\)$/\1/p' "$conf" 2>/dev/null)" || true
  http="$(sed -n 's/^server\.http\.listen_address=.*:\([0-9]*\)$/\1/p' "$conf" 2>/dev/null)" || true
  printf '%s %s %s\n' "${version:-unknown}" "${bolt:-$BOLT_PORT}" "${http:-$HTTP_PORT}"
}

port_taken() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

print_log_tail() {
  local log="$LOGS_DIR/neo4j.log"
  [[ -s "$log" ]] || log="$LOGS_DIR/neo4j-start.out"
  if [[ -s "$log" ]]; then
    printf -- '--- last 40 lines of %s ---\n' "$(rel "$log")" >&2
    tail -n 40 "$log" >&2
  fi
}

print_env() { # $1: bolt port
  printf 'NEO4J_URI=%q\n' "bolt://127.0.0.1:$1"
  printf 'NEO4J_USER=neo4j\n'
  printf 'NEO4J_PASSWORD=%q\n' "$PASSWORD"
}

# Starts the server with the current conf and waits for Bolt; $1 = auth or noauth.
# Returns when Bolt answers (AUTH_REFUSED=1 when it refuses NEO4J_PASSWORD); otherwise it stops
# the server and dies.
# Neo4j's launcher writes the pid file once it has spawned the server and returns once the server
# reports it started; NEO4J_START_TIMEOUT bounds the whole, so the launcher runs in the background.
launch() {
  local mode="$1" pid="" rc=0 launcher started deadline
  AUTH_REFUSED=0
  started="$(now_ms)"
  deadline=$((started + START_TIMEOUT * 1000))
  # A simple command, so that $! is the launcher's JVM itself (env and bin/neo4j exec into it).
  env -u HEAP_SIZE -u JAVA_OPTS NEO4J_JAVA_HOME="$JAVA_DIR" NEO4J_CONF="$HOME_DIR/conf" \
    "$HOME_DIR/bin/neo4j" start >"$LOGS_DIR/neo4j-start.out" 2>&1 9>&- &
  launcher=$!
  until pid="$(server_pid)"; do
    if ! kill -0 "$launcher" 2>/dev/null; then
      wait "$launcher" || rc=$?
      if pid="$(server_pid)"; then
        break
      fi
      grep -v '^WARNING' "$LOGS_DIR/neo4j-start.out" | tail -n 20 >&2 || true
      die "Neo4j did not start (launcher exit $rc; its output above, more in $(rel "$LOGS_DIR"))"
    fi
    if (($(now_ms) >= deadline)); then
      end_launcher "$launcher"
      stop_server >/dev/null 2>&1 || true
      die "Neo4j's launcher started no server within $START_TIMEOUT s (see $(rel "$LOGS_DIR/neo4j-start.out"))"
    fi
    sleep 0.2
  done
  rc=0
  bolt wait "bolt://127.0.0.1:$BOLT_PORT" "$pid" "$(((deadline - $(now_ms)) / 1000 + 1))" "$mode" || rc=$?
  if ((rc == 0 || rc == 2)); then
    wait_launcher "$launcher"
  else
    end_launcher "$launcher"
    print_log_tail
    stop_server >/dev/null 2>&1 || true
  fi
  case "$rc" in
    0) say "Bolt answers on bolt://127.0.0.1:$BOLT_PORT (pid $pid, $(elapsed "$started") s after start, $mode)" ;;
    2) AUTH_REFUSED=1 ;;
    3) die "Neo4j stopped while starting (log above)" ;;
    4) die "Bolt did not answer on 127.0.0.1:$BOLT_PORT within $START_TIMEOUT s (log above; server stopped)" ;;
    *) die "cannot check Bolt with $PYTHON (exit $rc)" ;;
  esac
}

# The launcher exits as soon as the server has reported its start; give it 30 s, then end it.
wait_launcher() {
  local waited=0
  while kill -0 "$1" 2>/dev/null && ((waited < 150)); do
    sleep 0.2
    waited=$((waited + 1))
  done
  end_launcher "$1"
}

end_launcher() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

now_ms() {
  local now="${EPOCHREALTIME//[!0-9]/}"
  printf '%s\n' "$((10#$now / 1000))"
}

elapsed() { # seconds since $1 (ms), one decimal
  local ms=$(($(now_ms) - $1))
  printf '%d.%d\n' "$((ms / 1000))" "$((ms % 1000 / 100))"
}

stop_server() {
  local pid waited=0
  pid="$(server_pid)" || {
    rm -f "$PID_FILE"
    say "Neo4j is not running"
    return 0
  }
  say "stopping Neo4j (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && ((waited < STOP_TIMEOUT * 5)); do
    sleep 0.2
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "Neo4j did not stop within $STOP_TIMEOUT s: killing pid $pid"
    kill -KILL "$pid" 2>/dev/null || true
    waited=0
    while kill -0 "$pid" 2>/dev/null && ((waited < 50)); do
      sleep 0.2
      waited=$((waited + 1))
    done
    ! kill -0 "$pid" 2>/dev/null || die "cannot stop Neo4j (pid $pid)"
  fi
  rm -f "$PID_FILE"
  say "Neo4j stopped"
}

# Makes the store's password NEO4J_PASSWORD (see the header), with the server stopped.
apply_password() {
  local rc=0
  if [[ ! -d "$DATA_DIR/databases/system" ]]; then
    rm -f "$DATA_DIR/dbms/auth.ini"
    write_conf admin
    neo4j_admin dbms set-initial-password "$PASSWORD" >"$LOGS_DIR/neo4j-admin.out" 2>&1 ||
      die "neo4j-admin cannot set the initial password (see $(rel "$LOGS_DIR/neo4j-admin.out"))"
  elif [[ "$(cat "$PASSWORD_STAMP" 2>/dev/null)" != "$(password_hash)" ]]; then
    say "NEO4J_PASSWORD is not the store's password: setting it (one start with auth off, 127.0.0.1 only)"
    write_conf noauth
    launch noauth
    bolt set-password "bolt://127.0.0.1:$BOLT_PORT" || rc=$?
    stop_server >/dev/null 2>&1 || true
    ((rc == 0)) || die "cannot set the password of user neo4j (see $(rel "$LOGS_DIR/neo4j.log"))"
  fi
  printf '%s\n' "$(password_hash)" >"$PASSWORD_STAMP"
  chmod 600 "$PASSWORD_STAMP"
}

raise_open_files() {
  local hard
  hard="$(ulimit -Hn)"
  if [[ "$hard" == unlimited ]] || ((hard >= 40000)); then
    ulimit -Sn 40000 2>/dev/null || true
  else
    ulimit -Sn "$hard" 2>/dev/null || true
  fi
}

lock() {
  mkdir -p "$VAR_DIR"
  exec 9>"$VAR_DIR/.lock"
  flock -w 600 9 || die "another scripts/neo4j.sh is busy (var/neo4j/.lock)"
}

# ---------------------------------------------------------------------------------------------
# commands

cmd_start() {
  local pid rc=0 port
  check_settings
  find_python
  lock
  if pid="$(server_pid)"; then
    read -r _ port _ <<<"$(running_info "$pid")"
    [[ "$port" == "$BOLT_PORT" ]] ||
      say "note: it runs with the settings it started with (Bolt port $port): stop it to apply new ones"
    BOLT_PORT="$port"
    say "Neo4j is already running (pid $pid)"
    bolt wait "bolt://127.0.0.1:$BOLT_PORT" "$pid" "$START_TIMEOUT" || rc=$?
    case "$rc" in
      0) ;;
      2) die "the running Neo4j refuses NEO4J_PASSWORD: 'scripts/neo4j.sh stop' then 'start' applies it" ;;
      *)
        print_log_tail
        die "the running Neo4j (pid $pid) does not answer on bolt://127.0.0.1:$BOLT_PORT"
        ;;
    esac
    print_env "$BOLT_PORT"
    return 0
  fi
  install
  find_java
  for port in "$BOLT_PORT" "$HTTP_PORT"; do
    ! port_taken "$port" || die "port $port on 127.0.0.1 is taken by another program"
  done
  mkdir -p "$DATA_DIR" "$LOGS_DIR" "$RUN_DIR" "$IMPORT_DIR"
  rm -f "$PID_FILE"
  raise_open_files
  apply_password
  write_conf auth
  say "starting Neo4j $NEO4J_VERSION (Java $(java_major "$JAVA_DIR"), heap $HEAP, page cache $PAGECACHE)"
  launch auth
  if ((AUTH_REFUSED)); then
    # The stored hash was wrong (the password was changed from inside): reset it once.
    say "Neo4j refuses NEO4J_PASSWORD (changed from inside?)"
    stop_server >/dev/null 2>&1 || true
    rm -f "$PASSWORD_STAMP"
    apply_password
    write_conf auth
    launch auth
    if ((AUTH_REFUSED)); then
      stop_server >/dev/null 2>&1 || true
      die "Neo4j refuses NEO4J_PASSWORD even after setting it"
    fi
  fi
  print_env "$BOLT_PORT"
}

cmd_stop() {
  lock
  stop_server
}

cmd_status() {
  local pid version bolt http installed="not installed"
  if pid="$(server_pid)"; then
    read -r version bolt http <<<"$(running_info "$pid")"
    printf 'Neo4j %s is running (pid %s): bolt://127.0.0.1:%s, http://127.0.0.1:%s\n' \
      "$version" "$pid" "$bolt" "$http"
    return 0
  fi
  [[ ! -f "$HOME_DIR/.installed" ]] || installed="installed: $(cat "$HOME_DIR/.installed")"
  printf 'Neo4j is not running (%s, in %s)\n' "$installed" "$(rel "$VAR_DIR")"
  return 3
}

cmd_install() {
  lock
  install
}

(($# == 1)) || usage
case "$1" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status || exit $? ;;
  *) usage ;;
esac
