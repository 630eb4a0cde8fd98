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

scripts/bootstrap.sh --dev
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

echo "== pytest"
# pytest exits 5 when it collected no test: with 'set -e' that fails the run, as it should.
.venv/bin/pytest "$@"
