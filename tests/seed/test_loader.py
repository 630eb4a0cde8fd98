"""The seed loader reports every problem of every file, located by file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph_schema import GraphValidationError
from seed import DATA_DIR, load_seed


def _append(path: Path, line: str) -> int:
    """Append a row; return its line number."""
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def test_every_problem_is_reported_with_file_and_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    bad_role = _append(
        data / "organisations.csv",
        "newco,New Co,,royalty,,company,,,,NL,,false,,Section,some quote",
    )
    duplicate = _append(
        data / "organisations.csv",
        "umcg,UMCG again,,knowledge,,knowledge_institution,,,,NL,,false,,Section,some quote",
    )
    unknown = _append(data / "partner_in.csv", "nobody-at-all,action-mt-1,,Section,quote")
    no_quote = _append(data / "member_of.csv", "umcg,network-hannn,member,Section,")
    with pytest.raises(GraphValidationError) as caught:
        load_seed(data)
    text = [str(p) for p in caught.value.problems]
    assert any(f"organisations.csv:{bad_role}" in t and "helix_role" in t for t in text), text
    assert any(f"organisations.csv:{duplicate}" in t or "duplicate id 'umcg'" in t for t in text)
    assert any(f"partner_in.csv:{unknown}" in t and "nobody-at-all" in t for t in text), text
    assert any(f"member_of.csv:{no_quote}" in t and "quote" in t for t in text), text
    assert len(text) == 4, text


def test_a_wrong_header_is_named(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "themes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(["id,title", *lines[1:]]) + "\n", encoding="utf-8")
    with pytest.raises(GraphValidationError, match=r"themes\.csv: header must be exactly"):
        load_seed(data)
