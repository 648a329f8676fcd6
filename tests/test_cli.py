"""The `kexie` front door: build, validate, errors, and `python -m kexie_research`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from kexie_research import __version__
from kexie_research.cli import main


def test_version(capsys):
    try:
        main(["--version"])
    except SystemExit as exc:
        assert exc.code == 0
    assert __version__ in capsys.readouterr().out


def test_build_prints_counts_per_case(tmp_path, capsys):
    assert main(["build", "--output-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "coded rows ->" in out and "wuzhou" in out and "zunyi" in out
    assert (tmp_path / "indicators.csv").is_file()


def test_validate_passes_on_the_real_data(capsys):
    assert main(["validate"]) == 0
    assert "all coded rows pass" in capsys.readouterr().out


def test_changed_checksum_is_a_clear_error_not_a_traceback(raw_copy: Path, tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copytree(raw_copy, data / "raw")
    document = data / "raw" / "documents" / "001_2334923d3231c095.txt"
    document.write_bytes(document.read_bytes().replace("荣昌".encode(), "荣晶".encode(), 1))
    monkeypatch.setenv("KEXIE_DATA_DIR", str(data))
    assert main(["build"]) == 2
    err = capsys.readouterr().err
    assert "001_2334923d3231c095.txt: checksum changed" in err
    assert "Traceback" not in err


def test_module_entry_point_runs_from_any_directory(tmp_path):
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    completed = subprocess.run(
        [sys.executable, "-m", "kexie_research", "build", "--output-dir", str(tmp_path / "out")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "out" / "datapackage.json").is_file()


def test_loaders_work_from_any_directory(tmp_path):
    code = (
        "import kexie_research as kr; df = kr.load_indicators(); "
        "print(len(df), len(kr.load_places()), len(kr.load_documents()), len(kr.load_codebook().indicators))"
    )
    completed = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    rows, places, documents, indicators = map(int, completed.stdout.split())
    assert rows > 100 and places >= 30 and documents == 5 and indicators > 50


def test_unknown_option_is_rejected(capsys):
    import pytest

    with pytest.raises(SystemExit) as exc:
        main(["build", "--colour"])
    assert exc.value.code == 2
    assert "unrecognized arguments: --colour" in capsys.readouterr().err


def test_lab_becomes_jupyterlab_on_the_project_kernel_with_the_users_options(monkeypatch, tmp_path):
    import kexie_research.lab as lab
    import kexie_research.runner.kernels as kernels
    from kexie_research.config import repo_root

    calls = []
    monkeypatch.setattr(kernels, "ensure_project_kernel", lambda: "kexie-research")
    monkeypatch.setattr(lab, "write_lab_css", lambda folder, characters: calls.append(("css", folder)))
    monkeypatch.setattr(lab.os, "chdir", lambda folder: calls.append(("chdir", folder)))
    monkeypatch.setattr(lab.os, "execve", lambda path, argv, env: calls.append(("exec", argv, env)))
    assert main(["lab", "--no-browser", "--port", "8899"]) == 0
    (_, folder), (_, root), (_, command, env) = calls
    assert command[1:3] == ["-m", "jupyterlab"] and root == repo_root()
    assert "--MappingKernelManager.default_kernel_name=kexie-research" in command
    assert f"--ServerApp.root_dir={root}" in command and "--LabApp.default_url=/lab/tree/notebooks" in command
    assert "--LabApp.custom_css=True" in command and "--ServerApp.ip=127.0.0.1" in command
    assert command[-3:] == ["--no-browser", "--port", "8899"]  # the user's options last: they win
    assert env["JUPYTER_CONFIG_DIR"] == str(folder)


# ------------------------------------------------------------------------------------------------
# Bad input files: one clear error naming the file, exit 2, never a traceback
# ------------------------------------------------------------------------------------------------
import pytest

_MANIFEST_BREAKAGES = {
    "malformed": lambda text: text.replace("sources:\n", "sources:\n  - [unclosed\n", 1),
    "python_tag": lambda text: "!!python/object/apply:os.system ['echo executed']\n" + text,
    "python_tag_nested": lambda text: text.replace(
        "genre: signed article", "genre: !!python/object/apply:os.getcwd []", 1
    ),
    "sources_number": lambda text: "sources: 5\n",
    "top_level_list": lambda text: "- source_id: x\n- source_id: y\n",
    "entry_not_mapping": lambda text: "sources:\n  - just a string\n",
    "not_utf8": lambda text: None,
    "sha256_number": lambda text: text.replace(
        "sha256: 9fa45e15df0bbaa6230827fe48e708287de4fa605a25128f3e037c1a24feb94f", "sha256: 0000", 1
    ),
    "reference_date": lambda text: text.replace('reference_date: "2021-05-10"', 'reference_date: "2021-02-30"', 1),
    "sha256_short": lambda text: text.replace(
        "sha256: 9fa45e15df0bbaa6230827fe48e708287de4fa605a25128f3e037c1a24feb94f", "sha256: 9fa45e", 1
    ),
}


@pytest.mark.parametrize("breakage", sorted(_MANIFEST_BREAKAGES))
@pytest.mark.parametrize("command", ["build", "validate"])
def test_bad_manifest_is_one_named_error(raw_copy: Path, monkeypatch, capsys, breakage, command):
    manifest = raw_copy / "sources.yaml"
    broken = _MANIFEST_BREAKAGES[breakage](manifest.read_text(encoding="utf-8"))
    if broken is None:
        manifest.write_bytes(manifest.read_bytes().replace("梧州".encode(), "梧州".encode("gb18030"), 1))
    else:
        manifest.write_text(broken, encoding="utf-8")
    monkeypatch.setenv("KEXIE_DATA_DIR", str(raw_copy.parent))
    assert main([command]) == 2
    err = capsys.readouterr().err
    assert "sources.yaml" in err and "Traceback" not in err and "executed" not in err
    assert len(err.strip().splitlines()) <= 2, err  # one message, not a dump


@pytest.mark.parametrize(
    "content",
    [
        b'admin_code,name_zh\n"450000,unterminated\n',  # malformed CSV (unclosed quote)
        b"",  # empty (0-byte) file
        b"\xff\xfe\x00bad",  # not UTF-8
        b"admin_code,name_zh,name_en\n45,Guangxi,G\n",  # wrong code and columns
    ],
)
def test_bad_places_reference_is_one_named_error(raw_copy: Path, monkeypatch, capsys, content):
    (raw_copy / "reference" / "places_2020.csv").write_bytes(content)
    monkeypatch.setenv("KEXIE_DATA_DIR", str(raw_copy.parent))
    assert main(["build"]) == 2
    err = capsys.readouterr().err
    assert "places_2020.csv" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "file", ["../../../../etc/hostname", "/etc/hostname", "sub/../../sources.yaml", "C:\\evil.txt"]
)
def test_manifest_paths_must_stay_inside_documents(raw_copy: Path, monkeypatch, capsys, file):
    manifest = raw_copy / "sources.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("file: 000_8f4cdd9b00102f1f.txt", f"file: '{file}'", 1),
        encoding="utf-8",
    )
    monkeypatch.setenv("KEXIE_DATA_DIR", str(raw_copy.parent))
    assert main(["build"]) == 2
    err = capsys.readouterr().err
    assert "must be a relative path inside" in err and "Traceback" not in err


def test_symlink_out_of_documents_is_refused(raw_copy: Path, tmp_path, monkeypatch, capsys):
    outside = tmp_path / "outside.txt"
    document = raw_copy / "documents" / "000_8f4cdd9b00102f1f.txt"
    outside.write_bytes(document.read_bytes())  # same checksum: only the location is wrong
    document.unlink()
    document.symlink_to(outside)
    monkeypatch.setenv("KEXIE_DATA_DIR", str(raw_copy.parent))
    assert main(["build"]) == 2
    assert "resolves outside" in capsys.readouterr().err


def test_build_refuses_to_replace_a_foreign_folder(tmp_path, capsys):
    (tmp_path / "thesis.tex").write_text("mine")
    assert main(["build", "--output-dir", str(tmp_path)]) == 2
    assert "holds no output of `kexie build`" in capsys.readouterr().err
    assert (tmp_path / "thesis.tex").read_text() == "mine"


def test_a_sha256_yaml_reads_as_a_number_is_explained(raw_copy: Path, monkeypatch, capsys):
    manifest = raw_copy / "sources.yaml"
    manifest.write_text(_MANIFEST_BREAKAGES["sha256_number"](manifest.read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.setenv("KEXIE_DATA_DIR", str(raw_copy.parent))
    assert main(["validate"]) == 2
    assert (
        "source #1: sha256 must be 64 lower-case hexadecimal digits (quote it where YAML would read it as a number), got '0'"
        in capsys.readouterr().err
    )


# Paths of the command line that cannot be written: one line naming the path, exit status 2.
def _file_in_the_way(tmp_path: Path) -> Path:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    return tmp_path / "afile" / "sub"


@pytest.mark.parametrize(
    "command",
    [
        ["build", "--output-dir", "{blocked}"],
        ["report", "--notebooks", "00", "--output-dir", "{blocked}", "--no-progress"],
    ],
)
def test_an_output_folder_under_a_file_is_one_named_error(tmp_path: Path, capsys, command):
    blocked = _file_in_the_way(tmp_path)
    assert main([part.format(blocked=blocked) for part in command]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert f"{tmp_path / 'afile'} is a file, not a folder" in err


def test_a_coding_sheet_that_is_a_folder_is_one_named_error(raw_copy: Path, monkeypatch, capsys):
    (raw_copy / "indicators" / "extra.csv").mkdir()
    monkeypatch.setenv("KEXIE_DATA_DIR", str(raw_copy.parent))
    assert main(["validate"]) == 2
    err = capsys.readouterr().err
    assert "extra.csv" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1, err


def test_os_errors_read_as_one_line_with_their_paths():
    from kexie_research.cli import describe_os_error

    assert (
        describe_os_error(FileExistsError(17, "File exists", "a/b"))
        == "'a/b': File exists (a file stands where a folder is needed)"
    )
    assert (
        describe_os_error(PermissionError(13, "Permission denied", "x", None, "y")) == "'x' -> 'y': Permission denied"
    )


@pytest.mark.parametrize(
    "command", [["build", "--output-dir", ""], ["report", "--output-dir", " "], ["report", "--notebooks-dir", ""]]
)
def test_an_empty_folder_option_is_refused(command, capsys):
    with pytest.raises(SystemExit) as exited:
        main(command)
    assert exited.value.code == 2
    assert f"{command[1]}: expects a folder, got an empty text" in capsys.readouterr().err


def test_an_output_folder_that_cannot_be_written_is_named(tmp_path: Path, capsys, monkeypatch):
    # A folder the user may not write in (tests often run as root, for whom permissions do not
    # apply, so the refusal of the file system is stood in for).
    original = Path.mkdir

    def refuse(self: Path, *args, **kwargs):
        if self.parent == tmp_path and self.name.startswith("."):  # the new set is staged beside the target
            raise PermissionError(13, "Permission denied", str(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", refuse)
    assert main(["build", "--output-dir", str(tmp_path / "out")]) == 2
    assert (
        capsys.readouterr().err
        == f"kexie build: error: {tmp_path / 'out'}: cannot write in its folder {tmp_path} (Permission denied)\n"
    )
