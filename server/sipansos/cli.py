"""Flask commands: ``flask --app sipansos create-admin``, ``audit-verify``, ``storage-init``."""

import secrets
import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from .extensions import db
from .models import Role, User
from .services import accounts
from .services import audit as audit_service


@click.command("create-admin")
@click.option("--username", default="admin", show_default=True)
@click.option("--full-name", default="Administrator", show_default=True)
@click.option(
    "--password",
    envvar="SIPANSOS_ADMIN_PASSWORD",
    help="Defaults to a random password that is printed once.",
)
@click.option(
    "--if-none",
    is_flag=True,
    help="Do nothing when an admin account already exists (for set-up scripts).",
)
@with_appcontext
def create_admin(username, full_name, password, if_none):
    """Create an admin account (the first one, or another one)."""
    if if_none and db.session.scalar(select(User.id).where(User.role == Role.ADMIN).limit(1)):
        click.echo("An admin account already exists; nothing to do.")
        return
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    try:
        user = accounts.create_user(
            None,
            username=username,
            full_name=full_name,
            role=Role.ADMIN,
            password=password,
            must_change_password=generated,
        )
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Admin account created: username {user.username}")
    if generated:
        click.echo(f"Temporary password: {password}  (you must change it at first sign-in)")


@click.command("reset-password")
@click.argument("username")
@with_appcontext
def reset_password(username):
    """Give USERNAME a random temporary password (for a lost admin password)."""
    user = accounts.find_by_username(username)
    if user is None:
        raise click.ClickException(f"No user named {username!r}.")
    password = secrets.token_urlsafe(12)
    accounts.reset_password(None, user, password)
    click.echo(f"Temporary password for {user.username}: {password}  (change it at sign-in)")


@click.command("audit-verify")
@with_appcontext
def audit_verify():
    """Check the audit log's hash chain; exit status 1 if it was altered."""
    report = audit_service.verify_chain()
    if report.ok:
        click.echo(f"Audit log intact: {report.checked} events, head {report.head_hash}")
        return
    for problem in report.problems:
        click.echo(problem, err=True)
    click.echo(
        f"Audit log BROKEN: {len(report.problems)} problem(s) in {report.checked} events", err=True
    )
    sys.exit(1)


@click.command("verify")
@with_appcontext
def verify():
    """Re-read every stored object, check manifests, signatures and the audit chain.

    Exit status 1 when anything does not match.
    """
    from .services.integrity import verify_everything

    report = verify_everything()
    for problem in report.problems:
        click.echo(problem, err=True)
    summary = (
        f"{report.captures_checked} captures, {report.documents_checked} case documents, "
        f"{report.objects_checked} objects, "
        f"{report.audit_events_checked} audit events checked"
    )
    if report.ok:
        click.echo(f"Everything intact: {summary}.")
        return
    click.echo(f"INTEGRITY FAILURE: {len(report.problems)} problem(s); {summary}.", err=True)
    sys.exit(1)


@click.command("load-reference-data")
@with_appcontext
def load_reference_data():
    """Add the default categories, legal bases, agencies, routes, holidays and letter templates
    that are missing.

    Rows an admin already has (by code) are left as they are.
    """
    from .services.reference import load_default_letter_templates, load_default_reference_data

    added = load_default_reference_data()
    added["letter_templates"] = load_default_letter_templates()
    click.echo("Added: " + ", ".join(f"{count} {name}" for name, count in added.items()))


@click.command("storage-init")
@with_appcontext
def storage_init():
    """Create the evidence bucket if missing and report whether Object Lock protects it."""
    from .storage import get_store

    locked = get_store().ensure_bucket()
    click.echo(
        "Evidence bucket ready; Object Lock "
        + (
            "enabled."
            if locked
            else "NOT available on this S3 endpoint: evidence can be deleted by the storage admin."
        )
    )


def register_commands(app):
    for command in (
        create_admin,
        reset_password,
        audit_verify,
        verify,
        load_reference_data,
        storage_init,
    ):
        app.cli.add_command(command)
