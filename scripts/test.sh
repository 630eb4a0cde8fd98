#!/usr/bin/env bash
# The whole test suite: lint, types, tests. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --dev
echo "== ruff"; .venv/bin/ruff check . && .venv/bin/ruff format --check .
echo "== mypy"; .venv/bin/mypy .
echo "== pytest"
# pytest exits 5 when it collected no test: with 'set -e' that fails the run, as it should.
.venv/bin/pytest "$@"
