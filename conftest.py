"""Test-session setup shared by ``tests/`` and the library's doctests (``--doctest-modules``).

1. **The tests run on a frozen dataset, never on the live ``data/``.** Before anything is collected,
   the fixture ``tests/fixtures/dataset/raw`` (a frozen copy of ``data/raw``, made by
   ``scripts/freeze_test_dataset.py``) is copied into a temporary folder of the session and built
   there once; ``KEXIE_DATA_DIR`` points at that folder for the whole session, so every test, every
   doctest, every ``kexie`` subprocess and every notebook kernel reads the same known data. A
   researcher who adds a place to ``data/raw`` therefore cannot turn a test red that expects today's
   five cases; the checks of the live data are in ``tests/test_live_data.py`` and read their
   expectations from the data itself.
2. **Parallel runs** (``pytest -n 2``, as ``make test`` does, with pytest-xdist's ``loadfile``
   distribution): each test file stays on one worker, so its module fixtures are set up once; the
   session's expensive sites (the documentation site, the hostile-text site, the rendered reports)
   are built once for all workers (``tests/support/built_once.py``: a shared folder under a file lock);
   the files holding slow tests are handed out first.
3. Doctest figures are drawn off-screen, in the project's theme (its CJK font, so Chinese labels draw
   without missing-glyph warnings), and closed after each example.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

FROZEN_RAW = Path(__file__).resolve().parent / "tests" / "fixtures" / "dataset" / "raw"
# Set by the session for its children: a pytest run inside a test reuses the folder already built.
SESSION_DATA_ENV = "KEXIE_TEST_DATA_DIR"
_made_here: list[Path] = []


def _built(folder: Path) -> bool:
    return (folder / "raw" / "sources.yaml").is_file() and (folder / "processed" / "datapackage.json").is_file()


def pytest_configure(config: pytest.Config) -> None:
    inherited = os.environ.get(SESSION_DATA_ENV)
    if inherited and _built(Path(inherited)):
        data = Path(inherited)
    else:
        if not (FROZEN_RAW / "sources.yaml").is_file():
            raise pytest.UsageError(
                f"the test dataset {FROZEN_RAW} is missing: run `python scripts/freeze_test_dataset.py`"
            )
        data = Path(tempfile.mkdtemp(prefix="kexie-test-data-")) / "data"
        shutil.copytree(FROZEN_RAW, data / "raw")
        _made_here.append(data.parent)
        from kexie_research.build import build

        build(raw_dir=data / "raw", out_dir=data / "processed", echo=None)
    os.environ["KEXIE_DATA_DIR"] = str(data)
    os.environ[SESSION_DATA_ENV] = str(data)


#: The longest test files (about 40 to 110 s each on two cores), handed out first and in this order:
#: those that build a session site others wait for come first. A file missing here only runs later.
LONGEST_FILES = (
    "tests/test_docs.py",
    "tests/browser/test_page_layout.py",
    "tests/test_kills.py",
    "tests/steps/test_indicators.py",
    "tests/test_sixth_case_report.py",
    "tests/runner/test_reports.py",
    "tests/runner/test_forking.py",
    "tests/browser/test_hostile_text.py",
    "tests/notebooks/test_generated_data.py",
    "tests/runner/test_hardening.py",
    "tests/test_outputs.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest files first (``LONGEST_FILES``), then the other files holding a ``slow`` test, then
    the rest; each file's tests keep their order.

    pytest-xdist hands out whole files (``--dist loadfile --no-loadscope-reorder``) in collection
    order; with long files last, one worker ran the last of them alone while the other sat idle.
    Longest first is the classic remedy (the sort is the same on every worker, as xdist requires).
    """
    root = Path(str(config.rootpath))
    rank = {name: number for number, name in enumerate(LONGEST_FILES)}
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}

    def order(item: pytest.Item) -> tuple[int, int]:
        try:
            name = item.path.relative_to(root).as_posix()
        except ValueError:
            name = ""
        if name in rank:
            return (0, rank[name])
        return (1 if item.path in slow_files else 2, 0)

    items.sort(key=order)


def pytest_unconfigure(config: pytest.Config) -> None:
    while _made_here:
        shutil.rmtree(_made_here.pop(), ignore_errors=True)


@pytest.fixture(autouse=True)
def _doctest_figures(request: pytest.FixtureRequest) -> Iterator[None]:
    if type(request.node).__name__ != "DoctestItem":
        yield
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from kexie_research.viz import theme

    theme.use_project_theme()
    yield
    plt.close("all")
