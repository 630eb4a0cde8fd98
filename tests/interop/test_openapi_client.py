"""The integrator's generated client works as generated.

openapi-python-client turns the service's OpenAPI document into a Python package; no
hand edits. The package, and code an integrator writes with it (``INTEGRATOR`` below:
reads with an anonymous ``Client``, a write with an ``AuthenticatedClient`` holding a
write key), must pass mypy --strict and then work against the real service on a port.

The generator runs in an environment of its own under ``var/tools`` (made on first use
from PyPI, as an integrator runs it with pipx): it pins ``httpx<0.29`` and ``typer<0.28``,
which would hold back the project's own dependencies if it shared ``.venv``. The generated
package needs only ``httpx`` and ``attrs`` (the dev extra) to be imported here.
"""

from __future__ import annotations

import fcntl
import importlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from app.api.security import key_id_of
from app.main import create_app
from app.settings import Settings
from tests.serving import ROOT, serving

GENERATOR = "openapi-python-client==0.29.1"
TOOLS = ROOT / "var" / "tools" / GENERATOR.replace("==", "-")
WRITER = "client-writer-key-0123456789"
PACKAGE = "helixgraph_client"

MYPY_CONFIG = """\
[mypy]
python_version = 3.11
strict = True
cache_dir = .mypy_cache
"""

INTEGRATOR = '''\
"""What an integrator writes with the generated package: typed, checked by mypy --strict."""

from helixgraph_client import AuthenticatedClient, Client
from helixgraph_client.api.changes import list_changes
from helixgraph_client.api.graph import find_paths
from helixgraph_client.api.matching import partners
from helixgraph_client.api.organisations import (
    create_organisation,
    get_organisation,
    list_organisations,
)
from helixgraph_client.models import (
    ChangesResponse,
    HelixRole,
    ListResponseOrganisation,
    MatchResponse,
    Organisation,
    OrgType,
    PathView,
    Problem,
    Provenance,
)


def anonymous(base_url: str) -> Client:
    return Client(base_url=base_url, raise_on_unexpected_status=True)


def with_key(base_url: str, key: str) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=base_url, token=key, raise_on_unexpected_status=True)


def organisations_by_role(client: Client, role: HelixRole) -> ListResponseOrganisation:
    answer = list_organisations.sync(client=client, helix_role=role, limit=200)
    if not isinstance(answer, ListResponseOrganisation):
        raise AssertionError(answer)
    return answer


def organisation(client: Client | AuthenticatedClient, node_id: str) -> Organisation:
    answer = get_organisation.sync(node_id, client=client)
    if not isinstance(answer, Organisation):
        raise AssertionError(answer)
    return answer


def paths(client: Client, source: str, target: str) -> list[PathView]:
    answer = find_paths.sync(client=client, from_=source, to=target)
    if not isinstance(answer, list):
        raise AssertionError(answer)
    return answer


def partners_for(client: Client, org: str) -> MatchResponse:
    answer = partners.sync(client=client, org=org, top=5)
    if not isinstance(answer, MatchResponse):
        raise AssertionError(answer)
    return answer


def changes(client: Client, since: int) -> ChangesResponse:
    answer = list_changes.sync(client=client, since=since)
    if not isinstance(answer, ChangesResponse):
        raise AssertionError(answer)
    return answer


def new_organisation(node_id: str) -> Organisation:
    return Organisation(
        id=node_id,
        name="Testlab Gegenereerde Client",
        helix_role=HelixRole.INDUSTRY,
        org_type=OrgType.COMPANY,
        place="Assen",
        provenance=Provenance(
            source="intake-integratie",
            section="gesprek",
            quote="wil meedoen in de zorgtechnologie",
        ),
    )


def create(client: AuthenticatedClient | Client, body: Organisation) -> Organisation | Problem:
    # a write's signature demands an AuthenticatedClient, so an anonymous one needs this
    # ignore (mypy --strict flags it as unused if a write ever takes a plain Client); it
    # is sent on purpose, to see the service refuse it
    answer = create_organisation.sync(client=client, body=body)  # type: ignore[arg-type]
    if not isinstance(answer, (Organisation, Problem)):
        raise AssertionError(answer)
    return answer


def create_with_key(client: AuthenticatedClient, body: Organisation) -> Organisation:
    answer = create_organisation.sync(client=client, body=body)
    if not isinstance(answer, Organisation):
        raise AssertionError(answer)
    return answer
'''


def _generator() -> Path:
    """The folder of the generator's commands, installed once into ``TOOLS``."""
    TOOLS.parent.mkdir(parents=True, exist_ok=True)
    stamp = TOOLS / ".installed"
    with (TOOLS.parent / f"{TOOLS.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two test runs at once install it once
        if not stamp.exists():
            shutil.rmtree(TOOLS, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "venv", str(TOOLS)], check=True)
            install = [str(TOOLS / "bin" / "python"), "-m", "pip", "install", "-q", GENERATOR]
            done = subprocess.run(install, capture_output=True, text=True, check=False)
            assert done.returncode == 0, f"could not install {GENERATOR}:\n{done.stderr}"
            stamp.write_text(GENERATOR + "\n")
    return TOOLS / "bin"


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"{' '.join(command)}:\n{output}"
    return output


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated project folder (its package and the integrator's module in it)."""
    folder = tmp_path_factory.mktemp("openapi-client")
    document = create_app(Settings(open_reads=True)).openapi()
    (folder / "openapi.json").write_text(json.dumps(document), encoding="utf-8")
    tools = _generator()
    env = {**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"}
    output = _run(
        [
            str(tools / "openapi-python-client"),
            "generate",
            "--path",
            "openapi.json",
            "--output-path",
            "client",
            "--fail-on-warning",  # a skipped operation or model fails the test
        ],
        folder,
        env,
    )
    assert "Warning" not in output, output
    project = folder / "client"
    (project / "integrator.py").write_text(INTEGRATOR, encoding="utf-8")
    (project / "mypy.ini").write_text(MYPY_CONFIG, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def integrator(generated: Path) -> Iterator[ModuleType]:
    sys.path.insert(0, str(generated))
    try:
        yield importlib.import_module("integrator")
    finally:
        sys.path.remove(str(generated))
        for name in [n for n in sys.modules if n == "integrator" or n.startswith(PACKAGE)]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(
        tmp_path_factory.mktemp("openapi-client-service"), api_keys=f"{WRITER}:write"
    ) as base:
        yield base


def test_the_package_and_code_using_it_pass_mypy_strict(generated: Path) -> None:
    # reads take an anonymous Client (the document states the key as optional where
    # generators read it); with a read typed as needing an AuthenticatedClient, the
    # integrator's module fails here
    command = [sys.executable, "-m", "mypy", "--config-file", "mypy.ini", PACKAGE, "integrator.py"]
    output = _run(command, generated)
    assert "Success: no issues found" in output, output


def test_an_anonymous_client_reads(integrator: Any, service: str) -> None:
    HelixRole = integrator.HelixRole  # the generated enum, as the module imports it
    with integrator.anonymous(service) as client:
        knowledge = integrator.organisations_by_role(client, HelixRole.KNOWLEDGE)
        assert knowledge.count == len(knowledge.data) > 5
        assert {o.helix_role for o in knowledge.data} == {HelixRole.KNOWLEDGE}
        assert "umcg" in {o.id for o in knowledge.data}

        bdrc = integrator.organisation(client, "bdrc")
        assert (bdrc.id, bdrc.helix_role) == ("bdrc", HelixRole.KNOWLEDGE)
        assert bdrc.provenance.quote

        found = integrator.paths(client, "BDRC", "KPN")
        assert found
        assert all(p.nodes[0].id == "bdrc" and p.nodes[-1].id == "kpn" for p in found)
        for path in found:  # organisation to organisation, each hop with its provenance
            assert path.length == len(path.nodes) - 1
            assert (path.hops[0].source.id, path.hops[-1].target.id) == ("bdrc", "kpn")
            assert all(r.provenance.quote for h in path.hops for r in h.relationships)

        match = integrator.partners_for(client, "bdrc")
        assert match.asker.id == "bdrc"
        assert 0 < len(match.candidates) <= 5
        assert [c.rank for c in match.candidates] == list(range(1, len(match.candidates) + 1))
        assert "bdrc" not in {c.id for c in match.candidates}
        assert all(c.reasons for c in match.candidates)

        log = integrator.changes(client, 0)
        assert log.data, "the seeded graph has a change log"
        assert log.next_since == log.data[-1].version <= log.current_version


def test_a_write_needs_a_key_and_reads_back(integrator: Any, service: str) -> None:
    HelixRole, Problem = integrator.HelixRole, integrator.Problem
    body = integrator.new_organisation("testlab-gegenereerde-client")
    with integrator.anonymous(service) as client:
        refused = integrator.create(client, body)
        assert isinstance(refused, Problem)
        assert refused.status == 401
        before = integrator.changes(client, 0).current_version

    with integrator.with_key(service, WRITER) as client:
        created = integrator.create_with_key(client, body)
    assert (created.id, created.name) == ("testlab-gegenereerde-client", body.name)

    with integrator.anonymous(service) as client:
        again = integrator.organisation(client, "testlab-gegenereerde-client")
        log = integrator.changes(client, before)
    assert (again.name, again.helix_role, again.place) == (body.name, HelixRole.INDUSTRY, "Assen")
    assert (again.provenance.source, again.provenance.section, again.provenance.quote) == (
        "intake-integratie",
        "gesprek",
        "wil meedoen in de zorgtechnologie",
    )
    assert [(c.nodes, c.actor) for c in log.data] == [
        (["testlab-gegenereerde-client"], key_id_of(WRITER))
    ]
