#!/usr/bin/env bash
# Installs helixgraph and serves the API on http://127.0.0.1:8000 (embedded store; the
# Drenthe agenda is loaded on first start). Extra arguments go to 'helixgraph serve'.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/helixgraph serve "$@"
