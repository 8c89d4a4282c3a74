"""Component fits of one XPS region with scipy.optimize.least_squares and explicit parameter ties.

A region model (:class:`RegionModel`) names components (:class:`Component`) with a line shape, a start
position and FWHM, and optional ties: ``position_of`` + ``shift`` fixes a chemical shift relative to
another component, ``fwhm_group`` makes components share one FWHM, and ``doublet`` = (splitting, ratio)
adds a spin-orbit partner (e.g. Si 2p1/2 at +0.6 eV with 1/2 of the 2p3/2 area). The background is
computed once on the data (static, as CasaXPS and Avantage do). Residuals are Poisson-weighted
(1/sqrt(max(y, 1))). The areas enter linearly, so they are solved by non-negative least squares inside
each step over the nonlinear parameters (variable projection, Golub & Pereyra, SIAM J. Numer. Anal. 10
(1973) 413); the area uncertainties come from the covariance (J^T J)^-1 of the full problem at the
solution, scaled by the reduced chi-square.

Why not lmfit: ties by expression are convenient, but each evaluation goes through its
Parameters/asteval layer, and it cannot project out the linear areas; the same Si 2p fit takes
~32 ms there against ~7 ms here (benchmarks/bench_xps.py). The ties a model needs (fixed shifts,
shared FWHM, doublets) are a few lines of index bookkeeping below, easy to read and test.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import least_squares, nnls

from . import background as bgmod
from . import lineshapes


@dataclass(frozen=True)
class Component:
    """One chemical state. Positions are binding energies (eV)."""

    name: str
    position: float
    fwhm: float = 1.2
    shape: str = "gl"
    m: float = 30.0
    position_of: str | None = None  # tie: position = position(position_of) + shift
    shift: float = 0.0
    position_window: float = 1.0  # free positions may move +- this much
    fwhm_group: str | None = None
    fwhm_bounds: tuple[float, float] = (0.3, 5.0)
    doublet: tuple[float, float] | None = None  # (splitting eV, area ratio of the partner)
    valence: float | None = None


@dataclass(frozen=True)
class RegionModel:
    """A region (e.g. ``Si 2p``), its window in binding energy, background and components."""

    region: str
    window: tuple[float, float]
    components: tuple[Component, ...]
    background: str = "shirley"
    n_avg: int = 3


@dataclass(frozen=True)
class FitResult:
    region: str
    names: tuple[str, ...]
    areas: np.ndarray
    area_sd: np.ndarray
    positions: np.ndarray
    fwhms: np.ndarray
    be: np.ndarray
    y: np.ndarray
    background: np.ndarray
    envelope: np.ndarray
    reduced_chi2: float
    valences: tuple = field(default=())
    area_cov: np.ndarray | None = None

    def fractions(self) -> dict[str, float]:
        return dict(zip(self.names, self.areas / self.areas.sum()))


def _layout(model: RegionModel):
    comps = model.components
    names = [c.name for c in comps]
    free_pos = [i for i, c in enumerate(comps) if c.position_of is None]
    groups: dict[str, int] = {}
    fwhm_index = []
    n_fwhm = 0
    for c in comps:
        if c.fwhm_group is None:
            fwhm_index.append(n_fwhm)
            n_fwhm += 1
        else:
            if c.fwhm_group not in groups:
                groups[c.fwhm_group] = n_fwhm
                n_fwhm += 1
            fwhm_index.append(groups[c.fwhm_group])
    for c in comps:
        if c.position_of is not None and c.position_of not in names:
            raise ValueError(f"component {c.name} is tied to unknown component {c.position_of}")
    return names, free_pos, fwhm_index, n_fwhm


def _tie_order(model: RegionModel, names) -> list[tuple[int, int, float]]:
    """(component, tied-to component, shift) in an order that resolves chains of ties in one pass."""
    comps = model.components
    done = {i for i, c in enumerate(comps) if c.position_of is None}
    order = []
    while len(done) < len(comps):
        step = [
            (i, names.index(c.position_of), c.shift)
            for i, c in enumerate(comps)
            if i not in done and names.index(c.position_of) in done
        ]
        if not step:
            raise ValueError(f"region {model.region}: position ties form a cycle")
        order += step
        done |= {i for i, _, _ in step}
    return order


def _unpack(p, model, names, free_pos, fwhm_index, n_fwhm, ties=None):
    n = len(model.components)
    areas = p[:n]
    pos = np.empty(n)
    pos[free_pos] = p[n : n + len(free_pos)]
    for i, j, shift in ties if ties is not None else _tie_order(model, names):
        pos[i] = pos[j] + shift
    fw = p[n + len(free_pos) :][np.asarray(fwhm_index, int)]
    return areas, pos, fw


def component_curves(be, model: RegionModel, areas, positions, fwhms) -> np.ndarray:
    """Each component (with its doublet partner) on ``be``: array (n_components, n_points). Components that
    share a line shape are evaluated in one broadcast call."""
    x = np.asarray(be, float)[None, :]
    areas, positions, fwhms = (np.asarray(v, float) for v in (areas, positions, fwhms))
    comps = model.components
    out = np.zeros((len(comps), x.shape[1]))
    groups: dict[tuple[str, float], list[int]] = {}
    for i, c in enumerate(comps):
        groups.setdefault((c.shape, c.m), []).append(i)
    for (shape, m), members in groups.items():
        idx = np.asarray(members)
        fn = lineshapes.SHAPES[shape]
        args = () if shape in ("gaussian", "lorentzian") else (m / 100.0 if shape == "pseudo_voigt" else m,)
        split = np.array([comps[i].doublet[0] if comps[i].doublet else 0.0 for i in idx])
        ratio = np.array([comps[i].doublet[1] if comps[i].doublet else 0.0 for i in idx])
        main = areas[idx] / (1.0 + ratio)
        pos, fw = positions[idx][:, None], fwhms[idx][:, None]
        out[idx] = fn(x, main[:, None], pos, fw, *args)
        d = ratio > 0
        if d.any():
            out[idx[d]] += fn(x, (main * ratio)[d][:, None], pos[d] + split[d][:, None], fw[d], *args)
    return out


def _background_covariance(x, y, Dw, w, n_avg) -> np.ndarray:
    """The area covariance the static Shirley background adds: with the shapes fixed, the areas are
    a = P (y - B(y)), P = (Dw^T Dw)^-1 Dw^T diag(w); the counting noise V = diag(y) reaches them through
    (I - G), G = dB/dy. Returned: P (I-G) V (I-G)^T P^T - P V P^T (the part beyond the fit's own covariance)."""
    P = np.linalg.pinv(Dw.T @ Dw) @ Dw.T * w[None, :]
    var = np.clip(y, 1.0, None)
    M = P - bgmod.shirley_vjp(x, y, P, n_avg)
    return (M * var) @ M.T - (P * var) @ P.T


def fit_region(be, y, model: RegionModel) -> FitResult:
    """Fit ``model`` to counts ``y`` on binding energies ``be`` (only points inside ``model.window``)."""
    be, y = np.asarray(be, float), np.asarray(y, float)
    lo, hi = sorted(model.window)
    sel = (be >= lo) & (be <= hi)
    if sel.sum() < 3 * len(model.components):
        raise ValueError(f"region {model.region}: only {sel.sum()} points in window {model.window}")
    x, yy = be[sel], y[sel]
    bg = bgmod.BACKGROUNDS[model.background](x, yy, n_avg=model.n_avg)
    net = yy - bg
    names, free_pos, fwhm_index, n_fwhm = _layout(model)
    ties = _tie_order(model, names)
    comps = model.components
    n = len(comps)
    de = abs(np.mean(np.diff(np.sort(x))))
    total = max(float(np.sum(np.clip(net, 0, None)) * de), 1e-9)
    p0 = [total / n] * n + [comps[i].position for i in free_pos]
    lb = [0.0] * n + [comps[i].position - comps[i].position_window for i in free_pos]
    ub = [np.inf] * n + [comps[i].position + comps[i].position_window for i in free_pos]
    fw0 = [0.0] * n_fwhm
    fwb = [(0.0, np.inf)] * n_fwhm
    for i, c in enumerate(comps):
        fw0[fwhm_index[i]] = c.fwhm
        fwb[fwhm_index[i]] = c.fwhm_bounds
    p0 += fw0
    lb += [b[0] for b in fwb]
    ub += [b[1] for b in fwb]
    p0 = np.clip(np.asarray(p0, float), np.asarray(lb) + 1e-9, np.asarray(ub) - 1e-9)
    w = 1.0 / np.sqrt(np.clip(yy, 1.0, None))

    def resid(p):
        a, pos, fw = _unpack(p, model, names, free_pos, fwhm_index, n_fwhm, ties)
        return (component_curves(x, model, a, pos, fw).sum(axis=0) - net) * w

    lb, ub = np.asarray(lb, float), np.asarray(ub, float)

    def design(q):
        a, pos, fw = _unpack(np.concatenate([np.ones(n), q]), model, names, free_pos, fwhm_index, n_fwhm, ties)
        return component_curves(x, model, a, pos, fw).T * w[:, None]

    def outer(q):  # variable projection: the areas are linear, solved by NNLS for each nonlinear step
        D = design(q)
        a, _ = nnls(D, net * w)
        return D @ a - net * w

    sol = least_squares(outer, p0[n:], bounds=(lb[n:], ub[n:]), x_scale="jac", method="trf")
    areas, _ = nnls(design(sol.x), net * w)
    p_full = np.concatenate([areas, sol.x])
    a, pos, fw = _unpack(p_full, model, names, free_pos, fwhm_index, n_fwhm, ties)
    r0 = resid(p_full)
    dof = max(x.size - p_full.size, 1)
    chi2 = float(np.sum(r0**2) / dof)
    J = np.empty((r0.size, p_full.size))  # forward-difference Jacobian of the full problem, for the covariance
    for k in range(p_full.size):
        h = 1e-6 * max(abs(p_full[k]), 1e-3)
        pk = p_full.copy()
        pk[k] += h
        J[:, k] = (resid(pk) - r0) / h
    try:
        cov = (np.linalg.pinv(J.T @ J) * chi2)[:n, :n]
    except np.linalg.LinAlgError:
        cov = np.full((n, n), np.nan)
    if model.background == "shirley":
        cov = cov + _background_covariance(x, yy, design(sol.x), w, model.n_avg)
    sd = np.sqrt(np.clip(np.diag(cov), 0, None))
    env = component_curves(x, model, a, pos, fw).sum(axis=0) + bg
    return FitResult(
        region=model.region,
        names=tuple(names),
        areas=np.asarray(a),
        area_sd=sd,
        positions=pos,
        fwhms=fw,
        be=x,
        y=yy,
        background=bg,
        envelope=env,
        reduced_chi2=chi2,
        valences=tuple(c.valence for c in comps),
        area_cov=cov,
    )
