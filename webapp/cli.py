"""Command-line interface: thin Click shells over services."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import force_locale

from models import Role


def register(app: Flask) -> None:
    app.cli.add_command(report_group)
    app.cli.add_command(demo_group)
    app.cli.add_command(users_group)
    app.cli.add_command(docs_group)


@click.group("report", cls=AppGroup)
def report_group() -> None:
    """Write reports."""


@report_group.command("enterprise")
@click.argument("uscc")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def report_enterprise(uscc: str, output: Path, lang: str) -> None:
    """Write the PDF report of the enterprise's latest submitted assessment."""
    from assessment.errors import InvalidUSCCError
    from assessment.uscc import validate_uscc
    from webapp.services import enterprise_reports
    from webapp.services.errors import NotFoundError

    try:
        code = validate_uscc(uscc)
        assessment = enterprise_reports.latest_submitted_by_uscc(code)
    except InvalidUSCCError as exc:
        raise click.ClickException(f"{uscc}: {exc.reason_en}") from exc
    except NotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    with force_locale(lang):
        pdf = enterprise_reports.render_pdf(assessment, lang)
    output.write_bytes(pdf)
    click.echo(f"wrote {output} ({len(pdf):,} bytes, round {assessment.round_code})")


@click.group("demo", cls=AppGroup)
def demo_group() -> None:
    """Demo data."""


@demo_group.command("seed")
@click.option("--enterprises", default=300, show_default=True, help="size of the demo cohort")
@click.option("--seed", default=20260401, show_default=True, help="random seed")
def demo_seed(enterprises: int, seed: int) -> None:
    """Load the demo catalogue, demo accounts and a scored demo cohort (idempotent)."""
    from webapp.services import demo

    outcome = demo.seed_demo(enterprises=enterprises, seed=seed)
    click.echo(outcome.summary())


@click.group("users", cls=AppGroup)
def users_group() -> None:
    """User accounts."""


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def users_create(email: str, display_name: str, role: str, password: str) -> None:
    """Create an account (staff, government and administrator accounts are made this way)."""
    from webapp.services import accounts
    from webapp.services.errors import InvalidInputError

    try:
        user = accounts.register_user(email, password, display_name, Role(role))
    except InvalidInputError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"created {user.email} ({user.role})")


@click.group("docs", cls=AppGroup)
def docs_group() -> None:
    """Documents generated from the code."""


@docs_group.command("methodology")
@click.option(
    "--path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=Path(__file__).resolve().parent.parent / "docs" / "methodology.md", show_default=True,
)  # fmt: skip
def docs_methodology(path: Path) -> None:
    """Rewrite the generated tables of the methodology document from the instrument."""
    from assessment.instrument import current_instrument
    from assessment.methodology import methodology_tables, replace_generated

    text = path.read_text(encoding="utf-8")
    path.write_text(
        replace_generated(text, methodology_tables(current_instrument())), encoding="utf-8"
    )
    click.echo(f"updated {path}")
