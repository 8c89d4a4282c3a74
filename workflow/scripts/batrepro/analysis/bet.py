"""N₂ physisorption at 77 K: BET area (ISO 9277, Rouquerol range), t-plot (Harkins–Jura), BJH pore sizes.

* **BET** (ISO 9277:2022; Rouquerol, Llewellyn & Rouquerol, *Stud. Surf. Sci. Catal.* 160, 49, 2007): the
  linear BET transform x / (n (1 − x)) = 1/(n_m C) + (C − 1)/(n_m C) · x, x = p/p⁰, is fitted over the
  contiguous range of the adsorption branch chosen automatically as the one with the most points (then the
  highest r²) that meets the Rouquerol consistency criteria: (1) n(1 − x) increases over the whole range,
  (2) C > 0, (3) the monolayer pressure x_m = 1/(√C + 1) lies inside the range, and (4) x_m agrees within
  ``xm_tolerance`` (relative) with the pressure at which the measured isotherm reaches n_m (Osterrieth et al.,
  *Adv. Mater.* 34, 2201502, 2022). Every range of at least ``min_points`` points is tested at once from prefix
  sums, so the search is O(n²) vectorised. Area = n_m N_A σ with σ(N₂) = 0.162 nm² (ISO 9277), n_m in
  cm³(STP) g⁻¹ over 22 414 cm³ mol⁻¹. The standard error of the area follows from the fit's covariance.
* **t-plot** (de Boer et al., *J. Colloid Interface Sci.* 21, 405, 1966; Harkins & Jura thickness
  t = [13.99 / (0.034 − log₁₀ x)]^½ Å): a line through the adsorption points with t in ``t_range_A``; the
  external area is its slope × 15.47 (m² g⁻¹ per cm³(STP) g⁻¹ Å⁻¹: liquid N₂, 0.0015468 cm³ per cm³ STP) and,
  as Micromeritics reports it, the micropore area is S_BET − S_ext and the micropore volume the intercept ×
  0.0015468 cm³ g⁻¹.
* **Uncertainty of S_micro** (JCGM 100:2008, the GUM), two components combined in quadrature:

  - *Type A, the readings' scatter* (GUM 5.1, law of propagation): S_BET and S_ext are fitted to overlapping
    sets of the same measured quantities adsorbed n_i (the BET range, p/p⁰ ≈ 0.01–0.2, and the 3.5–5.0 Å
    t-window, p/p⁰ ≈ 0.08–0.3, share points), so they are correlated and u(S_BET) and u(S_ext) must not be
    added as if independent. S_micro is instead propagated from the readings themselves:
    u² = s² Σ_i (∂S_BET/∂n_i − ∂S_ext/∂n_i)², summed over the union of both ranges (a shared point's two
    sensitivities add before squaring, which is the covariance term); ∂S_BET/∂n_i = (N_A σ/V_m) n_m² w_i y_i/n_i
    with y = x/(n(1 − x)) and w_i = 1/k + (x_i − x̄)(1 − x̄)/S_xx (n_m = 1/(slope + intercept) is linear in the y_i
    with weights w_i), ∂S_ext/∂n_j = 15.47 (t_j − t̄)/S_tt. The reading uncertainty s is one for all points (the
    error is in the quantity adsorbed, as both regressions assume) and is estimated from the t-plot residuals
    (k_t − 2 degrees of freedom): the t-plot is a straight line in the readings themselves, whereas the BET
    transform's residuals, mapped back to n (dn = −(n/y) dy), are dominated by the BET equation's lack of fit at
    the ends of its range (up to 10× the reading scatter at p/p⁰ ≈ 0.01 on a microporous solid) and would measure
    the model, not the readings. A BET range and a t-window that share no point give the independent sum.
  - *Type B, the choice of thickness window* (GUM 4.3): the t-plot external area depends on the window,
    notably where micro- and mesopores coexist (Galarneau et al., *Langmuir* 30, 13266, 2014; ISO 15901-3:2007
    asks for a linear part of the t-plot without fixing it; Rouquerol, Rouquerol & Sing, *Adsorption by Powders
    and Porous Solids*, 2nd ed. 2014, ch. 9, t-method). The family of admissible windows moves each end of the
    configured window independently by −``shift`` … +``shift`` in steps of ``step`` (a rectangular distribution
    of each end, GUM 4.3.7, sampled on a grid) and keeps those with at least ``min_points`` points and a line
    with r² ≥ ``min_r2``; the component is the standard deviation of S_micro over them (S_BET does not depend on
    the window). Different windows also see different noisy readings, which spreads their areas even on an
    isotherm exactly linear in t; that share is already in the Type A component, so its expected variance
    (from the same reading uncertainty s) is taken out of the observed one before combining (``t_window_sd``).
    On the stand-ins' forward model (300 noise draws) this brings the combined u to within ~5 % of the
    Monte-Carlo SD of S_micro, where the raw spread over the windows overstated it by ~25 %.
* **BJH** (Barrett, Joyner & Halenda, *J. Am. Chem. Soc.* 73, 373, 1951; ISO 15901-2): the desorption branch,
  stepped from high to low pressure; each step empties the cores whose hemispherical-meniscus Kelvin radius
  r_K = 2γV_L / (RT ln(1/x)) (γ = 8.85 mN m⁻¹, V_L = 34.68 cm³ mol⁻¹ at 77.3 K: 0.9553 nm / ln(1/x)) lies in it,
  and thins the film left in the pores emptied before (Harkins–Jura t); pore radius r_p = r_K + t. Output:
  dV/dlog D against D, cumulative volume and area.

Arrays in, dataclasses out; no file I/O.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

AVOGADRO = 6.02214076e23
MOLAR_VOLUME_STP_CM3 = 22414.0
N2_CROSS_SECTION_NM2 = 0.162
#: cm³ of liquid N₂ (77 K) per cm³ STP of gas
N2_LIQUID_PER_STP = 0.0015468
#: 2γV_L/(RT) for N₂ at 77.3 K, nm (γ = 8.85 mN m⁻¹, V_L = 34.68 cm³ mol⁻¹)
KELVIN_N2_NM = 2 * 8.85e-3 * 34.68e-6 / (8.314462618 * 77.3) * 1e9


def area_per_stp(cross_section_nm2: float) -> float:
    """m² per cm³(STP) of adsorbate in a monolayer (4.353 for σ = 0.162 nm²)."""
    return AVOGADRO / MOLAR_VOLUME_STP_CM3 * cross_section_nm2 * 1e-18


def harkins_jura_thickness(x):
    """Statistical film thickness (Å) at relative pressure x (Harkins & Jura)."""
    return np.sqrt(13.99 / (0.034 - np.log10(np.asarray(x, float))))


@dataclass(frozen=True)
class BetResult:
    area_m2_g: float
    area_stderr_m2_g: float
    c_constant: float
    monolayer_cm3_g: float
    monolayer_pressure: float
    p_min: float
    p_max: float
    n_points: int
    r2: float
    slope: float
    intercept: float

    def as_dict(self) -> dict:
        return asdict(self)


def _prefix(a):
    return np.concatenate(([0.0], np.cumsum(a)))


def bet_area(x, n, *, cross_section_nm2: float, min_points: int, xm_tolerance: float, source: str = "") -> BetResult:
    """BET area of an adsorption branch (x = p/p⁰ increasing, n in cm³(STP) g⁻¹), Rouquerol range."""
    x, n = np.asarray(x, float), np.asarray(n, float)
    where = f"{source}: " if source else ""
    keep = (x > 0) & (x < 1) & (n > 0)
    x, n = x[keep], n[keep]
    if x.size and np.any(np.diff(x) <= 0):
        raise ValueError(f"{where}relative pressures of the adsorption branch are not increasing")
    roq = n * (1 - x)
    # criterion 1 confines every range to before the first fall of n(1 − x)
    falls = np.flatnonzero(np.diff(roq) <= 0)
    end = falls[0] + 1 if falls.size else x.size
    x, n = x[:end], n[:end]
    m = x.size
    if m < min_points:
        raise ValueError(
            f"{where}no BET range: {m} point(s) below the maximum of n(1-p/p0) (at p/p0 = "
            f"{x[-1] if m else float('nan'):.3g}), at least {min_points} needed"
        )
    y = x / (n * (1 - x))
    sx, sy, sxx, sxy, syy = (_prefix(v) for v in (x, y, x * x, x * y, y * y))
    i, j = np.triu_indices(m + 1, k=min_points)  # range x[i:j], j - i >= min_points
    k = (j - i).astype(float)
    Sx, Sy = sx[j] - sx[i], sy[j] - sy[i]
    Sxx = (sxx[j] - sxx[i]) - Sx * Sx / k
    Sxy = (sxy[j] - sxy[i]) - Sx * Sy / k
    Syy = (syy[j] - syy[i]) - Sy * Sy / k
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = Sxy / Sxx
        icpt = (Sy - slope * Sx) / k
        c = slope / icpt + 1
        nm = 1 / (slope + icpt)
        xm = 1 / (np.sqrt(c) + 1)
        r2 = Sxy * Sxy / (Sxx * Syy)
        # pressure at which the measured branch reaches n_m (linear interpolation, n increasing here)
        x_at_nm = np.interp(nm, n, x, left=np.nan, right=np.nan)
        ok = (icpt > 0) & (slope > 0) & (xm >= x[i]) & (xm <= x[j - 1])
        ok &= np.abs(x_at_nm - xm) <= xm_tolerance * xm
    if not ok.any():
        raise ValueError(
            f"{where}no BET range of >= {min_points} points meets the Rouquerol criteria "
            f"(C > 0, monolayer inside the range) below p/p0 = {x[-1]:.3g}"
        )
    best = np.lexsort((-np.where(ok, r2, -np.inf), -np.where(ok, k, -1)))[0]
    lo, hi, kk = i[best], j[best], int(k[best])
    s, b = float(slope[best]), float(icpt[best])
    resid_var = max(float(Syy[best] - slope[best] * Sxy[best]), 0.0) / max(kk - 2, 1)
    xbar = float(Sx[best] / kk)
    var_s = resid_var / float(Sxx[best])
    var_b = resid_var * (1 / kk + xbar * xbar / float(Sxx[best]))
    cov = -xbar * resid_var / float(Sxx[best])
    nm_best = 1 / (s + b)
    se_nm = np.sqrt(max(var_s + var_b + 2 * cov, 0.0)) * nm_best**2
    per = area_per_stp(cross_section_nm2)
    return BetResult(
        area_m2_g=nm_best * per,
        area_stderr_m2_g=float(se_nm * per),
        c_constant=float(c[best]),
        monolayer_cm3_g=float(nm_best),
        monolayer_pressure=float(xm[best]),
        p_min=float(x[lo]),
        p_max=float(x[hi - 1]),
        n_points=kk,
        r2=float(r2[best]),
        slope=s,
        intercept=b,
    )


@dataclass(frozen=True)
class TPlotResult:
    external_area_m2_g: float
    external_area_stderr_m2_g: float
    micropore_volume_cm3_g: float
    n_points: int
    r2: float

    def as_dict(self) -> dict:
        return asdict(self)


def t_plot(x, n, *, t_range_A: tuple[float, float], source: str = "") -> TPlotResult:
    """t-plot line over the adsorption points whose Harkins–Jura thickness is inside ``t_range_A``."""
    x, n = np.asarray(x, float), np.asarray(n, float)
    t = harkins_jura_thickness(np.clip(x, 1e-12, 0.999))
    sel = (t >= t_range_A[0]) & (t <= t_range_A[1]) & (x > 0) & (x < 1)
    if sel.sum() < 3:
        where = f"{source}: " if source else ""
        raise ValueError(f"{where}{int(sel.sum())} point(s) with t in {list(t_range_A)} Å; the t-plot needs 3")
    A = np.vstack([t[sel], np.ones(sel.sum())]).T
    coef, *_ = np.linalg.lstsq(A, n[sel], rcond=None)
    resid = n[sel] - A @ coef
    k = int(sel.sum())
    var = float(resid @ resid) / max(k - 2, 1)
    cov = var * np.linalg.inv(A.T @ A)
    ss_tot = float(((n[sel] - n[sel].mean()) ** 2).sum())
    to_area = N2_LIQUID_PER_STP * 1e4  # cm³ liq per Å per g -> m² g⁻¹
    return TPlotResult(
        external_area_m2_g=float(coef[0] * to_area),
        external_area_stderr_m2_g=float(np.sqrt(cov[0, 0]) * to_area),
        micropore_volume_cm3_g=float(coef[1] * N2_LIQUID_PER_STP),
        n_points=k,
        r2=1 - float(resid @ resid) / ss_tot if ss_tot > 0 else float("nan"),
    )


@dataclass(frozen=True)
class BjhResult:
    diameter_nm: np.ndarray  # mean pore diameter of each step, decreasing
    volume_cm3_g: np.ndarray  # pore volume of each step
    dv_dlogd_cm3_g: np.ndarray
    cumulative_volume_cm3_g: np.ndarray
    cumulative_area_m2_g: np.ndarray


def bjh_desorption(x, n, *, diameter_range_nm: tuple[float, float]) -> BjhResult:
    """BJH pore-size distribution of a desorption branch (x decreasing from near 1, n in cm³(STP) g⁻¹)."""
    x, n = np.asarray(x, float), np.asarray(n, float)
    order = np.argsort(-x, kind="stable")
    x, v = x[order], n[order] * N2_LIQUID_PER_STP  # liquid volume, cm³ g⁻¹
    keep = (x > 0) & (x < 1)
    x, v = x[keep], v[keep]
    rk = KELVIN_N2_NM / np.log(1 / x)
    t = harkins_jura_thickness(x) / 10  # nm
    rp = rk + t
    diam, vols, areas = [], [], []
    rp_done, area_done = [], []  # emptied pore groups: mean radius, area (m² g⁻¹)
    for k in range(x.size - 1):
        dv = v[k] - v[k + 1]
        dt = t[k] - t[k + 1]
        rbar = (rp[k] + rp[k + 1]) / 2
        rkbar = (rk[k] + rk[k + 1]) / 2
        tbar = t[k + 1]
        # film thinning in pores emptied before: ΔV_film = Δt Σ c_j A_j, c_j = (r_j − t)/r_j
        film = sum(a * (r - tbar) / r for r, a in zip(rp_done, area_done)) * dt * 1e-3  # nm·m² g⁻¹ -> cm³ g⁻¹
        core = dv - film
        if core <= 0 or not (diameter_range_nm[0] <= 2 * rbar <= diameter_range_nm[1]):
            continue
        vp = core * (rbar / (rkbar + dt)) ** 2
        area = 2 * vp / (rbar * 1e-9) * 1e-6  # cm³ g⁻¹ / m -> m² g⁻¹
        rp_done.append(rbar)
        area_done.append(area)
        diam.append(2 * rbar)
        vols.append(vp)
        areas.append(area)
    if not diam:
        return BjhResult(*(np.array([]) for _ in range(5)))
    diam, vols = np.array(diam), np.array(vols)
    edges = np.sqrt(diam[:-1] * diam[1:])
    hi = np.concatenate(([diam[0] ** 2 / edges[0]] if diam.size > 1 else [diam[0] * 1.1], edges))
    lo = np.concatenate((edges, [diam[-1] ** 2 / edges[-1]] if diam.size > 1 else [diam[0] / 1.1]))
    return BjhResult(diam, vols, vols / np.log10(hi / lo), np.cumsum(vols), np.cumsum(areas))


@dataclass(frozen=True)
class MicroporeResult:
    area_m2_g: float
    area_stderr_m2_g: float  # combined: hypot of the two below
    reading_stderr_m2_g: float  # Type A, from the readings (covariance of S_BET and S_ext included)
    window_sd_m2_g: float  # Type B, over the admissible thickness windows, the readings' share removed
    window_spread_m2_g: float  # SD over the admissible windows as observed (readings' scatter included)
    independent_stderr_m2_g: float  # Type A as if S_BET and S_ext shared no reading (for comparison)
    reading_sd_cm3_g: float  # standard uncertainty of one reading n_i (from the t-plot residuals)
    shared_points: int
    windows: int  # admissible windows in the family (the configured one included when admissible)

    def as_dict(self) -> dict:
        return asdict(self)


def _line(u, v):
    """Least-squares line v = a + b u: slope, intercept, residuals, S_uu."""
    ubar = u.mean()
    suu = float(((u - ubar) ** 2).sum())
    b = float(((u - ubar) * (v - v.mean())).sum()) / suu
    a = float(v.mean()) - b * ubar
    return b, a, v - (a + b * u), suu


def _bet_points(x, n, bet: BetResult):
    """Mask of the readings in the BET range ``bet`` was fitted over (x increasing, as bet_area requires)."""
    return (x > 0) & (x < 1) & (n > 0) & (x >= bet.p_min) & (x <= bet.p_max)


def _t_points(x, t, t_range_A):
    return (t >= t_range_A[0]) & (t <= t_range_A[1]) & (x > 0) & (x < 1)


def micropore_reading_stderr(
    x, n, bet: BetResult, *, t_range_A: tuple[float, float]
) -> tuple[float, float, float, int]:
    """Type A standard error of S_BET − S_ext propagated from the readings n_i (module docstring).

    Returns (u with the covariance, u as if independent, pooled u(n_i), number of shared points)."""
    x, n = np.asarray(x, float), np.asarray(n, float)
    t = harkins_jura_thickness(np.clip(x, 1e-12, 0.999))
    in_bet, in_t = _bet_points(x, n, bet), _t_points(x, t, t_range_A)
    xb, nb = x[in_bet], n[in_bet]
    yb = xb / (nb * (1 - xb))
    slope, icpt, _, sxx = _line(xb, yb)
    kb = xb.size
    w = 1 / kb + (xb - xb.mean()) * (1 - xb.mean()) / sxx
    # S_BET = (N_A σ/V_m) / (slope + intercept) and slope + intercept = Σ w_i y_i, dy_i/dn_i = −y_i/n_i
    c_bet = bet.area_m2_g / (slope + icpt) * w * yb / nb
    _, _, resid_t, stt = _line(t[in_t], n[in_t])
    kt = int(in_t.sum())
    c_ext = N2_LIQUID_PER_STP * 1e4 * (t[in_t] - t[in_t].mean()) / stt
    s2 = float(resid_t @ resid_t) / max(kt - 2, 1)
    c = np.zeros(x.size)
    c[in_bet] += c_bet
    c[in_t] -= c_ext
    u = float(np.sqrt(s2 * (c @ c)))
    u_indep = float(np.sqrt(s2 * (c_bet @ c_bet + c_ext @ c_ext)))
    return u, u_indep, float(np.sqrt(s2)), int((in_bet & in_t).sum())


def t_window_family(t_range_A, *, shift_A: float, step_A: float) -> list[tuple[float, float]]:
    """Every (lo, hi) with each end of ``t_range_A`` moved by a multiple of ``step_A`` within ±``shift_A``."""
    m = int(round(shift_A / step_A)) if step_A > 0 else 0
    offsets = [k * step_A for k in range(-m, m + 1)]
    lo, hi = t_range_A
    return [(lo + a, hi + b) for a in offsets for b in offsets if lo + a < hi + b]


def t_window_sd(
    x, n, *, t_range_A, shift_A: float, step_A: float, min_points: int, min_r2: float, reading_sd: float
) -> tuple[float, float, int]:
    """Type B: the window sensitivity of the t-plot external area (hence of S_micro), m² g⁻¹.

    Returns (SD with the readings' share removed, SD as observed, number of admissible windows). The areas of
    the windows differ because the isotherm is not exactly linear in t, and also because each window sees a
    different subset of noisy readings; the second part is already in the Type A component and must not be
    counted twice, so its expectation, s² · mean_w |c_w − c̄|² (c_w the sensitivity of window w's area to the
    readings, s = ``reading_sd``), is subtracted from the observed variance over the windows (floored at 0).
    Every window is a contiguous run of the points sorted by t, so all are fitted at once from prefix sums."""
    x, n = np.asarray(x, float), np.asarray(n, float)
    keep = (x > 0) & (x < 1)
    t = harkins_jura_thickness(x[keep])
    order = np.argsort(t, kind="stable")
    t, v = t[order], n[keep][order]
    windows = np.array(t_window_family(t_range_A, shift_A=shift_A, step_A=step_A), float).reshape(-1, 2)
    i = np.searchsorted(t, windows[:, 0], side="left")  # the points with lo <= t <= hi, as t_plot takes them
    j = np.searchsorted(t, windows[:, 1], side="right")
    t, v = t - t.mean(), v - v.mean()  # centred: the prefix sums below lose no digits
    st, sv, stt, stv, svv = (_prefix(a) for a in (t, v, t * t, t * v, v * v))
    k = (j - i).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        tbar = (st[j] - st[i]) / k
        Stt = (stt[j] - stt[i]) - (st[j] - st[i]) * tbar
        Stv = (stv[j] - stv[i]) - tbar * (sv[j] - sv[i])
        Svv = (svv[j] - svv[i]) - (sv[j] - sv[i]) ** 2 / k
        slope = Stv / Stt
        r2 = Stv * Stv / (Stt * Svv)
    ok = (k >= max(min_points, 3)) & (Svv > 0) & (r2 >= min_r2)
    if not ok.any():
        return 0.0, 0.0, 0
    to_area = N2_LIQUID_PER_STP * 1e4
    areas = slope[ok] * to_area
    observed = float(np.var(areas))
    idx = np.arange(t.size)
    inside = (idx >= i[ok, None]) & (idx < j[ok, None])
    c = np.where(inside, to_area * (t - tbar[ok, None]) / Stt[ok, None], 0.0)  # window x reading
    from_readings = reading_sd**2 * float(((c - c.mean(axis=0)) ** 2).sum(axis=1).mean())
    return float(np.sqrt(max(observed - from_readings, 0.0))), float(np.sqrt(observed)), int(ok.sum())


def micropore_area(
    x,
    n,
    bet: BetResult,
    tplot: TPlotResult,
    *,
    t_range_A,
    shift_A: float,
    step_A: float,
    min_points: int,
    min_r2: float,
) -> MicroporeResult:
    """S_micro = S_BET − S_ext with its GUM uncertainty: readings (covariance included) ⊕ thickness window."""
    u_a, u_indep, s, shared = micropore_reading_stderr(x, n, bet, t_range_A=t_range_A)
    u_b, spread, windows = t_window_sd(
        x,
        n,
        t_range_A=t_range_A,
        shift_A=shift_A,
        step_A=step_A,
        min_points=min_points,
        min_r2=min_r2,
        reading_sd=s,
    )
    return MicroporeResult(
        area_m2_g=bet.area_m2_g - tplot.external_area_m2_g,
        area_stderr_m2_g=float(np.hypot(u_a, u_b)),
        reading_stderr_m2_g=u_a,
        window_sd_m2_g=u_b,
        window_spread_m2_g=spread,
        independent_stderr_m2_g=u_indep,
        reading_sd_cm3_g=s,
        shared_points=shared,
        windows=windows,
    )
