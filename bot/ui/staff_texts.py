"""What the bot says to facilitators and coordinators. Counts only: never who, never answers."""

from __future__ import annotations

from collections.abc import Sequence

from babel.support import Translations

from bot.core.report_model import Breakdown, Period
from bot.core.reports import Report
from bot.core.sessions import Session, SessionCounts, SessionKind
from bot.core.staff import Activity, Invitation, StaffMember
from bot.ui import buttons as sc
from bot.ui.i18n import endonym
from bot.ui.report_texts import breakdown_name, kind_name, period_name, summary
from bot.ui.texts import Reply, button, picker_rows


def for_staff_only(t: Translations) -> str:
    """Anyone else trying a staff command."""
    return t.gettext("Sorry, this command is for group leaders.")


def rules(t: Translations, min_group: int) -> Reply:
    """Shown once, before a facilitator's first session."""
    _ = t.gettext
    return Reply(
        _(
            "Before you start, please read the rules:\n\n"
            "- Answering is voluntary.\n"
            "- Everyone answers alone, on their own phone.\n"
            "- Nobody answers for another person.\n"
            "- The answers are not used to assess one person.\n"
            "- The group may talk about the statements. Do not ask what anyone answered. "
            "The talk must not become a hidden assessment.\n"
            "- Nobody sees who answered. Not even you.\n"
            "- Results are shown only for groups of at least {min_group} people."
        ).format(min_group=min_group),
        ((button(_("I understand"), sc.RulesAccepted()),),),
    )


def rules_accepted(t: Translations) -> str:
    """After confirming the rules."""
    return t.gettext("Thank you! Create a check-in with /new. See all commands with /help.")


def staff_help(t: Translations, coordinator: bool) -> str:
    """/help for staff."""
    _ = t.gettext
    text = _(
        "Commands for group leaders:\n\n"
        "/new - create a check-in\n"
        "/sessions - your check-ins and how many answered\n"
        "/count - show the counts again\n"
        "/poster - a poster of your newest open check-in, to print\n"
        "/close - close a check-in\n"
        "/link - in a group chat: post the link of your newest open check-in\n"
        "/cancel - stop what you were doing"
    )
    text += "\n\n" + _(
        "To see what participants see, open the link of a check-in. For group leaders it is "
        "only a trial: nothing you answer is saved or counted."
    )
    if coordinator:
        text += "\n\n" + _(
            "For coordinators:\n\n"
            "/invite - a one-time link for a new group leader\n"
            "/facilitators - list or remove group leaders\n"
            "/report - anonymous totals, with charts\n"
            "/export - the totals as files"
        )
    return text


def invitation_link(t: Translations, link: str, days: int) -> str:
    """A coordinator's new invitation."""
    return t.gettext(
        "Send this link to the new group leader. It works once, for {days} days:\n\n{link}"
    ).format(link=link, days=days)


def ask_name(t: Translations) -> str:
    """An invited person is asked for their name."""
    return t.gettext(
        "Welcome! You are invited to lead check-ins.\n\n"
        "What name should the other staff see? Write it here."
    )


def bad_text(t: Translations, limit: int) -> str:
    """An empty or too long name or label."""
    return t.gettext("Please write 1 to {limit} characters.").format(limit=limit)


def invitation_problem(t: Translations, status: Invitation) -> str:
    """An invitation that cannot be used."""
    _ = t.gettext
    if status is Invitation.USED:
        return _("This invitation has already been used. Ask for a new one.")
    if status is Invitation.EXPIRED:
        return _("This invitation has expired. Ask for a new one.")
    return _("This invitation link does not work. Ask for a new one.")


def already_staff(t: Translations) -> str:
    """A staff member opening an invitation."""
    return t.gettext("You are already a group leader. See your commands with /help.")


def facilitator_list(t: Translations, members: list[StaffMember]) -> Reply:
    """/facilitators: names, with a button to remove each."""
    _ = t.gettext
    if not members:
        return Reply(_("There are no group leaders yet. Invite one with /invite."))
    lines = [_("Group leaders:"), ""] + [f"- {m.name}" for m in members]
    return Reply(
        "\n".join(lines),
        tuple(
            (button(_("Remove: {name}").format(name=m.name), sc.AskRemove(m.telegram_id)),)
            for m in members
        ),
    )


def confirm_remove(t: Translations, member: StaffMember) -> Reply:
    """Removing a facilitator is confirmed."""
    _ = t.gettext
    return Reply(
        _(
            "Remove {name}? Their open check-ins close now. Their check-ins and answers stay."
        ).format(name=member.name),
        (
            (button(_("Yes, remove"), sc.ConfirmRemove(member.telegram_id)),),
            (button(_("Cancel"), sc.Never()),),
        ),
    )


def removed(t: Translations, name: str) -> str:
    """After removing a facilitator."""
    return t.gettext("{name} is no longer a group leader.").format(name=name)


def cancelled(t: Translations) -> str:
    """A staff step was cancelled."""
    return t.gettext("Cancelled. Nothing was changed.")


def ask_activity(t: Translations, nonce: str, activities: list[Activity]) -> Reply:
    """/new, first question."""
    _ = t.gettext
    rows = [(button(a.name, sc.PickActivity(nonce, a.id)),) for a in activities[:8]]
    rows.append((button(_("New activity"), sc.PickActivity(nonce, None)),))
    rows.append((button(_("Cancel"), sc.CancelFlow(nonce)),))
    return Reply(_("Which activity is this check-in for?"), tuple(rows))


def ask_activity_name(t: Translations) -> str:
    """A new activity's name."""
    return t.gettext(
        "Write the name of the activity. For example: Open workroom, Kotka\n\n"
        "To stop, send /cancel."
    )


def ask_label(t: Translations) -> str:
    """The session's own label."""
    return t.gettext(
        "Write a short name for this check-in. For example: Tuesday 24 November\n\n"
        "To stop, send /cancel."
    )


def ask_kind(t: Translations, nonce: str) -> Reply:
    """Single, start or end."""
    _ = t.gettext
    return Reply(
        _("What kind of check-in is this?"),
        (
            *((button(kind_name(t, kind), sc.PickKind(nonce, kind)),) for kind in SessionKind),
            (button(_("Cancel"), sc.CancelFlow(nonce)),),
        ),
    )


def ask_start(t: Translations, nonce: str, starts: list[Session]) -> Reply:
    """Which start session an end session belongs to."""
    _ = t.gettext
    rows = [(button(s.label, sc.PickStart(nonce, s.id)),) for s in starts[:8]]
    rows.append((button(_("No start check-in"), sc.PickStart(nonce, None)),))
    rows.append((button(_("Cancel"), sc.CancelFlow(nonce)),))
    return Reply(_("Which start check-in does this end belong to?"), tuple(rows))


def ask_language(t: Translations, nonce: str, languages: Sequence[str]) -> Reply:
    """The session's language, the last question: each language with statements named in
    itself, Finnish first, so the usual answer is the first button."""
    _ = t.gettext
    return Reply(
        _(
            "Which language is this check-in in? Everyone who joins starts in it. "
            "Each person can still change the language."
        ),
        (
            *picker_rows(languages, lambda lang: sc.PickLanguage(nonce, lang)),
            (button(_("Cancel"), sc.CancelFlow(nonce)),),
        ),
    )


def created(t: Translations, session: Session, link: str) -> str:
    """The link, the code and the language, for the facilitator."""
    return t.gettext(
        "Check-in created: {label}\n\n"
        "Link: {link}\n"
        "Code: {code}\n"
        "Language: {language}\n\n"
        "Show the QR code or share the link. Below is a message you can forward to the group."
    ).format(
        label=session.label,
        link=link,
        code=session.short_code,
        language=endonym(session.lang),
    )


def qr_caption(t: Translations, session: Session) -> str:
    """Under the QR code image."""
    return t.gettext("QR code for the check-in: {label}").format(label=session.label)


def invitation_to_answer(t: Translations, session: Session, link: str, bot_username: str) -> str:
    """A ready message for the group: forwarded by the facilitator or posted with /link."""
    return t.gettext(
        "You are welcome to answer a short check-in: {label}\n\n"
        "Answer alone, on your own phone. It is voluntary and anonymous.\n\n"
        "Open this link: {link}\n"
        "Or send this code to @{bot}: {code}"
    ).format(label=session.label, link=link, bot=bot_username, code=session.short_code)


def count(t: Translations, session: Session, counts: SessionCounts) -> str:
    """The live count message: numbers only."""
    _ = t.gettext
    text = _("Check-in: {label}\nComplete answers: {complete}").format(
        label=session.label, complete=counts.complete
    )
    if session.closed:
        # Nobody can join any more: how many are still finishing is nobody's business.
        return text + "\n\n" + _("This check-in is closed.")
    return text + "\n" + _("Answering now: {in_progress}").format(in_progress=counts.in_progress)


def session_list(
    t: Translations, sessions: list[tuple[Session, SessionCounts]], everyone: bool
) -> str:
    """/sessions."""
    _ = t.gettext
    if not sessions:
        return _("There are no check-ins yet. Create one with /new.")
    head = _("All check-ins:") if everyone else _("Your check-ins:")
    lines = [head, ""]
    for session, counts in sessions:
        line = (
            _("- {label} ({kind}, closed): {complete} complete")
            if session.closed
            else _("- {label} ({kind}, open): {complete} complete, {in_progress} answering now")
        )
        lines.append(
            line.format(
                label=session.label,
                kind=kind_name(t, session.kind).lower(),
                complete=counts.complete,
                in_progress=counts.in_progress,
            )
        )
    return "\n".join(lines)


def nothing_open(t: Translations) -> str:
    """/close or /link with no open session."""
    return t.gettext("You have no open check-ins. Create one with /new.")


def ask_close(t: Translations, sessions: list[Session]) -> Reply:
    """/close: which one."""
    _ = t.gettext
    rows = [(button(s.label, sc.AskClose(s.id)),) for s in sessions[:10]]
    rows.append((button(_("Cancel"), sc.Never()),))
    return Reply(_("Which check-in do you want to close?"), tuple(rows))


def confirm_close(t: Translations, session: Session, grace_minutes: int) -> Reply:
    """Closing is confirmed."""
    _ = t.gettext
    return Reply(
        _(
            "Close {label}? Nobody can join after this. People who are answering now have "
            "{minutes} minutes to finish."
        ).format(label=session.label, minutes=grace_minutes),
        (
            (button(_("Yes, close"), sc.ConfirmClose(session.id)),),
            (button(_("Cancel"), sc.Never()),),
        ),
    )


def closed(t: Translations, session: Session) -> str:
    """After closing."""
    return t.gettext("{label} is closed.").format(label=session.label)


def link_in_group_only(t: Translations) -> str:
    """/link in a private chat."""
    return t.gettext(
        "Send /link in the group chat where you want to share your newest open check-in."
    )


def staff_commands(t: Translations, coordinator: bool) -> list[tuple[str, str]]:
    """The command menu for staff, in their language."""
    _ = t.gettext
    commands = [
        ("new", _("Create a check-in")),
        ("sessions", _("Your check-ins")),
        ("count", _("Show the counts again")),
        ("poster", _("A poster to print")),
        ("close", _("Close a check-in")),
        ("cancel", _("Stop what you were doing")),
    ]
    if coordinator:
        commands += [
            ("invite", _("Invite a group leader")),
            ("facilitators", _("List or remove group leaders")),
            ("report", _("Anonymous totals")),
            ("export", _("Totals as files")),
        ]
    return [*commands, ("language", _("Change the language")), ("help", _("Help"))]


def for_coordinators_only(t: Translations) -> str:
    """A report or export asked for by someone who is not a coordinator."""
    return t.gettext("Sorry, reports are for coordinators.")


def ask_report_scope(t: Translations, activities: list[Activity]) -> Reply:
    """/report, first question."""
    _ = t.gettext
    rows = [(button(_("Everything"), sc.ReportScope(None)),)]
    rows += [(button(a.name, sc.ReportScope(a.id)),) for a in activities[:10]]
    return Reply(_("What should the report cover?"), tuple(rows))


def ask_report_breakdown(t: Translations, activity_id: int | None) -> Reply:
    """/report, second question."""
    _ = t.gettext
    buttons = []
    for breakdown in Breakdown:
        name = breakdown_name(t, breakdown)
        label = name[:1].upper() + name[1:]
        buttons.append((button(label, sc.ReportBy(activity_id, breakdown)),))
    return Reply(_("How should the answers be grouped?"), tuple(buttons))


def ask_report_period(t: Translations, activity_id: int | None, breakdown: Breakdown) -> Reply:
    """/report, third question."""
    rows = tuple(
        (button(period_name(t, period), sc.ReportFor(activity_id, breakdown, period)),)
        for period in Period
    )
    return Reply(t.gettext("Which period should the report cover?"), rows)


def report_summary(t: Translations, report: Report, locale: str) -> Reply:
    """A report's chat summary; with figures, a button asks for the same report as a PDF page."""
    text = summary(t, report, locale)
    if report.is_empty:
        return Reply(text)
    request = report.request
    page = sc.ReportPage(
        request.activity_id, request.breakdown, request.first_day, request.last_day
    )
    return Reply(text, ((button(t.gettext("The same report on one PDF page"), page),),))
