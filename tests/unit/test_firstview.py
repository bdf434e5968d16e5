"""The static first view (components/firstview.py): Dash component trees drawn as the HTML React would make."""

from __future__ import annotations

from dash import dcc, html

from components import firstview


def test_html_components_keep_classes_styles_and_attributes_but_not_ids():
    out = firstview.render(html.Div([html.H1("Ledger", id="t"), html.P("a < b & c", className="lead")],
                                    id="root", className="page", style={"minHeight": 640, "flexGrow": 1},
                                    **{"aria-label": "x", "data-year": 2011}))
    assert out.startswith('<div class="page" style="min-height:640px;flex-grow:1" ')
    assert ' aria-label="x"' in out and ' data-year="2011"' in out
    assert out.endswith('><h1>Ledger</h1><p class="lead">a &lt; b &amp; c</p></div>')
    assert "id=" not in out


def test_void_tags_and_booleans():
    img = firstview.render(html.Img(src="data:image/svg+xml,<svg>", alt="", className="hc-prerender"))
    assert img.startswith('<img class="hc-prerender" ') and not img.endswith("</img>")
    assert ' src="data:image/svg+xml,&lt;svg&gt;"' in img and ' alt=""' in img
    assert firstview.render(html.Button("Go", disabled=True, n_clicks=3)) == "<button disabled>Go</button>"
    assert firstview.render(html.Div(hidden=False)) == "<div></div>"


def test_replace_draws_the_page_in_the_content_element():
    shell = html.Div([html.Header("H"), html.Div(id="_pages_content")])
    out = firstview.render(shell, {"_pages_content": html.H1("Atlas")})
    assert out == "<div><header>H</header><div><h1>Atlas</h1></div></div>"


def test_dcc_controls_are_drawn_as_their_current_value():
    dd = firstview.render(dcc.Dropdown(options=[{"label": "AR5 GWP100", "value": "AR5"}, "AR6"], value="AR5",
                                       id="g", className="gwp"))
    assert 'class="dash-dropdown gwp"' in dd and "<span>AR5 GWP100</span>" in dd
    radio = firstview.render(dcc.RadioItems(options=["66", "90"], value="90", inline=True, id="ci"))
    assert radio.count("<label") == 2 and radio.count(" checked") == 1
    assert radio.startswith('<div class="dash-options-list dash-radioitems"><label')
    assert 'selected dash-radioitems-inline"><span class="dash-options-list-option-wrapper"><input type="radio" ' \
           'disabled checked' in radio
    check = firstview.render(dcc.Checklist(options={"CO2": "CO2", "CH4": "CH4"}, value=["CH4"], id="gas"))
    assert check.count(" checked") == 1 and "dash-checklist" in check
    # invisible and unknown components: nothing, or their empty box
    assert firstview.render([dcc.Store(id="s", data={"a": 1}), dcc.Location(id="l")]) == ""
    assert firstview.render(dcc.Graph(id="g", style={"height": 640})) == (
        '<div class="dash-graph" style="height:640px"></div>')
    assert firstview.render(dcc.Link("Atlas", href="/atlas", className="nav-link")) == (
        '<a class="nav-link" href="/atlas">Atlas</a>')


def test_a_failing_layout_gives_no_view_rather_than_an_error():
    def broken():
        raise ValueError("no pack")

    assert firstview.first_view(lambda: html.Div(id="_pages_content"), broken) == ""
    ok = firstview.first_view(lambda: html.Div(id="_pages_content"), lambda: html.H1("x"))
    assert ok == '<div id="hc-first-view" class="hc-first-view"><div><h1>x</h1></div></div>'


def test_event_handler_like_and_object_props_never_become_attributes():
    out = firstview.render(html.A("x", href="/a", **{"data-x": "y"}, target="_blank"))
    assert out.startswith("<a ") and out.endswith(">x</a>")
    assert ' href="/a"' in out and ' data-x="y"' in out and ' target="_blank"' in out
    assert "onclick" not in firstview._attrs({"onClick": "alert(1)", "title": '"quoted"'}).lower()
    assert firstview._attrs({"title": '"q"'}) == ' title="&quot;q&quot;"'


def test_slider_shows_its_value():
    out = firstview.render(dcc.Slider(1970, 2023, value=2011, id="year"))
    assert 'class="dash-slider-container hc-static-slider"' in out
    assert '<span class="hc-static-value">2011</span>' in out


def test_a_slow_layout_is_not_waited_for():
    import time

    import flask

    app = flask.Flask("t")
    with app.test_request_context("/ledger"):
        assert firstview.within(0.5, lambda: "view") == "view"
        t0 = time.perf_counter()
        assert firstview.within(0.05, lambda: time.sleep(0.5) or "late") == ""
        assert time.perf_counter() - t0 < 0.4
        # the work runs with the request's context (layouts read the app's config)
        assert firstview.within(0.5, lambda: flask.request.path) == "/ledger"
