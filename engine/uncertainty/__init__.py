"""Uncertainty of every account: input distributions with their sources and correlations, seeded Monte Carlo draws
propagated through the same functions as the central estimate, intervals for any Query and grouping, and the
attribution of each region's variance to its input groups.

Modules: :mod:`~engine.uncertainty.parameters` (the authored table of parameters with sources),
:mod:`~engine.uncertainty.inputs` (emission ranges per country, EDGAR sector and gas from Solazzo et al. 2021),
:mod:`~engine.uncertainty.sampling` (correlated draws, distributions, quantiles), :mod:`~engine.uncertainty.table`
(input–output table uncertainty, first-order propagation of cell errors), :mod:`~engine.uncertainty.draws`
(per-year consumption draws stored in the pack), :mod:`~engine.uncertainty.propagate` (the orchestrator).
"""
