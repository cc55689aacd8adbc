"""Telegram's text formatting: turn HTML / MarkdownV2 / Markdown into plain text + entities.

Limits such as "1-4096 characters after entities parsing" apply to the plain text, and a
malformed markup is a 400 "can't parse entities" on the real Telegram.  This is a faithful
subset of Telegram's parsers: the entity kinds of the Bot API formatting options, the escaping
rules, and the errors a bot typically hits (an unescaped ``<`` or ``.``, an unclosed tag).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from typing import Any, Final

Entity = dict[str, Any]


class ParseError(ValueError):
    """The markup cannot be parsed; the message follows Telegram's wording where known."""


@dataclass(frozen=True, slots=True)
class FormattedText:
    """Text as the recipient sees it, with the entities (offsets in UTF-16 code units)."""

    text: str
    entities: tuple[Entity, ...] = ()

    def urls(self) -> list[str]:
        """URLs that the entities link to (``text_link``)."""
        return [e["url"] for e in self.entities if isinstance(e.get("url"), str)]


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def format_text(
    text: str, parse_mode: str | None, entities: list[Entity] | None = None
) -> FormattedText:
    """Parse ``text`` as Telegram does for the given ``parse_mode``.

    Raises ParseError for malformed markup and ValueError for an unknown parse mode.
    """
    if not parse_mode:
        return FormattedText(text, tuple(entities or ()))
    mode = parse_mode.lower()
    if mode == "html":
        return _Html(text).parse()
    if mode == "markdownv2":
        return _MarkdownV2(text).parse()
    if mode == "markdown":
        return _LegacyMarkdown(text).parse()
    raise ValueError(f"unsupported parse_mode {parse_mode!r}")


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


class _Builder:
    """Accumulates plain text and tracks UTF-16 offsets for entities."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offset = 0
        self.entities: list[Entity] = []

    def add(self, chunk: str) -> None:
        self.parts.append(chunk)
        self.offset += utf16_len(chunk)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        if self.offset > start:
            self.entities.append({"type": kind, "offset": start, "length": self.offset - start})
            self.entities[-1].update(extra)

    def result(self) -> FormattedText:
        ordered = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return FormattedText("".join(self.parts), tuple(ordered))


# --------------------------------------------------------------------------- HTML

_TAG_RE: Final = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)"
    r"((?:\s+[a-zA-Z][a-zA-Z0-9_-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)\s*/?>"
)
_ATTR_RE: Final = re.compile(
    r"([a-zA-Z][a-zA-Z0-9_-]*)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?"
)
_CHARREF_RE: Final = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|lt|gt|amp|quot);")
_HTML_TAGS: Final = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}


@dataclass(slots=True)
class _Open:
    name: str
    start: int
    attrs: dict[str, str]
    at: int


class _Html:
    def __init__(self, text: str) -> None:
        self.text = text
        self.out = _Builder()
        self.stack: list[_Open] = []

    def parse(self) -> FormattedText:
        text, i = self.text, 0
        while i < len(text):
            char = text[i]
            if char == "<":
                i = self._tag(i)
            elif char == "&" and (ref := _CHARREF_RE.match(text, i)):
                self.out.add(unescape(ref.group(0)))
                i = ref.end()
            else:
                j = i + 1
                while j < len(text) and text[j] not in "<&":
                    j += 1
                self.out.add(text[i:j])
                i = j
        if self.stack:
            name = self.stack[-1].name
            raise ParseError(f'Can\'t find end tag corresponding to start tag "{name}"')
        return self.out.result()

    def _tag(self, i: int) -> int:
        match = _TAG_RE.match(self.text, i)
        at = _byte_offset(self.text, i)
        if match is None:
            raise ParseError(
                f'Unsupported start tag at byte offset {at}: a literal "<" must be written as &lt;'
            )
        closing, name = match.group(1) == "/", match.group(2).lower()
        if name not in _HTML_TAGS:
            raise ParseError(f'Unsupported start tag "{name}" at byte offset {at}')
        if closing:
            if not self.stack or self.stack[-1].name != name:
                raise ParseError(f'Unexpected end tag at byte offset {at}: "{name}"')
            self._close(self.stack.pop())
            return match.end()
        attrs = {
            a.group(1).lower(): unescape((a.group(2) or "").strip("\"'"))
            for a in _ATTR_RE.finditer(match.group(3))
        }
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise ParseError(f'Unsupported start tag "span" at byte offset {at}')
        self.stack.append(_Open(name, self.out.offset, attrs, at))
        return match.end()

    def _close(self, tag: _Open) -> None:
        kind = _HTML_TAGS[tag.name]
        extra: dict[str, Any] = {}
        if tag.name == "a":
            href = tag.attrs.get("href", "")
            if not href:
                return
            extra["url"] = href
        elif tag.name == "code" and any(t.name == "pre" for t in self.stack):
            language = tag.attrs.get("class", "").removeprefix("language-")
            if language:
                for outer in self.stack:
                    if outer.name == "pre":
                        outer.attrs["language"] = language
            return
        elif tag.name == "pre" and tag.attrs.get("language"):
            extra["language"] = tag.attrs["language"]
        elif tag.name == "blockquote" and "expandable" in tag.attrs:
            kind = "expandable_blockquote"
        elif tag.name == "tg-emoji":
            extra["custom_emoji_id"] = tag.attrs.get("emoji-id", "")
        self.out.entity(kind, tag.start, **extra)


# --------------------------------------------------------------------------- MarkdownV2

_RESERVED_V2: Final = set("_*[]()~`>#+-=|{}.!")
_V2_MARKERS: Final = {
    "*": "bold",
    "_": "italic",
    "__": "underline",
    "~": "strikethrough",
    "||": "spoiler",
}


class _MarkdownV2:
    def __init__(self, text: str) -> None:
        self.text = text
        self.out = _Builder()
        self.stack: list[tuple[str, int, int]] = []  # (marker, utf16 start, index)
        self.quote: tuple[int, bool] | None = None  # (utf16 start, expandable)

    def _error_reserved(self, i: int) -> ParseError:
        return ParseError(
            f"Character '{self.text[i]}' is reserved and must be escaped with the preceding '\\'"
        )

    def parse(self) -> FormattedText:  # noqa: PLR0912 - one branch per kind of token
        text, i = self.text, 0
        while i < len(text):
            if i == 0 or text[i - 1] == "\n":
                i = self._line_start(i)
                if i >= len(text):
                    break
            char = text[i]
            if char == "\\":
                if i + 1 >= len(text) or not 1 <= ord(text[i + 1]) <= 126:
                    raise ParseError("Character '\\' at the end of text must be escaped")
                self.out.add(text[i + 1])
                i += 2
            elif char == "\n":
                self._end_quote_if_last_line(i)
                self.out.add(char)
                i += 1
            elif char == "`":
                i = self._code(i)
            elif text.startswith("||", i) and self._quote_ends_here(i + 2) and self._no("||"):
                self.quote = (self.quote[0], True) if self.quote else None
                i += 2
            elif text.startswith(("__", "||"), i):
                self._toggle(text[i : i + 2], i)
                i += 2
            elif char in "*_~":
                self._toggle(char, i)
                i += 1
            elif char == "[" or (char == "!" and text.startswith("![", i)):
                self.stack.append((text[i : i + 2] if char == "!" else "[", self.out.offset, i))
                i += 2 if char == "!" else 1
            elif char == "]":
                i = self._link_end(i)
            elif char in _RESERVED_V2:
                raise self._error_reserved(i)
            else:
                self.out.add(char)
                i += 1
        self._close_quote()
        if self.stack:
            marker, _, index = self.stack[-1]
            kind = _V2_MARKERS.get(marker, "text_link")
            raise ParseError(
                f"Can't find end of {kind} entity at byte offset {_byte_offset(text, index)}"
            )
        return self.out.result()

    def _no(self, marker: str) -> bool:
        return all(m != marker for m, _, _ in self.stack)

    def _quote_ends_here(self, j: int) -> bool:
        return self.quote is not None and (j >= len(self.text) or self.text[j] == "\n")

    def _line_start(self, i: int) -> int:
        text = self.text
        if text.startswith("**>", i):
            self._close_quote()
            self.quote = (self.out.offset, True)
            return i + 3
        if text.startswith(">", i):
            if self.quote is None:
                self.quote = (self.out.offset, False)
            return i + 1
        self._close_quote()
        return i

    def _end_quote_if_last_line(self, i: int) -> None:
        if self.quote is not None and not self.text.startswith((">", "**>"), i + 1):
            self._close_quote()

    def _close_quote(self) -> None:
        if self.quote is not None:
            start, expandable = self.quote
            self.out.entity("expandable_blockquote" if expandable else "blockquote", start)
            self.quote = None

    def _toggle(self, marker: str, i: int) -> None:
        if self.stack and self.stack[-1][0] == marker:
            _, start, _ = self.stack.pop()
            self.out.entity(_V2_MARKERS[marker], start)
        elif self._no(marker):
            self.stack.append((marker, self.out.offset, i))
        else:
            raise ParseError(
                f"Can't find end of {_V2_MARKERS[marker]} entity at byte offset "
                f"{_byte_offset(self.text, i)}: entities must be nested, not overlapping"
            )

    def _code(self, i: int) -> int:
        text = self.text
        fence = "```" if text.startswith("```", i) else "`"
        j = i + len(fence)
        language = ""
        if fence == "```":
            newline = text.find("\n", j)
            header = text[j:newline] if newline != -1 else ""
            if newline != -1 and re.fullmatch(r"[A-Za-z0-9_+#.-]*", header):
                language, j = header, newline + 1
        start = self.out.offset
        while j < len(text):
            if text[j] == "\\" and j + 1 < len(text) and text[j + 1] in "`\\":
                self.out.add(text[j + 1])
                j += 2
            elif text.startswith(fence, j):
                extra = {"language": language} if language else {}
                self.out.entity("pre" if fence == "```" else "code", start, **extra)
                return j + len(fence)
            else:
                self.out.add(text[j])
                j += 1
        kind = "pre" if fence == "```" else "code"
        at = _byte_offset(text, i)
        raise ParseError(f"Can't find end of {kind} entity at byte offset {at}")

    def _link_end(self, i: int) -> int:
        text = self.text
        if not self.stack or self.stack[-1][0] not in ("[", "!["):
            raise self._error_reserved(i)
        marker, start, _ = self.stack.pop()
        if not text.startswith("(", i + 1):
            raise ParseError(f"Can't find end of a URL at byte offset {_byte_offset(text, i)}")
        j, url = i + 2, []
        while j < len(text) and text[j] != ")":
            if text[j] == "\\" and j + 1 < len(text):
                url.append(text[j + 1])
                j += 2
            else:
                url.append(text[j])
                j += 1
        if j >= len(text):
            raise ParseError(f"Can't find end of a URL at byte offset {_byte_offset(text, i)}")
        target = "".join(url)
        if marker == "![":
            emoji_id = target.partition("id=")[2]
            self.out.entity("custom_emoji", start, custom_emoji_id=emoji_id)
        else:
            self.out.entity("text_link", start, url=target)
        return j + 1


# --------------------------------------------------------------------------- Markdown (legacy)


_LEGACY_LINK_RE: Final = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")


class _LegacyMarkdown:
    def __init__(self, text: str) -> None:
        self.text = text
        self.out = _Builder()

    def parse(self) -> FormattedText:
        text, i = self.text, 0
        kinds = {"*": "bold", "_": "italic", "`": "code"}
        while i < len(text):
            char = text[i]
            if char == "\\" and i + 1 < len(text) and text[i + 1] in "_*`[":
                self.out.add(text[i + 1])
                i += 2
            elif text.startswith("```", i):
                i = self._until(i, "```", "pre")
            elif char in kinds:
                i = self._until(i, char, kinds[char])
            elif char == "[":
                i = self._link(i)
            else:
                self.out.add(char)
                i += 1
        return self.out.result()

    def _until(self, i: int, marker: str, kind: str) -> int:
        end = self.text.find(marker, i + len(marker))
        if end == -1:
            at = _byte_offset(self.text, i)
            raise ParseError(f"Can't find end of the entity starting at byte offset {at}")
        start = self.out.offset
        self.out.add(self.text[i + len(marker) : end])
        self.out.entity(kind, start)
        return end + len(marker)

    def _link(self, i: int) -> int:
        match = _LEGACY_LINK_RE.match(self.text, i)
        if match is None:
            self.out.add("[")
            return i + 1
        start = self.out.offset
        self.out.add(match.group(1))
        self.out.entity("text_link", start, url=match.group(2))
        return match.end()
