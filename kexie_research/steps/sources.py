"""The source manifest (``data/raw/sources.yaml``) and the documents it pins by checksum.

Build-internal: only ``kexie build`` and ``kexie add-source`` read ``data/raw``; analysis code and
notebooks use :func:`kexie_research.data.load_documents` (the processed ``documents.parquet``).

Each manifest entry names its **case** (``case: <key>``) and the case's division: its code
(``admin_code``) and its Chinese name (``place_zh``, as in the division reference). The keys of
manifests written before 0.7.0 (``city:``, ``city_zh:``) are refused with one error that says what to
write instead. A malformed manifest raises one :class:`SourceError` naming the file; a ``file:`` must
be a plain name inside ``data/raw/documents/``.

Example::

    >>> from kexie_research.steps.sources import case_keys
    >>> case_keys()[:2]
    ['wuzhou', 'rongchang']
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import pandas as pd
import yaml

from kexie_research import config
from kexie_research.errors import SourceError
from kexie_research.ingest.manifest import check_provenance, original_path
from kexie_research.parse.periods import is_iso_date

MANIFEST_NAME = config.MANIFEST
DOCUMENTS_DIR = config.DOCUMENTS_DIR
# The text fields of a manifest entry, in the order of documents.csv; all but OPTIONAL_FIELDS required.
TEXT_FIELDS = (
    "source_id",
    "file",
    "sha256",
    "case",
    "place_zh",
    "province",
    "province_zh",
    "admin_code",
    "title_zh",
    "title_en",
    "genre",
    "outlet",
    "date",
    "reference_date",
    "reference_date_rule",
)
OPTIONAL_FIELDS = ("outlet", "reference_date_rule")
REQUIRED_FIELDS = tuple(field for field in TEXT_FIELDS if field not in OPTIONAL_FIELDS)
# Keys of manifests written before 0.7.0 -> the key that replaced each (read by nothing any more).
RENAMED_KEYS = {"city": "case", "city_zh": "place_zh"}


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"; _ = p.write_bytes(b"")
    >>> sha256_of(p)[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_yaml_mapping(path: Path, error: type[Exception] = SourceError, what: str = "file") -> dict[str, Any]:
    """Read a YAML file that must hold a mapping; any problem is one ``error`` naming the file.

    Only plain YAML is read (``yaml.safe_load``): a ``!!python/…`` tag is refused, never executed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.yaml"; _ = p.write_text("- a\\n")
    >>> try:
    ...     read_yaml_mapping(p)
    ... except SourceError as exc:
    ...     print(str(exc).split(": ", 1)[1])
    expected a mapping at the top level, found a list
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: {what} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read {what} (expected UTF-8 text): {exc}") from exc
    return parse_yaml_mapping(text, path, error)


#: The loader of every YAML file of data/raw: the C loader where PyYAML has it (the same safe subset,
#: fast enough for national manifests). ``kexie add-source`` reads back what it writes with it too.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml_mapping(text: str, path: Path, error: type[Exception] = SourceError) -> dict[str, Any]:
    """The mapping of a YAML text read from ``path`` (named in errors), read as the build reads it.

    Examples
    --------
    >>> parse_yaml_mapping("a: 1\\n", Path("x.yaml"))
    {'a': 1}
    """
    try:
        content = yaml.load(text, Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        # one line: the problem and where it is (safe_load refuses !!python tags with a ConstructorError)
        detail = " ".join(str(exc).split())
        raise error(f"{path}: malformed YAML: {detail}") from exc
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise error(f"{path}: expected a mapping at the top level, found {yaml_kind(content)}")
    return content


def yaml_kind(value: Any) -> str:
    """What a YAML value is, in the words of an error message.

    Examples
    --------
    >>> [yaml_kind(v) for v in (["a"], {"a": 1}, "a", 1, None)]
    ['a list', 'a mapping', 'a string', 'a number', 'nothing']
    """
    kinds = {
        list: "a list",
        dict: "a mapping",
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "a boolean",
        type(None): "nothing",
    }
    return kinds.get(type(value), type(value).__name__)


def document_path(raw: Path, file: Any, where: str = "") -> Path:
    """The path of a manifest ``file:`` inside ``raw/documents``; :class:`SourceError` if it could leave it.

    Refused: a non-string, an empty name, an absolute path, a drive, ``..``, a backslash, and a
    symbolic link (or a folder link) that points outside ``data/raw/documents``.

    Examples
    --------
    >>> document_path(Path("/data/raw"), "000_abc.txt").as_posix()
    '/data/raw/documents/000_abc.txt'
    >>> try:
    ...     document_path(Path("/data/raw"), "../../etc/hostname")
    ... except SourceError as exc:
    ...     print("refused")
    refused
    """
    folder = raw / DOCUMENTS_DIR
    prefix = f"{where}: " if where else ""
    if not isinstance(file, str) or not file.strip():
        raise SourceError(f"{prefix}file must be a file name in {folder}, got {file!r}")
    posix, windows = PurePosixPath(file), PureWindowsPath(file)
    if (
        posix.is_absolute()
        or windows.is_absolute()
        or windows.drive
        or "\\" in file
        or any(part in ("..", ".") for part in posix.parts)
        or "\x00" in file
    ):
        raise SourceError(f"{prefix}file {file!r} must be a relative path inside {folder} (no absolute path, no '..')")
    path = folder / posix
    if path.exists() or path.is_symlink():
        try:
            path.resolve(strict=False).relative_to(folder.resolve())
        except ValueError:
            raise SourceError(f"{prefix}file {file!r} resolves outside {folder} (symbolic link)") from None
    return path


def read_manifest(raw_dir: Path, text: str | None = None) -> list[dict[str, Any]]:
    """The checked entries of the manifest of ``raw_dir`` (or of ``text``, a manifest about to be written).

    Examples
    --------
    >>> text = (config.raw_dir() / MANIFEST_NAME).read_text(encoding="utf-8")
    >>> read_manifest(config.raw_dir(), text=text.replace("wuzhou_article", "renamed_article", 1))[0]["source_id"]
    'renamed_article'
    """
    path = raw_dir / MANIFEST_NAME
    content = (
        read_yaml_mapping(path, SourceError, "source manifest") if text is None else parse_yaml_mapping(text, path)
    )
    entries = content.get("sources")
    if not isinstance(entries, list) or not entries:
        found = yaml_kind(entries)
        raise SourceError(f"{path}: expected 'sources:' with a list of entries, found {found}")
    refuse_renamed_keys(path, entries)
    seen: set[str] = set()
    normalised = []
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: source #{number}"
        if not isinstance(entry, dict):
            raise SourceError(f"{where}: expected a mapping of fields, found {yaml_kind(entry)}")
        entry = dict(entry)
        missing = [field for field in REQUIRED_FIELDS if field not in entry]
        if missing:
            raise SourceError(f"{where} lacks field(s) {', '.join(missing)}")
        for field in TEXT_FIELDS:
            value = entry.get(field, "")
            if value is None:
                value = ""
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                raise SourceError(f"{where}: field {field!r} must be text, found {yaml_kind(value)}")
            entry[field] = str(value)
        if not entry["source_id"].strip() or not entry["case"].strip():
            raise SourceError(f"{where}: empty source_id or case")
        if not re.fullmatch(r"[0-9a-f]{64}", entry["sha256"]):
            raise SourceError(
                f"{where}: sha256 must be 64 lower-case hexadecimal digits (quote it where YAML "
                f"would read it as a number), got {entry['sha256']!r}"
            )
        if entry["reference_date"] and not is_iso_date(entry["reference_date"], day=True):
            raise SourceError(
                f"{where}: reference_date must be empty or a day of the calendar (YYYY-MM-DD), "
                f"got {entry['reference_date']!r}"
            )
        if not (len(entry["admin_code"]) == 6 and entry["admin_code"].isdigit()):
            raise SourceError(f"{where}: admin_code must have 6 digits, got {entry['admin_code']!r}")
        authors = entry.get("authors_zh") or []
        if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
            raise SourceError(f"{where}: authors_zh must be a list of names")
        if entry["source_id"] in seen:
            raise SourceError(f"{path}: duplicate source_id {entry['source_id']!r}")
        seen.add(entry["source_id"])
        document_path(raw_dir, entry["file"], where)
        entry.update(check_provenance(entry, where))  # optional: the document as found and its conversion
        if "original" in entry:
            original_path(raw_dir, entry["original"]["file"], where)
        normalised.append(entry)
    return normalised


def refuse_renamed_keys(path: Path, entries: list[Any]) -> None:
    """One :class:`SourceError` naming every entry of ``path`` that still uses a key renamed in 0.7.0.

    The message gives, entry by entry, the line to write instead (``RENAMED_KEYS``).

    Examples
    --------
    >>> refuse_renamed_keys(Path("sources.yaml"), [{"source_id": "a", "case": "a", "place_zh": "甲市"}])
    >>> old = {"source_id": "a_note", "case": "a", "city_zh": "甲市"}
    >>> try:
    ...     refuse_renamed_keys(Path("sources.yaml"), [old])
    ... except SourceError as exc:
    ...     print(exc)
    sources.yaml: key(s) renamed in 0.7.0; source #1 (a_note): write 'place_zh: 甲市' instead of 'city_zh: 甲市'
    """
    fixes = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            continue  # reported by read_manifest with its kind
        renamed = [key for key in RENAMED_KEYS if key in entry]
        if renamed:
            name = f" ({entry['source_id']})" if isinstance(entry.get("source_id"), str) else ""
            writes = ", ".join(
                f"remove '{key}: {entry[key]}' (it has '{RENAMED_KEYS[key]}:')"
                if RENAMED_KEYS[key] in entry
                else f"write '{RENAMED_KEYS[key]}: {entry[key]}' instead of '{key}: {entry[key]}'"
                for key in renamed
            )
            fixes.append(f"source #{number}{name}: {writes}")
    if fixes:
        raise SourceError(f"{path}: key(s) renamed in 0.7.0; {'; '.join(fixes)}")


def read_sources(raw_dir: Path | None = None) -> list[dict[str, Any]]:
    """The manifest entries, in manifest order (no checksum verification). Build-internal.

    Examples
    --------
    >>> read_sources()[0]["source_id"]
    'wuzhou_article'
    """
    return read_manifest(Path(raw_dir) if raw_dir else config.raw_dir())


def case_keys(raw_dir: Path | None = None) -> list[str]:
    """The case keys in manifest order, each once (a case may have several documents).

    Examples
    --------
    >>> "wuzhou" in case_keys()
    True
    """
    return list(dict.fromkeys(entry["case"] for entry in read_sources(raw_dir)))


def verify_sources(raw_dir: Path | None = None) -> list[dict[str, Any]]:
    """Check every document (and every original kept beside one) exists and matches its manifest sha256.

    Raises :class:`SourceError` naming the file, the expected and the actual checksum.

    Examples
    --------
    >>> len(verify_sources()) >= 1
    True
    """
    raw = Path(raw_dir) if raw_dir else config.raw_dir()
    entries = read_manifest(raw)
    for entry in entries:
        path = document_path(raw, entry["file"])
        if path.exists() and not path.is_file():  # a folder, FIFO or device: never opened (a FIFO blocks)
            raise SourceError(f"{path}: source document of {entry['source_id']!r} is not a regular file")
        if not path.is_file():
            raise SourceError(f"{path}: source document of {entry['source_id']!r} not found")
        actual = sha256_of(path)
        if actual != entry["sha256"]:
            raise SourceError(
                f"{path}: checksum changed (expected sha256 {entry['sha256']}, found {actual}). "
                "Source documents are immutable: restore the original file, or if the source itself "
                "was deliberately replaced, update data/raw/sources.yaml and record it in CHANGELOG.md."
            )
        if "original" in entry:  # the document as found, kept beside its text of record
            original = original_path(raw, entry["original"]["file"])
            if not original.is_file():
                raise SourceError(f"{original}: original document of {entry['source_id']!r} not found")
            found = sha256_of(original)
            if found != entry["original"]["sha256"]:
                raise SourceError(
                    f"{original}: checksum changed (expected sha256 {entry['original']['sha256']}, "
                    f"found {found}). Originals are immutable: restore the file."
                )
    return entries


@lru_cache(maxsize=16)
def _document_text(path: str, mtime_ns: int, size: int) -> str:
    return Path(path).read_text(encoding="utf-8")


def _cached_text(path: Path) -> str:
    """A document's text, read once per process unless the file changes."""
    stat = path.stat()
    try:
        return _document_text(str(path), stat.st_mtime_ns, stat.st_size)
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not valid UTF-8 text: {exc}") from exc


def read_document(source_id: str, raw_dir: Path | None = None) -> str:
    """The exact text of one source document. Build-internal.

    Examples
    --------
    >>> read_document("wuzhou_article")[:3]
    ' □ '
    """
    raw = Path(raw_dir) if raw_dir else config.raw_dir()
    entries = read_manifest(raw)
    for entry in entries:
        if entry["source_id"] == source_id:
            return _cached_text(document_path(raw, entry["file"]))
    valid = ", ".join(entry["source_id"] for entry in entries)
    raise SourceError(f"unknown source_id {source_id!r}; valid: {valid}")


DOCUMENT_COLUMNS = (*TEXT_FIELDS, "authors_zh", "text")


def read_document_table(raw_dir: Path | None = None, verify: bool = True) -> pd.DataFrame:
    """One row per source document: manifest fields plus ``text`` (the exact file content).

    Build-internal (the processed table is :func:`kexie_research.data.load_documents`). With
    ``verify=True`` (default) a changed checksum raises :class:`SourceError`.

    Examples
    --------
    >>> read_document_table().loc[0, "case"]
    'wuzhou'
    """
    raw = Path(raw_dir) if raw_dir else config.raw_dir()
    entries = verify_sources(raw) if verify else read_manifest(raw)
    rows = []
    for entry in entries:
        row = {field: entry[field] for field in TEXT_FIELDS}
        row["authors_zh"] = "、".join(entry.get("authors_zh") or [])
        row["text"] = _cached_text(document_path(raw, entry["file"]))
        rows.append(row)
    return pd.DataFrame(rows, columns=list(DOCUMENT_COLUMNS))


def documents_step(raw_dir: Path | None = None) -> pd.DataFrame:
    """The build step of ``documents.parquet``: verified manifest fields and exact texts.

    Examples
    --------
    >>> documents_step().columns[-1]
    'text'
    """
    frame = read_document_table(raw_dir, verify=True)
    return frame.astype(dict.fromkeys(frame.columns, "str"))
