"""Extraction on Dask: a real LocalCluster (2 worker processes), equality with one process,
a failing document isolated and reported by name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from kexie_research import config
from kexie_research.cli import main
from kexie_research.extract.parallel import extract_paths

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five documents, each also under a second name, plus two broken files."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in sorted((config.raw_dir() / "documents").glob("*.txt")):
        shutil.copy(path, folder / path.name)
        shutil.copy(path, folder / f"copy_{path.name}")
    (folder / "sub").mkdir()
    (folder / "sub" / "gbk.txt").write_bytes("梧州市科协51万元".encode("gbk"))  # read as GB18030
    (folder / "sub" / "garbled.txt").write_bytes(b"\xff\xff\xff")
    (folder / "sub" / "binary.txt").write_bytes(b"\x00\x01\x02")
    return folder


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        yield local


@pytest.fixture(scope="module")
def single(corpus: Path):
    return extract_paths([corpus], workers=1, progress=False)


def test_failing_documents_are_reported_by_name_and_the_others_kept(single):
    names = sorted(name for name, _ in single.errors)
    assert names == ["binary.txt", "garbled.txt"]
    reasons = dict(single.errors)
    assert "neither UTF-8 nor GB18030" in reasons["garbled.txt"] and "NUL" in reasons["binary.txt"]
    assert "51万元" in single.draft.loc[single.draft["document"] == "gbk.txt", "raw_text"].tolist()
    assert single.draft["document"].nunique() == 11
    assert single.documents == 13


def test_local_cluster_gives_the_single_process_draft_row_for_row(corpus: Path, cluster, single):
    on_cluster = extract_paths([corpus], scheduler=cluster.scheduler_address, progress=False)
    assert on_cluster.workers == 2
    pd.testing.assert_frame_equal(on_cluster.draft, single.draft)
    assert on_cluster.errors == single.errors


def test_order_is_by_path_then_offset_with_deterministic_ids(single):
    draft = single.draft
    keys = list(zip(draft["path"], draft["offset"]))
    assert keys == sorted(keys)
    assert draft["record_id"].tolist() == [f"DR-{i:06d}" for i in range(1, len(draft) + 1)]


def test_cli_exit_status_and_errors_file(corpus: Path, cluster, tmp_path: Path, capsys):
    out = tmp_path / "draft.csv"
    status = main(["extract", str(corpus), "-o", str(out), "--scheduler", cluster.scheduler_address, "--no-progress"])
    assert status == 1
    err = capsys.readouterr().err
    assert "garbled.txt" in err and "binary.txt" in err and "gbk.txt" not in err and "Traceback" not in err
    errors = pd.read_csv(tmp_path / "draft.errors.csv")
    assert sorted(errors["document"]) == ["binary.txt", "garbled.txt"]
    assert len(pd.read_csv(out)) > 400


def test_cli_single_process_on_good_files_exits_0(tmp_path: Path, capsys):
    out = tmp_path / "draft.csv"
    document = config.raw_dir() / "documents" / "004_7b742f84642fcfe5.txt"
    assert main(["extract", str(document), "-o", str(out), "--workers", "1", "--no-progress"]) == 0
    assert "candidate rows" in capsys.readouterr().out


def test_missing_path_is_reported(tmp_path: Path, capsys):
    out = tmp_path / "draft.csv"
    assert main(["extract", str(tmp_path / "nope.txt"), "-o", str(out), "--workers", "1", "--no-progress"]) == 1
    assert "nope.txt: no such file or folder" in capsys.readouterr().err


@pytest.mark.parametrize("fork", [True, False], ids=["forked-workers", "spawned-workers"])
def test_local_pool_gives_the_single_process_draft_row_for_row(corpus: Path, single, fork: bool, monkeypatch):
    from kexie_research.extract import parallel

    if fork and not parallel._fork_workers():
        pytest.skip("workers are forked on Linux only")
    import dask

    methods: list[str] = []
    original = distributed.LocalCluster.__init__

    def recording_init(self, *args, **kwargs):
        methods.append(dask.config.get("distributed.worker.multiprocessing-method"))
        original(self, *args, **kwargs)

    monkeypatch.setattr(distributed.LocalCluster, "__init__", recording_init)
    pooled = extract_paths([corpus], workers=2, progress=False, fork=fork)  # fork=False: --spawn-workers
    assert methods == ["fork" if fork else "spawn"]
    assert pooled.workers == 2
    pd.testing.assert_frame_equal(pooled.draft, single.draft)
    assert pooled.errors == single.errors


def test_draft_frame_from_tuples_equals_the_frame_from_records(single):
    from kexie_research.extract.draft import DRAFT_COLUMNS, draft_frame

    rows = [tuple(row) for row in single.draft[list(DRAFT_COLUMNS)].astype(object).itertuples(index=False)]
    rows = [tuple(None if pd.isna(v) else v for v in row) for row in rows]
    # the column-wise construction (used for tuples) and pandas' own from_records (dicts) agree,
    # also when a column is empty throughout
    for variant in (
        rows,
        [tuple(None if name == "note" else v for name, v in zip(DRAFT_COLUMNS, row)) for row in rows],
    ):
        pd.testing.assert_frame_equal(
            draft_frame(variant), draft_frame([dict(zip(DRAFT_COLUMNS, row)) for row in variant])
        )


def test_missing_path_counts_no_document_and_is_named_once(tmp_path: Path, capsys):
    out = tmp_path / "draft.csv"
    assert main(["extract", str(tmp_path / "nope"), "-o", str(out), "--workers", "1", "--no-progress"]) == 1
    captured = capsys.readouterr()
    assert "from 0 documents" in captured.out
    assert f"failed: {tmp_path / 'nope'}: no such file or folder\n" in captured.err
    assert captured.err.count("no such file or folder") == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["-o", "{folder}"], "-o {folder}: is a folder; give a file name in it, such as draft.csv"),
        (["-o", "{file}/sub/draft.csv"], "-o {file}/sub/draft.csv: {file} is a file, not a folder"),
        (
            ["-o", "{tmp}/d.csv", "--errors", "{folder}"],
            "--errors {folder}: is a folder; give a file name in it, such as errors.csv",
        ),
        (
            ["-o", "{tmp}/d.csv", "--scheduler", "notaurl"],
            "--scheduler 'notaurl' is not a scheduler address (expected tcp://HOST:PORT)",
        ),
    ],
)
def test_unusable_options_are_one_error_before_any_work(tmp_path: Path, capsys, monkeypatch, arguments, message):
    from kexie_research.extract import parallel

    document = tmp_path / "doc.txt"
    document.write_text("全市建成科普e站30个。", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("x", encoding="utf-8")
    names = {"folder": tmp_path / "folder", "file": tmp_path / "file", "tmp": tmp_path}
    if "--scheduler" not in arguments:  # the output is checked before a single document is read
        monkeypatch.setattr(parallel, "_run_batch", lambda *a, **k: pytest.fail("a document was extracted"))
    status = main(
        ["extract", str(document), "--no-progress", "--code", "450400", *(a.format(**names) for a in arguments)]
    )
    err = capsys.readouterr().err
    assert (
        status == 2 and err.startswith(f"kexie extract: error: {message.format(**names)}") and err.count("\n") == 1
    ), err


def test_a_folder_without_documents_is_an_error(tmp_path: Path, capsys):
    assert main(["extract", str(tmp_path), "-o", str(tmp_path / "d.csv"), "--no-progress"]) == 2
    assert f"no documents (.txt, .pdf, .html, .htm, .docx) in {tmp_path}" in capsys.readouterr().err
    assert not (tmp_path / "d.csv").exists()


def test_no_output_overwrites_an_input_or_data_raw(raw_copy: Path, tmp_path: Path, capsys, monkeypatch):
    from kexie_research.extract import parallel

    monkeypatch.setenv("KEXIE_DATA_DIR", str(raw_copy.parent))
    monkeypatch.setattr(parallel, "_run_batch", lambda *a, **k: pytest.fail("a document was extracted"))
    document = tmp_path / "doc.txt"
    document.write_text("全市建成科普e站30个。", encoding="utf-8")
    draft = tmp_path / "d.csv"
    draft.write_text("document\n", encoding="utf-8")  # stands for a reviewed draft
    sheet = raw_copy / "indicators" / "wuzhou_article.csv"
    linked = tmp_path / "linked_raw"
    linked.symlink_to(raw_copy)  # the same folder reached through a link
    refused = {
        (str(document), "-o", str(document)): f"-o {document} is a document, which this command reads",
        (
            str(tmp_path),
            "-o",
            str(tmp_path / "n.csv"),
            "--errors",
            str(document),
        ): f"--errors {document} is a document, which this command reads",
        (
            str(document),
            "-o",
            str(tmp_path / "n.csv"),
            "--errors",
            str(tmp_path / "n.csv"),
        ): f"-o and --errors name the same file {tmp_path / 'n.csv'}",
        (
            str(document),
            "-o",
            str(raw_copy / "new_draft.csv"),
        ): f"-o {raw_copy / 'new_draft.csv'} is inside {raw_copy}, the immutable inputs",
        (
            str(document),
            "-o",
            str(linked / "documents" / "d.csv"),
        ): f"-o {linked / 'documents' / 'd.csv'} is inside {raw_copy}, the immutable inputs",
        (
            "--to-sheet",
            str(draft),
            "-o",
            str(draft),
        ): f"-o {draft} is the draft given to --to-sheet, which this command reads",
        (
            str(document),
            "--to-sheet",
            str(draft),
            "-o",
            str(tmp_path / "s.csv"),
        ): f"--to-sheet reads the reviewed draft only; leave out {document}",
        (
            "--to-sheet",
            str(draft),
            "-o",
            str(raw_copy / "sources.yaml"),
        ): f"-o {raw_copy / 'sources.yaml'}: inside {raw_copy} a coding sheet is written only as a .csv file of {raw_copy / 'indicators'}",
        (
            "--to-sheet",
            str(draft),
            "-o",
            str(sheet),
        ): f"-o {sheet} holds 47 coded row(s), which may be coding done by hand; it is replaced only with --replace",
    }
    before = {path: path.read_bytes() for path in (document, draft, sheet, raw_copy / "sources.yaml")}
    for arguments, message in refused.items():
        assert main(["extract", *arguments, "--no-progress"]) == 2, arguments
        err = capsys.readouterr().err
        assert err.startswith(f"kexie extract: error: {message}") and err.count("\n") == 1, err
    assert {path: path.read_bytes() for path in before} == before
    assert not (raw_copy / "new_draft.csv").exists() and not (tmp_path / "n.csv").exists()


def test_a_link_to_nothing_in_a_folder_is_named_and_the_others_kept(tmp_path: Path, capsys):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("全市建成科普e站30个。", encoding="utf-8")
    (folder / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    (folder / "sub.txt").mkdir()  # a folder named like a document is searched, not read
    (folder / "sub.txt" / "b.txt").write_text("共有3个学会。", encoding="utf-8")
    out = tmp_path / "d.csv"
    assert main(["extract", str(folder), "-o", str(out), "--workers", "1", "--no-progress", "--code", "450400"]) == 1
    captured = capsys.readouterr()
    assert "from 2 documents" in captured.out
    assert f"failed: {folder / 'gone.txt'}: a link to nothing ({tmp_path / 'deleted.txt'})\n" in captured.err
    assert set(pd.read_csv(out, dtype=str)["document"]) == {"a.txt", "b.txt"}


def test_sheet_and_draft_paths_are_judged_where_they_lead(raw_copy: Path, tmp_path: Path, monkeypatch):
    from kexie_research.errors import KexieError
    from kexie_research.extract.command import _refuse_overwriting

    monkeypatch.setenv("KEXIE_DATA_DIR", str(raw_copy.parent))
    indicators = raw_copy / "indicators"
    (indicators / "evil.csv").symlink_to(raw_copy / "sources.yaml")
    with pytest.raises(KexieError, match=r"a coding sheet is written only as a .csv file of"):
        _refuse_overwriting({"-o": indicators / "evil.csv"}, {}, sheet=True)  # a link onto the manifest
    _refuse_overwriting({"-o": indicators / "new_sheet.csv"}, {}, sheet=True)
    monkeypatch.chdir(indicators)
    _refuse_overwriting({"-o": Path("../../../draft.csv")}, {})  # ".." leads out of data/raw: allowed
    _refuse_overwriting({"-o": Path("new_sheet.csv")}, {}, sheet=True)
    with pytest.raises(KexieError, match="the immutable inputs"):
        _refuse_overwriting({"-o": Path("../draft.csv")}, {})
