"""Files that are not what their name says (issue 20.11): a FIFO named .txt is named, never opened; a
namesake of a manifest document outside data/raw is not that source."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from kexie_research import config
from kexie_research.cli import main
from kexie_research.steps.sources import read_sources


def test_a_fifo_named_txt_in_a_folder_is_named_as_not_a_regular_file(tmp_path: Path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("全市建成科普e站30个。", encoding="utf-8")
    os.mkfifo(corpus / "pipe.txt")  # opening it for reading would block until a writer came
    status = main(
        [
            "extract",
            str(corpus),
            "-o",
            str(tmp_path / "draft.csv"),
            "--workers",
            "1",
            "--code",
            "450400",
            "--no-progress",
        ]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert f"{corpus / 'pipe.txt'}: not a regular file" in err
    assert pd.read_csv(tmp_path / "draft.csv")["raw_text"].tolist() == ["30个"]
    errors = pd.read_csv(tmp_path / "draft.errors.csv")
    assert errors["document"].tolist() == ["pipe.txt"]


def test_a_fifo_given_by_name_is_named_as_not_a_regular_file(tmp_path: Path, capsys):
    os.mkfifo(tmp_path / "pipe.txt")
    status = main(
        [
            "extract",
            str(tmp_path / "pipe.txt"),
            "-o",
            str(tmp_path / "draft.csv"),
            "--workers",
            "1",
            "--code",
            "450400",
            "--no-progress",
        ]
    )
    assert status == 1 and "pipe.txt: not a regular file" in capsys.readouterr().err


def test_a_namesake_outside_data_raw_does_not_take_the_sources_place(tmp_path: Path, capsys):
    wuzhou = next(entry for entry in read_sources() if entry["admin_code"] == "450400")
    namesake = tmp_path / wuzhou["file"]  # same file name as the manifest's document, other content
    namesake.write_text("宜昌市科协建成科普e站30个。", encoding="utf-8")
    status = main(["extract", str(namesake), "-o", str(tmp_path / "draft.csv"), "--workers", "1", "--no-progress"])
    assert status == 0
    draft = pd.read_csv(tmp_path / "draft.csv", dtype=str)
    assert draft["raw_text"].tolist() == ["30个"]
    assert not draft["admin_code"].fillna("").str.startswith("4504").any()  # not Wuzhou's, taken from the manifest


def test_the_manifests_own_document_keeps_its_source(tmp_path: Path, capsys):
    wuzhou = next(entry for entry in read_sources() if entry["admin_code"] == "450400")
    document = config.raw_dir() / config.DOCUMENTS_DIR / wuzhou["file"]
    link = tmp_path / "linked.txt"
    link.symlink_to(document)  # a link to it is the same file
    for path in (document, link):
        assert main(["extract", str(path), "-o", str(tmp_path / "draft.csv"), "--workers", "1", "--no-progress"]) == 0
        draft = pd.read_csv(tmp_path / "draft.csv", dtype=str)
        assert (draft["admin_code"].dropna().str[:4] == "4504").mean() > 0.5
