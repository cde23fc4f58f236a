"""The file field of the administrator's import forms (catalogue, enterprises)."""

from __future__ import annotations

from flask import flash, request
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage


def chosen_upload() -> FileStorage | None:
    """The uploaded ``file`` of this request, or None (after flashing "choose a file") when the
    form came without one; what the file holds is the import service's to judge."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("请选择要导入的文件。"), "warning")
        return None
    return upload
