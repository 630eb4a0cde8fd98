#!/usr/bin/env python3
"""Add or change texts in both catalogues at once (graph_schema/catalogue/<lang>.json).

    scripts/catalogue.py FRAGMENT.json     # {"key": {"nl": "…", "en": "…"}, …}
    scripts/catalogue.py -                 # the same from standard input

A value per language is a text, or plural forms {"one": "…", "other": "…"}. The files are
rewritten sorted, under a lock, so that several editors never lose each other's keys.
"""

from __future__ import annotations

import fcntl
import json
import sys
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[1] / "graph_schema" / "catalogue"
LANGUAGES = ("nl", "en")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    text = sys.stdin.read() if argv[0] == "-" else Path(argv[0]).read_text("utf-8")
    fragment = json.loads(text)
    for key, texts in fragment.items():
        missing = [lang for lang in LANGUAGES if lang not in texts]
        if missing:
            print(f"{key}: no text for {', '.join(missing)}", file=sys.stderr)
            return 1
    with (CATALOGUE / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for lang in LANGUAGES:
            path = CATALOGUE / f"{lang}.json"
            data = json.loads(path.read_text("utf-8"))
            data.update({key: texts[lang] for key, texts in fragment.items()})
            body = json.dumps(dict(sorted(data.items())), ensure_ascii=False, indent=2) + "\n"
            tmp = path.with_suffix(".tmp")
            tmp.write_text(body, "utf-8")
            tmp.replace(path)
    print(f"{len(fragment)} key(s) in {', '.join(LANGUAGES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
