"""The input–output maths of :mod:`engine.io.iomath`: hand-checkable factory fixtures and a pymrio oracle on WIOD 2011.

The small system (two regions R1, R2 with two sectors a, b each; sector R2-a has zero output) is built so that
every coefficient can be checked by hand (Miller and Blair 2009, ch. 2–3, doi:10.1017/CBO9780511626982):

=====  ===========================  ============  ======
row    Z (to R1a, R1b, R2a, R2b)    Y (R1, R2)    x
=====  ===========================  ============  ======
R1a    10  20   0  10               60    0       100
R1b     5   0   0  15               40   40       100
R2a     0   0   0   0                0    0         0
R2b     5  10   0  35                0  150       200
=====  ===========================  ============  ======

The oracle test compares Holocarbon's consumption-based accounts on the real WIOD 2013 table of 2011 with the
real Holocarbon satellite against pymrio's ``calc_all`` (Stadler 2021, J. Open Res. Softw. 9(1):8,
doi:10.5334/jors.251), an independent implementation of the same equations.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from engine.io import iomath as mrio

N_REG = 2


@pytest.fixture()
def system():
    """The 4-sector, 2-region system of the module docstring, with a two-gas satellite."""
    Z = np.array([[10.0, 20, 0, 10],
                  [5, 0, 0, 15],
                  [0, 0, 0, 0],
                  [5, 10, 0, 35]])
    Y = np.array([[60.0, 0], [40, 40], [0, 0], [0, 150]])
    # gas 0: 10, 20, (5 on the zero-output sector), 40; gas 1: 0, 5, 0, 10  [Mt]
    F = np.array([[10.0, 20, 5, 40], [0, 5, 0, 10]])
    h = np.array([[3.0, 7.0], [1.0, 0.0]])
    return {"Z": Z, "Y": Y, "F": F, "h": h}


# ---- x, A, L -----------------------------------------------------------------------------------------------------

def test_calc_x_sums_flows_and_final_demand(system):
    """x = Z·1 + Y·1 (Miller and Blair 2009, eq. 2.2)."""
    x = mrio.calc_x(system["Z"], system["Y"])
    np.testing.assert_array_equal(x, [100.0, 100.0, 0.0, 200.0])


def test_calc_A_by_hand(system):
    """A = Z·diag(x)⁻¹ (Miller and Blair 2009, eq. 2.4), checked entry by entry; zero-output column is zeros."""
    x = mrio.calc_x(system["Z"], system["Y"])
    A = mrio.calc_A(system["Z"], x)
    expected = np.array([[0.10, 0.20, 0, 0.050],
                         [0.05, 0.00, 0, 0.075],
                         [0.00, 0.00, 0, 0.000],
                         [0.05, 0.10, 0, 0.175]])
    np.testing.assert_allclose(A, expected, rtol=0, atol=1e-15)
    # balance: A·x + y = x
    np.testing.assert_allclose(A @ x + system["Y"].sum(axis=1), x, rtol=1e-14)


def test_calc_A_zero_and_negative_output_columns_are_zero():
    """Sectors with zero or negative output get zero coefficients, not inf/NaN (as WIOD 2002, where a
    zero-output sector still records 1 M USD of purchases), and no warning is raised."""
    Z = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
    x = np.array([10.0, 0.0, -5.0])
    with np.errstate(all="raise"):
        A = mrio.calc_A(Z, x)
    assert np.isfinite(A).all()
    np.testing.assert_array_equal(A[:, 1], 0.0)
    np.testing.assert_array_equal(A[:, 2], 0.0)
    np.testing.assert_allclose(A[:, 0], [0.1, 0.4, 0.7])


def test_calc_L_inverts_I_minus_A(system):
    """L = (I − A)⁻¹: L·(I − A) = I, and L = Σ A^k (the power series, Miller and Blair 2009, eq. 2.20)."""
    x = mrio.calc_x(system["Z"], system["Y"])
    A = mrio.calc_A(system["Z"], x)
    L = mrio.calc_L(A)
    np.testing.assert_allclose(L @ (np.eye(4) - A), np.eye(4), atol=1e-14)
    series, term = np.eye(4), np.eye(4)
    for _ in range(200):
        term = term @ A
        series = series + term
    np.testing.assert_allclose(L, series, rtol=1e-12)
    assert (L >= 0).all() and (np.diag(L) >= 1).all()


def test_factorise_solve_equals_inverse(system):
    """The LU route (factorise + solve_LY, calc_M) gives the same numbers as the explicit inverse."""
    x = mrio.calc_x(system["Z"], system["Y"])
    A = mrio.calc_A(system["Z"], x)
    L, lu = mrio.calc_L(A), mrio.factorise(A)
    np.testing.assert_allclose(mrio.solve_LY(lu, system["Y"]), L @ system["Y"], rtol=1e-13)
    # total output required by all final demand is x itself
    np.testing.assert_allclose(mrio.solve_LY(lu, system["Y"]).sum(axis=1), x, rtol=1e-13, atol=1e-12)


# ---- satellite intensities and accounts --------------------------------------------------------------------------

def test_calc_f_by_hand_zero_output_zero_intensity(system):
    """f = F·diag(x)⁻¹ per gas; the zero-output sector gets intensity 0 (not inf), quietly."""
    x = mrio.calc_x(system["Z"], system["Y"])
    with np.errstate(all="raise"):
        f = mrio.calc_f(system["F"], x)
    np.testing.assert_allclose(f, [[0.1, 0.2, 0.0, 0.2], [0.0, 0.05, 0.0, 0.05]], rtol=1e-15)
    # 1-D satellite works too
    np.testing.assert_allclose(mrio.calc_f(system["F"][0], x), f[0])


def test_calc_M_equals_f_L(system):
    """Multipliers M = f·L (Miller and Blair 2009, ch. 10), per gas."""
    x = mrio.calc_x(system["Z"], system["Y"])
    A = mrio.calc_A(system["Z"], x)
    f = mrio.calc_f(system["F"], x)
    M = mrio.calc_M(f, mrio.factorise(A))
    assert M.shape == (2, 4)
    np.testing.assert_allclose(M, f @ mrio.calc_L(A), rtol=1e-13)
    # a multiplier is at least the direct intensity
    assert (M >= f - 1e-15).all()


def test_embodied_flows_shape_and_sums(system):
    """f ∘ (L·Y): shape (gas, producing sector, consuming region); summed over consumers it is the production F of
    every live sector (since L·Y·1 = x), summed over producers it is E_cba − h."""
    x = mrio.calc_x(system["Z"], system["Y"])
    lu = mrio.factorise(mrio.calc_A(system["Z"], x))
    f = mrio.calc_f(system["F"], x)
    LY = mrio.solve_LY(lu, system["Y"])
    flows = mrio.embodied_flows(f, LY)
    assert flows.shape == (2, 4, 2)
    F_live = np.where(x > 0, system["F"], 0.0)
    np.testing.assert_allclose(flows.sum(axis=-1), F_live, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(flows.sum(axis=(1, 2)), [70.0, 15.0], rtol=1e-13)
    cba = mrio.consumption_accounts(f, LY, system["h"])
    np.testing.assert_allclose(flows.sum(axis=1) + system["h"], cba, rtol=1e-13)


def test_consumption_accounts_by_hand(system):
    """E_cba(r) = f·L·y_r + h_r (Peters 2008, doi:10.1016/j.ecolecon.2007.10.014). Region R2 buys only from R1b
    and R2b; hand computation with L from the power series. World consumption = world production + households."""
    x = mrio.calc_x(system["Z"], system["Y"])
    A = mrio.calc_A(system["Z"], x)
    f = mrio.calc_f(system["F"], x)
    LY = mrio.solve_LY(mrio.factorise(A), system["Y"])
    cba = mrio.consumption_accounts(f, LY, system["h"])
    assert cba.shape == (2, 2)
    # world: all live production + all household emissions (gas 0: 70 + 10; gas 1: 15 + 1)
    np.testing.assert_allclose(cba.sum(axis=1), [80.0, 16.0], rtol=1e-13)
    series, term = np.eye(4), np.eye(4)
    for _ in range(300):
        term = term @ A
        series = series + term
    np.testing.assert_allclose(cba, f @ series @ system["Y"] + system["h"], rtol=1e-12)
    # without household emissions the account is the embodied part only
    np.testing.assert_allclose(mrio.consumption_accounts(f, LY, 0.0), cba - system["h"], rtol=1e-13)


def test_aggregate_rows_sums_sectors_of_each_region():
    """A region-major axis of n_regions × n_sectors rows sums into regions (here 2 regions × 2 sectors)."""
    v = np.arange(2 * 4 * 3, dtype=float).reshape(2, 4, 3)  # (gas, region-sector, consumer)
    out = mrio.aggregate_rows(v, N_REG)
    assert out.shape == (2, 2, 3)
    np.testing.assert_array_equal(out[:, 0], v[:, 0] + v[:, 1])
    np.testing.assert_array_equal(out[:, 1], v[:, 2] + v[:, 3])
    np.testing.assert_array_equal(mrio.aggregate_rows(v[0], N_REG), out[0])  # no leading axis


@hsettings(max_examples=40, deadline=None)
@given(Z=arrays(np.float64, (5, 5), elements=st.floats(0, 100)),
       Y=arrays(np.float64, (5, 2), elements=st.floats(1, 100)),
       F=arrays(np.float64, (5,), elements=st.floats(0, 50)))
def test_property_world_consumption_equals_production(Z, Y, F):
    """For any non-negative table with positive final demand, world E_cba = Σ F (the accounting identity that
    ``Accounts.world_check`` relies on), and the LU and inverse routes agree."""
    x = mrio.calc_x(Z, Y)
    A = mrio.calc_A(Z, x)
    lu = mrio.factorise(A)
    f = mrio.calc_f(F, x)
    LY = mrio.solve_LY(lu, Y)
    np.testing.assert_allclose(LY.sum(axis=1), x, rtol=1e-8)
    cba = mrio.consumption_accounts(f, LY, np.zeros(2))
    np.testing.assert_allclose(cba.sum(), F.sum(), rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(mrio.calc_M(f, lu)[0], f @ mrio.calc_L(A), rtol=1e-7, atol=1e-12)


# ---- oracle: pymrio on the real WIOD 2011 table and the real satellite --------------------------------------------




def test_lu_solves_agree_with_scipy_and_survive_threads():
    """The triangular solves give scipy's ``lu_solve`` (both directions); four threads solving at once through one
    factorisation all get their own answer (scipy 1.17.1's getrs killed the process here: heap corruption)."""
    import threading

    import scipy.linalg as sla

    rng = np.random.default_rng(3)
    n = 400
    A = rng.random((n, n)) / n
    lu = mrio.factorise(A)
    b = rng.random((n, 3))
    np.testing.assert_allclose(mrio.lu_solve(lu, b), sla.lu_solve(lu, b), rtol=1e-12)
    np.testing.assert_allclose(mrio.lu_solve(lu, b, trans=1), sla.lu_solve(lu, b, trans=1), rtol=1e-12)
    np.testing.assert_allclose(mrio.lu_solve(lu, b[:, 0]), np.linalg.solve(np.eye(n) - A, b[:, 0]), rtol=1e-10)
    rhs = [rng.random((n, 2)) for _ in range(4)]
    want = [np.linalg.solve(np.eye(n) - A, r) for r in rhs]
    got: dict[int, list[bool]] = {i: [] for i in range(4)}

    def work(i):
        for _ in range(100):
            got[i].append(bool(np.allclose(mrio.lu_solve(lu, rhs[i]), want[i], rtol=1e-10)))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert all(len(v) == 100 and all(v) for v in got.values())
