"""Localised embedded emissions of CBAM goods against the EU default values, the CBAM cost per tonne, and the claim
table ("CBAM defaults systematically overestimate", product by product).

**Comparison.** For every row of Annex I of Implementing Regulation (EU) 2025/2621 (a country and a CN code), the
good is mapped to a route product (:func:`good_model`) and its embedded emissions are computed for that country on
the regulation's boundary: direct emissions and precursors always, indirect emissions only where the Annex gives
them (cement, fertilisers, iron ore agglomerates: goods outside Annex II of Regulation (EU) 2023/956; ``NA`` for
iron and steel, aluminium and hydrogen, whose indirect emissions CBAM does not charge). For carbon steel the Annex row
names a route (``C`` BF-BOF, ``E`` scrap EAF, ``D`` DRI-EAF) and the localised value is for that route; rows
without a route take the country's route mix. The Monte Carlo draws of the parameters give an interval
(:mod:`engine.industry.parameters`); the verdict says where the default lies: ``above`` our interval, ``inside``
or ``below``; the ratio default / ours has the interval default / ours_hi … default / ours_lo. A country row with
no value (``DASH``) takes the "Other Countries and Territories" row of the same good (``fallback=True``); a good
with no value even there gets the verdict ``no default``. Goods the routes do not cover (ferro-alloys, stainless
and alloy steels, white clinker and cements, aluminous cement, calcined clay, nitric acid and the other nitrogen
fertilisers) get ``not modelled`` with the reason — never an invented number.

**Cost per tonne** of a good for an import year: certificates = embedded emissions − free-allocation adjustment,
where the adjustment is ``CBAM factor × CSCF × benchmark`` (IR (EU) 2025/2620: column B, the benchmark for
default-value goods, which covers the precursors; the Annex row's route; year group 1 for 2026-2027, 2 from 2028)
and the CBAM factor is the share of free allocation still given, 1 − :data:`CHARGED_SHARE` of the year (Directive
2003/87/EC Art. 10a(1a) as amended by Directive (EU) 2023/959; Regulation (EU) 2023/956 Art. 31). Cost =
certificates × carbon price (parameter ``carbon_price``: 75 EUR/t, the average EUA price of 2025 reported by Veyt in
January 2026; users set their own). Certificates are never negative.

**Claim table**: China and the ten largest non-EU exporters of CBAM-type goods to the EU27 among the WIOD 2013
regions, ranked by their 2011 exports (intermediate and final use in EU27 member regions) of the WIOD sectors c11
(other non-metallic minerals: cement) and c12 (basic metals and fabricated metal: steel, aluminium)
(:func:`eu_exporters`). WIOD names 40 countries; exporters inside its rest of the world (Ukraine, Norway,
Switzerland, the Balkans, North Africa) cannot be ranked this way, and 2011 is the last table year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engine.core.errors import InputError
from engine.industry import routes

#: Share of embedded emissions charged (1 − CBAM factor) by import year: Directive 2003/87/EC Art. 10a(1a)
#: (inserted by Directive (EU) 2023/959) sets the CBAM factor at 97.5 % (2026), 95 % (2027), 90 % (2028), 77.5 %
#: (2029), 51.5 % (2030), 39 % (2031), 26.5 % (2032) and 14 % (2033); from 2034 no free allocation remains.
CHARGED_SHARE = {2026: 0.025, 2027: 0.05, 2028: 0.10, 2029: 0.225, 2030: 0.485, 2031: 0.61, 2032: 0.735,
                 2033: 0.86}
FIRST_YEAR, FULL_YEAR = 2026, 2034
#: Import years with a published mark-up column in Annex I (a later year keeps the 2028 mark-up).
MARKUP_YEARS = (2026, 2027, 2028)
VERDICTS = ("above", "inside", "below", "no default", "not modelled")
#: Steel route letters of Annex I / IR 2025/2620 -> route product.
STEEL_ROUTE_LETTERS = {"C": "bf_bof", "D": "dri_eaf", "E": "scrap_eaf", "": "mix"}
ALLOY_ROUTE_LETTERS = ("F", "G", "H", "J")
PRICE_NOTE = "carbon price default 75 EUR/t CO2e: average EU allowance price of 2025 (Veyt, January 2026)"


def charged_share(year: int) -> float:
    """Share of embedded emissions for which certificates are surrendered in an import year [1] (0 before 2026,
    1 from 2034)."""
    year = int(year)
    if year < FIRST_YEAR:
        return 0.0
    if year >= FULL_YEAR:
        return 1.0
    return CHARGED_SHARE[year]


def cbam_factor(year: int) -> float:
    """The CBAM factor of Directive 2003/87/EC Art. 10a(1a): the share of free allocation still given [1]."""
    return 1.0 - charged_share(year)


def free_allocation_adjustment(benchmark, year: int, cscf=1.0):
    """Free-allocation adjustment per tonne, ``CBAM factor × CSCF × benchmark`` [t CO2e t⁻¹]."""
    return cbam_factor(year) * cscf * np.asarray(benchmark, dtype=float)


def certificates_per_tonne(see, benchmark, year: int, cscf=1.0):
    """CBAM certificates per tonne of good, ``max(SEE − adjustment, 0)`` [t CO2e t⁻¹]; NaN benchmark counts as 0."""
    faa = np.nan_to_num(free_allocation_adjustment(benchmark, year, cscf), nan=0.0)
    return np.maximum(np.asarray(see, dtype=float) - faa, 0.0)


def cost_per_tonne(see, benchmark, year: int, price, cscf=1.0):
    """CBAM cost per tonne of good, certificates × carbon price [EUR t⁻¹] (price in [EUR t⁻¹ CO2e])."""
    if np.any(np.asarray(price) < 0):
        raise InputError(f"carbon price must be >= 0 EUR/t CO2e; got {price!r}")
    return certificates_per_tonne(see, benchmark, year, cscf) * np.asarray(price, dtype=float)


def verdict(default, lo, hi):
    """Where a default value lies against our interval: ``above``, ``inside`` or ``below``; ``no default`` when the
    default is NaN, ``not modelled`` when our interval is NaN."""
    default, lo, hi = (np.asarray(a, dtype=float) for a in (default, lo, hi))
    return np.select([np.isnan(default), np.isnan(lo) | np.isnan(hi), default > hi, default < lo],
                     ["no default", "not modelled", "above", "below"], "inside")


def indirect_charged(cn_digits: str) -> bool:
    """Whether CBAM counts a good's indirect emissions: not for the goods of Annex II of Regulation (EU) 2023/956
    ("only direct emissions"): chapter 72 except ferrous scrap (7204) and the ferro-alloys 7202 2x, 7202 30, 50, 70,
    80, 91-99; the listed headings of chapters 73 and 76; hydrogen 2804 10 00."""
    d = str(cn_digits)
    if d.startswith("72"):
        return d.startswith(("7204", "72022")) or d[:6] in {"720230", "720250", "720270", "720280", "720291",
                                                              "720292", "720293", "720299"}
    return not d.startswith(("73", "76", "280410"))


def _is_alloy(description: str) -> bool:
    d = description.lower()
    return "stainless" in d or ("alloy" in d and "non-alloy" not in d) or "cast iron" in d


def good_model(sector: str, cn_digits: str, description: str, route: str) -> tuple[str | None, str]:
    """The route product of a CBAM good (an Annex I row), or None and why it is not modelled.

    Returns
    -------
    (key, note)
        ``key`` names a product of :func:`products_for_goods` (e.g. ``"steel_product@bf_bof"``, ``"clinker"``);
        ``note`` says what was assumed, or why nothing was.
    """
    cn, d, route = str(cn_digits), str(description), str(route or "").strip()
    desc = d.lower()
    if sector == "Cement":
        if cn.startswith("25231000"):
            return ("clinker", "grey clinker") if "grey" in desc else (None, "white clinker: no white-clinker route")
        if cn.startswith("25232900"):
            return "cement_portland", "grey Portland cement (CEM I clinker ratio)"
        if cn.startswith("25239000"):
            return ("cement", "grey hydraulic cement (average clinker ratio)") if "grey" in desc else \
                (None, "white cement: no white-clinker route")
        return None, "no route for this cement good (white Portland, aluminous cement, calcined clay)"
    if sector == "Fertilisers":
        if cn.startswith("28141000"):
            return "ammonia", "anhydrous ammonia"
        if cn.startswith(("31021019", "31021090")):
            return "urea", "solid urea (ammonia precursor; bound CO2 not deducted)"
        return None, "no route for this fertiliser (nitric acid, nitrates, solutions, mixtures)"
    if sector == "Hydrogen":
        return "hydrogen", "hydrogen"
    if sector == "Aluminium":
        kind = {"K": "primary", "L": "secondary"}.get(route)
        if kind is None:
            return None, "aluminium good without a primary/secondary route letter"
        if cn.startswith("7601"):
            return f"aluminium_{kind}", f"unwrought {kind} aluminium"
        return f"al_product_{kind}", f"aluminium product from {kind} aluminium"
    if sector == "Iron and steel":
        if cn.startswith("2601"):
            return "sinter", "iron ore agglomerate (sinter)"
        if cn.startswith("7201"):
            return "pig_iron", "pig iron"
        if cn.startswith("7203"):
            return "dri", "direct reduced iron (the country's gas/coal mix)"
        if cn.startswith("7202"):
            return None, "ferro-alloys: no route"
        if route in ALLOY_ROUTE_LETTERS or _is_alloy(d) or cn[:4] in {f"72{i}" for i in range(18, 30)}:
            return None, "alloy or stainless steel: ferro-alloy precursors are not in the parameter table"
        basis = STEEL_ROUTE_LETTERS.get(route)
        if basis is None:
            return None, f"steel route {route!r} not modelled"
        what = "route mix of the country" if basis == "mix" else f"route {route}"
        if cn[:4] in ("7205", "7206", "7207"):
            return f"crude_steel@{basis}", f"crude steel ({what})"
        if "7208" <= cn[:4] <= "7217":
            return f"steel_product@{basis}", f"rolled product ({what})"
        if cn.startswith("73"):
            return f"steel_article@{basis}", f"article of iron or steel ({what})"
        return None, "no route for this iron or steel good"
    return None, f"sector {sector!r} not modelled"


def products_for_goods(p, x: routes.RouteInputs) -> dict[str, routes.Emissions]:
    """Every product a CBAM good maps to (:func:`good_model` keys), for route inputs ``x`` (all countries at once)."""
    base = routes.country_products(p, x)
    out = {k: v for k, v in base.items()}
    crude = {"bf_bof": base["crude_steel_bf_bof"], "dri_eaf": base["crude_steel_dri_eaf"],
             "scrap_eaf": base["crude_steel_scrap_eaf"], "mix": base["crude_steel"]}
    for basis, c in crude.items():
        out[f"crude_steel@{basis}"] = c
        out[f"steel_product@{basis}"] = routes.steel_product(p, x.grid, c)
        out[f"steel_article@{basis}"] = routes.steel_product(p, x.grid, c, article=True)
    return out


def annex_rows(defaults: pd.DataFrame) -> pd.DataFrame:
    """Annex I country rows with the value each country pays: its own, or the fallback row of the same good.

    Returns
    -------
    DataFrame
        One row per country row of Annex I (the fallback table itself excluded): ``iso3``, ``country``,
        ``sector``, ``cn_code``, ``cn_digits``, ``description``, ``route``, ``default_total``,
        ``default_direct``, ``default_indirect``, ``default_2026``/``2027``/``2028`` [t CO2e t⁻¹],
        ``indirect_charged`` (bool), ``fallback`` (bool: the value is the "Other Countries and Territories" one).
    """
    from engine.sources.cbam import FALLBACK_CODE

    own = defaults[defaults["iso3"] != FALLBACK_CODE].reset_index(drop=True)
    fb = defaults[defaults["iso3"] == FALLBACK_CODE].set_index(["cn_code", "description"])
    fb = fb[~fb.index.duplicated()]
    cols = ["direct", "indirect", "total", "markup_2026", "markup_2027", "markup_2028"]
    key = pd.MultiIndex.from_frame(own[["cn_code", "description"]])
    fbv = fb.reindex(key)[cols].to_numpy()
    use_fb = (own["value_status"] == "dash").to_numpy()
    vals = np.where(use_fb[:, None], fbv, own[cols].to_numpy())
    out = own[["iso3", "country", "sector", "cn_code", "cn_digits", "description", "route"]].copy()
    names = ["default_direct", "default_indirect", "default_total", "default_2026", "default_2027", "default_2028"]
    for i, n in enumerate(names):
        out[n] = vals[:, i].astype(float)
    out["indirect_charged"] = [indirect_charged(c) for c in own["cn_digits"]]
    out["fallback"] = use_fb
    return out


def compare(rows: pd.DataFrame, draws: dict[str, routes.Emissions], central: dict[str, routes.Emissions],
            countries: pd.Index, ci: int = 90) -> pd.DataFrame:
    """Localised embedded emissions and verdicts for Annex rows (:func:`annex_rows`).

    Parameters
    ----------
    draws, central : dict
        :func:`products_for_goods` on the parameter draws (arrays (countries, draws)) and at the central values
        (arrays (countries, 1)), for the countries ``countries`` in that order.
    ci : int
        Interval level [%].

    Returns
    -------
    DataFrame
        ``rows`` plus ``model`` (product key or None), ``model_note``, ``ours_direct``, ``ours_indirect``,
        ``ours_precursor`` (components at the table's values), ``ours_central`` (their sum on the boundary),
        ``ours`` (median of the draws), ``ours_lo``, ``ours_hi`` [t CO2e t⁻¹], ``ratio`` (default total / ours) with ``ratio_lo``/``ratio_hi`` [1], ``verdict`` (of the default before mark-up) and
        ``verdict_2026``/``2027``/``2028`` (with the year's mark-up).
    """
    from engine.uncertainty.sampling import interval

    out = rows.reset_index(drop=True).copy()
    models = [good_model(*r) for r in out[["sector", "cn_digits", "description", "route"]].itertuples(index=False)]
    out["model"] = [m[0] for m in models]
    out["model_note"] = [m[1] for m in models]
    pos = pd.Series(np.arange(len(countries)), index=countries)
    ci_idx = out["iso3"].map(pos).to_numpy()
    n = len(out)
    res = {c: np.full(n, np.nan) for c in ("ours_direct", "ours_indirect", "ours_precursor", "ours_central", "ours",
                                           "ours_lo", "ours_hi")}
    modelled = out[out["model"].notna()]
    for (key, charged), grp in modelled.groupby(["model", "indirect_charged"]).groups.items():
        idx = np.asarray(grp)
        have = ~np.isnan(ci_idx[idx].astype(float))
        idx = idx[have]
        ci_rows = ci_idx[idx].astype(int)
        e_c, e_d = central[key], draws[key]
        tot_d = np.broadcast_to(e_d.total(charged), (len(countries), np.shape(e_d.total(charged))[-1]))
        lo, hi = interval(tot_d, ci, axis=1)
        bc = lambda a: np.broadcast_to(np.asarray(a, dtype=float), (len(countries), 1))[:, 0]  # noqa: E731
        res["ours_direct"][idx] = bc(e_c.direct)[ci_rows]
        res["ours_indirect"][idx] = (bc(e_c.indirect) if charged else np.zeros(len(countries)))[ci_rows]
        prec = e_c.precursor_direct + (e_c.precursor_indirect if charged else 0.0)
        res["ours_precursor"][idx] = bc(prec)[ci_rows]
        res["ours_central"][idx] = bc(e_c.total(charged))[ci_rows]
        res["ours"][idx] = np.median(tot_d, axis=1)[ci_rows]
        res["ours_lo"][idx], res["ours_hi"][idx] = lo[ci_rows], hi[ci_rows]
    for c, v in res.items():
        out[c] = v
    with np.errstate(divide="ignore", invalid="ignore"):
        out["ratio"] = out["default_total"] / out["ours"]
        out["ratio_lo"] = out["default_total"] / out["ours_hi"]
        out["ratio_hi"] = out["default_total"] / out["ours_lo"]
    out["verdict"] = verdict(out["default_total"], out["ours_lo"], out["ours_hi"])
    for y in MARKUP_YEARS:
        out[f"verdict_{y}"] = verdict(out[f"default_{y}"], out["ours_lo"], out["ours_hi"])
    out.attrs.update(ci=ci, units={"default_*": "t CO2e/t", "ours*": "t CO2e/t", "ratio*": "1"},
                     method="localised route emissions on the CBAM boundary against IR (EU) 2025/2621 Annex I")
    return out


def benchmark(benchmarks: pd.DataFrame, cn_digits: str, route: str = "", year: int = 2026,
              column: str = "B") -> float:
    """The CBAM benchmark of a good (IR (EU) 2025/2620) [t CO2e t⁻¹], NaN when the Annex has none.

    The CN code's own 8-digit entry, else its 8-digit children (a heading); entries of the good's route (steel
    ``C``/``D``/``E``…, aluminium ``K``/``L``, clinker grade ``A``/``B``) when the Annex splits by route; year
    group 1 for 2026-2027, 2 from 2028 where it splits by year; the highest of what remains (IR 2025/2620
    Annex, point 5.1, for goods without a route).
    """
    b = benchmarks[benchmarks["column"] == column]
    d = str(cn_digits)
    hit = b[b["cn_digits"] == d] if len(d) >= 8 else b[b["cn_digits"].str.startswith(d)]
    if hit.empty:
        hit = b[[d.startswith(c) for c in b["cn_digits"]]]
    if hit.empty:
        return float("nan")
    grade = hit["year_group"].isin(["A", "B"])  # the clinker grade is written in the year-group column
    r = hit["route"].where(~grade, hit["year_group"])
    if route and (r == route).any():
        hit = hit[r == route]
    groups = hit["year_group"].where(~grade, "")
    if groups.isin(["1", "2"]).any():
        hit = hit[groups == ("1" if int(year) <= 2027 else "2")]
    return float(hit["benchmark_t_co2e_per_t"].max()) if len(hit) else float("nan")


def eu_exporters(wiod_arrays: dict, labels: pd.DataFrame, fd_labels: pd.DataFrame, eu_members, n: int = 10,
                 sectors=("c11", "c12")) -> pd.DataFrame:
    """Non-EU regions of the input–output table ranked by their exports to the EU27 of the given sectors.

    Parameters
    ----------
    wiod_arrays : dict
        ``Z`` and ``Y`` of one table year [M USD].
    labels, fd_labels : DataFrame
        Row labels (``iso3``, ``sector``) and final-demand column labels (``iso3``).
    eu_members : iterable of str
        EU27 member codes.
    n : int
        How many exporters.

    Returns
    -------
    DataFrame
        ``iso3``, ``exports_musd`` [M USD], ``rank``; the rest of the world ``ROW`` is excluded.
    """
    eu = set(eu_members)
    row_iso = labels["iso3"].astype(str).to_numpy()
    rows = labels["sector"].astype(str).isin(list(sectors)).to_numpy()
    z_cols = np.isin(row_iso, list(eu))
    y_cols = fd_labels["iso3"].astype(str).isin(list(eu)).to_numpy()
    Z, Y = np.asarray(wiod_arrays["Z"]), np.asarray(wiod_arrays["Y"])
    flow = Z[np.ix_(rows, z_cols)].sum(axis=1) + Y[np.ix_(rows, y_cols)].sum(axis=1)
    s = pd.Series(flow, index=row_iso[rows]).groupby(level=0).sum()
    s = s[~s.index.isin(list(eu)) & (s.index != "ROW")].sort_values(ascending=False).head(n)
    out = pd.DataFrame({"iso3": s.index, "exports_musd": s.to_numpy(), "rank": np.arange(1, len(s) + 1)})
    out.attrs.update(units={"exports_musd": "M USD"}, sectors=list(sectors))
    return out


def claim_summary(table: pd.DataFrame, verdict_col: str = "verdict") -> pd.DataFrame:
    """Counts of goods per country, product group (Annex I sector) and verdict.

    Returns
    -------
    DataFrame
        ``iso3``, ``sector`` and one count column per verdict of :data:`VERDICTS`, plus ``modelled`` (above +
        inside + below) and ``share_above`` (above / modelled) [1].
    """
    counts = table.groupby(["iso3", "sector", verdict_col]).size().unstack(verdict_col, fill_value=0)
    counts = counts.reindex(columns=list(VERDICTS), fill_value=0)
    counts["modelled"] = counts[["above", "inside", "below"]].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        counts["share_above"] = np.where(counts["modelled"] > 0, counts["above"] / counts["modelled"], np.nan)
    return counts.reset_index()
