"""Browser tests: wait for the live page, not its static first view."""

from __future__ import annotations

LIVE_PAGE = "() => !document.getElementById('hc-first-view') && !!document.querySelector('#_pages_content > *')"


def live_goto(pg, timeout_ms: int = 60_000):
    """Make ``pg.goto`` return only once the live page has replaced the static first view (components/firstview.py).

    The index document carries a copy of the page without ids; a check that does not wait (``is_visible``,
    ``get_attribute``) right after ``goto`` could otherwise read the copy on a loaded machine, where Dash's layout can
    arrive after 'networkidle'. ``wait_until="commit"`` keeps the plain behaviour (the first-load tests look at the
    copy itself); ``pg.goto_raw`` is the original.
    """
    raw = pg.goto

    def goto(url, **kwargs):
        response = raw(url, **kwargs)
        if kwargs.get("wait_until") != "commit":
            pg.wait_for_function(LIVE_PAGE, timeout=timeout_ms)
        return response

    pg.goto_raw = raw
    pg.goto = goto
    return pg
