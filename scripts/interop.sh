#!/usr/bin/env bash
# Provisions the tools the interoperability tests (tests/interop/) load the exports with;
# a second run finds them and does nothing. Called by scripts/test.sh before pytest.
#
#   - the Gephi toolkit (org.gephi:gephi-toolkit, the "all" jar) from Maven Central into a
#     Maven repository of the project's own, var/tools/m2 (not ~/.m2: Maven takes the home
#     folder from the system, not from $HOME); tests/interop/gephi.py runs it on Java 17+
#   - cytoscape.js, pinned in tests/interop/node/package-lock.json, with 'npm ci'
#
# Needs Maven, a JDK 17 or newer, and Node.js with npm. Nothing here runs at service time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

GEPHI_VERSION="0.10.1"  # keep in step with tests/interop/gephi.py
M2="$ROOT/var/tools/m2"  # keep in step with tests/interop/gephi.py
GEPHI_JAR="${GEPHI_TOOLKIT_JAR:-$M2/org/gephi/gephi-toolkit/$GEPHI_VERSION/gephi-toolkit-$GEPHI_VERSION-all.jar}"

if [ ! -f "$GEPHI_JAR" ]; then
  echo "== gephi-toolkit $GEPHI_VERSION (Maven Central, once)"
  mvn -q -B dependency:get -Dartifact="org.gephi:gephi-toolkit:$GEPHI_VERSION:jar:all" \
    -Dtransitive=false -Dmaven.repo.local="$M2"
  [ -f "$GEPHI_JAR" ] || { echo "Maven did not put the Gephi toolkit at $GEPHI_JAR" >&2; exit 1; }
fi

NODE_DIR="$ROOT/tests/interop/node"
if [ ! -f "$NODE_DIR/node_modules/.package-lock.json" ] \
  || [ "$NODE_DIR/package-lock.json" -nt "$NODE_DIR/node_modules/.package-lock.json" ]; then
  echo "== cytoscape.js (npm ci, once)"
  (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
