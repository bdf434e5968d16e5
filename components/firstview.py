"""The first view of a page as static HTML inside the index document, shown until Dash has rendered the live page.

Why (issue 13, first load): a Dash page paints nothing until its JavaScript bundles have been evaluated, the layout
fetched and the page's router callback answered -- about 1.0-1.5 s on the 2-core reference machine even on a repeat
visit with every bundle in the HTTP cache. The index document now carries a static copy of the page the router will
render (the shell with the page's layout for the URL's path and query, from the same layout functions), so the
browser paints the header, the page's title and text and the picture of its first chart (components/prerender.py)
as soon as the HTML and CSS have arrived. ``assets/style.css`` hides the copy, and ``assets/firstview.js`` removes
it, as soon as the live page is in the document; the live page has the same classes and structure, so nothing moves.

The copy is a picture of the page, not a second page: element ids are dropped (the live page owns them), controls
are drawn as their current value (a dropdown as its selected label, radio items and checklists as disabled inputs)
and graphs without a server picture as their empty box. Links stay plain links, so a click before the page is live
loads the target normally. Anything that cannot be drawn statically (a page's layout raising, an unknown component)
makes the copy smaller, never an error: without a copy the page loads exactly as before. Nor does the copy delay
the document: a layout that takes longer than :data:`BUDGET_S` (a cold server's first visit of a view) is not
waited for.
"""

from __future__ import annotations

import html as _html
import logging
import re
from collections.abc import Callable, Mapping

log = logging.getLogger("holocarbon.firstview")

#: The element the copy lives in, before Dash's ``#react-entry-point``.
ROOT_ID = "hc-first-view"
#: Tags without an end tag.
_VOID = frozenset({"img", "br", "hr", "input", "meta", "link", "source", "wbr", "col", "area"})
#: Dash props that are not HTML attributes.
_SKIP = frozenset({"id", "children", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "loading_state", "key",
                   "setProps", "persistence", "persisted_props", "persistence_type", "contentEditable"})
#: React prop names whose HTML attribute is spelled differently.
_RENAME = {"className": "class", "htmlFor": "for", "tabIndex": "tabindex", "colSpan": "colspan",
           "rowSpan": "rowspan", "readOnly": "readonly", "maxLength": "maxlength", "autoComplete": "autocomplete",
           "spellCheck": "spellcheck", "crossOrigin": "crossorigin", "referrerPolicy": "referrerpolicy"}
#: CSS properties React writes without a ``px`` unit when given a number.
_UNITLESS = frozenset({"opacity", "z-index", "font-weight", "line-height", "flex", "flex-grow", "flex-shrink",
                       "order", "zoom", "fill-opacity", "stroke-opacity", "column-count", "grid-row", "grid-column"})
#: dcc components that draw nothing visible.
_INVISIBLE = frozenset({"Store", "Location", "Interval", "Download", "Clipboard", "ConfirmDialog", "Tooltip",
                        "ConfirmDialogProvider", "Geolocation"})
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def _attr_value(value) -> str:
    return _html.escape(str(value), quote=True)


def _style(style: Mapping) -> str:
    parts = []
    for prop, value in style.items():
        if value is None:
            continue
        name = prop if prop.startswith("--") else _CAMEL.sub("-", prop).lower()
        if isinstance(value, (int, float)) and not isinstance(value, bool) and name not in _UNITLESS and value != 0:
            value = f"{value}px"
        parts.append(f"{name}:{value}")
    return ";".join(parts)


def _attrs(props: Mapping, extra_class: str = "") -> str:
    out = []
    classes = " ".join(c for c in (extra_class, props.get("className") or "") if c)
    if classes:
        out.append(f' class="{_attr_value(classes)}"')
    for prop, value in props.items():
        if prop in _SKIP or prop == "className" or value is None or value is False:
            continue
        if prop == "style":
            if isinstance(value, Mapping) and value:
                out.append(f' style="{_attr_value(_style(value))}"')
            continue
        if callable(value) or isinstance(value, (dict, list, tuple)):
            continue
        name = _RENAME.get(prop, prop)
        if name.startswith("on"):  # never an event handler
            continue
        out.append(f" {name}" if value is True else f' {name}="{_attr_value(value)}"')
    return "".join(out)


def _options(options) -> list[tuple[object, str]]:
    """(value, label) of Dash ``options``: dicts, a list of values or a value -> label mapping (a label that is a
    component is shown as its value)."""
    if isinstance(options, Mapping):
        return [(k, str(v)) for k, v in options.items()]
    out = []
    for opt in options or ():
        if isinstance(opt, Mapping):
            label = opt.get("label", opt.get("value"))
            out.append((opt.get("value"), label if isinstance(label, str) else str(opt.get("value"))))
        else:
            out.append((opt, str(opt)))
    return out


def _option_label(options, value) -> str:
    """The label shown for ``value`` among Dash ``options`` (the value itself when it is not among them)."""
    return next((label for v, label in _options(options) if v == value), "" if value is None else str(value))


def _options_list(props: Mapping, kind: str) -> str:
    """RadioItems / Checklist as Dash 4 draws them (``dash-options-list``), inputs disabled."""
    selected = props.get("value")
    chosen = set(selected) if kind == "checklist" and isinstance(selected, (list, tuple)) else {selected}
    name = "checklist" if kind == "checklist" else "radioitems"
    inline = f" dash-{name}-inline" if props.get("inline") else ""
    itype = "checkbox" if kind == "checklist" else "radio"
    labels = []
    for value, label in _options(props.get("options")):
        on = value in chosen
        labels.append(
            f'<label class="dash-options-list-option{" selected" if on else ""}{inline}">'
            f'<span class="dash-options-list-option-wrapper"><input type="{itype}" disabled'
            f'{" checked" if on else ""} class="dash-options-list-option-checkbox"></span>'
            f'<span class="dash-options-list-option-text"><span>{_html.escape(label)}</span></span></label>')
    box = {"className": props.get("className"), "style": props.get("style")}
    return f"<div{_attrs(box, f'dash-options-list dash-{name}')}>{''.join(labels)}</div>"


def _dcc(kind: str, props: Mapping, children: str) -> str:
    if kind in _INVISIBLE:
        return ""
    if kind == "Link":
        return f"<a{_attrs({**props, 'href': props.get('href')})}>{children}</a>"
    if kind == "Loading":
        return children
    if kind == "Graph":
        style = props.get("style") or {}
        return f'<div{_attrs({"className": props.get("className"), "style": style}, "dash-graph")}></div>'
    if kind == "Dropdown":
        value = props.get("value")
        if isinstance(value, (list, tuple)):
            label = ", ".join(_option_label(props.get("options"), v) for v in value)
        else:
            label = _option_label(props.get("options"), value)
        label = label or props.get("placeholder") or ""
        return (f'<div{_attrs({"className": props.get("className"), "style": props.get("style")}, "dash-dropdown")}>'
                f'<span class="dash-dropdown-grid-container dash-dropdown-trigger"><span class="dash-dropdown-value">'
                f'<span class="dash-dropdown-value-item"><span>{_html.escape(str(label))}</span></span></span>'
                f'</span></div>')
    if kind == "RadioItems":
        return _options_list(props, "radio")
    if kind == "Checklist":
        return _options_list(props, "checklist")
    if kind == "Input":
        attrs = {"type": props.get("type") or "text", "placeholder": props.get("placeholder"),
                 "value": props.get("value"), "disabled": True, "aria-hidden": "true"}
        return (f'<div{_attrs({"className": props.get("className")}, "dash-input-container dash-input")}>'
                f'<input class="dash-input-element"{_attrs(attrs)}></div>')
    if kind in ("Slider", "RangeSlider"):  # a track and the value in its box, as Dash draws them
        value = props.get("value")
        text = "–".join(str(v) for v in value) if isinstance(value, (list, tuple)) else ("" if value is None
                                                                                        else str(value))
        return (f'<div{_attrs({"className": props.get("className")}, "dash-slider-container hc-static-slider")}>'
                f'<span class="hc-static-track"></span><span class="hc-static-value">{_html.escape(text)}</span>'
                f'</div>')
    if kind == "Markdown":
        text = props.get("children")
        if isinstance(text, (list, tuple)):
            text = "\n".join(str(t) for t in text)
        paras = "".join(f"<p>{_html.escape(p.strip())}</p>" for p in str(text or "").split("\n\n") if p.strip())
        return f"<div{_attrs({'className': props.get('className')})}>{paras}</div>"
    # anything else (a tab bar, a date picker, a table): its box, empty
    return f"<div{_attrs({'className': props.get('className'), 'style': props.get('style')})}></div>"


def render(node, replace: Mapping[str, object] | None = None) -> str:
    """Static HTML of a Dash component tree (as React would draw it without JavaScript, see the module text).

    ``replace`` maps a component id to the children drawn in its place (the page layout for ``_pages_content``)."""
    if node is None or node is False or node is True:
        return ""
    if isinstance(node, str):
        return _html.escape(node)
    if isinstance(node, (int, float)):
        return _html.escape(str(node))
    if isinstance(node, (list, tuple)):
        return "".join(render(child, replace) for child in node)
    to_json = getattr(node, "to_plotly_json", None)
    if to_json is None:
        return ""
    spec = to_json()
    props = spec.get("props", {})
    kind, namespace = spec.get("type", ""), spec.get("namespace", "")
    children = props.get("children")
    if replace and isinstance(props.get("id"), str) and props["id"] in replace:
        children = replace[props["id"]]
    inner = "" if kind == "Markdown" else render(children, replace)
    if namespace == "dash_html_components":
        tag = kind.lower()
        if tag in _VOID:
            return f"<{tag}{_attrs(props)}>"
        return f"<{tag}{_attrs(props)}>{inner}</{tag}>"
    if namespace == "dash_core_components":
        return _dcc(kind, props, inner)
    return f"<div{_attrs({'className': props.get('className'), 'style': props.get('style')})}>{inner}</div>"


def first_view(shell: Callable[[], object], page_layout: Callable[[], object] | object,
               content_id: str = "_pages_content") -> str:
    """The static copy of ``shell()`` with ``page_layout`` (a layout, or a callable returning one) drawn in the
    element ``content_id``, wrapped in ``<div id="hc-first-view">``; an empty string when either fails."""
    try:
        layout = page_layout() if callable(page_layout) else page_layout
        body = render(shell(), {content_id: layout})
    except Exception as exc:  # a copy is an optimisation: the live page is rendered regardless
        log.info("no first view: %s", exc)
        return ""
    return f'<div id="{ROOT_ID}" class="hc-first-view">{body}</div>'


def page_layout_for(app, path: str, args: Mapping[str, str]):
    """The layout callable the router would render for ``path`` and query ``args`` (None for an unknown path), with
    the arguments Dash's router passes: path variables and query parameters."""
    from dash._pages import _path_to_page  # the router's own lookup (dash pinned in requirements.txt)

    page, variables = _path_to_page(app.strip_relative_path(path))
    if not page:
        return None
    layout = page.get("layout")
    if not callable(layout):
        return layout
    kwargs = {**(variables or {}), **dict(args)}
    return lambda: layout(**kwargs)


#: The longest the index document waits for a page's first view [s]. A layout that computes longer (a view's first
#: visit on a cold server: /green-exports or /industry build their engine, about 1 s) is not waited for: the
#: document goes out without the copy, as before, and the layout finishes in the background (its tables are then
#: cached for the router's callback that follows).
BUDGET_S = 0.35


def within(budget_s: float, work: Callable[[], str]) -> str:
    """``work()`` run in a thread with the current request's context, or "" when it takes longer than ``budget_s``
    (the thread finishes on its own; its result is dropped)."""
    import threading

    from flask import copy_current_request_context

    box: list[str] = []
    run = copy_current_request_context(lambda: box.append(work()))
    thread = threading.Thread(target=run, daemon=True, name="holocarbon-firstview")
    thread.start()
    thread.join(budget_s)
    return box[0] if box else ""


#: Server config key overriding :data:`BUDGET_S` (tests wait for cold layouts).
BUDGET_KEY = "HOLOCARBON_FIRSTVIEW_BUDGET_S"


def install(app, shell: Callable[[], object]) -> None:
    """Put the static first view of the requested page in every index document ``app`` serves (when it is ready
    within :data:`BUDGET_S`, or the server config's :data:`BUDGET_KEY`)."""
    from flask import current_app, has_request_context, request

    interpolate = app.interpolate_index

    def interpolate_index(**kwargs):
        if has_request_context() and request.method == "GET":
            layout = page_layout_for(app, request.path, request.args)
            if layout is not None:
                budget = float(current_app.config.get(BUDGET_KEY, BUDGET_S))
                view = within(budget, lambda: first_view(shell, layout))
                kwargs["app_entry"] = view + kwargs.get("app_entry", "")
        return interpolate(**kwargs)

    app.interpolate_index = interpolate_index
