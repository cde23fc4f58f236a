"""The owner's start page (the enterprise, this round's assessment, past results) and the
enterprise profile, with the claim offered when the USCC is already registered."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from models import Enterprise
from webapp.blueprints.enterprise.forms import ProfileForm
from webapp.blueprints.routes import Routes
from webapp.extensions import db
from webapp.forms.accounts import ClaimForm
from webapp.forms.errors import show_field_error
from webapp.language import page_language
from webapp.services import claims, onsite, questionnaire_pages, round_changes
from webapp.services.enterprises import ProfileData, UsccTakenError, save_profile
from webapp.services.errors import ConflictError, InvalidInputError
from webapp.services.rounds import current_round

routes = Routes()


def own_enterprise() -> Enterprise | None:
    """The current user's enterprise; ``None`` before the profile is saved."""
    if current_user.enterprise_id is None:
        return None
    return db.session.get(Enterprise, current_user.enterprise_id)


@routes.get("/")
def home() -> Response | str:
    """The owner's start page: the enterprise, this round's assessment and past results."""
    enterprise = own_enterprise()
    if enterprise is None:
        return redirect(url_for("enterprise.profile"))
    overview = questionnaire_pages.overview(enterprise, current_round())
    reports = round_changes.reports_by_round(enterprise.id)
    return render_template(
        "enterprise/home.html",
        enterprise=enterprise,
        overview=overview,
        reports=reports,
        shown=onsite.shown_stages(reports),
    )


@routes.route("/profile", methods=["GET", "POST"])
def profile() -> Response | str:
    """Create or edit the enterprise profile."""
    enterprise = own_enterprise()
    form = ProfileForm(obj=enterprise)
    claim_form, claim_decider = None, ""
    lang = page_language()
    if form.validate_on_submit():
        data = ProfileData(
            name=form.name.data or "",
            uscc=form.uscc.data or "",
            industry_code=form.industry_code.data or "",
            production_type=form.production_type.data or "",
            town=form.town.data or "",
            employees=int(form.employees.data or 0),
            revenue_wan=float(form.revenue_wan.data or 0),
            contact_name=form.contact_name.data or "",
            contact_phone=form.contact_phone.data or "",
            contact_email=form.contact_email.data or "",
        )
        try:
            save_profile(current_user, data)
        except UsccTakenError as exc:
            form.uscc.errors.append(exc.message)
            claim_form = ClaimForm(formdata=None, uscc=exc.uscc)
            claim_decider = exc.decider
        except InvalidInputError as exc:
            show_field_error(form, exc)
        except ConflictError as exc:
            form.uscc.errors.append(str(exc))
        else:
            flash(_("企业信息已保存。"), "success")
            return redirect(url_for("enterprise.home"))
    return render_template(
        "enterprise/profile.html",
        form=form,
        enterprise=enterprise,
        claim_form=claim_form,
        claim_decider=claim_decider,
        own_claims=[] if enterprise else claims.own_claims_with_deciders(current_user, lang),
    )
