import re
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.report_model import Breakdown, Period
from bot.core.sessions import SessionKind
from bot.ui import buttons as cb
from bot.ui.i18n import LANGUAGES

NONCE = "Ab3_-x9Z"

ALL = [
    cb.Join("Q0b2Tt3vG0L7r8r2s1xZ-_"),
    cb.Details("Q0b2Tt3vG0L7r8r2s1xZ-_"),
    cb.Details("Q0b2Tt3vG0L7r8r2s1xZ-_", "fa"),
    cb.Join("Q0b2Tt3vG0L7r8r2s1xZ-_", "sv"),
    cb.Join("Q0b2Tt3vG0L7r8r2s1xZ-_", "sma"),
    cb.Decline(),
    cb.Back(NONCE),
    cb.Back("12345678"),
    cb.Pause(NONCE),
    cb.Resume(NONCE),
    cb.Send(NONCE),
    cb.Change(NONCE, 3),
    cb.Language("sv", None),
    cb.Language("en", "Q0b2Tt3vG0L7r8r2s1xZ-_"),
    cb.Tidy(1234567),
    cb.KeepChat(),
]


@pytest.mark.parametrize("callback", ALL)
def test_every_button_round_trips_and_fits_telegrams_64_bytes(callback: cb.Callback) -> None:
    data = cb.encode(callback)
    assert cb.parse(data) == callback
    assert 1 <= len(data.encode()) <= 64


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "a",
        f"a:{NONCE}:1:3",  # answers come from the keyboard, never from button data
        "b:short",
        f"b:{NONCE}:10",
        "l:Deu",
        "j:x",
        "j:Q0b2Tt3vG0L7r8r2s1xZ-_:",
        "j:Q0b2Tt3vG0L7r8r2s1xZ-_:Fi",
        "j:Q0b2Tt3vG0L7r8r2s1xZ-_:fi:",
        "t:-1",
        f"s:{NONCE}:extra",
        "x:y",
        "é",
    ],
)
def test_forged_data_is_not_understood(data: str | None) -> None:
    assert cb.parse(data) is None


@given(st.text(max_size=80))
def test_parse_never_fails_on_any_text(data: str) -> None:
    result = cb.parse(data)
    assert result is None or cb.encode(result) == data


CODE = "Q0b2Tt3vG0L7r8r2s1xZ-_"
SENT = {  # data of buttons in messages sent by earlier versions: they must keep working
    f"j:{CODE}": cb.Join(CODE),
    f"d:{CODE}": cb.Details(CODE),
    "x": cb.Decline(),
    f"b:{NONCE}": cb.Back(NONCE),
    f"p:{NONCE}": cb.Pause(NONCE),
    f"r:{NONCE}": cb.Resume(NONCE),
    f"s:{NONCE}": cb.Send(NONCE),
    f"c:{NONCE}:9": cb.Change(NONCE, 9),
    "l:fi": cb.Language("fi", None),
    f"l:sv:{CODE}": cb.Language("sv", CODE),
    "t:1234567890": cb.Tidy(1234567890),
    "k": cb.KeepChat(),
    "o:ok": cb.RulesAccepted(),
    f"n:{NONCE}:a:12": cb.PickActivity(NONCE, 12),
    f"n:{NONCE}:a:-": cb.PickActivity(NONCE, None),
    f"n:{NONCE}:k:end": cb.PickKind(NONCE, SessionKind.END),
    f"n:{NONCE}:s:7": cb.PickStart(NONCE, 7),
    f"n:{NONCE}:s:-": cb.PickStart(NONCE, None),
    f"j:{CODE}:sv": cb.Join(CODE, "sv"),
    f"d:{CODE}:sv": cb.Details(CODE, "sv"),
    f"n:{NONCE}:l:fi": cb.PickLanguage(NONCE, "fi"),
    f"n:{NONCE}:x": cb.CancelFlow(NONCE),
    "z:5": cb.AskClose(5),
    "Z:5": cb.ConfirmClose(5),
    "f:123456789012345": cb.AskRemove(123456789012345),
    "F:42": cb.ConfirmRemove(42),
    "q:no": cb.Never(),
    "Q:a:-": cb.ReportScope(None),
    "Q:a:3": cb.ReportScope(3),
    "Q:b:-:month": cb.ReportBy(None, Breakdown.MONTH),
    "Q:b:3:language": cb.ReportBy(3, Breakdown.LANGUAGE),
    "Q:p:-:month:lt": cb.ReportFor(None, Breakdown.MONTH, Period.LAST_TERM),
    "Q:p:12:activity:all": cb.ReportFor(12, Breakdown.ACTIVITY, Period.ALL),
    "Q:f:-:session:20260901:20261231": cb.ReportPage(
        None, Breakdown.SESSION, date(2026, 9, 1), date(2026, 12, 31)
    ),
    "Q:f:4:month:-:-": cb.ReportPage(4, Breakdown.MONTH, None, None),
}


@pytest.mark.parametrize(("data", "button"), SENT.items())
def test_buttons_already_sent_keep_their_meaning(data: str, button: cb.ButtonData) -> None:
    assert cb.parse(data) == button
    assert cb.encode(button) == data


# Every kind of button, staff and report ones too, with any values its layout allows.

nonces = st.from_regex(r"[A-Za-z0-9_-]{8}", fullmatch=True)
link_codes = st.from_regex(r"[A-Za-z0-9_-]{22}", fullmatch=True)
ids = st.integers(0, 10**15 - 1)
optional_ids = st.none() | ids
languages = st.from_regex(r"[a-z]{2,3}", fullmatch=True)
BUTTONS: dict[type, st.SearchStrategy[cb.ButtonData]] = {
    cb.Join: st.builds(cb.Join, link_codes, st.none() | languages),
    cb.Details: st.builds(cb.Details, link_codes, st.none() | languages),
    cb.Decline: st.just(cb.Decline()),
    cb.Back: st.builds(cb.Back, nonces),
    cb.Pause: st.builds(cb.Pause, nonces),
    cb.Resume: st.builds(cb.Resume, nonces),
    cb.Send: st.builds(cb.Send, nonces),
    cb.Change: st.builds(cb.Change, nonces, st.integers(0, 9)),
    cb.Language: st.builds(cb.Language, st.sampled_from(LANGUAGES), st.none() | link_codes),
    cb.Tidy: st.builds(cb.Tidy, st.integers(0, 10**10 - 1)),
    cb.KeepChat: st.just(cb.KeepChat()),
    cb.RulesAccepted: st.just(cb.RulesAccepted()),
    cb.PickActivity: st.builds(cb.PickActivity, nonces, optional_ids),
    cb.PickKind: st.builds(cb.PickKind, nonces, st.sampled_from(SessionKind)),
    cb.PickStart: st.builds(cb.PickStart, nonces, optional_ids),
    cb.PickLanguage: st.builds(cb.PickLanguage, nonces, languages),
    cb.CancelFlow: st.builds(cb.CancelFlow, nonces),
    cb.AskClose: st.builds(cb.AskClose, ids),
    cb.ConfirmClose: st.builds(cb.ConfirmClose, ids),
    cb.AskRemove: st.builds(cb.AskRemove, ids),
    cb.ConfirmRemove: st.builds(cb.ConfirmRemove, ids),
    cb.Never: st.just(cb.Never()),
    cb.ReportScope: st.builds(cb.ReportScope, optional_ids),
    cb.ReportBy: st.builds(cb.ReportBy, optional_ids, st.sampled_from(Breakdown)),
    cb.ReportFor: st.builds(
        cb.ReportFor, optional_ids, st.sampled_from(Breakdown), st.sampled_from(Period)
    ),
    cb.ReportPage: st.builds(
        cb.ReportPage,
        optional_ids,
        st.sampled_from(Breakdown),
        st.none() | st.dates(),
        st.none() | st.dates(),
    ),
}
buttons = st.one_of(*BUTTONS.values())
FAMILIES = (cb.PARTICIPANT, cb.STAFF, cb.REPORTS)


def test_every_kind_of_button_is_tested() -> None:
    families = [kind for family in FAMILIES for kind in family.kinds]
    assert sorted(map(repr, families)) == sorted(map(repr, BUTTONS))


@given(buttons)
def test_any_button_round_trips_and_reaches_only_its_own_handler(button: cb.ButtonData) -> None:
    data = cb.encode(button)
    assert cb.parse(data) == button
    assert 1 <= len(data.encode()) <= cb.MAX_BYTES
    routed = [family for family in FAMILIES if re.match(family.pattern, data)]
    assert routed == [family for family in FAMILIES if isinstance(button, family.kinds)]
    assert routed[0].parse(data) == button
    assert all(family.parse(data) is None for family in FAMILIES if family is not routed[0])


# Data made of the characters buttons use, so forgeries come close to the real thing.
near_data = st.text(alphabet="jxbprscltkonaZzfFqQ:-_09Ab", max_size=40)


@given(st.one_of(near_data, st.text(max_size=80)))
def test_forged_data_never_parses_to_a_button_with_other_data(data: str) -> None:
    for family in FAMILIES:
        found = family.parse(data)
        assert found is None or cb.encode(found) == data


@given(
    buttons, st.integers(0, 64), st.sampled_from(["", "0", "-", ":", "a", "٣", "é"]), st.booleans()
)
def test_an_altered_button_is_refused_or_is_another_real_button(
    button: cb.ButtonData, at: int, text: str, replace: bool
) -> None:
    data = cb.encode(button)
    at = min(at, len(data))
    forged = data[:at] + text + data[at + replace :]
    found = cb.parse(forged)
    assert found is None or cb.encode(found) == forged


@pytest.mark.parametrize(
    "data",
    [
        "t:007",
        "t:٣",
        "z:0012",
        "Z:1" + "0" * 15,
        "n:Ab3_-x9Z:k:other",
        "Q:b:-:colour",
        "l:sv:",
        "Q:f:-:month:20260231:-",
        "Q:f:-:month:2026-09-01:-",
    ],
)
def test_data_other_than_the_one_text_of_its_values_is_refused(data: str) -> None:
    assert cb.parse(data) is None


@pytest.mark.parametrize(
    "button",
    [cb.Change(NONCE, 10), cb.Back("short"), cb.Tidy(-1), cb.AskClose(10**15), cb.Join("x")],
)
def test_a_button_whose_values_do_not_fit_is_never_sent(button: cb.ButtonData) -> None:
    with pytest.raises(cb.BadButton):
        cb.encode(button)


def test_a_button_that_could_outgrow_telegrams_64_bytes_cannot_be_declared() -> None:
    @dataclass(frozen=True)
    class Wordy:
        first: cb.LinkCode
        second: cb.LinkCode
        third: cb.LinkCode

    with pytest.raises(TypeError, match="70 bytes"):
        cb.layout("w:{first}:{second}:{third}")(Wordy)
    assert cb.parse("w:" + ":".join(["A" * 22] * 3)) is None
