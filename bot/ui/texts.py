"""What the bot says: every reply as plain data (text and buttons), in the person's language.

Interface text comes from the gettext catalogs, written in plain language (selkokieli,
lättläst, easy read; `scripts/plain_language.py` checks it); the instrument's own words come
from the instrument files and are shown exactly as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from babel.support import Translations

from bot.core import checkin
from bot.core.checkin import Draft, Stage
from bot.core.instrument import STATEMENT_COUNT, Instrument
from bot.ui import buttons as cb
from bot.ui.i18n import LANGUAGES, endonym

Button = tuple[str, str]
"""A button: its label and its encoded callback data."""


def button(label: str, data: cb.ButtonData) -> Button:
    """A button with its label and what a tap on it means."""
    return (label, cb.encode(data))


Keys = tuple[tuple[str, ...], ...]
"""Rows of reply keyboard labels: a tap sends the label as the person's own message."""


@dataclass(frozen=True, slots=True)
class Reply:
    """One message: its text and either inline buttons or a reply keyboard.

    ``keys`` replaces the person's keyboard with answer buttons; ``remove_keys`` takes such a
    keyboard away. A reply keyboard tap shows the chosen words in the chat as the person's own
    message, so the chat keeps each answer and only the newest keyboard is live. ``placeholder``
    is what the empty input field says while the keys are shown.
    """

    text: str
    buttons: tuple[tuple[Button, ...], ...] = field(default=())
    keys: Keys = field(default=())
    remove_keys: bool = False
    placeholder: str | None = None


PICKER_ROW = 3
"""Language buttons in a row: three names fit a narrow phone screen in any script."""


def picker_rows(
    languages: Sequence[str], data: Callable[[str], cb.ButtonData]
) -> tuple[tuple[Button, ...], ...]:
    """A button for each language, named in itself and its own script so that anyone can
    find their own, three to a row; `data` says what a tap on a language means."""
    buttons = [button(endonym(lang), data(lang)) for lang in languages]
    return tuple(
        tuple(buttons[start : start + PICKER_ROW]) for start in range(0, len(buttons), PICKER_ROW)
    )


def language_rows(
    languages: Sequence[str], join_code: str | None = None
) -> tuple[tuple[Button, ...], ...]:
    """The participant's language picker (on a consent, it shows the consent again)."""
    return picker_rows(languages, lambda lang: cb.Language(lang, join_code))


def how_to_join(t: Translations) -> str:
    """What to do to join: said wherever someone has no check-in going on."""
    return t.gettext("Open the link from your group leader. Or write the code here.")


def welcome(t: Translations, languages: Sequence[str]) -> Reply:
    """Plain /start: how to join."""
    _ = t.gettext
    return Reply(
        _("Hello! I have a short check-in for you. I ask if you feel you belong.")
        + "\n\n"
        + how_to_join(t),
        language_rows(languages),
    )


def consent(
    t: Translations,
    label: str,
    join_code: str,
    lang: str,
    languages: Sequence[str],
    *,
    trial: bool = False,
) -> Reply:
    """Who asks, what for, and what happens to the answers, before anything is stored.

    About fifty words, to fit on one phone screen; a button sends the details of what is
    saved (`consent_details`). Start begins the check-in in `lang`, the language the consent
    is shown in. Staff get a trial run: the same check-in, with nothing stored or counted.
    """
    _ = t.gettext
    text = _(
        "Check-in: {label}\n\n"
        "I show you 10 statements about your life. "
        "You choose how much you agree. It takes about 3 minutes.\n\n"
        "You decide if you answer. I do not keep your name. "
        "Nobody sees your own answers. "
        "Your group leader sees only the group's totals.\n\n"
        "You can stop at any time with /stop."
    ).format(label=label)
    if trial:
        text = (
            _(
                "Trial: you are a group leader. So this is only a trial. "
                "You see what the participants see. I do not save or count your answers."
            )
            + "\n\n"
            + text
        )
    return Reply(
        text,
        (
            *_start_or_not(t, join_code, lang),
            (button(_("What do I save?"), cb.Details(join_code, lang)),),
            *language_rows(languages, join_code),
        ),
    )


def _start_or_not(
    t: Translations, join_code: str, lang: str | None
) -> tuple[tuple[Button, ...], ...]:
    """The consent's two answers: start the check-in (in `lang`), or not."""
    _ = t.gettext
    return (
        (button(_("Start"), cb.Join(join_code, lang)),),
        (button(_("No, thank you"), cb.Decline()),),
    )


def consent_details(
    t: Translations, ttl_hours: int, min_group: int, join_code: str, lang: str | None
) -> Reply:
    """What is saved (as /privacy says it), in the consent's language `lang`, with Start and
    No again right below it."""
    return Reply(privacy_text(t, ttl_hours, min_group), _start_or_not(t, join_code, lang))


def trial_over(t: Translations) -> str:
    """A staff member's trial run sent: it ends here."""
    return t.gettext("The trial is over. I did not save your answers. I did not count them.")


def declined(t: Translations) -> str:
    """Consent refused."""
    return t.gettext("That is fine. I did not save anything. Thank you!")


def introduction(instrument: Instrument) -> str:
    """The main question and the guiding sentence, exactly as THL wrote them."""
    return f"{instrument.main_question}\n\n{instrument.guiding_sentence}"


def progress(t: Translations, item: int) -> str:
    """Which statement this is, in words a screen reader reads naturally (not "3/10")."""
    return t.gettext("Statement {number} of {count}").format(
        number=item + 1, count=STATEMENT_COUNT
    )


def statement(t: Translations, instrument: Instrument, draft: Draft) -> Reply:
    """The current statement with the five options as keyboard buttons, one per row, in order.

    The keyboard stays in view (Telegram's `is_persistent`) and the input field says where the
    answers are, so a screen reader user who closes the keyboard can find it again.
    """
    _ = t.gettext
    item = draft.position
    text = f"{progress(t, item)}\n{instrument.statements[item]}"
    chosen = draft.answers[item]
    if chosen is not None:
        text += "\n\n" + _("Your answer now: {answer}").format(
            answer=instrument.options[chosen - 1]
        )
    controls = (_("Back"),) if item > 0 and not draft.reviewing else ()
    return Reply(
        text,
        keys=(*((label,) for label in instrument.options), (*controls, _("Pause"))),
        placeholder=_("Choose an answer below."),
    )


def statement_again(t: Translations, instrument: Instrument, draft: Draft) -> Reply:
    """Typed words that are no answer: what to do, then the statement and its keyboard again."""
    shown = statement(t, instrument, draft)
    return replace(shown, text=use_buttons(t) + "\n\n" + shown.text)


class Control(StrEnum):
    """Keyboard buttons beside the answers while the statements are asked."""

    BACK = "back"
    PAUSE = "pause"
    CONTINUE = "continue"


def control(t: Translations, typed: str) -> Control | None:
    """Which control a keyboard tap (or the same words typed) means, if any."""
    _ = t.gettext
    cleaned = checkin.typed_form(typed)
    for kind, label in (
        (Control.BACK, _("Back")),
        (Control.PAUSE, _("Pause")),
        (Control.CONTINUE, _("Continue")),
    ):
        if cleaned == checkin.typed_form(label):
            return kind
    return None


def review_answers(t: Translations, instrument: Instrument, draft: Draft) -> Reply:
    """All ten answers to look over; the statements' keyboard goes away with this message."""
    _ = t.gettext
    lines = [_("Check your answers:"), ""]
    for item, (text, value) in enumerate(zip(instrument.statements, draft.answers, strict=True)):
        answer = instrument.options[value - 1] if value else _("No answer")
        lines.append(f"{item + 1}. {text}")
        lines.append(_("Your answer: {answer}").format(answer=answer))
    return Reply("\n".join(lines), remove_keys=True)


CHANGE_LABEL_LENGTH = 36
"""A change button's label fits on a small phone's screen in one line at about this length."""


def shorten(text: str, length: int) -> str:
    """The text cut at a word so that it fits in `length` characters with "…" after it."""
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0].rstrip(" ,.;:")
    return cut + "…"


def change_label(t: Translations, instrument: Instrument, item: int) -> str:
    """A change button names its statement: "Change 3: I belong to a…"."""
    template = t.gettext("Change {number}: {statement}")
    bare = template.format(number=item + 1, statement="")
    statement = shorten(instrument.statements[item], CHANGE_LABEL_LENGTH - len(bare))
    return template.format(number=item + 1, statement=statement)


def review_prompt(t: Translations) -> str:
    """The words above the review's buttons."""
    return t.gettext(
        "Send your answers when they are ready. Do you want to change an answer? "
        "Tap the button of that statement."
    )


def review(t: Translations, instrument: Instrument, draft: Draft) -> Reply:
    """After the answers: send them, or change one first (each button names its statement)."""
    _ = t.gettext
    changes = tuple(
        (button(change_label(t, instrument, item), cb.Change(draft.nonce, item)),)
        for item in range(STATEMENT_COUNT)
    )
    return Reply(
        review_prompt(t),
        (
            (button(_("Send answers"), cb.Send(draft.nonce)),),
            *changes,
            (
                button(_("Back"), cb.Back(draft.nonce)),
                button(_("Pause"), cb.Pause(draft.nonce)),
            ),
        ),
    )


def reviewed(t: Translations) -> str:
    """The review message once the set is sent."""
    return t.gettext("You sent your answers.")


def kept(t: Translations) -> str:
    """After sending, and again after choosing to keep the chat as it is."""
    return t.gettext("Thank you! I saved your answers. Nobody can see who answered.")


def thanks(t: Translations, first_message_id: int | None) -> Reply:
    """After sending: thanks, and an offer to tidy the chat for people who share a phone."""
    _ = t.gettext
    text = (
        kept(t)
        + "\n\n"
        + _("Do you share this phone with someone? I can delete the messages of this check-in.")
    )
    if first_message_id is None:
        return Reply(text)
    return Reply(
        text,
        (
            (button(_("Delete the messages"), cb.Tidy(first_message_id)),),
            (button(_("Keep them"), cb.KeepChat()),),
        ),
    )


def tidied(t: Translations) -> str:
    """After the chat was tidied."""
    return t.gettext("Done. I deleted the messages of this check-in.")


def _continue_button(t: Translations, draft: Draft) -> Reply:
    """Continue: a keyboard button while statements are asked, else an inline button."""
    label = t.gettext("Continue")
    if draft.stage is Stage.ASKING:
        return Reply("", keys=((label,),))
    return Reply("", ((button(label, cb.Resume(draft.nonce)),),))


def paused(t: Translations, draft: Draft, until: str) -> Reply:
    """The check-in is on hold until a moment said in words (see `bot.ui.times.when`)."""
    text = t.gettext(
        "I keep your answers. You can continue later. "
        "Please continue by {when}. After that I delete your answers."
    ).format(when=until)
    return replace(_continue_button(t, draft), text=text)


def unfinished_elsewhere(t: Translations, label: str, draft: Draft) -> Reply:
    """The person opened another session's link with a check-in still open."""
    _ = t.gettext
    text = _(
        "You have another check-in going on: {label}. Continue it first. Or stop it with /stop."
    ).format(label=label)
    return replace(_continue_button(t, draft), text=text)


def stopped(t: Translations) -> str:
    """/stop with a check-in going on."""
    return t.gettext("I stopped the check-in. I deleted your answers.")


def nothing_to_stop(t: Translations) -> str:
    """/stop with nothing going on."""
    return t.gettext("You have no check-in going on. You do not need to stop anything.")


def nothing_to_continue(t: Translations) -> str:
    """Continue asked for, but nothing is waiting."""
    return t.gettext("You have no check-in going on.") + " " + how_to_join(t)


def unknown_code(t: Translations) -> str:
    """A link or code that matches no session."""
    return t.gettext(
        "I did not find a check-in with that code. Check the code and write it again. "
        "Or ask your group leader for a new link."
    )


def refused_code(t: Translations, everyone: bool, retry: str) -> str:
    """A code not looked up: this person, or everyone together, sent too many wrong ones.

    `retry` says when to try again, in words (see `bot.ui.times.when`).
    """
    if everyone:
        return t.gettext(
            "I got many wrong codes just now. So I do not take codes for a while. "
            "Open the link or QR code from your group leader. Or try again {when}."
        ).format(when=retry)
    return t.gettext("You wrote too many wrong codes. Please try again {when}.").format(when=retry)


def closed_session(t: Translations) -> str:
    """A link to a session that has ended."""
    return t.gettext("This check-in has ended. You can no longer answer it. Thank you!")


def already_answered(t: Translations) -> str:
    """A second attempt in the same session."""
    return t.gettext(
        "You have already answered this check-in. Thank you! Each person answers only once."
    )


def expired(t: Translations) -> str:
    """A check-in that waited too long."""
    return t.gettext(
        "Your check-in waited too long. So I deleted your answers. "
        "You can start again with the link."
    )


def choose_language(t: Translations, languages: Sequence[str]) -> Reply:
    """The language picker."""
    return Reply(t.gettext("Choose a language:"), language_rows(languages))


def language_set(t: Translations, lang: str) -> str:
    """Confirmation in the newly chosen language; for a language with statements but no
    messages of the bot's own, which language each is in."""
    if lang in LANGUAGES:
        return t.gettext("The language is now English.")
    return t.gettext(
        "I show the statements in {language}. I write my other messages in English."
    ).format(language=endonym(lang))


def help_text(t: Translations) -> str:
    """/help: short, in the first person."""
    return t.gettext(
        "I show you 10 statements about your life. You decide if you answer. "
        "Nobody sees your own answers.\n\n"
        "/start: join with a code\n"
        "/continue: go on answering\n"
        "/stop: stop and delete your answers\n"
        "/language: change the language\n"
        "/privacy: what I save\n"
        "/delete: delete what I know about you\n"
        "/about: about the statements"
    )


def privacy_text(t: Translations, ttl_hours: int, min_group: int) -> str:
    """/privacy: what is stored, in the first person, one thing at a time."""
    _ = t.gettext
    return "\n\n".join(
        (
            _("What I save:"),
            _(
                "When you send your answers, I save them. "
                "I also save the day, the language and the check-in. "
                "I do not save your name or your Telegram account. "
                "After that, nobody can know which answers are yours."
            ),
            _("While you answer, your answers have a secret code.")
            + " "
            + t.ngettext(
                "After {hours} hour without an answer, I delete them.",
                "After {hours} hours without an answer, I delete them.",
                ttl_hours,
            ).format(hours=ttl_hours)
            + " "
            + _("I also delete them when you stop."),
            _("I keep a secret code of each check-in you answered. So nobody can answer twice."),
            _("Group leaders see how many people answered.")
            + " "
            + t.ngettext(
                "Totals need a group of at least {min_group} person.",
                "Totals need a group of at least {min_group} people.",
                min_group,
            ).format(min_group=min_group),
            _("I remember a wrong code for one hour. So nobody can guess the codes."),
            _("Telegram carries the messages. You can delete this chat in Telegram at any time."),
            _("/delete deletes everything that I can still link to you."),
        )
    )


def deleted(t: Translations, removed: bool) -> str:
    """/delete: what was removed, and why sent sets cannot be."""
    _ = t.gettext
    first = (
        _(
            "I deleted the answers that you had not sent yet. "
            "I also deleted your language choice. "
            "I also deleted the codes that showed you answered."
        )
        if removed
        else _("I had nothing about you. So I deleted nothing.")
    )
    return (
        first
        + "\n\n"
        + _(
            "I cannot find the answers that you already sent. Nobody else can find them. "
            "So I cannot delete only your answers."
        )
    )


def about_text(t: Translations, instrument: Instrument) -> str:
    """/about: whose statements these are, and whether THL wrote this language's text."""
    _ = t.gettext
    status = (
        _("These statements are the official text of THL.")
        if instrument.status.value == "official"
        else _(
            "These statements are a temporary translation. "
            "THL has not checked the translation yet."
        )
    )
    return (
        _(
            "The statements are from THL. "
            "THL is the Finnish Institute for Health and Welfare. "
            "The name of the statements is Osallisuusindikaattori. THL did not make me."
        )
        + "\n\n"
        + status
        + "\n\n"
        + instrument.copyright
    )


def use_buttons(t: Translations) -> str:
    """Free text during a statement that is not an answer."""
    return t.gettext(
        "Please choose an answer with the buttons below. You can also write a number from 1 to 5."
    )


def use_review_buttons(t: Translations) -> str:
    """Free text at the review."""
    return t.gettext("Please tap Send answers. Or tap a statement to change its answer.")


def not_understood(t: Translations) -> str:
    """Free text when no check-in is going on."""
    _ = t.gettext
    return (
        _("Sorry, I did not understand.")
        + " "
        + how_to_join(t)
        + "\n\n"
        + _("You find help with /help.")
    )


def only_text(t: Translations) -> str:
    """Stickers, photos, voice and the like."""
    return t.gettext("Sorry, I can only read text and buttons. Please write or tap a button.")


def unknown_command(t: Translations) -> str:
    """A command this bot does not have."""
    return t.gettext("I do not know that command. You see my commands with /help.")


def stale_button(t: Translations) -> str:
    """A button from an earlier message or check-in, or one this bot never made."""
    return t.gettext("This button no longer works. Please use the newest message.")


def something_went_wrong(t: Translations) -> str:
    """An unexpected error: nothing acknowledged is lost."""
    return t.gettext("Sorry, something went wrong. Your answers are safe. Please try again.")


def description(t: Translations) -> str:
    """What Telegram shows in the empty chat before START (at most 512 characters)."""
    _ = t.gettext
    return "\n\n".join(
        (
            _(
                "Hello! I show you 10 short statements about your life. "
                "I ask if you feel you belong."
            ),
            _(
                "You answer alone, on your own phone. Nobody sees your own answers. "
                "I do not keep your name."
            ),
            _("You need a code or link from your group leader. Tap the button below to begin."),
        )
    )


def short_description(t: Translations) -> str:
    """The line on the bot's profile and beside a shared link (at most 120 characters)."""
    return t.gettext("I ask if you feel you belong. Nobody sees your own answers.")


COMMAND_NAMES: dict[str, dict[str, str]] = {
    "fi": {
        "continue": "jatka",
        "stop": "lopeta",
        "language": "kieli",
        "delete": "poista",
        "help": "apua",
    },
}
"""Commands' own names in a language, beside the English ones: both work everywhere, and the
language's menu and help show its own (Telegram allows only a-z, 0-9 and _ in a command)."""


def command_names(command: str) -> tuple[str, ...]:
    """The English command and every language's own name for it."""
    return (command, *(names[command] for names in COMMAND_NAMES.values() if command in names))


def participant_commands(t: Translations, lang: str) -> list[tuple[str, str]]:
    """The command menu for participants, in their language, with its own command names."""
    _ = t.gettext
    own = COMMAND_NAMES.get(lang, {})
    return [
        (own.get(command, command), description)
        for command, description in (
            ("start", _("Join a check-in")),
            ("continue", _("Go on answering")),
            ("stop", _("Stop and delete your answers")),
            ("language", _("Change the language")),
            ("privacy", _("What I save")),
            ("delete", _("Delete what I know about you")),
            ("about", _("About the statements")),
            ("help", _("Help")),
        )
    ]
