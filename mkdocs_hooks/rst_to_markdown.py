r"""Griffe extension: render statcraft's numpydoc (reStructuredText) docstrings as Markdown.

statcraft's docstrings are standard numpydoc, written in reStructuredText so that ``help()``,
IPython and Sphinx users read them as intended. mkdocstrings renders docstring text as Markdown,
where RST markup shows up raw (``:func:`bootstrap```, rows of ``=====``, ``:math:`` source).
This extension rewrites each docstring's text *when the site is built* (the source files are not
touched), before mkdocstrings parses the numpydoc sections:

==============================  ===========================================================
RST                             Markdown
==============================  ===========================================================
``:func:`x``` and other roles   an optional autorefs link (``<autoref optional>``): a link
(``:class:`` ``:meth:``         to ``x``'s entry when a reference page renders it, plain
``:attr:`` ``:mod:`` ...)       code otherwise (optional references never warn)
``:math:`tex```                 ``\(tex\)`` (pymdownx.arithmatex; MathML when the page is
                                built, see ``mathml.py``)
``.. math::`` block             ``$$ ... $$`` (``aligned`` when it has ``&`` or ``\\``, as
                                Sphinx does)
simple tables (``===  ===``)    Markdown tables (continuation rows joined)
grid tables (``+---+---+``)     Markdown tables
````literal````                 ```literal```
``.. note::`` etc.              admonitions (``!!! note``)
``.. [1] citation``             a list item ``[1] citation``
``text::`` + indented block     ``text:`` + a fenced code block
"See Also" entries              a list of cross-references
==============================  ===========================================================

Name resolution follows Sphinx: the target is looked up from the docstring's object outwards
(its members, its parent's members and imports, ... up to the module), then as an absolute
path, then as a unique short name in the package. The link points at the object's canonical
path, which mkdocstrings registers for every object it renders, whatever path it is shown under.

Enable it in ``mkdocs.yml``::

    plugins:
      - mkdocstrings:
          handlers:
            python:
              options:
                extensions: [mkdocs_hooks/rst_to_markdown.py]
"""

from __future__ import annotations

import ast
import html
import itertools
import re
import textwrap
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

try:  # the converter itself is pure Python; griffe is only needed for the extension class
    from griffe import Extension
except ImportError:  # pragma: no cover - griffe ships with mkdocstrings-python
    Extension = object  # type: ignore[assignment,misc]

#: Roles that name a Python object (rendered as cross-references).
OBJECT_ROLES = ("func", "class", "meth", "attr", "mod", "data", "obj", "exc", "const", "any")
#: Every role the converter understands; ``tests`` and the build check look for these.
ROLES = (*OBJECT_ROLES, "math")

# A role (optionally in the py: domain), e.g. :func:`~statcraft.bootstrap` or :math:`x^2`.
_ROLE = r":(?:py:)?(?P<role>[a-z]+):`(?P<body>[^`]+)`"
# ``literal`` (no backtick inside), or a role; one regex so that a role inside a literal is left.
_INLINE_RE = re.compile(r"(?P<literal>``(?P<lit>[^`].*?)``(?!`))|" + _ROLE, re.S)
_SIMPLE_RULE_RE = re.compile(r"^(?P<indent> *)=+(?: +=+)+ *$")
_GRID_RULE_RE = re.compile(r"^(?P<indent> *)\+(?:[-=]+\+)+ *$")
_DIRECTIVE_RE = re.compile(r"^(?P<indent> *)\.\. (?P<name>[a-zA-Z-]+)::(?: +(?P<arg>.*))?$")
_CITATION_RE = re.compile(r"^(?P<indent> *)\.\. \[(?P<label>[^\]]+)\] +(?P<text>.*)$")
_SECTION_UNDERLINE_RE = re.compile(r"^ *-{3,} *$")

_ADMONITIONS = {
    "note": "note",
    "warning": "warning",
    "tip": "tip",
    "hint": "tip",
    "important": "important",
    "caution": "warning",
    "attention": "warning",
    "danger": "danger",
    "error": "danger",
    "seealso": "info",
    "versionadded": "info",
    "versionchanged": "info",
    "deprecated": "warning",
}
_ADMONITION_TITLES = {
    "seealso": "See also",
    "versionadded": "Added in version {arg}",
    "versionchanged": "Changed in version {arg}",
    "deprecated": "Deprecated since version {arg}",
}

Resolver = Callable[[str, str], "str | None"]
"""``resolve(role, target) -> identifier or None``: where a cross-reference should point."""


# --------------------------------------------------------------------------------------------
# inline markup
# --------------------------------------------------------------------------------------------


def convert_inline(text: str, resolve: Resolver | None = None) -> str:
    """Convert RST inline markup (roles, ````literals````) in ``text`` to Markdown."""

    def replace(match: re.Match[str]) -> str:
        if match["literal"]:
            content = match["lit"]
            if "`" in content or content != content.strip():
                return match[0]  # Markdown reads ``x`` as code too; keep it where it matters
            return f"`{content}`"
        role, body = match["role"], match["body"]
        if role == "math":
            return math_inline(body)
        if role in OBJECT_ROLES:
            return cross_reference(role, body, resolve)
        return f"`{body}`"  # an unknown role: show its text as code rather than raw markup

    return _INLINE_RE.sub(replace, text)


def math_inline(tex: str) -> str:
    r"""Inline maths in arithmatex's ``\(...\)`` syntax (one line: Markdown may wrap it)."""
    return r"\(" + " ".join(tex.split()) + r"\)"


def cross_reference(role: str, body: str, resolve: Resolver | None = None) -> str:
    """Write a cross-reference role as Markdown: an optional autorefs link, or plain code.

    Sphinx's forms are honoured: ``~a.b.c`` shows ``c``, ``title <target>`` shows ``title``,
    a leading ``.`` or ``!`` is dropped, and functions and methods get ``()``.
    """
    body = " ".join(body.split())
    explicit = re.fullmatch(r"(?P<title>.+?) *<(?P<target>[^<>]+)>", body)
    if explicit:
        title, target = explicit["title"], explicit["target"].strip()
    else:
        target = re.sub(r"\s+", "", body)  # a target broken over two lines is one name
        title = ""
    short = target.startswith("~")
    target = target.lstrip("~!.")
    if not title:
        title = target.rsplit(".", 1)[-1] if short else target
        if role in ("func", "meth") and not title.endswith(")"):
            title += "()"
    code = f"`{title}`" if "`" not in title else f"`` {title} ``"
    identifier = resolve(role, target) if resolve is not None else None
    if identifier is None:
        return code
    return f'<autoref identifier="{html.escape(identifier)}" optional>{code}</autoref>'


def _escape_cell(text: str) -> str:
    """Escape ``|`` in a Markdown table cell, except inside code spans and maths."""
    out = []
    for i, part in enumerate(re.split(r"(`+[^`]*?`+|\\\(.*?\\\))", text)):
        out.append(part if i % 2 else part.replace("|", r"\|"))
    return "".join(out)


# --------------------------------------------------------------------------------------------
# block markup
# --------------------------------------------------------------------------------------------


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block_end(lines: list[str], start: int, indent: int) -> int:
    """Index after the block of lines indented deeper than ``indent`` starting at ``start``."""
    end = start
    last_content = start
    while end < len(lines):
        line = lines[end]
        if line.strip():
            if _indent_of(line) <= indent:
                break
            last_content = end + 1
        end += 1
    return last_content


def _body(lines: list[str]) -> list[str]:
    """Dedent a block and strip its leading and trailing blank lines."""
    text = textwrap.dedent("\n".join(lines)).strip("\n")
    return text.split("\n") if text else []


def math_block(tex_lines: list[str], indent: str = "") -> list[str]:
    r"""Write a ``.. math::`` body as an arithmatex ``$$`` block, with Sphinx's wrapping.

    Sphinx typesets several blank-line-separated equations as one aligned block and wraps an
    equation that has line breaks (``\\``) in ``split``; ``aligned`` does both and also gives
    a one-line equation with ``&`` its alignment environment.
    """
    parts = [p.strip() for p in re.split(r"\n\s*\n", "\n".join(tex_lines)) if p.strip()]
    if not parts:
        return []
    body = " \\\\\n".join(parts) if len(parts) > 1 else parts[0]
    aligned = len(parts) > 1 or "&" in body or "\\\\" in body
    if aligned and not re.match(r"\\begin\{", body):
        body = "\\begin{aligned}\n" + body + "\n\\end{aligned}"
    return ["", indent + "$$", *(indent + line for line in body.split("\n")), indent + "$$", ""]


def _split_columns(rule: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"=+", rule)]


def _cells(line: str, columns: list[tuple[int, int]]) -> list[str]:
    cells = []
    for i, (start, _end) in enumerate(columns):
        stop = columns[i + 1][0] if i + 1 < len(columns) else len(line)
        cells.append(line[start:stop].strip())
    return cells


def _join_cell(previous: str, addition: str) -> str:
    """Join a continuation line to a cell; a literal broken over the lines becomes one."""
    if not previous:
        return addition
    if not addition:
        return previous
    if previous.endswith("``") and addition.startswith("``"):
        sep = "" if previous[:-2].endswith("::") else " "
        return previous[:-2] + sep + addition[2:]
    return previous + " " + addition


def _markdown_table(header: list[list[str]], rows: list[list[str]], indent: str) -> list[str]:
    def line(cells: list[str]) -> str:
        return indent + "| " + " | ".join(cells) + " |"

    width = len(rows[0]) if rows else len(header[0])
    if not header:  # Markdown tables need a header row: an empty one keeps the body a body
        header = [[""] * width]
    out = ["", *(line(h) for h in header[:1]), indent + "|" + "---|" * width]
    # Markdown has one header row: further RST header rows become bold body rows.
    out += [line([f"**{c}**" if c else c for c in h]) for h in header[1:]]
    out += [line(r) for r in rows]
    return [*out, ""]


def _simple_table(lines: list[str], start: int) -> tuple[list[str], int] | None:
    """Parse an RST simple table whose top rule is ``lines[start]``."""
    top = lines[start]
    indent = _SIMPLE_RULE_RE.match(top)["indent"]  # type: ignore[index]
    columns = _split_columns(top)
    rules = [start]
    i = start + 1
    while i < len(lines):
        line = lines[i]
        if _SIMPLE_RULE_RE.match(line):
            rules.append(i)
            following = lines[i + 1] if i + 1 < len(lines) else ""
            if len(rules) == 3 or not following.strip():
                break
        elif line.strip() and _indent_of(line) < len(indent):
            return None
        i += 1
    else:
        return None
    if len(rules) < 2:
        return None

    def parse(segment: list[str]) -> list[list[str]]:
        rows: list[list[str]] = []
        for raw in segment:
            if not raw.strip():
                continue
            for (_, end), (start, _) in itertools.pairwise(columns):
                if raw[end:start].strip():  # docutils: "Text in column margin"
                    raise ValueError(f"RST table text crosses a column boundary: {raw.strip()!r}")
            cells = [_escape_cell(c) for c in _cells(raw, columns)]
            if rows and not cells[0]:
                rows[-1] = [_join_cell(p, a) for p, a in zip(rows[-1], cells, strict=True)]
            else:
                rows.append(cells)
        return rows

    if len(rules) == 3:
        header = parse(lines[rules[0] + 1 : rules[1]])
        body = parse(lines[rules[1] + 1 : rules[2]])
    else:
        header, body = [], parse(lines[rules[0] + 1 : rules[1]])
    return _markdown_table(header, body, indent), rules[-1] + 1


def _grid_table(lines: list[str], start: int) -> tuple[list[str], int] | None:
    """Parse an RST grid table (``+---+`` borders) whose top border is ``lines[start]``.

    Cells spanning several columns or rows are not supported (they cannot be Markdown).
    """
    top = lines[start]
    indent = _GRID_RULE_RE.match(top)["indent"]  # type: ignore[index]
    bounds = [m.start() for m in re.finditer(r"\+", top)]
    header: list[list[str]] = []
    rows: list[list[str]] = []
    current: list[str] | None = None
    i = start + 1
    while i < len(lines) and lines[i].strip().startswith(("|", "+")):
        line = lines[i]
        if _GRID_RULE_RE.match(line):
            if current is not None:
                rows.append(current)
            current = None
            if "=" in line:
                header, rows = rows, []
        else:
            cells = [line[bounds[k] + 1 : bounds[k + 1]].strip() for k in range(len(bounds) - 1)]
            cells = [_escape_cell(c) for c in cells]
            current = (
                cells
                if current is None
                else [_join_cell(p, a) for p, a in zip(current, cells, strict=True)]
            )
        i += 1
    if not rows and not header:
        return None
    return _markdown_table(header, rows, indent), i


def _literal_block(lines: list[str], start: int, indent: int) -> tuple[list[str], int]:
    """Turn the indented block after a ``::`` paragraph into a fenced code block."""
    end = _block_end(lines, start, indent)
    code = _body(lines[start:end])
    pad = " " * indent
    try:
        ast.parse("\n".join(code))
        lang = "python"
    except SyntaxError:
        lang = "text"
    fenced = ["", f"{pad}```{lang}", *((pad + c) if c else "" for c in code), f"{pad}```", ""]
    return fenced, end


def _see_also(lines: list[str]) -> list[str]:
    """Turn numpydoc "See Also" entries (``name, name : description``) into a list of links."""
    out: list[str] = []
    base = min((_indent_of(line) for line in lines if line.strip()), default=0)
    for line in lines:
        if not line.strip():
            continue
        if _indent_of(line) > base and out:
            out[-1] += " " + line.strip()
            continue
        names, sep, description = line.strip().partition(" : ")
        if not sep and line.strip().endswith(" :"):
            names = line.strip()[:-2]
        refs = []
        for name in names.split(","):
            name = name.strip()
            if not name:
                continue
            refs.append(name if name.startswith(":") else f":obj:`{name}`")
        entry = " " * base + "- " + ", ".join(refs)
        if description.strip():
            entry += ": " + description.strip()
        out.append(entry)
    return out


def rst_to_markdown(text: str, resolve: Resolver | None = None) -> str:
    """Convert one numpydoc docstring from RST to the Markdown mkdocstrings renders.

    The numpydoc section structure (``Parameters`` / ``----------`` ...) is kept as it is;
    doctest examples (``>>>`` blocks) and literal blocks are never touched inside.

    Parameters
    ----------
    text : str
        The docstring (already dedented, as griffe stores it).
    resolve : callable, optional
        ``resolve(role, target)`` returns the identifier a cross-reference links to, or None
        to show it as plain code. Without it every cross-reference is plain code.
    """
    lines = text.split("\n")
    # Each output chunk is (is_text, lines): text chunks get inline conversion, code does not.
    chunks: list[tuple[bool, list[str]]] = []

    def emit(is_text: bool, new: list[str]) -> None:
        if chunks and chunks[-1][0] == is_text:
            chunks[-1][1].extend(new)
        else:
            chunks.append((is_text, list(new)))

    section = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        nxt = lines[i + 1] if i + 1 < len(lines) else ""

        # numpydoc section headers stay as they are; remember which section we are in.
        if stripped and _SECTION_UNDERLINE_RE.match(nxt) and not _SECTION_UNDERLINE_RE.match(line):
            section = stripped.lower()
            emit(False, [line, nxt])
            i += 2
            if section == "see also":
                end = i
                while end < len(lines) and not (
                    lines[end].strip()
                    and end + 1 < len(lines)
                    and _SECTION_UNDERLINE_RE.match(lines[end + 1])
                ):
                    end += 1
                body = lines[i:end]
                trailing = len(body) - len(list(_strip_trailing_blank(body)))
                emit(True, _see_also(body))
                emit(True, [""] * trailing)
                i = end
            continue

        # doctest blocks run to the next blank line
        if stripped.startswith(">>>"):
            end = i
            while end < len(lines) and lines[end].strip():
                end += 1
            emit(False, lines[i:end])
            i = end
            continue

        if _SIMPLE_RULE_RE.match(line):
            table = _simple_table(lines, i)
            if table is not None:
                emit(True, table[0])
                i = table[1]
                continue
        if _GRID_RULE_RE.match(line):
            table = _grid_table(lines, i)
            if table is not None:
                emit(True, table[0])
                i = table[1]
                continue

        citation = _CITATION_RE.match(line)
        if citation:
            indent = _indent_of(line)
            end = _block_end(lines, i + 1, indent)
            rest = [c.strip() for c in lines[i + 1 : end] if c.strip()]
            label = citation["label"]
            item = " " * indent + f"- \\[{label}\\] " + " ".join([citation["text"], *rest])
            emit(True, [item])
            i = end
            continue

        directive = _DIRECTIVE_RE.match(line)
        if directive:
            indent = _indent_of(line)
            pad = " " * indent
            end = _block_end(lines, i + 1, indent)
            body = [b for b in lines[i + 1 : end] if not re.match(r"^\s*:[a-z-]+:", b)]
            name, arg = directive["name"].lower(), (directive["arg"] or "").strip()
            if name == "math":
                emit(False, math_block([arg, *_body(body)] if arg else _body(body), pad))
            elif name in _ADMONITIONS:
                kind = _ADMONITIONS[name]
                title = _ADMONITION_TITLES.get(name, "").format(arg=arg)
                content = _body(body)
                if name not in _ADMONITION_TITLES and arg:
                    content = [arg, *content]
                head = f'{pad}!!! {kind} "{title}"' if title else f"{pad}!!! {kind}"
                emit(True, ["", head, *((pad + "    " + c) if c else "" for c in content), ""])
            elif name in ("code-block", "code", "sourcecode"):
                code = _body(body)
                fence = ["", f"{pad}```{arg or 'text'}", *((pad + c) if c else "" for c in code)]
                emit(False, [*fence, f"{pad}```", ""])
            else:  # an unknown directive: keep its content as text, drop the markup
                emit(True, [pad + c if c else "" for c in _body(body)])
            i = end
            continue

        # "paragraph::" followed by an indented literal block
        if stripped.endswith("::") and not stripped.startswith(".."):
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and _indent_of(lines[j]) > _indent_of(line):
                head = line.rstrip()[:-2].rstrip()
                if head.strip():
                    # "text::" reads "text:"; "text ::" drops the colons
                    emit(True, [head + ("" if line.rstrip()[:-2].endswith(" ") else ":")])
                code, end = _literal_block(lines, j, _indent_of(line))
                emit(False, code)
                i = end
                continue

        emit(True, [line])
        i += 1

    out: list[str] = []
    for is_text, chunk in chunks:
        block = "\n".join(chunk)
        out.append(convert_inline(block, resolve) if is_text else block)
    result = "\n".join(out)
    result = re.sub(r"\n{3,}", "\n\n", result)  # blank lines added around blocks
    return result.strip("\n") if text.strip("\n") == text else result


def _strip_trailing_blank(lines: list[str]) -> Iterator[str]:
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    yield from lines[:end]


# --------------------------------------------------------------------------------------------
# the griffe extension
# --------------------------------------------------------------------------------------------


class _Resolver:
    """Resolve cross-reference targets against the loaded package, as Sphinx would."""

    def __init__(self, collection: Any, package: Any) -> None:
        self.collection = collection
        self.by_name: dict[str, set[str]] = defaultdict(set)
        for obj in _walk(package):
            self.by_name[obj.name].add(obj.path)
        self.unresolved: list[tuple[str, str, str]] = []

    def _lookup(self, path: str) -> str | None:
        try:
            obj = self.collection[path]
            return obj.final_target.path if obj.is_alias else obj.path
        except Exception:  # KeyError, alias resolution errors, external modules
            return None

    def resolve(self, obj: Any, role: str, target: str) -> str | None:
        target = target.split("(", 1)[0].strip()
        scope = obj
        while scope is not None:
            found = self._lookup(f"{scope.path}.{target}")
            if found:
                return found
            scope = scope.parent
        found = self._lookup(target)
        if found:
            return found
        candidates = {
            p for p in self.by_name.get(target.rsplit(".", 1)[-1], ()) if p.endswith(target)
        }
        if len(candidates) == 1:
            return candidates.pop()
        self.unresolved.append((obj.path, role, target))
        return None


def _walk(obj: Any) -> Iterator[Any]:
    """Yield the object and every object defined (not imported) inside it."""
    yield obj
    for member in obj.members.values():
        if member.is_alias:
            continue
        yield from _walk(member)


class RstToMarkdown(Extension):  # type: ignore[misc,valid-type]
    """Convert every docstring of each loaded package from RST to Markdown (see module doc)."""

    def on_package(self, *, pkg: Any, loader: Any, **kwargs: Any) -> None:
        """Rewrite the docstrings once the package is loaded, before they are parsed."""
        resolver = _Resolver(loader.modules_collection, pkg)
        for obj in _walk(pkg):
            docstring = obj.docstring
            if docstring is None or getattr(docstring, "_rst_converted", False):
                continue
            try:
                docstring.value = rst_to_markdown(
                    docstring.value,
                    lambda role, target, obj=obj: resolver.resolve(obj, role, target),
                )
            except ValueError as error:  # malformed RST: say where, fail the build
                raise ValueError(f"docstring of {obj.path}: {error}") from error
            docstring._rst_converted = True
        self.unresolved = resolver.unresolved
