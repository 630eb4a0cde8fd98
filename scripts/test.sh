#!/usr/bin/env bash
# The whole test suite: lint, types, and the tests against both stores — the embedded
# store and a real Neo4j server that this script installs (first run) and starts, and
# stops again at the end, pass or fail. Extra arguments go to pytest.
#
# The tests WIPE the Neo4j database they run against, so they use an instance of their
# own (var/neo4j-test, Bolt on 127.0.0.1:${HELIX_TEST_BOLT_PORT:-7688}), never the one
# 'scripts/neo4j.sh start' runs for you by default.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh --dev  # the dev extra brings playwright (the Python package only)

# The explorer's browser tests drive the distribution's Chromium through playwright:
# no browser download ('playwright install' cannot reach its host from CI). Installed
# with apt when missing; HELIX_CHROMIUM points at another build, HELIX_TEST_BROWSER=0
# leaves the browser tests out knowingly (they skip). Without a browser they FAIL.
provision_chromium() {
  local chromium="${HELIX_CHROMIUM:-/usr/bin/chromium}" log="var/apt-chromium.log" sudo=""
  [ -x "$chromium" ] && return 0
  if [ -n "${HELIX_CHROMIUM:-}" ]; then
    echo "HELIX_CHROMIUM=$HELIX_CHROMIUM is not an executable (unset it to use Debian's chromium)" >&2
    return 1
  fi
  if [ "$(id -u)" -ne 0 ]; then
    if sudo -n true 2>/dev/null; then sudo="sudo -n"; else
      echo "chromium is missing and installing it needs root: apt-get install chromium, or set HELIX_TEST_BROWSER=0" >&2
      return 1
    fi
  fi
  if ! command -v apt-get >/dev/null; then
    echo "chromium is missing and there is no apt-get to install it: set HELIX_CHROMIUM, or HELIX_TEST_BROWSER=0" >&2
    return 1
  fi
  mkdir -p var
  echo "== chromium (apt-get install, once)"
  local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium)
  if ! $sudo "${install[@]}" >"$log" 2>&1; then
    # the package lists may be missing or stale on a fresh machine: refresh them once
    if ! { $sudo apt-get update -q && $sudo "${install[@]}"; } >>"$log" 2>&1; then
      echo "could not install chromium with apt-get (see $log): the browser tests need it" >&2
      return 1
    fi
  fi
  if [ ! -x "$chromium" ]; then
    echo "apt-get installed chromium but $chromium is missing (see $log)" >&2
    return 1
  fi
}
if [ "${HELIX_TEST_BROWSER:-1}" != "0" ]; then
  provision_chromium || exit 1
fi
scripts/docker-compose-tool.sh >/dev/null  # 'docker compose config' validates the compose file

echo "== ruff"; .venv/bin/ruff check . && .venv/bin/ruff format --check .
echo "== mypy"; .venv/bin/mypy .

export NEO4J_DIR="$PWD/var/neo4j-test"
export NEO4J_BOLT_PORT="${HELIX_TEST_BOLT_PORT:-7688}"
export NEO4J_HTTP_PORT="${HELIX_TEST_HTTP_PORT:-7475}"
export NEO4J_PASSWORD="helixgraph-test-password"
export NEO4J_URI="bolt://127.0.0.1:$NEO4J_BOLT_PORT"
export NEO4J_USER="neo4j"
echo "== neo4j"
trap 'scripts/neo4j.sh stop >/dev/null || true' EXIT
scripts/neo4j.sh start >/dev/null

scripts/interop.sh  # Gephi toolkit (Maven) and cytoscape.js (npm) for tests/interop
echo "== pytest"
# pytest exits 5 when it collected no test: with 'set -e' that fails the run, as it should.
.venv/bin/pytest "$@"
