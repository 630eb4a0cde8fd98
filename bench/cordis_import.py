"""Time the CORDIS parser on a whole CORDIS folder.

Run ``python -m bench.cordis_import [--folder PATH] [--runs N]``; it writes a markdown
table with one row: the counts read, the median wall and CPU time of
:func:`seed.cordis.read_cordis`, and the peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from seed.cordis import is_cordis_folder, read_cordis

__all__ = ["DEFAULT_FOLDER", "main", "markdown_table", "parse_timings"]

DEFAULT_FOLDER = Path(__file__).resolve().parents[1] / "seed/data/cordis-h2020/full"

_COLUMNS = (
    ("folder", "folder"),
    ("organisations", "orgs"),
    ("projects", "projects"),
    ("participations", "participations"),
    ("duplicates_dropped", "duplicates dropped"),
    ("parse_median_s", "parse median (s)"),
    ("parse_cpu_median_s", "parse CPU median (s)"),
    ("peak_rss_mib", "peak RSS (MiB)"),
)


def _peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS; the bench targets Linux).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parse_timings(folder: Path = DEFAULT_FOLDER, *, runs: int = 3) -> dict[str, float | int]:
    """Parse a CORDIS folder ``runs`` times and measure it.

    Parameters
    ----------
    folder
        A CORDIS folder, as :func:`seed.cordis.is_cordis_folder` accepts.
    runs
        How many times to parse; the medians are over these runs.

    Returns
    -------
    dict of str to float or int
        The counts of :meth:`seed.cordis.CordisImport.stats`, ``runs``,
        ``parse_median_s`` and ``parse_cpu_median_s`` (wall and process CPU seconds),
        ``parse_min_s``, ``rss_before_mib`` and ``peak_rss_mib`` (peak resident memory
        of the process before the first run and after the last).
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    gc.collect()
    rss_before = _peak_rss_mib()
    walls: list[float] = []
    cpus: list[float] = []
    stats: dict[str, int] = {}
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = read_cordis(folder)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        stats = result.stats()
        # One graph alive at a time, so the peak is that of a single parse.
        del result
        gc.collect()
    return {
        **stats,
        "runs": runs,
        "parse_median_s": round(statistics.median(walls), 3),
        "parse_min_s": round(min(walls), 3),
        "parse_cpu_median_s": round(statistics.median(cpus), 3),
        "rss_before_mib": round(rss_before, 1),
        "peak_rss_mib": round(_peak_rss_mib(), 1),
    }


def markdown_table(folder: Path, timings: dict[str, float | int]) -> str:
    """A markdown table: the header and one row of :func:`parse_timings` results."""
    values = {"folder": folder.name, **{key: str(value) for key, value in timings.items()}}
    header = "| " + " | ".join(title for _, title in _COLUMNS) + " |"
    rule = "|" + "|".join("---" for _ in _COLUMNS) + "|"
    row = "| " + " | ".join(str(values.get(key, "")) for key, _ in _COLUMNS) + " |"
    return f"{header}\n{rule}\n{row}\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; the exit code is 2 when the folder is not a CORDIS folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER, help="a CORDIS folder")
    parser.add_argument("--runs", type=int, default=3, help="parses to take the median of")
    args = parser.parse_args(argv)
    folder: Path = args.folder
    if not is_cordis_folder(folder):
        parser.error(f"{folder} is not a CORDIS folder")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    timings = parse_timings(folder, runs=args.runs)
    sys.stdout.write(markdown_table(folder, timings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
