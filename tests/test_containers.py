"""The container files keep their promises.

docker-compose.yml is validated by Docker Compose itself (``config`` needs no Docker engine):
it needs NEO4J_PASSWORD from the environment, and its resolved form shows the health-gated
start, the healthchecks, the loopback-only ports and Neo4j's data volume. The Dockerfile is
read statically: an unprivileged user, a healthcheck and the start command the README
documents. Compose comes from scripts/docker-compose-tool.sh; without it these tests fail.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
TOOL = "scripts/docker-compose-tool.sh"
SERVE = "helixgraph serve --host 0.0.0.0 --port 8000"
TEST_PASSWORD = "compose-test-password"  # noqa: S105 - a value for validation only
ROOT_USERS = {"root", "0"}
BUILD_TOOLS = re.compile(r"\b(gcc|g\+\+|cc|clang|make|build-essential|python3?-dev)\b")


# ---------------------------------------------------------------------------------------------
# Docker Compose


@dataclass(frozen=True)
class Compose:
    command: tuple[str, ...]
    version: str

    @property
    def is_v1(self) -> bool:
        return self.version.startswith("1.")


@cache
def _find_compose() -> Compose | str:
    """The Compose that scripts/docker-compose-tool.sh finds, or why there is none."""
    found = subprocess.run(
        ["bash", str(ROOT / TOOL), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = found.stdout.strip().splitlines()
    if found.returncode != 0 or not lines:
        return found.stderr.strip() or f"{TOOL} --check exited {found.returncode}"
    command = tuple(shlex.split(lines[-1]))
    version = subprocess.run(
        [*command, "version", "--short"], capture_output=True, text=True, check=False
    )
    if version.returncode != 0:
        return f"{lines[-1]!r} does not run: {version.stderr.strip()}"
    return Compose(command, version.stdout.strip().removeprefix("v"))


def _compose() -> Compose:
    found = _find_compose()
    if isinstance(found, str):
        pytest.fail(
            f"Docker Compose is needed to validate docker-compose.yml and is missing: "
            f"run {TOOL} to install it ({found})",
            pytrace=False,
        )
    return found


def _run_compose(
    args: list[str], tmp_path: Path, *, password: str | None
) -> subprocess.CompletedProcess[str]:
    """Compose on docker-compose.yml with only the given NEO4J_PASSWORD (no .env file)."""
    compose = _compose()
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("COMPOSE_") and name not in {"NEO4J_PASSWORD", "HELIX_API_KEYS"}
    }
    if password is not None:
        env["NEO4J_PASSWORD"] = password
    empty_env_file = tmp_path / "empty.env"
    empty_env_file.write_text("", encoding="utf-8")
    return subprocess.run(
        [*compose.command, "--env-file", str(empty_env_file), "-f", str(COMPOSE_FILE), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _resolved_config(tmp_path: Path) -> dict[str, Any]:
    """The compose file as Compose resolves it, as JSON (Compose v1 prints YAML only)."""
    compose = _compose()
    if not compose.is_v1:
        result = _run_compose(["config", "--format", "json"], tmp_path, password=TEST_PASSWORD)
        assert result.returncode == 0, result.stderr
        config: dict[str, Any] = json.loads(result.stdout)
        return config
    result = _run_compose(["config"], tmp_path, password=TEST_PASSWORD)
    assert result.returncode == 0, result.stderr
    # Compose v1 is a Python program with PyYAML: its own interpreter converts the YAML.
    program = shutil.which(compose.command[0])
    assert program is not None
    shebang = Path(program).read_text(encoding="utf-8", errors="replace").splitlines()[0]
    interpreter = shlex.split(shebang.removeprefix("#!"))
    converted = subprocess.run(
        [
            *interpreter,
            "-c",
            "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)",
        ],
        input=result.stdout,
        capture_output=True,
        text=True,
        check=False,
    )
    assert converted.returncode == 0, converted.stderr
    converted_config: dict[str, Any] = json.loads(converted.stdout)
    return converted_config


def _host_ip(port: dict[str, Any] | str) -> str | None:
    """The host address of a port mapping, long (v2) or short ("ip:published:target") form."""
    if isinstance(port, dict):
        host_ip: str | None = port.get("host_ip")
        return host_ip
    parts = port.split(":")
    return parts[0] if len(parts) == 3 else None


def _volume(volume: dict[str, Any] | str) -> tuple[str, str]:
    """(source, target) of a volume mapping, long (v2) or short ("source:target:mode") form."""
    if isinstance(volume, dict):
        return str(volume.get("source", "")), str(volume["target"])
    source, target, *_ = volume.split(":")
    return source, target


def test_compose_file_is_valid_with_a_password(tmp_path: Path) -> None:
    result = _run_compose(["config", "--quiet"], tmp_path, password=TEST_PASSWORD)
    assert result.returncode == 0, result.stderr


def test_compose_file_refuses_to_run_without_a_password(tmp_path: Path) -> None:
    result = _run_compose(["config", "--quiet"], tmp_path, password=None)
    assert result.returncode != 0, "docker-compose.yml must not fall back to a default password"
    assert "NEO4J_PASSWORD" in result.stderr + result.stdout
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    assert not re.search(r"NEO4J_PASSWORD:?-", text), "NEO4J_PASSWORD must have no default"


def test_compose_starts_the_api_on_a_healthy_neo4j(tmp_path: Path) -> None:
    services: dict[str, Any] = _resolved_config(tmp_path)["services"]
    assert set(services) >= {"neo4j", "api"}
    neo4j, api = services["neo4j"], services["api"]

    condition = api["depends_on"]["neo4j"]["condition"]
    assert condition == "service_healthy", f"the api starts on neo4j {condition}"
    for name, service in services.items():
        test = service.get("healthcheck", {}).get("test")
        assert test, f"{name} has no healthcheck"
        assert test != ["NONE"], f"{name} disables its healthcheck"
        assert TEST_PASSWORD not in json.dumps(test), f"{name}'s healthcheck holds the password"
        for port in service.get("ports", []):
            assert _host_ip(port) == "127.0.0.1", f"{name} publishes {port} beyond 127.0.0.1"
    assert any("/health" in part for part in api["healthcheck"]["test"])
    assert api["ports"], "the api publishes no port"

    volumes = {target: source for source, target in map(_volume, neo4j.get("volumes", []))}
    assert volumes.get("/data"), "neo4j keeps /data in no volume"
    assert not volumes["/data"].startswith(("/", ".")), "neo4j's /data should be a named volume"

    image = neo4j["image"]
    assert image.startswith("neo4j:"), image
    assert image.split(":", 1)[1] not in {"latest", "community", "enterprise"}, image
    assert neo4j["environment"]["NEO4J_AUTH"] == f"neo4j/{TEST_PASSWORD}"

    expected_env = {
        "HELIX_STORE": "neo4j",
        "HELIX_SEED_ON_FIRST_START": "true",
        "NEO4J_URI": "bolt://neo4j:7687",
        "NEO4J_USER": "neo4j",
        "NEO4J_PASSWORD": TEST_PASSWORD,
        "HELIX_API_KEYS": "",
    }
    assert api["environment"].items() >= expected_env.items()
    build = api["build"]
    context = build["context"] if isinstance(build, dict) else build
    assert Path(context).resolve() == ROOT
    assert api["restart"] == "unless-stopped"


# ---------------------------------------------------------------------------------------------
# Dockerfile (read statically: no Docker engine runs here)


@dataclass(frozen=True)
class Instruction:
    keyword: str
    args: str


def _instructions(text: str) -> list[Instruction]:
    """The Dockerfile's instructions, continuation lines joined and comments left out."""
    instructions: list[Instruction] = []
    current = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        keyword, _, args = (current + stripped).partition(" ")
        instructions.append(Instruction(keyword.upper(), args.strip()))
        current = ""
    return instructions


def _stages() -> list[list[Instruction]]:
    """The build stages, each starting with its FROM (the global ARGs before them left out)."""
    stages: list[list[Instruction]] = []
    for instruction in _instructions(DOCKERFILE.read_text(encoding="utf-8")):
        if instruction.keyword == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(instruction)
    return stages


def _exec_form(args: str) -> list[str]:
    assert args.startswith("["), f"use the exec (JSON) form: {args}"
    words: list[str] = json.loads(args)
    return words


def _env(stage: list[Instruction]) -> dict[str, str]:
    env: dict[str, str] = {}
    for instruction in stage:
        if instruction.keyword != "ENV":
            continue
        words = shlex.split(instruction.args)
        if "=" not in words[0]:  # the old form: ENV NAME value
            env[words[0]] = " ".join(words[1:])
            continue
        for word in words:
            name, _, value = word.partition("=")
            env[name] = value
    return env


def _final_command(stage: list[Instruction]) -> list[str]:
    entrypoint = [_exec_form(i.args) for i in stage if i.keyword == "ENTRYPOINT"]
    cmd = [_exec_form(i.args) for i in stage if i.keyword == "CMD"]
    return (entrypoint[-1] if entrypoint else []) + (cmd[-1] if cmd else [])


def test_dockerfile_is_multi_stage_on_a_pinned_slim_python() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    arguments = dict(
        re.findall(r"^ARG\s+(\w+)=(\S+)", text.split("\nFROM", 1)[0], flags=re.MULTILINE)
    )
    stages = _stages()
    assert len(stages) >= 2, "build and runtime stages expected"
    for stage in stages:
        image = stage[0].args.split()[0]
        image = re.sub(r"\$\{?(\w+)\}?", lambda m: arguments.get(m.group(1), m.group(0)), image)
        assert re.fullmatch(r"python:3\.11-slim-\w+", image), f"base image {image}"
    final = stages[-1]
    copies = [i.args for i in final if i.keyword in {"COPY", "ADD"}]
    assert copies, "the runtime stage copies nothing from the build stage"
    assert all(args.startswith("--from=") for args in copies), copies
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", ".git", "var"} <= set(ignored)


def test_dockerfile_runs_as_an_unprivileged_user() -> None:
    final = _stages()[-1]
    keywords = [i.keyword for i in final]
    users = [(n, i.args.split(":")[0]) for n, i in enumerate(final) if i.keyword == "USER"]
    assert users, "the runtime stage has no USER"
    starts = [n for n, keyword in enumerate(keywords) if keyword in {"CMD", "ENTRYPOINT"}]
    assert starts, "the runtime stage has no CMD or ENTRYPOINT"
    before_start = [user for n, user in users if n < min(starts)]
    assert before_start, "USER must come before CMD/ENTRYPOINT"
    assert before_start[-1] not in ROOT_USERS, f"USER {before_start[-1]} is root"
    assert users[-1][1] not in ROOT_USERS


def test_dockerfile_serves_the_documented_command_with_a_healthcheck() -> None:
    final = _stages()[-1]
    command = " ".join(_final_command(final))
    assert command == SERVE, f"the image starts {command!r}, not {SERVE!r}"
    healthchecks = [i.args for i in final if i.keyword == "HEALTHCHECK"]
    assert healthchecks, "the runtime stage has no HEALTHCHECK"
    assert "http://127.0.0.1:8000/health" in healthchecks[-1]
    assert not re.search(r"\b(curl|wget)\b", healthchecks[-1]), "slim images have neither"
    env = _env(final)
    assert env.get("HELIX_DATA_DIR") == "/data"
    assert env.get("PYTHONDONTWRITEBYTECODE") == "1"
    assert env.get("PYTHONUNBUFFERED") == "1"
    assert any(i.keyword == "VOLUME" and "/data" in i.args for i in final)
    assert any(i.keyword == "EXPOSE" and i.args.split()[0] in {"8000", "8000/tcp"} for i in final)
    assert any(i.keyword == "WORKDIR" and i.args == "/app" for i in final)


def test_dockerfile_runtime_stage_installs_no_build_tools() -> None:
    for instruction in _stages()[-1]:
        if instruction.keyword != "RUN":
            continue
        assert not BUILD_TOOLS.search(instruction.args), instruction.args
        assert not re.search(r"\b(apt-get|apt|apk)\b.*\binstall\b", instruction.args)
        assert "pip install" not in instruction.args, "the build stage installs the package"


def test_readme_documents_the_container_start_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert SERVE in readme, f"README.md should show the image's start command: {SERVE}"
