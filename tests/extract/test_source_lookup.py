"""source_of_file finds the manifest's own document however it is reached, and nothing else."""

from __future__ import annotations

from pathlib import Path

from kexie_research import config
from kexie_research.extract.resources import source_of_file
from kexie_research.steps.sources import read_sources


def _document() -> tuple[Path, dict]:
    entry = read_sources()[0]
    return config.raw_dir() / config.DOCUMENTS_DIR / entry["file"], entry


def test_the_document_itself_and_links_of_any_name_to_it_are_its_source(tmp_path: Path) -> None:
    document, entry = _document()
    renamed = tmp_path / "renamed.txt"
    renamed.symlink_to(document)
    chained = tmp_path / "chained.txt"
    chained.symlink_to(renamed)  # a link to a link
    folder = tmp_path / "folder"
    folder.symlink_to(document.parent, target_is_directory=True)  # the file reached through a linked folder
    for path in (
        document,
        str(document),
        renamed,
        chained,
        folder / document.name,
        document.parent / "." / document.name,
    ):
        found = source_of_file(path)
        assert found is not None and found["source_id"] == entry["source_id"], path


def test_other_files_are_no_source(tmp_path: Path) -> None:
    document, _ = _document()
    other = tmp_path / "other.txt"
    other.write_text("宜昌市科协建成科普e站30个。", encoding="utf-8")
    namesake = tmp_path / document.name  # the same name, another file
    namesake.write_text("宜昌市科协建成科普e站30个。", encoding="utf-8")
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "nothing.txt")
    for path in (other, namesake, dangling, tmp_path / "missing.txt", tmp_path / document.name / ".."):
        assert source_of_file(path) is None, path
