"""Command-line interface: thin Click shells over services."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from assessment.catalogue import Catalogue
from assessment.errors import InstrumentVersionError, InvalidUSCCError
from assessment.instrument import current_instrument
from assessment.methodology import methodology_tables, replace_block, replace_generated
from assessment.quality import QualityReport
from assessment.roadmap import roadmap_lines
from assessment.roadmap_eval import cohort_roadmaps, evaluate_cohort
from assessment.uscc import validate_uscc
from models import EnablingCentre, Role, User
from webapp.access import MATRIX_BEGIN, MATRIX_END, markdown_matrix
from webapp.extensions import db
from webapp.registries import instruments
from webapp.services import accounts, demo, enterprise_reports, releases, rollups
from webapp.services.backups import backup_database, restore_database
from webapp.services.clusters import fit_round
from webapp.services.enterprise_import import import_enterprises
from webapp.services.errors import InvalidInputError, NotFoundError, ServiceError
from webapp.services.matching_eval import evaluate_round, provider_outcomes
from webapp.services.quality import quality_versions, round_quality
from webapp.services.region import Progress, generate_region
from webapp.services.rescoring import RescoreRefused, rescore_round
from webapp.services.roadmaps import programmes, roadmap_catalogue, v2_instrument
from webapp.services.rounds import current_round
from webapp.services.tabular_import import ImportRefused


def register(app: Flask) -> None:
    """Add the project's ``flask`` commands and command groups to ``app``."""
    commands = (
        report_group,
        demo_group,
        users_group,
        docs_group,
        assessments_group,
        clusters_group,
        matching_group,
        backup_command,
        restore_command,
        enterprises_group,
        stats_group,
        roadmap_group,
    )
    for command in commands:
        app.cli.add_command(command)


@click.command("backup")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def backup_command(output: Path) -> None:
    """Copy the database to a file (SQLite online backup API, or pg_dump)."""
    try:
        outcome = backup_database(db.engine.url, output)
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(outcome.summary("wrote"))


@click.command("restore")
@click.argument("backup", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="overwrite a database that already has tables")
@with_appcontext
def restore_command(backup: Path, replace: bool) -> None:
    """Load a backup made by 'backup' into the configured (empty) database."""
    url = db.engine.url
    db.engine.dispose()  # no pooled connection may hold the target open during the restore
    try:
        outcome = restore_database(url, backup, replace=replace)
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(outcome.summary("restored"))


@click.group("enterprises", cls=AppGroup)
def enterprises_group() -> None:
    """Enterprises of the region."""


@enterprises_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", "actor_email", required=True, help="e-mail of the admin importing")
def enterprises_import(path: Path, actor_email: str) -> None:
    """Register enterprises from an .xlsx/.csv file; a file with any bad row imports nothing."""
    actor = db.session.scalar(select(User).where(User.email == actor_email))
    if actor is None or actor.role != Role.ADMIN.value:
        raise click.ClickException(f"{actor_email} is not an administrator account")
    try:
        added = import_enterprises(actor, path.read_bytes(), path.name)
    except ImportRefused as exc:
        lines = [f"  {e.sheet} row {e.row}: {e.reason}" for e in exc.errors]
        raise click.ClickException("nothing imported:\n" + "\n".join(lines)) from exc
    click.echo(f"imported {added} enterprises from {path.name}")


@click.group("report", cls=AppGroup)
def report_group() -> None:
    """Write reports."""


@report_group.command("enterprise")
@click.argument("uscc")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def report_enterprise(uscc: str, output: Path, lang: str) -> None:
    """Write the PDF report of the enterprise's latest submitted assessment."""
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
    outcome = demo.seed_demo(enterprises=enterprises, seed=seed)
    click.echo(outcome.summary())


@demo_group.command("generate")
@click.option("--enterprises", default=10_000, show_default=True)
@click.option("--rounds", default=2, show_default=True)
@click.option("--seed", default=7, show_default=True)
@click.option(
    "--instrument-version",
    default=None,
    help="questionnaire version answered (default: the current one)",
)
@click.option(
    "--workers", default=1, show_default=True, help="processes generating and scoring batches"
)
def demo_generate(
    enterprises: int, rounds: int, seed: int, instrument_version: str | None, workers: int
) -> None:
    """Add a large synthetic region: N enterprises x R rounds of submitted assessments."""
    last = int(current_round())
    current = instruments().current()
    try:
        instrument = (
            instruments().get(current.id, instrument_version) if instrument_version else None
        )
    except InstrumentVersionError as exc:
        raise click.ClickException(str(exc)) from exc
    start = time.perf_counter()

    def report(p: Progress) -> None:
        click.echo(f"enterprises {p.done:,}/{p.total:,} ({p.rate:,.0f}/s)")

    written = generate_region(enterprises, rounds, last, seed, report, instrument, workers)
    click.echo(
        f"wrote {enterprises:,} enterprises and {written:,} assessments "
        f"({rounds} rounds) in {time.perf_counter() - start:.1f} s"
    )


@click.group("users", cls=AppGroup)
def users_group() -> None:
    """User accounts."""


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--centre", "centre_code", default=None, help="centre_staff: the centre's code")
def users_create(
    email: str, display_name: str, role: str, password: str, centre_code: str | None
) -> None:
    """Create an account (staff, government and administrator accounts are made this way);
    centre staff are assigned to their centre with ``--centre`` (review finding 24)."""
    if (role == Role.CENTRE_STAFF.value) != bool(centre_code):
        raise click.ClickException("--centre is required for centre_staff and only for them")
    centre_id = None
    if centre_code:
        centre_id = db.session.scalar(
            select(EnablingCentre.id).where(EnablingCentre.code == centre_code)
        )
        if centre_id is None:
            raise click.ClickException(f"no enabling centre with code {centre_code}")
    try:
        user = accounts.register_user(email, password, display_name, Role(role))
    except InvalidInputError as exc:
        raise click.ClickException(exc.message) from exc
    if centre_id is not None:
        user.centre_id = centre_id
        db.session.commit()
    click.echo(f"created {user.email} ({user.role})")


@click.group("docs", cls=AppGroup)
def docs_group() -> None:
    """Documents generated from the code."""


def _document_option(name: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """``--path`` of a generated document, by default ``docs/<name>`` of this checkout."""
    return click.option(
        "--path",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        default=Path(__file__).resolve().parent.parent / "docs" / name,
        show_default=True,
    )


@docs_group.command("methodology")
@_document_option("methodology.md")
def docs_methodology(path: Path) -> None:
    """Rewrite the generated tables of the methodology document from the instrument."""
    text = path.read_text(encoding="utf-8")
    path.write_text(
        replace_generated(text, methodology_tables(current_instrument())), encoding="utf-8"
    )
    click.echo(f"updated {path}")


@docs_group.command("security")
@_document_option("security.md")
def docs_security(path: Path) -> None:
    """Rewrite the access-matrix table of the security document from ``webapp/access.py``."""
    block = f"{MATRIX_BEGIN}\n{markdown_matrix()}\n"
    try:
        text = replace_block(path.read_text(encoding="utf-8"), MATRIX_BEGIN, MATRIX_END, block)
    except ValueError:
        raise click.ClickException(f"{path} has no generated access-matrix block") from None
    path.write_text(text, encoding="utf-8")
    click.echo(f"updated {path}")


@click.group("stats", cls=AppGroup)
def stats_group() -> None:
    """Government statistics releases."""


@stats_group.command("rollup")
@click.option("--round", "round_code", required=True, help="assessment round, e.g. 2026")
def stats_rollup(round_code: str) -> None:
    """Rebuild the round's statistics rollup from its assessment rows (one INSERT ... SELECT)."""
    start = time.perf_counter()
    rollups.rebuild(round_code)
    db.session.commit()
    cells = len(rollups.cells(round_code))
    click.echo(
        f"rollup of round {round_code}: {cells} cells in {time.perf_counter() - start:.2f} s"
    )


@stats_group.command("release")
@click.option("--round", "round_code", required=True, help="assessment round, e.g. 2026")
def stats_release(round_code: str) -> None:
    """Cut a release of the round's government tables: snapshot, suppress, audit, publish."""
    release = releases.cut_release(round_code, "cli")
    audit = release.audit["facts"]
    click.echo(
        f"release {release.id} of round {round_code}: {release.status}; "
        f"{audit['sensitive']} sensitive cells, {audit['hidden']} hidden "
        f"({audit['secondary']} secondary), narrowest interval {audit['narrowest']} firms, "
        f"{release.summary['pending']} assessments pending confirmation, "
        f"audit {release.audit['seconds']} s"
    )
    if release.status != "published":
        raise click.ClickException("the release failed its interval audit and is not published")


@click.group("assessments", cls=AppGroup)
def assessments_group() -> None:
    """Scoring and measurement quality of assessment rounds."""


@assessments_group.command("rescore")
@click.option("--round", "round_code", required=True, help="assessment round, e.g. 2026")
@click.option("--scoring-version", required=True, help="a published scoring version")
def assessments_rescore(round_code: str, scoring_version: str) -> None:
    """Re-score a round under a scoring version, keeping every earlier result."""
    try:
        outcome = rescore_round(round_code, scoring_version)
    except (InstrumentVersionError, RescoreRefused) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(outcome.summary())


@assessments_group.command("quality")
@click.option("--round", "round_code", required=True, help="assessment round, e.g. 2026")
@click.option(
    "--version",
    "version",
    default=None,
    help="questionnaire version whose assessments count (default: the current version)",
)
def assessments_quality(round_code: str, version: str | None) -> None:
    """Print reliability, item information, stage and MIIT level shares (with the stage x level
    table on a version-2 round) and warning counts for a round's assessments on one
    questionnaire version."""
    try:
        report = round_quality(round_code, version)
    except InstrumentVersionError as exc:
        offered = ", ".join(quality_versions(round_code))
        raise click.ClickException(f"{exc}; versions in round {round_code}: {offered}") from exc
    shown = version or instruments().current().version
    click.echo(format_quality(report, round_code, shown))


def format_quality(report: object, round_code: str, version: str) -> str:
    """The quality report of questionnaire ``version`` as plain text (also used by tests)."""
    assert isinstance(report, QualityReport)
    lines = [f"round {round_code}, questionnaire v{version}: {report.n} submitted assessments"]
    lines.append(
        "stage shares: " + ", ".join(f"{k} {v:.1%}" for k, v in report.stage_shares.items())
    )
    if report.miit_shares:
        lines.append(
            "MIIT level shares: " + ", ".join(f"{k} {v:.1%}" for k, v in report.miit_shares.items())
        )
        lines.append("stage x MIIT level (counts; columns " + " ".join(report.miit_shares) + "):")
        for stage, row in report.stage_by_level.items():
            lines.append(f"  {stage}: " + " ".join(f"{c:>4}" for c in row.values()))
    lines.append("Cronbach's alpha by dimension (items answered by everyone):")
    for rel in report.reliability:
        alpha = "n/a" if rel.alpha is None else f"{rel.alpha:.2f}"
        lines.append(f"  {rel.dimension}: alpha {alpha} over {len(rel.items)} items")
        for code, r in rel.item_total.items():
            lines.append(f"    {code} item-total r = {'n/a' if r is None else f'{r:.2f}'}")
    warned = ", ".join(f"{k} {v}" for k, v in sorted(report.warnings_per_item.items())) or "none"
    lines.append(f"consistency warnings per question: {warned}")
    constant = ", ".join(f"{k} ({v:.0%})" for k, v in report.near_constant.items()) or "none"
    lines.append(f"questions nearly everyone answers alike (>= 90%): {constant}")
    if report.kappa is None:
        lines.append(f"staff-validated stages: {report.labelled} (agreement needs at least 2)")
    else:
        lines.append(
            f"agreement with staff stages: Cohen's kappa {report.kappa:.2f} "
            f"over {report.labelled}; confusion (rows staff S0-S3) {report.confusion}"
        )
    return "\n".join(lines)


@click.group("clusters", cls=AppGroup)
def clusters_group() -> None:
    """Peer clusters and personas."""


@clusters_group.command("fit")
@click.option("--round", "round_code", required=True, help="assessment round, e.g. 2026")
def clusters_fit(round_code: str) -> None:
    """Fit the round's peer model on its submitted assessments and assign personas."""
    try:
        record = fit_round(round_code)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    m = record.metrics
    click.echo(
        f"round {round_code}: k={record.k} over {m['n']} assessments, "
        f"silhouette {m['silhouette_by_k']}, stability ARI {m['stability_ari']}, "
        f"fit {m['fit_seconds']} s"
    )
    for p in record.personas:
        click.echo(
            f"  {p['label']}: {p['name_zh']} / {p['name_en']} (n={p['size']}, {p['stage_mix']})"
        )


@click.group("matching", cls=AppGroup)
def matching_group() -> None:
    """Recommendations and the catalogue."""


@matching_group.command("evaluate")
@click.option("--round", "round_code", required=True, help="assessment round, e.g. 2026")
def matching_evaluate(round_code: str) -> None:
    """Gap coverage, distinct providers and concentration of recommendations over a round."""
    click.echo(evaluate_round(round_code).summary())
    table, note = provider_outcomes()
    click.echo(note)
    for code, (done, measured, delta) in sorted(table.items()):
        change = "n/a" if delta is None else f"{delta:+.1f}"
        click.echo(f"  {code}: {done} completed, {measured} re-assessed, index change {change}")


@click.group("roadmap", cls=AppGroup)
def roadmap_group() -> None:
    """Roadmaps built from version-2 assessments."""


def _roadmap_catalogue() -> Catalogue:
    try:
        return roadmap_catalogue()
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from exc


@roadmap_group.command("evaluate")
@click.option("-n", "--enterprises", default=300, show_default=True)
@click.option("--seed", default=7, show_default=True)
def roadmap_evaluate(enterprises: int, seed: int) -> None:
    """Roadmap invariants per horizon on a synthetic v2 cohort (the catalogue in the database,
    e.g. after ``flask demo seed``, and the programmes in the database)."""
    evaluation = evaluate_cohort(
        v2_instrument(), _roadmap_catalogue(), programmes(), enterprises, seed
    )
    for line in evaluation.lines():
        click.echo(line)


@roadmap_group.command("show")
@click.option("--cluster", default=None, help="first firm of this cluster, e.g. textiles")
@click.option("--index", default=0, show_default=True, help="or the firm at this position")
@click.option("--seed", default=7, show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def roadmap_show(cluster: str | None, index: int, seed: int, lang: str) -> None:
    """Print one synthetic v2 firm's roadmap (the catalogue in the database, the programmes)."""
    firms = cohort_roadmaps(v2_instrument(), _roadmap_catalogue(), programmes(), 300, seed)
    for n, (firm, profile, _visible, roadmap) in enumerate(firms):
        if (cluster is None and n == index) or (cluster == profile.cluster.value):
            click.echo(
                f"{firm.name} · {profile.industry_code} · {profile.production_type.value} · "
                f"{firm.employees} · {firm.revenue_wan:g} 万元"
            )
            for line in roadmap_lines(roadmap, lang):
                click.echo(line)
            return
    raise click.ClickException("no such firm in the cohort")
