"""A document's revision history for its control block, with the detail the audience may see."""

from __future__ import annotations

from markupsafe import Markup

from ..core.model import Handbook
from ..history import History
from ..render.control_block import render_history


def history_html(view: Handbook, history: History | None, path: str) -> Markup:
    """The revision history of one document; commit subjects only for the highest audience
    (they can name anything in the repository), authors above the lowest."""
    if history is None:
        return Markup("")
    detail = view.access.history_detail
    if not history.available:
        return render_history(view, [], detail, history.note)
    return render_history(view, history.revisions.get(path, []), detail, history.note)
