"""The labelled input–output system (engine.io.system) and the table set (engine.io.tables): labels decide the size,
derived quantities follow the identities, extensions are kept by name, arrays may carry a sample axis."""

from __future__ import annotations

import numpy as np
import pytest

from engine.io import iomath
from engine.io.system import Extension, IOSystem


def _small(rng=None):
    rng = rng or np.random.default_rng(1)
    Z = rng.uniform(0, 5, (6, 6))
    Y = rng.uniform(1, 9, (6, 4))  # 2 regions x 2 categories
    return IOSystem(("AAA", "BBB"), ("s1", "s2", "s3"), Z, Y, ("h", "g"), 2010)


def test_labels_define_the_size_and_index():
    s = _small()
    assert (s.n, s.n_regions, s.n_sectors) == (6, 2, 3)
    assert list(s.index())[:4] == [("AAA", "s1"), ("AAA", "s2"), ("AAA", "s3"), ("BBB", "s1")]


def test_shapes_are_checked():
    with pytest.raises(ValueError, match=r"Z must be 6 x 6 \(2 regions x 3 sectors\)"):
        IOSystem(("AAA", "BBB"), ("s1", "s2", "s3"), np.zeros((5, 5)), np.zeros((6, 4)), ("h", "g"))
    with pytest.raises(ValueError, match="Y must be 6 x 4"):
        IOSystem(("AAA", "BBB"), ("s1", "s2", "s3"), np.zeros((6, 6)), np.zeros((6, 3)), ("h", "g"))


def test_derived_quantities_follow_the_identities():
    s = _small()
    assert np.allclose(s.x, s.Z.sum(axis=1) + s.Y.sum(axis=1))
    assert np.allclose(s.A * s.x[None, :], s.Z)
    L = iomath.calc_L(s.A)
    assert np.allclose(s.LY, L @ s.Y_regions)
    assert np.allclose(s.LY.sum(axis=1), s.x)  # all output serves some region's final demand
    assert s.Y_regions.shape == (6, 2) and np.allclose(s.Y_regions[:, 0], s.Y[:, 0] + s.Y[:, 1])


def test_extensions_by_name_intensities_and_multipliers():
    s = _small()
    F = np.arange(12.0).reshape(2, 6)
    s2 = s.with_extension(Extension("ghg", ("CO2", "CH4"), "Mt", F, np.zeros((2, 2))))
    assert set(s2.extensions) == {"ghg"} and not s.extensions  # the original is unchanged
    assert s2.__dict__.get("x") is s.__dict__.get("x")  # derived quantities are shared, not recomputed
    f = s2.intensities("ghg")
    assert np.allclose(f * s2.x, F)
    assert np.allclose(s2.multipliers("ghg"), f @ iomath.calc_L(s2.A))


def test_scaled_demand_keeps_technology_and_balance():
    s = _small()
    g = np.array([1.5, 0.5])
    n = s.scaled_demand(g, 2015)
    assert n.year == 2015 and n.A is s.A
    assert np.allclose(n.Z.sum(axis=1) + n.Y.sum(axis=1), n.x)
    assert np.allclose(n.LY, s.LY * g)
    assert np.allclose(n.Y[:, :2], 1.5 * s.Y[:, :2]) and np.allclose(n.Y[:, 2:], 0.5 * s.Y[:, 2:])


def test_identities_broadcast_over_a_sample_axis():
    """Room for the uncertainty engine: a stack of perturbed tables goes through the same functions."""
    rng = np.random.default_rng(2)
    base = _small(rng)
    Zs = base.Z * rng.lognormal(0, 0.2, (5, 6, 6))
    Ys = base.Y * rng.lognormal(0, 0.2, (5, 6, 4))
    stack = IOSystem(base.regions, base.sectors, Zs, Ys, base.fd_categories)
    assert stack.x.shape == (5, 6) and stack.A.shape == (5, 6, 6) and stack.Y_regions.shape == (5, 6, 2)
    for k in range(5):
        one = IOSystem(base.regions, base.sectors, Zs[k], Ys[k], base.fd_categories)
        assert np.allclose(stack.A[k], one.A) and np.allclose(stack.x[k], one.x)
    with pytest.raises(ValueError, match="single table"):
        stack.lu
