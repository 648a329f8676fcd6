"""One escaping rule for every data-derived string a page shows: text, never markup.

Report pages show Markdown built from the dataset (a source's title, a case's name, a condition's
label). Markdown passes inline HTML through, so a title such as ``<img src=x onerror=…>`` would run
as script when the page opens, and a ``*`` or a backtick would change the layout. :func:`md`
builds the Markdown from a *trusted template* (the notebook's own text) and *data values*, each
value turned into plain text: every character that HTML or Markdown reads as markup becomes a
numeric character reference (``<`` → ``&#60;``), which both render as the character itself. A
line break in a value becomes a space, so that a value cannot start a heading or a list.

Tables go through :mod:`kexie_research.viz.tables`, which uses the same rule for cells, column
headers and captions.

Examples
--------
>>> md("**{n:,}** facts about {case}", n=12345, case="<b>梧州</b>").data
'**12,345** facts about &#60;b&#62;梧州&#60;/b&#62;'
>>> md("source {source_id!c}", source_id="wz_`x`").data
'source <code>wz&#95;&#96;x&#96;</code>'
"""

from __future__ import annotations

import string
from typing import Any

__all__ = ["escape_html", "escape_markdown", "join", "md"]

# Characters that HTML or (CommonMark/GFM, MyST) Markdown may read as markup, anywhere in a line or at
# its start: tags and entities, emphasis, code, links and images, headings, tables, lists, math,
# MyST roles and substitutions ({role}`…`, {{ … }}).
_MARKUP = "&<>\"'`*_[](){}#|\\~$!=+-.:^@%"
_REFERENCES = {ord(c): f"&#{ord(c)};" for c in _MARKUP}
_HTML = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;", ord("'"): "&#x27;"}


def escape_html(value: Any) -> str:
    """``value`` as text for an HTML element or attribute (``& < > " '`` escaped).

    Examples
    --------
    >>> escape_html('"><svg onload=alert(1)>')
    '&quot;&gt;&lt;svg onload=alert(1)&gt;'
    """
    return str(value).translate(_HTML)


def escape_markdown(value: Any) -> str:
    """``value`` as Markdown that renders as exactly its text (and as text in HTML too).

    Every markup character becomes a numeric character reference; line breaks become spaces.

    Examples
    --------
    >>> escape_markdown("1. *a* <b>")
    '1&#46; &#42;a&#42; &#60;b&#62;'
    >>> escape_markdown("两行\\n# 文本")
    '两行 &#35; 文本'
    """
    return " ".join(str(value).splitlines()).translate(_REFERENCES)


class _Code(str):
    """A value to show as inline code (the ``!c`` conversion of :func:`md`)."""


class _EscapingFormatter(string.Formatter):
    """``str.format`` whose replacement fields are escaped after formatting (the template is not)."""

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "c":
            return _Code(value)
        if conversion == "r":
            raise ValueError("md(): !r would print a repr into the page; format the value instead")
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> str:
        from IPython.display import Markdown

        if isinstance(value, Markdown):  # built by md() or join(): already safe, kept as Markdown
            return value.data
        if isinstance(value, _Code):
            return f"<code>{escape_markdown(format(str(value), format_spec))}</code>"
        return escape_markdown(format(value, format_spec))


_FORMATTER = _EscapingFormatter()


def md(template: str, /, **values: Any):
    """Markdown to ``display``: ``template`` (trusted, the notebook's text) with escaped ``values``.

    Replacement fields follow :meth:`str.format` (``{n:,}``, ``{share:.0%}``); ``{name!c}`` shows a
    value as inline code. A value that is itself the result of :func:`md` or :func:`join` is
    inserted as Markdown (that is how pieces compose). Only keyword values are accepted, so a template cannot pick up a value
    by position by mistake.

    Parameters
    ----------
    template
        Markdown with ``{name}`` fields; literal braces are written ``{{`` and ``}}``.
    **values
        The data; each formatted value is shown as text, whatever it contains.

    Returns
    -------
    IPython.display.Markdown

    Examples
    --------
    >>> md("### {title}", title="<script>alert(1)</script>").data
    '### &#60;script&#62;alert&#40;1&#41;&#60;/script&#62;'
    >>> md("{a}{{literal}}", a="[x](javascript:alert(1))").data
    '&#91;x&#93;&#40;javascript&#58;alert&#40;1&#41;&#41;{literal}'
    """
    from IPython.display import Markdown

    return Markdown(_FORMATTER.format(template, **values))


def join(parts, separator: str = "\n"):
    """Markdown pieces made by :func:`md` joined by ``separator`` (trusted text, e.g. a line break).

    Anything else in ``parts`` is escaped as a value would be.

    Examples
    --------
    >>> join([md("- {x}", x="*a*"), md("- {x}", x="b")]).data
    '- &#42;a&#42;\\n- b'
    """
    from IPython.display import Markdown

    return Markdown(
        separator.join(part.data if isinstance(part, Markdown) else escape_markdown(part) for part in parts)
    )
