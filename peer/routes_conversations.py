"""Views of a conversation: reading and writing, polling with ETag / 304, what the client
shares in it, reporting, and the client's access log."""

from __future__ import annotations

from babel.lists import format_list
from flask import abort, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from accounts.permissions import CLIENT, PEER, RELATIVE, loads, may_change_on_get, roles_required
from accounts.rules import attempt
from core.forms import TokenOnlyForm
from diary import entries
from diary.vocab import MOODS, PROMPTS
from extensions import db, htmx, not_modified, render

from . import alerts, contacts, links, messages, profiles, reports, sharing
from .blueprint import bp, in_contacts
from .forms import MessageForm, ReportForm, ShareForm

LOG_PAGE = 100  # lines of the access log at a time


def _mark_as_seen(contact) -> None:
    """The person has the conversation in front of them: what came to them is read."""
    if request.method == "POST" or may_change_on_get():  # another site's link marks nothing
        if links.share_missing(db.session, contact):  # the other person's copy of the link key
            db.session.commit()
        messages.mark_read(db.session, contact, current_user)
        alerts.mark_seen(db.session, current_user, contact)


def _added_to_page(contact, shown):
    """The answer to a message sent from a page that showed all there was: only the new
    messages, added to the end of its list (a tenth of the whole list's work with 100
    messages). None when the page needs the whole list after all."""
    _mark_as_seen(contact)
    added = messages.added_since(db.session, contact, current_user, shown)
    if added is None:
        return None
    newer, last_sent = added
    newer, waiting = messages.readable(newer)
    if waiting:
        return None
    response = render("peer/conversation.html", fragment="appended", appended=newer, day_before=last_sent)
    response.headers["ETag"] = f'"{messages.change_tag(db.session, contact, current_user)}"'
    response.headers["HX-Retarget"] = "#messages .message-list"
    response.headers["HX-Reswap"] = "beforeend"
    return response


def _conversation_page(contact, form=None, fragment="content", status=200):
    _mark_as_seen(contact)
    shown, earlier = messages.conversation(db.session, contact)
    shown, waiting = messages.readable(shown)
    tag = messages.change_tag(db.session, contact, current_user)  # after marking: what this page shows
    if fragment == "messages" and htmx and not htmx.boosted:
        # Only the list goes back (the answer to a message sent, a poll that found news):
        # none of the rest of the page is worked out for it.
        response = render(
            "peer/conversation.html",
            fragment=fragment,
            status=status,
            contact=contact,
            messages=shown,
            earlier=earlier,
            waiting=waiting,
            tag=tag,
        )
        response.headers["ETag"] = f'"{tag}"'
        return response
    other = contacts.other_person(db.session, contact, current_user)
    # The client sees the peer supporter's chosen name; the peer sees the client's handle.
    peer_id = contact.other_id if contact.kind == "peer" and current_user.id == contact.client_id else None
    other_profile = profiles.profile_of(db.session, peer_id) if peer_id else None
    response = render(
        "peer/conversation.html",
        fragment=fragment,
        status=status,
        contact=contact,
        other=other,
        other_profile=other_profile,
        name=contacts.known_as(
            contacts.ContactRow(contact, other),
            current_user,
            other_profile.display_name if other_profile else None,
            with_role=False,
        ),
        messages=shown,
        earlier=earlier,
        waiting=waiting,
        can_write=messages.can_write(contact),
        form=(form or MessageForm(formdata=None)).fresh_key(),
        action_form=TokenOnlyForm(),
        shared=sharing.shared_entries(db.session, contact, current_user),
        moods=MOODS,
        plan=_logged_plan(contact) if fragment == "content" else [],
        tag=tag,
    )
    response.headers["ETag"] = f'"{tag}"'
    return response


def _logged_plan(contact):
    plan = sharing.shared_plan(db.session, contact, current_user)
    if plan:
        sharing.log_event(db.session, contact.client_id, current_user, "viewed", "plan", contact.id)
        db.session.commit()
    return plan


@bp.route("/next-steps/share", methods=["GET", "POST"])
@roles_required(CLIENT)
def share_plan():
    rows = contacts.active_as_client(db.session, current_user)
    form = ShareForm()
    _share_choices(form, rows)
    if form.validate_on_submit():
        sharing.set_plan_sharing(db.session, current_user, set(form.contacts.data or []))
        flash(_("Saved. Only the people you ticked can see your next steps."), "success")
        return redirect(url_for("diary.next_steps"))
    if request.method == "GET":
        form.contacts.data = [row.contact.id for row in rows if row.contact.share_plan]
    return render("peer/share_plan.html", form=form, rows=rows)


@bp.get("/contacts/<id:contact_id>")
@in_contacts
@loads("contact", sharing.contact_for)
def conversation(contact):
    return _conversation_page(contact)


@bp.post("/contacts/<id:contact_id>/messages")
@in_contacts
@loads("contact", sharing.contact_for)
def send(contact):
    form = MessageForm()
    if form.validate_on_submit():
        # Checked before sending: does the page show all there is (its tag, sent back)?
        shown = htmx and messages.still_shown(db.session, contact, current_user, request.headers.get("X-Nara-Shown"))
        ok, _message = attempt(
            form, lambda: messages.send(db.session, current_user, contact, form.body.data, client_key=form.key())
        )
        if ok:
            if htmx:
                return (shown and _added_to_page(contact, shown)) or _conversation_page(contact, fragment="messages")
            return redirect(url_for("peer.conversation", contact_id=contact.id) + "#write")
    response = _conversation_page(contact, form=form, fragment="write")
    if htmx:  # the form aimed at the message list; its problems belong next to the form
        response.headers["HX-Retarget"] = "#write"
        response.headers["HX-Reswap"] = "outerHTML"
    return response


@bp.get("/contacts/<id:contact_id>/messages")
@in_contacts
@loads("contact", sharing.contact_for)
def poll(contact):
    """The message list, or 304 with no body when nothing changed since the tag sent."""
    return not_modified(messages.change_tag(db.session, contact, current_user)) or _conversation_page(
        contact, fragment="messages"
    )


@bp.get("/unread")
@roles_required(CLIENT, PEER, RELATIVE)
def unread():
    count = messages.unread_count(db.session, current_user)
    if (unchanged := not_modified(f"u{count}")) is not None:
        return unchanged
    response = render("peer/_unread.html", fragment="badge", unread_count=count)
    response.headers["ETag"] = f'"u{count}"'
    return response


@bp.get("/contacts/<id:contact_id>/entries/<id:entry_id>")
@in_contacts
@loads("contact", sharing.contact_for)
@loads("view", sharing.shared_entry, within="contact", arg="entry_id")
def shared_entry(contact, view):
    return render("peer/shared_entry.html", contact=contact, view=view, moods=MOODS, prompts=PROMPTS)


def _share_choices(form, rows) -> None:
    """Each person by the client's own name for them and their role: "Mum · relative"."""
    form.contacts.choices = [(row.contact.id, _share_label(row)) for row in rows]


def _share_label(row) -> str:
    return _("%(name)s · %(role)s", name=row.bare, role=row.role_word) if row.role else row.name


def names_in_words(names: list[str]) -> str:
    """ "Mum (relative) and Lina (peer supporter)", in the reader's language."""
    return format_list(names, locale=str(get_locale()))


@bp.app_template_global()
def entry_seen_by(entry_id: int) -> str:
    """For the client's own entry page: who can see this entry, in a sentence."""
    names = sharing.seen_by(db.session, current_user, entry_id)
    if not names:
        return _("Only you can see this.")
    return _("%(names)s can see this.", names=names_in_words(names))


@bp.route("/diary/<id:entry_id>/share", methods=["GET", "POST"])
@roles_required(CLIENT)
@loads("entry", entries.get_entry)
def share_entry(entry):
    rows = contacts.active_as_client(db.session, current_user)
    form = ShareForm()
    _share_choices(form, rows)
    if form.validate_on_submit():
        sharing.set_entry_shares(db.session, current_user, entry, set(form.contacts.data or []))
        names = sharing.seen_by(db.session, current_user, entry.id)
        if names:
            flash(_("Shared. %(names)s can see this entry.", names=names_in_words(names)), "success")
        else:
            flash(_("Saved. Only you can see this entry."), "success")
        return redirect(url_for("diary.entry", entry_id=entry.id))
    if request.method == "GET":
        form.contacts.data = sorted(sharing.shares_of_entry(db.session, current_user, entry))
    return render("peer/share.html", form=form, entry=entry, rows=rows)


@bp.route("/contacts/<id:contact_id>/report", methods=["GET", "POST"])
@in_contacts
@loads("contact", sharing.contact_for)
def report(contact):
    other = contacts.other_person(db.session, contact, current_user)
    if other is None:  # a deleted account: nobody to report
        abort(404)
    shown, _earlier = messages.conversation(db.session, contact, limit=50)
    shown, _waiting = messages.readable(shown)
    form = ReportForm()
    form.messages.choices = [(m.id, m.body[:80]) for m in shown]
    if form.validate_on_submit():
        ok, _report = attempt(
            form,
            lambda: reports.report(
                db.session, current_user, contact, other, set(form.messages.data or []), form.reason.data
            ),
        )
        if ok:
            flash(_("Thank you. A coordinator will look at it. They see only what you chose to send."), "success")
            return redirect(url_for("peer.conversation", contact_id=contact.id))
    return render("peer/report.html", form=form, contact=contact, other=other, messages=shown)


@bp.get("/settings/access-log")
@roles_required(CLIENT)
def access_log():
    before = request.args.get("before", type=int)
    lines = sharing.access_log(
        db.session, current_user, limit=LOG_PAGE + 1, before=before if before and 0 < before < 2**31 else None
    )
    return render(
        "peer/access_log.html",
        events=lines[:LOG_PAGE],
        has_more=len(lines) > LOG_PAGE,
        known=contacts.names_for(db.session, current_user),
        by_contact=contacts.names_by_contact(db.session, current_user),
    )
