"""One declaration per processed table: its columns (type, description, checks) and what derives from it.

A :class:`Table` gives both the pandera schema that ``kexie build`` validates the table with and the
Frictionless resource of ``datapackage.json`` (which the documentation's data dictionary renders), so
the checks, the files and their description cannot drift apart.

Example::

    >>> from kexie_research.schemas.table import Column, Table
    >>> t = Table("demo", "demo.csv", "A demo", {"id": Column("string", "Key", unique=True)}, primary_key="id")
    >>> t.resource()["schema"]["primaryKey"]
    ['id']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pandera.pandas as pa

from kexie_research.errors import KexieError

# Frictionless type -> pandas dtype the build writes (text columns use pandas' str dtype or object).
_DTYPES = {"string": None, "integer": "int64", "number": "float64", "boolean": "bool", "date": None}


class SchemaError(KexieError, ValueError):
    """A processed table fails its schema: the message names the table and every failed check."""


@dataclass(frozen=True)
class Column:
    """One column: Frictionless type, description, and pandera checks.

    Examples
    --------
    >>> Column("number", "Longitude", checks=(pa.Check.in_range(-180, 180),)).kind
    'number'
    """

    kind: str
    description: str
    nullable: bool = False
    unique: bool = False
    checks: tuple[pa.Check, ...] = ()
    isin: tuple[Any, ...] | None = None
    pattern: str | None = None

    def pandera(self) -> pa.Column:
        """The pandera column.

        Examples
        --------
        >>> Column("integer", "A count", nullable=True).pandera().nullable
        True
        """
        checks = list(self.checks)
        if self.isin is not None:
            checks.append(pa.Check.isin(self.isin))
        if self.pattern is not None:
            checks.append(pa.Check.str_matches(self.pattern))
        dtype = {"integer": "Int64" if self.nullable else "int64", "number": "float64", "boolean": "bool"}.get(
            self.kind
        )
        return pa.Column(dtype, nullable=self.nullable, unique=self.unique, checks=checks or None, coerce=False)


@dataclass(frozen=True)
class Table:
    """A processed table: file, description, columns in order, optional primary key.

    Examples
    --------
    >>> Table("demo", "demo.csv", "A demo", {"id": text("Key")}, primary_key="id").resource()["name"]
    'demo'
    """

    name: str
    path: str
    description: str
    columns: dict[str, Column]
    primary_key: str | None = None
    extra_checks: tuple[pa.Check, ...] = field(default=())

    def schema(self) -> pa.DataFrameSchema:
        """The pandera schema (strict, ordered).

        Examples
        --------
        >>> Table("demo", "demo.csv", "A demo", {"id": text("Key")}).schema().strict
        True
        """
        return pa.DataFrameSchema(
            {name: column.pandera() for name, column in self.columns.items()},
            checks=list(self.extra_checks) or None,
            strict=True,
            ordered=True,
            name=self.name,
        )

    def validate(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Validate ``frame`` (all failures collected); :class:`SchemaError` naming the table if any fails.

        Examples
        --------
        >>> t = Table("demo", "demo.csv", "A demo", {"n": Column("integer", "A count", checks=(pa.Check.ge(0),))})
        >>> try:
        ...     t.validate(pd.DataFrame({"n": [1, -1]}))
        ... except SchemaError as exc:
        ...     print(str(exc).splitlines()[0])
        processed table 'demo' fails its schema:
        """
        try:
            return self.schema().validate(frame, lazy=True)
        except pa.errors.SchemaErrors as exc:
            cases = exc.failure_cases
            lines = [
                f"  {row.column or 'table'}: {row.check} (value {row.failure_case!r}, row {row.index})"
                for row in cases.head(20).itertuples()
            ]
            raise SchemaError(f"processed table {self.name!r} fails its schema:\n" + "\n".join(lines)) from exc

    def resource(self, description: str | None = None) -> dict[str, Any]:
        """The Frictionless tabular resource descriptor of the table.

        Examples
        --------
        >>> Table("demo", "demo.csv", "A demo", {"id": text("Key")}).resource()["mediatype"]
        'text/csv'
        """
        fields = [
            {"name": name, "type": column.kind, "description": column.description}
            for name, column in self.columns.items()
        ]
        schema: dict[str, Any] = {"fields": fields}
        if self.primary_key:
            schema["primaryKey"] = [self.primary_key]
        fmt = self.path.rsplit(".", 1)[-1]
        mediatype = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet"}[fmt]
        resource: dict[str, Any] = {
            "name": self.name,
            "path": self.path,
            "profile": "tabular-data-resource",
            "format": fmt,
            "mediatype": mediatype,
        }
        if fmt == "csv":
            resource["encoding"] = "utf-8"
        resource["description"] = description or self.description
        resource["schema"] = schema
        return resource


def text(description: str, **kwargs: Any) -> Column:
    """A text column.

    Examples
    --------
    >>> text("Name").kind
    'string'
    """
    return Column("string", description, **kwargs)


CODE = r"^\d{6}$"
