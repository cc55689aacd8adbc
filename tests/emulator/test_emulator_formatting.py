"""Telegram's markup parsers and the limits on what a bot may send."""

from __future__ import annotations

import pytest

from bot.dev.emulator.formatting import FormattedText, ParseError, format_text, utf16_len
from bot.dev.emulator.limits import (
    check_commands,
    check_deep_link,
    check_inline_keyboard,
    find_deep_links,
    parse_deep_link,
)

ACTIONS = frozenset({"callback_data", "url", "web_app", "pay"})


def test_plain_text_keeps_given_entities() -> None:
    entities = [{"type": "bold", "offset": 0, "length": 2}]
    assert format_text("hi", None, entities) == FormattedText("hi", tuple(entities))


def test_html_becomes_text_with_utf16_entities() -> None:
    parsed = format_text(
        '😀 <b>Hei</b> &lt;3 <a href="https://x.fi/?a=1&amp;b=2">linkki</a>', "HTML"
    )
    assert parsed.text == "😀 Hei <3 linkki"
    assert utf16_len("😀") == 2
    assert parsed.entities == (
        {"type": "bold", "offset": 3, "length": 3},
        {"type": "text_link", "offset": 10, "length": 6, "url": "https://x.fi/?a=1&b=2"},
    )
    assert parsed.urls() == ["https://x.fi/?a=1&b=2"]


def test_html_pre_with_language_and_spoiler() -> None:
    parsed = format_text(
        '<pre><code class="language-python">x = 1</code></pre><tg-spoiler>s</tg-spoiler>', "html"
    )
    assert parsed.text == "x = 1s"
    assert {"type": "pre", "offset": 0, "length": 5, "language": "python"} in parsed.entities
    assert {"type": "spoiler", "offset": 5, "length": 1} in parsed.entities


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("a < b", "Unsupported start tag at byte offset 2"),
        ("<br>", 'Unsupported start tag "br"'),
        ("<b><i>x</b></i>", "Unexpected end tag"),
        ('<span class="x">y</span>', 'Unsupported start tag "span"'),
    ],
)
def test_bad_html_is_a_parse_error(markup: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        format_text(markup, "HTML")


def test_markdown_v2_entities_and_escapes() -> None:
    parsed = format_text(
        r"*bold* _it_ __u__ ||sp|| [link](https://t.me/x) \. `co\`de`", "MarkdownV2"
    )
    assert parsed.text == "bold it u sp link . co`de"
    kinds = [e["type"] for e in parsed.entities]
    assert kinds == ["bold", "italic", "underline", "spoiler", "text_link", "code"]
    assert parsed.urls() == ["https://t.me/x"]


def test_markdown_v2_quote_block() -> None:
    parsed = format_text(">quoted\n>more\nafter", "MarkdownV2")
    assert parsed.text == "quoted\nmore\nafter"
    assert parsed.entities == ({"type": "blockquote", "offset": 0, "length": 11},)


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        ("Valmis.", "Character '.' is reserved"),
        ("*bold", "Can't find end of bold entity"),
        ("1-2", "Character '-' is reserved"),
        ("[x](https://a", "Can't find end of a URL"),
    ],
)
def test_bad_markdown_v2_is_a_parse_error(markup: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        format_text(markup, "MarkdownV2")


def test_legacy_markdown() -> None:
    parsed = format_text("*b* _i_ [l](https://a.fi) 1.5", "Markdown")
    assert parsed.text == "b i l 1.5"
    with pytest.raises(ParseError, match="Can't find end of the entity"):
        format_text("*b", "Markdown")
    with pytest.raises(ValueError, match="unsupported parse_mode"):
        format_text("x", "BBCode")


def test_deep_links_are_found_and_checked() -> None:
    links = find_deep_links("Avaa https://t.me/Checkin_Test_Bot?start=ab-C_1. Tai t.me/x?start=")
    assert [(link.bot, link.payload) for link in links] == [
        ("Checkin_Test_Bot", "ab-C_1"),
        ("x", ""),
    ]
    assert check_deep_link(links[0], "checkin_test_bot") == []
    assert len(check_deep_link(links[1], "checkin_test_bot")) == 2
    bad = parse_deep_link("https://t.me/checkin_test_bot?start=a+b")
    assert bad is not None
    assert "payload 'a+b'" in check_deep_link(bad, "checkin_test_bot")[0]
    too_long = parse_deep_link("https://t.me/checkin_test_bot?start=" + "a" * 65)
    assert too_long is not None
    assert check_deep_link(too_long, "checkin_test_bot")
    assert parse_deep_link("https://example.com/?start=x") is None


def test_inline_keyboard_rules_count_bytes_not_characters() -> None:
    def keyboard(**button: str) -> dict[str, object]:
        return {"inline_keyboard": [[{"text": "Nappi", **button}]]}

    assert check_inline_keyboard(keyboard(callback_data="ä" * 32), ACTIONS) == []
    (reason,) = check_inline_keyboard(keyboard(callback_data="ä" * 33), ACTIONS)
    assert reason.startswith("BUTTON_DATA_INVALID")
    assert "66 bytes" in reason
    assert check_inline_keyboard(keyboard(callback_data=""), ACTIONS)
    assert "no action" in check_inline_keyboard(keyboard(), ACTIONS)[0]
    both = check_inline_keyboard(keyboard(callback_data="a", url="https://a.fi"), ACTIONS)
    assert "2 actions" in both[0]
    empty = {"inline_keyboard": [[{"text": " ", "callback_data": "a"}]]}
    assert "has no text" in check_inline_keyboard(empty, ACTIONS)[0]


def test_command_rules() -> None:
    good = [{"command": "start", "description": "Aloita"}]
    assert check_commands(good) == []
    assert check_commands([{"command": "Start", "description": "x"}])[0].startswith(
        "BOT_COMMAND_INVALID"
    )
    assert check_commands([{"command": "a" * 33, "description": "x"}])
    assert check_commands([{"command": "ok", "description": "x" * 257}])
    assert check_commands([{"command": "ok", "description": ""}])
    many = [{"command": f"c{i}", "description": "d"} for i in range(101)]
    assert check_commands(many) == ["too many commands (101; at most 100)"]
    assert check_commands(good + good) == ["command /start is listed twice"]
