"""What the bot says: every reply as plain data (text and buttons), in the person's language.

Interface text comes from the gettext catalogs; the instrument's own words come from the
instrument files and are shown exactly as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from babel.support import Translations

from bot.core.checkin import Draft, Stage
from bot.core.instrument import STATEMENT_COUNT, Instrument
from bot.ui import buttons as cb
from bot.ui.i18n import ENDONYMS, LANGUAGES

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
    message, so the chat keeps each answer and only the newest keyboard is live.
    """

    text: str
    buttons: tuple[tuple[Button, ...], ...] = field(default=())
    keys: Keys = field(default=())
    remove_keys: bool = False


def language_row(join_code: str | None = None) -> tuple[Button, ...]:
    """Each language named in itself, so anyone can find their own."""
    return tuple(button(ENDONYMS[lang], cb.Language(lang, join_code)) for lang in LANGUAGES)


def welcome(t: Translations) -> Reply:
    """Plain /start: how to join."""
    _ = t.gettext
    return Reply(
        _(
            "Hello! With this bot you can answer a short check-in about how you feel "
            "included.\n\nTo join, open the link from your group leader. Or type the code "
            "you got here."
        ),
        (language_row(),),
    )


def consent(
    t: Translations, label: str, join_code: str, ttl_hours: int, *, trial: bool = False
) -> Reply:
    """Who asks, what for, and what happens to the answers, before anything is stored.

    Staff get a trial run: the same check-in, with nothing stored or counted.
    """
    _ = t.gettext
    text = _(
        "Check-in: {label}\n\n"
        "You get 10 statements about your own life. "
        "You choose how much you agree with each one. It takes about 3 minutes.\n\n"
        "Why: the group leaders want to know how the group is doing. "
        "They see only totals of the whole group.\n\n"
        "Answering is voluntary.\n"
        "Nobody sees who answered or what. Not even the group leader.\n"
        "Only complete answers are counted.\n\n"
        "What is saved: your 10 answers, the day and the language. Not your name or your "
        "Telegram account. The answers are kept for the group totals. Nobody can link them "
        "to you. Unfinished answers are deleted after {hours} hours.\n\n"
        "You can stop at any time with /stop."
    ).format(label=label, hours=ttl_hours)
    if trial:
        text = (
            _(
                "Trial: you are a group leader, so this is only a trial. You see what the "
                "participants see. Nothing you answer is saved or counted."
            )
            + "\n\n"
            + text
        )
    return Reply(
        text,
        (
            (button(_("Start"), cb.Join(join_code)),),
            (button(_("No, thank you"), cb.Decline()),),
            language_row(join_code),
        ),
    )


def trial_over(t: Translations) -> str:
    """A staff member's trial run sent: it ends here."""
    return t.gettext("The trial is over. Nothing was saved or counted.")


def declined(t: Translations) -> str:
    """Consent refused."""
    return t.gettext("That is fine. Nothing was saved. Thank you!")


def introduction(instrument: Instrument) -> str:
    """The main question and the guiding sentence, exactly as THL wrote them."""
    return f"{instrument.main_question}\n\n{instrument.guiding_sentence}"


def _statement_head(instrument: Instrument, item: int) -> str:
    return f"{item + 1}/{STATEMENT_COUNT}\n{instrument.statements[item]}"


def statement(t: Translations, instrument: Instrument, draft: Draft) -> Reply:
    """The current statement with the five options as keyboard buttons, one per row, in order."""
    _ = t.gettext
    item = draft.position
    text = _statement_head(instrument, item)
    chosen = draft.answers[item]
    if chosen is not None:
        text += "\n\n" + _("Your answer now: {answer}").format(
            answer=instrument.options[chosen - 1]
        )
    controls = (_("Back"),) if item > 0 and not draft.reviewing else ()
    return Reply(text, keys=(*((label,) for label in instrument.options), (*controls, _("Pause"))))


class Control(StrEnum):
    """Keyboard buttons beside the answers while the statements are asked."""

    BACK = "back"
    PAUSE = "pause"
    CONTINUE = "continue"


def control(t: Translations, typed: str) -> Control | None:
    """Which control a keyboard tap (or the same words typed) means, if any."""
    _ = t.gettext
    cleaned = typed.strip().casefold()
    for kind, label in (
        (Control.BACK, _("Back")),
        (Control.PAUSE, _("Pause")),
        (Control.CONTINUE, _("Continue")),
    ):
        if cleaned == label.casefold():
            return kind
    return None


def review_answers(t: Translations, instrument: Instrument, draft: Draft) -> Reply:
    """All ten answers to look over; the statements' keyboard goes away with this message."""
    _ = t.gettext
    lines = [_("Check your answers:"), ""]
    for item, (text, value) in enumerate(zip(instrument.statements, draft.answers, strict=True)):
        lines.append(f"{item + 1}. {text}")
        lines.append(f"→ {instrument.options[value - 1] if value else '-'}")
    return Reply("\n".join(lines), remove_keys=True)


def review(t: Translations, draft: Draft) -> Reply:
    """After the answers: send them, or change one first."""
    _ = t.gettext
    numbers = [
        button(str(item + 1), cb.Change(draft.nonce, item)) for item in range(STATEMENT_COUNT)
    ]
    return Reply(
        _("Send your answers, or tap a number to change that answer."),
        (
            (button(_("Send answers"), cb.Send(draft.nonce)),),
            tuple(numbers[:5]),
            tuple(numbers[5:]),
            (
                button(_("Back"), cb.Back(draft.nonce)),
                button(_("Pause"), cb.Pause(draft.nonce)),
            ),
        ),
    )


def reviewed(t: Translations) -> str:
    """The review message once the set is sent."""
    return t.gettext("Your answers were sent.")


def thanks(t: Translations, first_message_id: int | None) -> Reply:
    """After sending: thanks, and an offer to tidy the chat for people who share a phone."""
    _ = t.gettext
    text = _(
        "Thank you! Your answers are saved. Nobody can see who answered.\n\n"
        "Do you share this phone with someone? I can delete this check-in's messages from "
        "the chat."
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


def kept(t: Translations) -> str:
    """After choosing to keep the chat as it is."""
    return t.gettext("Thank you! Your answers are saved. Nobody can see who answered.")


def _continue_button(t: Translations, draft: Draft) -> Reply:
    """Continue: a keyboard button while statements are asked, else an inline button."""
    label = t.gettext("Continue")
    if draft.stage is Stage.ASKING:
        return Reply("", keys=((label,),))
    return Reply("", ((button(label, cb.Resume(draft.nonce)),),))


def paused(t: Translations, draft: Draft, ttl_hours: int) -> Reply:
    """The check-in is on hold; the answers so far are kept."""
    _ = t.gettext
    text = _(
        "Your answers so far are saved. You can continue later. "
        "Unfinished answers are deleted after {hours} hours."
    ).format(hours=ttl_hours)
    return replace(_continue_button(t, draft), text=text)


def unfinished_elsewhere(t: Translations, label: str, draft: Draft) -> Reply:
    """The person opened another session's link with a check-in still open."""
    _ = t.gettext
    text = _(
        "You have an unfinished check-in: {label}. Continue it first. Or stop it with /stop."
    ).format(label=label)
    return replace(_continue_button(t, draft), text=text)


def stopped(t: Translations) -> str:
    """/stop with a check-in going on."""
    return t.gettext("The check-in is stopped. I deleted your answers.")


def nothing_to_stop(t: Translations) -> str:
    """/stop with nothing going on."""
    return t.gettext("You have no check-in going on.")


def nothing_to_continue(t: Translations) -> str:
    """Continue asked for, but nothing is waiting."""
    return t.gettext(
        "You have no check-in going on. To join, open the link from your group leader. "
        "Or type the code."
    )


def unknown_code(t: Translations) -> str:
    """A link or code that matches no session."""
    return t.gettext(
        "I did not find a check-in with that code. Check the code and try again. "
        "Or ask your group leader for a new link."
    )


def refused_code(t: Translations, everyone: bool) -> str:
    """A code not looked up: this person, or everyone together, sent too many wrong ones."""
    if everyone:
        return t.gettext(
            "Many wrong codes were typed just now. So I do not take typed codes for a while. "
            "Open the link or the QR code from your group leader. Or try again in an hour."
        )
    return t.gettext("Too many wrong codes. Please wait 10 minutes and try again.")


def closed_session(t: Translations) -> str:
    """A link to a session that has ended."""
    return t.gettext("This check-in has ended. You can no longer answer it. Thank you!")


def already_answered(t: Translations) -> str:
    """A second attempt in the same session."""
    return t.gettext(
        "You have already answered this check-in. Thank you! Each person answers once."
    )


def expired(t: Translations) -> str:
    """A check-in that waited too long."""
    return t.gettext(
        "Your unfinished check-in had waited too long, so I deleted it. "
        "You can start again with the link."
    )


def choose_language(t: Translations) -> Reply:
    """The language picker."""
    return Reply(t.gettext("Choose a language:"), (language_row(),))


def language_set(t: Translations) -> str:
    """Confirmation in the newly chosen language."""
    return t.gettext("The language is now English.")


def help_text(t: Translations) -> str:
    """/help."""
    return t.gettext(
        "This bot asks 10 statements about how you feel included. Answering is voluntary "
        "and anonymous.\n\n"
        "/start - join with a code\n"
        "/continue - go on with your answers\n"
        "/stop - stop and delete your answers\n"
        "/language - change the language\n"
        "/privacy - what is saved\n"
        "/delete - delete what can still be linked to you\n"
        "/about - about the statements"
    )


def privacy_text(t: Translations, ttl_hours: int, min_group: int) -> str:
    """/privacy: what is stored, plainly."""
    return (
        t.gettext(
            "What is saved:\n\n"
            "When you send your answers, the bot saves the 10 answers, the score, the day, the "
            "language and the check-in. Not your name, not your Telegram account, not the time. "
            "After that, nobody can find out which answers are yours.\n\n"
            "While you answer, the unfinished answers are saved under a secret code, not under "
            "your name. They are deleted after {hours} hours, or when you stop.\n\n"
            "The bot also keeps a secret code that shows you have already answered a check-in, "
            "so that nobody answers twice.\n\n"
            "Group leaders see only how many answered, and totals for groups of at least "
            "{min_group} people.\n\n"
            "Telegram carries the messages. You can delete this chat in Telegram at any time.\n\n"
            "/delete removes what can still be linked to you."
        ).format(hours=ttl_hours, min_group=min_group)
        + "\n\n"
        + t.gettext(
            "If you type a wrong code, the bot notes it for one hour, under a secret code. "
            "This way nobody can guess the codes. After the hour the note is deleted."
        )
    )


def deleted(t: Translations, removed: bool) -> str:
    """/delete: what was removed, and why sent sets cannot be."""
    _ = t.gettext
    first = (
        _(
            "I deleted your unfinished answers, your language choice and the codes that showed "
            "you have answered."
        )
        if removed
        else _("There was nothing linked to you to delete.")
    )
    return (
        first
        + "\n\n"
        + _(
            "Answers you have already sent are anonymous. Nobody can find them, not even the "
            "bot. So they cannot be deleted one by one."
        )
    )


def about_text(t: Translations, instrument: Instrument) -> str:
    """/about: whose statements these are, and the status of this language version."""
    _ = t.gettext
    status = (
        _("This language version is THL's official text.")
        if instrument.status.value == "official"
        else _(
            "This language version is a provisional translation. It is not THL's official text."
        )
    )
    return (
        _(
            "The statements are THL's Osallisuusindikaattori (Experiences of Social Inclusion "
            "Scale, ESIS). This bot is not made by THL."
        )
        + "\n\n"
        + status
        + "\n\n"
        + instrument.copyright
    )


def use_buttons(t: Translations) -> str:
    """Free text during a statement that is not an answer."""
    return t.gettext(
        "Please choose an answer with the buttons. You can also type a number from 1 to 5."
    )


def use_review_buttons(t: Translations) -> str:
    """Free text at the review."""
    return t.gettext("Please tap Send answers. Or tap a number to change that answer.")


def not_understood(t: Translations) -> str:
    """Free text when no check-in is going on."""
    return t.gettext(
        "Sorry, I did not understand. To join, open the link from your group leader. "
        "Or type the code. Help: /help"
    )


def only_text(t: Translations) -> str:
    """Stickers, photos, voice and the like."""
    return t.gettext("Sorry, I can only read text and button taps.")


def unknown_command(t: Translations) -> str:
    """A command this bot does not have."""
    return t.gettext("I do not know that command. See /help.")


def stale_button(t: Translations) -> str:
    """A button from an earlier message or check-in (shown as a short notice)."""
    return t.gettext("This button is no longer in use.")


def something_went_wrong(t: Translations) -> str:
    """An unexpected error: nothing acknowledged is lost."""
    return t.gettext("Sorry, something went wrong. Your saved answers are safe. Please try again.")


def participant_commands(t: Translations) -> list[tuple[str, str]]:
    """The command menu for participants, in their language."""
    _ = t.gettext
    return [
        ("start", _("Join a check-in")),
        ("continue", _("Go on with your answers")),
        ("stop", _("Stop and delete your answers")),
        ("language", _("Change the language")),
        ("privacy", _("What is saved")),
        ("delete", _("Delete what is linked to you")),
        ("about", _("About the statements")),
        ("help", _("Help")),
    ]
