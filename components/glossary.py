"""The glossary: every technical word Holocarbon uses, defined once, shown as an accessible tooltip wherever it
appears (:func:`term`) and as a section with anchors on the Data & methods page (:func:`glossary_section`).

A term is an inline ``role="button"`` span in the tab order, drawn as dotted-underlined text (so it is reached with
Tab and opened with a tap, which a bare ``title`` attribute is not, and it wraps with the sentence, which a
``<button>`` does not), followed by its definition in a ``role="tooltip"`` element it names with
``aria-describedby``. The definition shows on hover (of the word or of the tooltip itself), on keyboard focus and on a
tap; Escape hides it (WCAG 2.1, 1.4.13). CSS in ``assets/glossary.css``, the tap and Escape handling in
``assets/glossary.js``; without script the hover and focus still work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dash import html


@dataclass(frozen=True)
class Entry:
    """One glossary entry: the word as shown, its long name (or None) and the one-paragraph definition."""

    word: str
    long: str | None
    text: str

    @property
    def anchor(self) -> str:
        """Id of the entry on the Data & methods page (``/data#glossary-<slug>``)."""
        return "glossary-" + slug(self.word)


def slug(word: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", word.lower()).strip("-")


#: The definitions (one place), keyed by the name :func:`term` takes, in the order the glossary lists them.
GLOSSARY: dict[str, Entry] = {e.word: e for e in (
    Entry("consumption-based", "consumption-based accounting",
          "Emissions counted for the country whose final consumption (households, government, investment) causes "
          "them, wherever in the world they are released: production, minus the emissions embodied in its exports, "
          "plus those embodied in its imports. Holocarbon computes it through the MRIO table."),
    Entry("production-based", "production-based (territorial) accounting",
          "Emissions counted where they are released, inside a country's territory: the convention of national "
          "inventories reported under the UN climate convention (IPCC guidelines). Holocarbon takes them from EDGAR."),
    Entry("GWP", "global warming potential",
          "How much one tonne of a gas warms the climate over a time horizon compared with one tonne of CO2. It turns "
          "methane, nitrous oxide and F-gases into CO2-equivalents (CO2e) so they can be added up. Holocarbon offers "
          "the 100-year values of the IPCC's AR4, AR5 and AR6 reports and AR6's 20-year values."),
    Entry("CO2e", "carbon dioxide equivalent",
          "A quantity of greenhouse gases expressed as the mass of CO2 that would warm as much over the chosen GWP "
          "horizon."),
    Entry("MRIO", "multi-regional input–output table",
          "A table of what every sector of every region buys from every other one, and what final consumers buy. "
          "It lets emissions be followed along supply chains to the people who consume the goods. Holocarbon uses "
          "the World Input-Output Database 2013 release: 41 regions × 35 sectors, 1995–2011."),
    Entry("nowcast", None,
          "An estimate for a year after the last input–output table (2012–2023): the structure of the 2011 table is "
          "kept, each region's final demand is scaled by its GDP growth, and that year's emissions are spread over "
          "it. A modelled number, not a measurement; its measured error is on the validation report."),
    Entry("panoramic", "panoramic account",
          "In Holocarbon: the consumption-based account plus land-use change, minus the part of the natural land "
          "sink attributed to the territory by a land-cover proxy. Each term is shown apart. The CAS “panoramic” "
          "accounting of April 2026 uses the same word for its own method, which is not published."),
    Entry("holographic", None,
          "Holocarbon's word for seeing the same emissions from several sides at once: where they are released "
          "(maps at 0.1°), who they are released for (consumption through trade) and what land and ocean take back "
          "(sinks)."),
)}


def entry(name: str) -> Entry:
    """The entry for ``name`` (case-insensitive).

    Raises
    ------
    KeyError
        Naming the known terms.
    """
    for key, e in GLOSSARY.items():
        if key.lower() == name.lower():
            return e
    raise KeyError(f"no glossary entry {name!r}; known terms are {', '.join(GLOSSARY)}")


def term(name: str, text: str | None = None, uid: str | None = None) -> html.Span:
    """The word ``text`` (default: the entry's own word) with the definition of ``name`` as a tooltip.

    Parameters
    ----------
    name : str
        A key of :data:`GLOSSARY` (``"GWP"``, ``"MRIO"``, ``"nowcast"``, ``"panoramic"``, ``"consumption-based"``…).
    text : str, optional
        The words shown, when they differ from the term (``term("GWP", "greenhouse-gas metric")``).
    uid : str, optional
        Needed when the same term appears twice on one page: it makes the tooltip's id unique.
    """
    e = entry(name)
    tip_id = f"gloss-tip-{slug(e.word)}" + (f"-{slug(uid)}" if uid else "")
    head = f"{e.word} ({e.long}): " if e.long else f"{e.word}: "
    return html.Span([
        html.Span(text or e.word, className="gloss-term", role="button", tabIndex="0",
                  **{"aria-describedby": tip_id}),
        html.Span([html.Strong(head), e.text], role="tooltip", id=tip_id, className="gloss-tip"),
    ], className="gloss")


def glossary_section(section_id: str = "glossary") -> html.Section:
    """The Glossary of the Data & methods page: one ``<dfn>`` per entry, each with its anchor."""
    items = []
    for e in GLOSSARY.values():
        items += [html.Dt([html.Dfn(e.word)] + ([f" — {e.long}"] if e.long else []), id=e.anchor),
                  html.Dd(e.text)]
    return html.Section([html.H2("Glossary"), html.Dl(items, className="methods glossary")], id=section_id)
