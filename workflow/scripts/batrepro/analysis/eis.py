"""Electrochemical impedance spectroscopy: circuits, fitting, Lin-KK and DRT.

Pure functions: arrays in, frozen dataclasses out; no file I/O.

* **Equivalent circuits** use impedance.py's string syntax (``-`` in series, ``p(a,b)`` in
  parallel) and its element names and parameter orders: ``R`` [R], ``C`` [C], ``L`` [L],
  ``CPE`` [Q, alpha] with Z = 1/(Q (jω)^α), ``W`` [A_W] semi-infinite Warburg, ``Wo`` [Z0, τ]
  open (reflective) finite Warburg Z = Z0 coth(√(jωτ))/√(jωτ), ``Ws`` [Z0, τ] short
  (transmissive) Warburg Z = Z0 tanh(√(jωτ))/√(jωτ), ``Zarc`` [R, τ, γ] with
  Z = R/(1 + (jωτ)^γ) (impedance.py ≥ 1.6; ``ZARC`` is accepted as an alias), ``K`` [R, τ].
  An element's name is its type followed by a label (``R0``, ``CPE1``, ``Wo1``, ``Zarc2``).
  Strings are parsed by a recursive-descent parser; nothing is ``eval``-ed.
* **Fitting** is bounded weighted non-linear least squares (``scipy.optimize.least_squares``,
  trust-region reflective) with an analytic Jacobian propagated through the circuit tree.
  Standard errors come from the Jacobian at the optimum, scaled by the residual variance
  (as ``scipy.optimize.curve_fit`` with ``absolute_sigma=False``, which impedance.py uses).
* **Lin-KK** follows Schönleber et al., Electrochim. Acta 131 (2014) 20, with the number of
  RC elements chosen by the μ criterion (c = 0.85).
* **DRT** is Tikhonov regularisation with γ ≥ 0 (Wan et al., Electrochim. Acta 184 (2015) 483;
  Saccoccio et al., Electrochim. Acta 147 (2014) 470): Gaussian radial-basis discretisation in
  ln τ, matrices by Gauss–Hermite quadrature (no per-element adaptive quadrature), closed-form
  derivative penalties, λ fixed or by generalised cross-validation, solved with ``nnls`` on the
  stacked augmented system, with R_inf and an optional series inductance.

Sign convention: ``z`` is complex with the signed imaginary part (negative for capacitive
behaviour), i.e. Z = Z′ + jZ″.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np
from scipy.linalg import eigh
from scipy.optimize import least_squares, nnls

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------------
# Spectrum checks
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spectrum:
    """A checked spectrum, ordered from high to low frequency."""

    frequency_Hz: np.ndarray
    z: np.ndarray
    n_dropped_inductive: int = 0


def check_spectrum(frequency_Hz, z, name: str = "spectrum", drop_inductive: bool = True) -> Spectrum:
    """Validate a spectrum and return it ordered from high to low frequency.

    Handling of bad input (each raises a one-line ``ValueError`` naming ``name``):

    * NaN or infinite frequency or impedance: error.
    * zero or negative frequency: error.
    * duplicated frequencies: error (a file holding several sweeps must be split first).
    * frequencies that are not monotonic (neither a falling nor a rising sweep): error. A rising
      sweep is reversed, which is not an error.
    * inductive points (Z″ > 0): with ``drop_inductive`` they are removed and their number is
      returned in ``n_dropped_inductive`` (and logged), as impedance.py's ``ignoreBelowX`` does;
      otherwise they are kept (fit them with an ``L`` element or a DRT with inductance).
    """
    f = np.asarray(frequency_Hz, dtype=float).ravel()
    z = np.asarray(z, dtype=complex).ravel()
    if f.shape != z.shape:
        raise ValueError(f"{name}: {f.size} frequencies but {z.size} impedance values")
    if f.size == 0:
        raise ValueError(f"{name}: the spectrum is empty")
    bad = ~np.isfinite(f) | ~np.isfinite(z.real) | ~np.isfinite(z.imag)
    if bad.any():
        raise ValueError(f"{name}: {int(bad.sum())} NaN or infinite value(s), first at point {int(np.argmax(bad))}")
    if (f <= 0).any():
        i = int(np.argmax(f <= 0))
        raise ValueError(f"{name}: frequency {f[i]:g} Hz at point {i} is zero or negative")
    if f.size > 1:
        d = np.diff(f)
        if (d == 0).any():
            i = int(np.argmax(d == 0))
            raise ValueError(f"{name}: duplicated frequency {f[i]:g} Hz at points {i} and {i + 1}")
        if not ((d < 0).all() or (d > 0).all()):
            raise ValueError(f"{name}: frequencies are not sorted (not a monotonic sweep) near point {int(np.argmax(np.sign(d) != np.sign(d[0]))) + 1}")
        if d[0] > 0:
            f, z = f[::-1], z[::-1]
    dropped = 0
    if drop_inductive:
        keep = z.imag <= 0
        dropped = int((~keep).sum())
        if dropped:
            logger.info("%s: dropped %d inductive point(s) with Z'' > 0", name, dropped)
            f, z = f[keep], z[keep]
        if f.size == 0:
            raise ValueError(f"{name}: every point is inductive (Z'' > 0); nothing capacitive to analyse")
    return Spectrum(f.copy(), z.copy(), dropped)


# --------------------------------------------------------------------------------------------
# Circuit elements: impedance and analytic derivatives
# --------------------------------------------------------------------------------------------


def _tanh_safe(s):
    """tanh of complex s without overflow (tanh → ±1 for |Re s| large)."""
    out = np.empty_like(s)
    big = np.abs(s.real) > 20
    out[big] = np.sign(s.real[big])
    out[~big] = np.tanh(s[~big])
    return out


def _el_R(p, w):
    n = w.size
    return np.full(n, p[0], dtype=complex), np.ones((n, 1), dtype=complex)


def _el_C(p, w):
    z = 1.0 / (1j * w * p[0])
    return z, (-z / p[0])[:, None]


def _el_L(p, w):
    return 1j * w * p[0], (1j * w)[:, None]


def _el_CPE(p, w):
    q, a = p
    jw = 1j * w
    z = 1.0 / (q * jw**a)
    return z, np.column_stack([-z / q, -z * np.log(jw)])


def _el_W(p, w):
    g = (1 - 1j) / np.sqrt(w)
    return p[0] * g, g[:, None]


def _el_Wo(p, w):
    z0, tau = p
    s = np.sqrt(1j * w * tau)
    coth = 1.0 / _tanh_safe(s)
    h = coth / s
    dh_ds = -(coth**2 - 1) / s - coth / s**2
    return z0 * h, np.column_stack([h, z0 * dh_ds * s / (2 * tau)])


def _el_Ws(p, w):
    z0, tau = p
    s = np.sqrt(1j * w * tau)
    th = _tanh_safe(s)
    h = th / s
    dh_ds = (1 - th**2) / s - th / s**2
    return z0 * h, np.column_stack([h, z0 * dh_ds * s / (2 * tau)])


def _el_Zarc(p, w):
    r, tau, g = p
    jwt = 1j * w * tau
    x = jwt**g
    d = 1.0 / (1 + x)
    z = r * d
    dz_dx = -r * d**2
    return z, np.column_stack([d, dz_dx * g * x / tau, dz_dx * x * np.log(jwt)])


def _el_K(p, w):
    r, tau = p
    d = 1.0 / (1 + 1j * w * tau)
    return r * d, np.column_stack([d, -r * d**2 * 1j * w])


@dataclass(frozen=True)
class ElementType:
    func: Callable
    params: tuple[str, ...]
    units: tuple[str, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]


_INF = np.inf
ELEMENTS: dict[str, ElementType] = {
    "R": ElementType(_el_R, ("R",), ("ohm",), (0.0,), (_INF,)),
    "C": ElementType(_el_C, ("C",), ("F",), (1e-15,), (_INF,)),
    "L": ElementType(_el_L, ("L",), ("H",), (0.0,), (_INF,)),
    "CPE": ElementType(_el_CPE, ("Q", "alpha"), ("ohm-1 s^a", ""), (1e-15, 0.0), (_INF, 1.0)),
    "W": ElementType(_el_W, ("A_W",), ("ohm s-1/2",), (0.0,), (_INF,)),
    "Wo": ElementType(_el_Wo, ("Z0", "tau"), ("ohm", "s"), (0.0, 1e-12), (_INF, _INF)),
    "Ws": ElementType(_el_Ws, ("Z0", "tau"), ("ohm", "s"), (0.0, 1e-12), (_INF, _INF)),
    "Zarc": ElementType(_el_Zarc, ("R", "tau", "gamma"), ("ohm", "s", ""), (0.0, 1e-12, 0.0), (_INF, _INF, 1.0)),
    "K": ElementType(_el_K, ("R", "tau"), ("ohm", "s"), (0.0, 1e-12), (_INF, _INF)),
}
_ALIASES = {"ZARC": "Zarc", "zarc": "Zarc", "Q": "CPE"}


def element_type(name: str) -> str:
    """The element type of a named element: ``'CPE1'`` → ``'CPE'``, ``'Wo_2'`` → ``'Wo'``."""
    base = re.sub(r"[0-9_]+$", "", name)
    base = _ALIASES.get(base, base)
    if base not in ELEMENTS:
        raise ValueError(f"unknown circuit element '{name}' (known: {', '.join(sorted(ELEMENTS))}, Zarc alias ZARC)")
    return base


# --------------------------------------------------------------------------------------------
# Circuit strings: tokeniser and recursive-descent parser
# --------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(p\()|([A-Za-z][A-Za-z0-9_]*)|([-,()]))")


def _tokenise(text: str) -> list[str]:
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(f"circuit '{text}': unexpected character {text[pos]!r} at position {pos}")
        tokens.append(m.group(1) or m.group(2) or m.group(3))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return tokens


class _Parser:
    """series := term ('-' term)* ; term := 'p(' series (',' series)+ ')' | ELEMENT."""

    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenise(text)
        self.i = 0

    def _peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _take(self, expected=None):
        tok = self._peek()
        if tok is None or (expected is not None and tok != expected):
            want = f"'{expected}'" if expected else "more input"
            raise ValueError(f"circuit '{self.text}': expected {want}, found {tok!r}")
        self.i += 1
        return tok

    def parse(self):
        node = self._series()
        if self._peek() is not None:
            raise ValueError(f"circuit '{self.text}': unexpected {self._peek()!r} after a complete circuit")
        return node

    def _series(self):
        items = [self._term()]
        while self._peek() == "-":
            self._take("-")
            items.append(self._term())
        return items[0] if len(items) == 1 else ("s", items)

    def _term(self):
        tok = self._peek()
        if tok == "p(":
            self._take()
            branches = [self._series()]
            while self._peek() == ",":
                self._take(",")
                branches.append(self._series())
            self._take(")")
            if len(branches) < 2:
                raise ValueError(f"circuit '{self.text}': p(...) needs at least two branches")
            return ("p", branches)
        if tok is None or not re.match(r"[A-Za-z]", tok):
            raise ValueError(f"circuit '{self.text}': expected an element or 'p(', found {tok!r}")
        self._take()
        element_type(tok)
        return ("e", tok)


@dataclass(frozen=True)
class Circuit:
    """A parsed equivalent circuit. ``names`` are the parameter names (``R0``, ``CPE1_0``...)."""

    text: str
    tree: tuple
    elements: tuple[str, ...]
    names: tuple[str, ...]
    units: tuple[str, ...]
    lower: np.ndarray
    upper: np.ndarray

    @property
    def n_params(self) -> int:
        return len(self.names)

    def impedance(self, params, frequency_Hz) -> np.ndarray:
        """Complex impedance at the given frequencies (vectorised)."""
        return circuit_impedance(self, params, frequency_Hz)


def _leaves(node):
    if node[0] == "e":
        return [node[1]]
    return [leaf for child in node[1] for leaf in _leaves(child)]


@lru_cache(maxsize=256)
def parse_circuit(text: str) -> Circuit:
    """Parse an impedance.py-style circuit string such as ``'R0-p(R1,CPE1)-Wo1'``."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("circuit: empty circuit string")
    tree = _Parser(text).parse()
    elements = _leaves(tree)
    if len(set(elements)) != len(elements):
        dupes = sorted({e for e in elements if elements.count(e) > 1})
        raise ValueError(f"circuit '{text}': element name(s) {dupes} used more than once")
    names, units, lo, hi = [], [], [], []
    for el in elements:
        et = ELEMENTS[element_type(el)]
        if len(et.params) == 1:
            names.append(el)
        else:
            names.extend(f"{el}_{k}" for k in range(len(et.params)))
        units.extend(et.units)
        lo.extend(et.lower)
        hi.extend(et.upper)
    return Circuit(text, tree, tuple(elements), tuple(names), tuple(units), np.array(lo), np.array(hi))


def _eval(node, p, w, offsets, n_total, want_jac):
    kind = node[0]
    if kind == "e":
        name = node[1]
        et = ELEMENTS[element_type(name)]
        start = offsets[name]
        k = len(et.params)
        z, dz = et.func(p[start:start + k], w)
        if not want_jac:
            return z, None
        jac = np.zeros((w.size, n_total), dtype=complex)
        jac[:, start:start + k] = dz
        return z, jac
    parts = [_eval(child, p, w, offsets, n_total, want_jac) for child in node[1]]
    if kind == "s":
        z = sum(pz for pz, _ in parts)
        jac = sum(pj for _, pj in parts) if want_jac else None
        return z, jac
    # parallel: Z = 1 / Σ 1/Z_i ; dZ = Z² Σ dZ_i / Z_i²
    with np.errstate(divide="ignore", invalid="ignore"):
        y = sum(1.0 / pz for pz, _ in parts)
        z = 1.0 / y
        if not want_jac:
            return z, None
        jac = sum(pj / (pz**2)[:, None] for pz, pj in parts) * (z**2)[:, None]
    return z, jac


def _offsets(circuit: Circuit) -> dict[str, int]:
    out, i = {}, 0
    for el in circuit.elements:
        out[el] = i
        i += len(ELEMENTS[element_type(el)].params)
    return out


def circuit_impedance(circuit: Circuit | str, params, frequency_Hz, jacobian: bool = False):
    """Impedance of a circuit (and optionally d Z / d params, shape (n_freq, n_params))."""
    if isinstance(circuit, str):
        circuit = parse_circuit(circuit)
    p = np.asarray(params, dtype=float)
    if p.size != circuit.n_params:
        raise ValueError(f"circuit '{circuit.text}': {circuit.n_params} parameters {list(circuit.names)} needed, {p.size} given")
    w = 2 * np.pi * np.asarray(frequency_Hz, dtype=float)
    z, jac = _eval(circuit.tree, p, w, _offsets(circuit), circuit.n_params, jacobian)
    return (z, jac) if jacobian else z


# --------------------------------------------------------------------------------------------
# Automatic initial guesses
# --------------------------------------------------------------------------------------------


def spectrum_table(data, source: str = "spectrum", sweep: int | None = None):
    """Canonical spectrum table from a reader's data: frequency_Hz, z_real_ohm, z_imag_ohm (signed),
    z_mod_ohm, phase_deg, in file order. A file with several sweeps (``cycle_number``) needs
    ``sweep`` to say which one; otherwise it is an error."""
    import pandas as pd

    missing = [c for c in ("frequency_Hz", "z_real_ohm", "z_imag_ohm") if c not in data.columns]
    if missing:
        raise ValueError(f"{source}: missing impedance column(s) {missing}")
    if "cycle_number" in data.columns and data["cycle_number"].nunique() > 1:
        sweeps = sorted(int(v) for v in data["cycle_number"].unique())
        if sweep is None:
            raise ValueError(f"{source}: {len(sweeps)} sweeps (cycle numbers {sweeps}); set 'sweep' in the sample sheet")
        data = data[data["cycle_number"] == int(sweep)]
        if data.empty:
            raise ValueError(f"{source}: no sweep {sweep} (cycle numbers {sweeps})")
    z = data["z_real_ohm"].to_numpy(float) + 1j * data["z_imag_ohm"].to_numpy(float)
    check_spectrum(data["frequency_Hz"].to_numpy(float), z, source, drop_inductive=False)
    mod, phase = bode(z)
    return pd.DataFrame({"frequency_Hz": data["frequency_Hz"].to_numpy(float), "z_real_ohm": z.real,
                         "z_imag_ohm": z.imag, "z_mod_ohm": mod, "phase_deg": phase})


def high_frequency_intercept(frequency_Hz, z) -> float:
    """Re Z where the spectrum meets the real axis at high frequency (ohmic resistance)."""
    f, z = np.asarray(frequency_Hz), np.asarray(z)
    order = np.argsort(f)[::-1]
    f, z = f[order], z[order]
    cross = np.nonzero((z.imag[:-1] > 0) & (z.imag[1:] <= 0))[0]
    if cross.size:
        i = cross[0]
        t = z.imag[i] / (z.imag[i] - z.imag[i + 1])
        return float(z.real[i] + t * (z.real[i + 1] - z.real[i]))
    n = max(3, f.size // 10)
    return float(max(np.min(z.real[:n]), 0.0))


def _arc_estimates(f, z, r0, n_arcs, n_diffusion=0):
    """(tau, R) per relaxation, by increasing τ: apexes of −Z″, else the peaks of a DRT.

    Apexes are used when there are at least as many as arcs and no finite-length diffusion
    element needs a time constant; otherwise the ``n_arcs + n_diffusion`` largest DRT peaks.
    """
    order = np.argsort(f)[::-1]
    f, z = f[order], z[order]
    n = n_arcs + n_diffusion
    mz = -z.imag
    sm = np.convolve(np.pad(mz, 1, mode="edge"), np.ones(3) / 3, mode="valid")
    peaks = [i for i in range(1, sm.size - 1) if sm[i] > sm[i - 1] and sm[i] >= sm[i + 1] and sm[i] > 0]
    estimates = []
    if n_diffusion == 0 and len(peaks) >= n_arcs:
        peaks = sorted(sorted(peaks, key=lambda i: -sm[i])[:n_arcs])
        estimates = [(1 / (2 * np.pi * f[i]), 2 * sm[i]) for i in peaks]
    else:
        try:
            res = drt(f, z, lam=1e-5, weights="modulus", check=False, peak_min_fraction=0.01)
            pk = sorted(res.peaks, key=lambda p: -p.area_ohm)[:n]
            estimates = [(p.tau_s, p.area_ohm) for p in pk]
        except (ValueError, np.linalg.LinAlgError):
            estimates = []
    if len(estimates) < n:
        span = max(float(np.max(z.real)) - r0, 1e-12 + abs(r0) * 1e-3)
        have = {round(np.log10(t), 1) for t, _ in estimates}
        for t in np.geomspace(1 / (2 * np.pi * f[0]), 1 / (2 * np.pi * f[-1]), n + 2)[1:-1]:
            if len(estimates) >= n:
                break
            if round(np.log10(t), 1) not in have:
                estimates.append((t, span / n))
    estimates = sorted(estimates, key=lambda t: t[0])
    return [(float(t), float(max(r, 1e-9))) for t, r in estimates]


def initial_guess(circuit: Circuit | str, frequency_Hz, z) -> np.ndarray:
    """Starting values from the spectrum itself.

    The first series resistor gets the high-frequency intercept. Every arc (a ``Zarc`` or a
    ``p(...)`` block holding a resistor) gets a time constant and a resistance from the apex
    frequency and height of −Z″ (diameter ≈ 2 × apex height), taken from high to low frequency
    in the order the arcs appear in the string; when the apexes overlap, the peaks of a DRT of
    the spectrum are used instead. Capacitances follow from C = τ/R, CPE Q from τ^α/R with
    α = 0.85. Warburg coefficients come from the low-frequency slope, A_W = median(−Z″·√ω) over
    the lowest-frequency decade, and finite Warburgs get τ_W = 1/(2π f_min).
    """
    c = parse_circuit(circuit) if isinstance(circuit, str) else circuit
    f = np.asarray(frequency_Hz, dtype=float)
    z = np.asarray(z, dtype=complex)
    r0 = high_frequency_intercept(f, z)
    w = 2 * np.pi * f
    low = f <= f.min() * 10
    aw = float(np.median(np.abs(z.imag[low]) * np.sqrt(w[low]))) if low.any() else 1.0
    aw = max(aw, 1e-9)
    tau_w = 1 / (2 * np.pi * f.min())

    top = c.tree[1] if c.tree[0] == "s" else [c.tree]
    arcs = [node for node in top if node[0] == "p" or (node[0] == "e" and element_type(node[1]) in ("Zarc", "K"))]
    short_w = [node[1] for node in top if node[0] == "e" and element_type(node[1]) == "Ws"]
    estimates = _arc_estimates(f, z, r0, len(arcs), len(short_w)) if arcs or short_w else []
    # a short Warburg's largest Debye term sits at τ_W·4/π² with R = 8·Z0/π² (the slowest peaks)
    ws_estimates = estimates[len(estimates) - len(short_w):] if short_w else []
    estimates = estimates[:len(estimates) - len(short_w)] if short_w else estimates
    guess: dict[str, list[float]] = {}
    first_r = True

    def fill(node, tau=None, r=None):
        nonlocal first_r
        if node[0] in ("s", "p"):
            for child in node[1]:
                fill(child, tau, r)
            return
        name = node[1]
        kind = element_type(name)
        if kind == "R":
            if r is not None:
                guess[name] = [r]
            elif first_r:
                guess[name] = [max(r0, 1e-9)]
                first_r = False
            else:
                guess[name] = [max(r0 * 0.1, 1e-9)]
        elif kind == "C":
            guess[name] = [tau / r if tau is not None else 1 / (w.min() * max(abs(z[-1]), 1e-12))]
        elif kind == "L":
            guess[name] = [1e-7]
        elif kind == "CPE":
            if tau is not None:
                guess[name] = [tau**0.85 / r, 0.85]
            else:
                guess[name] = [1 / (w.min() * max(abs(z[np.argmin(f)]), 1e-12)), 0.85]
        elif kind == "W":
            guess[name] = [aw]
        elif kind == "Ws" and ws_estimates:
            t, rr = ws_estimates.pop(0)
            guess[name] = [rr * np.pi**2 / 8, t * np.pi**2 / 4]
        elif kind in ("Wo", "Ws"):
            guess[name] = [aw * np.sqrt(2 * tau_w), tau_w]
        elif kind in ("Zarc", "K"):
            t, rr = (tau, r) if tau is not None else (estimates.pop(0) if estimates else (tau_w / 10, r0))
            guess[name] = [rr, t, 0.85] if kind == "Zarc" else [rr, t]

    arc_iter = iter(estimates)
    for node in top:
        if node in arcs:
            t, r = next(arc_iter, (tau_w / 10, max(r0, 1e-3)))
            if node[0] == "e":
                name = node[1]
                guess[name] = [r, t, 0.85] if element_type(name) == "Zarc" else [r, t]
            else:
                fill(node, t, r)
        else:
            fill(node)
    values = np.concatenate([guess[el] for el in c.elements])
    return np.clip(values, c.lower + 1e-12, np.where(np.isfinite(c.upper), c.upper, np.inf))


# --------------------------------------------------------------------------------------------
# Fitting
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FitResult:
    circuit: str
    names: tuple[str, ...]
    units: tuple[str, ...]
    values: np.ndarray
    stderr: np.ndarray
    initial: np.ndarray
    residuals_real: np.ndarray  # (Z_data − Z_fit)/|Z_data|
    residuals_imag: np.ndarray
    chi2: float
    success: bool
    n_points: int
    weights: str
    method: str = "bounded_wls_trf"

    def as_dict(self) -> dict[str, float]:
        return dict(zip(self.names, self.values.tolist()))



def residual_sigma(z: np.ndarray, weights: str, name: str) -> np.ndarray:
    """Residual scale per point: 1 ('unit', impedance.py's default) or |Z| ('modulus')."""
    if weights == "unit":
        return np.ones(z.size)
    if weights == "modulus":
        return np.abs(z)
    raise ValueError(f"{name}: weights must be 'unit' or 'modulus', not {weights!r}")


def fit_circuit(frequency_Hz, z, circuit: str, initial_guess_values: Sequence[float] | None = None,
                weights: str = "unit", bounds: tuple | None = None, name: str = "spectrum",
                max_nfev: int = 2000) -> FitResult:
    """Fit an equivalent circuit by bounded weighted least squares.

    ``weights``: ``"unit"`` (σ = 1, impedance.py's default) or ``"modulus"`` (σ = |Z|).
    ``initial_guess_values``: None for automatic starting values (:func:`initial_guess`).
    """
    c = parse_circuit(circuit)
    f = np.asarray(frequency_Hz, dtype=float)
    zd = np.asarray(z, dtype=complex)
    if 2 * f.size <= c.n_params:
        raise ValueError(f"{name}: {f.size} points ({2 * f.size} real values) are too few for the {c.n_params} parameters of '{circuit}'")
    sigma = residual_sigma(zd, weights, name)
    lo, hi = (c.lower, c.upper) if bounds is None else (np.asarray(bounds[0], float), np.asarray(bounds[1], float))
    x0 = initial_guess(c, f, zd) if initial_guess_values is None else np.asarray(initial_guess_values, dtype=float)
    if x0.size != c.n_params:
        raise ValueError(f"{name}: circuit '{circuit}' has {c.n_params} parameters {list(c.names)}, the initial guess has {x0.size}")
    x0 = np.clip(x0, lo, hi)
    w = 2 * np.pi * f
    offsets = _offsets(c)

    def resid(p):
        zm, _ = _eval(c.tree, p, w, offsets, c.n_params, False)
        r = (zm - zd) / sigma
        return np.concatenate([r.real, r.imag])

    def jac(p):
        _, j = _eval(c.tree, p, w, offsets, c.n_params, True)
        j = j / sigma[:, None]
        return np.vstack([j.real, j.imag])

    with np.errstate(all="ignore"):
        # impedance.py's settings (curve_fit → trf, ftol 1e-13, default xtol/gtol 1e-8), so that
        # fits stop where impedance.py's do on flat valleys such as a finite Warburg's (Z0, τ).
        sol = least_squares(resid, x0, jac=jac, bounds=(lo, hi), method="trf", ftol=1e-13,
                            max_nfev=max_nfev)
    p = sol.x
    dof = max(2 * f.size - c.n_params, 1)
    s2 = 2 * sol.cost / dof
    jtj = sol.jac.T @ sol.jac
    try:
        cov = np.linalg.pinv(jtj) * s2
        se = np.sqrt(np.clip(np.diag(cov), 0, None))
    except np.linalg.LinAlgError:
        se = np.full(c.n_params, np.nan)
    zfit = circuit_impedance(c, p, f)
    rel = (zd - zfit) / np.abs(zd)
    return FitResult(circuit, c.names, c.units, p, se, x0, rel.real, rel.imag, float(2 * sol.cost),
                     bool(sol.success), int(f.size), weights)


# --------------------------------------------------------------------------------------------
# Lin-KK (Schönleber et al. 2014)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinKKResult:
    M: int
    mu: float
    residuals_real: np.ndarray  # (Z − Z_KK)/|Z|
    residuals_imag: np.ndarray
    max_abs_residual: float
    rms_residual: float
    passed: bool
    threshold: float
    method: str = "lin_kk_schoenleber2014"


def _linkk_fit(f, z, M, add_inductance, extend_decades=0.0):
    w = 2 * np.pi * f
    tmin = 1 / (2 * np.pi * f.max()) / 10**extend_decades
    tmax = 1 / (2 * np.pi * f.min()) * 10**extend_decades
    tau = np.geomspace(tmin, tmax, M) if M > 1 else np.array([np.sqrt(tmin * tmax)])
    k = 1.0 / (1 + 1j * np.outer(w, tau))
    cols = [np.ones(f.size, dtype=complex), *k.T]
    if add_inductance:
        cols.append(1j * w)
    a = np.column_stack(cols)
    s = np.abs(z)
    aw = a / s[:, None]
    bw = z / s
    A = np.vstack([aw.real, aw.imag])
    b = np.concatenate([bw.real, bw.imag])
    x, *_ = np.linalg.lstsq(A, b, rcond=None)
    rk = x[1:M + 1]
    pos = np.abs(rk[rk >= 0]).sum()
    neg = np.abs(rk[rk < 0]).sum()
    mu = 1 - neg / pos if pos > 0 else 0.0
    return mu, a @ x


def lin_kk(frequency_Hz, z, c: float = 0.85, max_M: int = 50, add_inductance: bool = True,
           threshold: float = 0.01, extend_decades: float = 0.0) -> LinKKResult:
    """Kramers–Kronig test by a linear fit of M Voigt elements (Schönleber et al. 2014).

    M grows from 1 until μ = 1 − Σ|R_k<0| / Σ|R_k≥0| falls below ``c``; the fit is linear
    (modulus-weighted complex least squares) with a series resistance and, optionally, a series
    inductance. The time constants span 1/(2π f_max) … 1/(2π f_min) (Schönleber's choice),
    widened by ``extend_decades`` at both ends when a process is slower than the lowest
    frequency (a finite-length diffusion tail). The spectrum passes when the RMS of the relative
    residuals (Z − Z_KK)/|Z| is within ``threshold`` (1 % by default: residuals at the noise level
    pass, a drifting or non-linear spectrum leaves a systematic trend of several %).
    """
    f = np.asarray(frequency_Hz, float)
    z = np.asarray(z, complex)
    max_M = int(min(max_M, f.size - 1 - int(add_inductance)))
    if max_M < 1:
        raise ValueError(f"Lin-KK: {f.size} points are too few")
    mu, zkk, M = 1.0, None, 1
    for M in range(1, max_M + 1):
        mu, zkk = _linkk_fit(f, z, M, add_inductance, extend_decades)
        if mu <= c:
            break
    rel = (z - zkk) / np.abs(z)
    worst = float(max(np.abs(rel.real).max(), np.abs(rel.imag).max()))
    rms = float(np.sqrt(np.mean(np.concatenate([rel.real, rel.imag]) ** 2)))
    return LinKKResult(M, float(mu), rel.real, rel.imag, worst, rms, rms <= threshold, threshold)


# --------------------------------------------------------------------------------------------
# DRT: Tikhonov regularisation with γ ≥ 0, Gaussian RBF discretisation
# --------------------------------------------------------------------------------------------

_GH_X, _GH_W = np.polynomial.hermite.hermgauss(64)


@dataclass(frozen=True)
class DRTPeak:
    tau_s: float
    gamma_ohm: float
    area_ohm: float
    tau_lo_s: float
    tau_hi_s: float
    tau_max_s: float
    process: str = ""


@dataclass(frozen=True)
class DRTResult:
    tau_s: np.ndarray        # fine grid for plotting
    gamma_ohm: np.ndarray    # γ(ln τ) on that grid, Ω
    centres_tau_s: np.ndarray
    weights_ohm: np.ndarray  # RBF coefficients
    epsilon: float
    r_inf_ohm: float
    inductance_H: float
    lam: float
    lam_method: str
    r_pol_ohm: float
    peaks: tuple[DRTPeak, ...]
    z_fit: np.ndarray
    residuals_real: np.ndarray
    residuals_imag: np.ndarray
    method: str = "tikhonov_nnls_gaussian_rbf"


def rbf_epsilon(ln_tau_centres: np.ndarray, fwhm_coefficient: float = 0.5) -> float:
    """Shape factor of the Gaussian RBF: FWHM = Δ ln τ / coefficient (pyDRTtools' convention)."""
    delta = float(np.mean(np.diff(ln_tau_centres))) if ln_tau_centres.size > 1 else 1.0
    return fwhm_coefficient * 2 * np.sqrt(np.log(2)) / delta


_S_STEP = 0.004
_S_MAX = 60.0


@lru_cache(maxsize=32)
def _kernel_table(epsilon: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """g_re(s), g_im(s) on a uniform grid of s = ln(ωτ_m), for a Gaussian RBF of shape ε.

    g_re(s) = ∫ e^{-(εu)²} / (1 + e^{2(u+s)}) du and g_im(s) = −∫ e^{-(εu)²} e^{u+s} / (1 + e^{2(u+s)}) du,
    by a 64-node Gauss–Hermite rule in v = εu (quadrature error < 1e-10 for ε ≥ 0.5). Computed
    once per ε; an A matrix is then a linear interpolation in this table (error < 1e-6 of the
    RBF area), so no quadrature runs per matrix element.
    """
    s = np.arange(-_S_MAX, _S_MAX + _S_STEP / 2, _S_STEP)
    g_re = np.empty_like(s)
    g_im = np.empty_like(s)
    u = _GH_X / epsilon
    for lo in range(0, s.size, 4096):
        x = s[lo:lo + 4096, None] + u[None, :]
        e = np.exp(-np.abs(x))  # overflow-free: 1/(1+e^{2x}) and e^x/(1+e^{2x}) via e^{-|x|}
        pos = x > 0
        re = np.where(pos, e * e / (1 + e * e), 1 / (1 + e * e))
        im = e / (1 + e * e)
        g_re[lo:lo + 4096] = re @ _GH_W / epsilon
        g_im[lo:lo + 4096] = -(im @ _GH_W) / epsilon
    return s, g_re, g_im


def drt_matrices(frequency_Hz, ln_tau_centres, epsilon):
    """A_re, A_im (n_freq × n_rbf) of ∫ φ_m(ln τ)/(1 + jωτ) d ln τ for Gaussian φ_m.

    Each entry depends only on s = ln(ω_n τ_m), so it is read from :func:`_kernel_table`.
    """
    s_grid, g_re, g_im = _kernel_table(float(epsilon))
    s = np.log(2 * np.pi * np.asarray(frequency_Hz, float))[:, None] + np.asarray(ln_tau_centres)[None, :]
    if np.abs(s).max() > _S_MAX - 1:
        raise ValueError("DRT: frequency × τ range exceeds the kernel table (ωτ outside e^±59)")
    pos = (s.ravel() + _S_MAX) / _S_STEP
    i = np.minimum(pos.astype(np.int64), s_grid.size - 2)
    t = pos - i
    a_re = (g_re[i] * (1 - t) + g_re[i + 1] * t).reshape(s.shape)
    a_im = (g_im[i] * (1 - t) + g_im[i + 1] * t).reshape(s.shape)
    return a_re, a_im


def drt_penalty(ln_tau_centres, epsilon, order: int = 2) -> np.ndarray:
    """Closed-form ∫ φ_m^(k) φ_n^(k) d ln τ for Gaussian RBFs (k = 1 or 2)."""
    d = np.subtract.outer(ln_tau_centres, ln_tau_centres)
    a = epsilon**2
    e = np.sqrt(np.pi / 2) / epsilon * np.exp(-a * d * d / 2)
    if order == 1:
        return e * a * (1 - a * d * d)
    if order == 2:
        return e * a * a * (a * a * d**4 - 6 * a * d * d + 3)
    raise ValueError(f"DRT: penalty order must be 1 or 2, not {order}")


@lru_cache(maxsize=64)
def _penalty_matrix(n: int, epsilon: float, delta: float, order: int) -> np.ndarray:
    return drt_penalty(np.arange(n) * delta, epsilon, order)


@lru_cache(maxsize=64)
def _penalty_root(n: int, epsilon: float, delta: float, order: int) -> np.ndarray:
    """Lower Cholesky factor of the penalty matrix of n uniformly spaced RBFs (cached)."""
    pen = _penalty_matrix(n, epsilon, delta, order)
    jitter = 1e-12 * float(np.max(np.diag(pen)))
    return np.linalg.cholesky(pen + jitter * np.eye(n))


def _gcv_lambda(A, b, M, lam_range=(1e-5, 1e1), n_grid=61):
    """λ minimising GCV(λ) = n‖(I−H)b‖² / tr(I−H)² of the unconstrained ridge problem.

    One generalised eigen-decomposition (AᵀA v = μ M v) makes GCV(λ) an O(N) sum for every λ;
    the minimum is searched on a log grid over ``lam_range`` and refined by golden section. The
    lower end is kept at 1e-5: below it, GCV of an unconstrained ridge fit tends to a spurious
    minimum that interpolates the noise.
    """
    ata = A.T @ A
    atb = A.T @ b
    jitter = 1e-10 * np.trace(M) / M.shape[0] + 1e-300
    mu, V = eigh(ata, M + jitter * np.eye(M.shape[0]))
    mu = np.clip(mu, 0, None)
    cvec = V.T @ atb
    bb = float(b @ b)
    n = b.size
    lams = np.geomspace(*lam_range, n_grid)

    def gcv(lam):
        d = mu + lam
        rss = bb - 2 * np.sum(cvec**2 / d) + np.sum(mu * cvec**2 / d**2)
        tr = n - np.sum(mu / d)
        return max(rss, 0) * n / tr**2

    vals = np.array([gcv(lv) for lv in lams])
    i = int(np.argmin(vals))
    lo, hi = np.log(lams[max(i - 1, 0)]), np.log(lams[min(i + 1, n_grid - 1)])
    g = (np.sqrt(5) - 1) / 2
    a_, b_ = lo, hi
    for _ in range(30):
        c1, c2 = b_ - g * (b_ - a_), a_ + g * (b_ - a_)
        if gcv(np.exp(c1)) < gcv(np.exp(c2)):
            b_ = c2
        else:
            a_ = c1
    return float(np.exp((a_ + b_) / 2))


def drt(frequency_Hz, z, lam: float | str = 1e-3, *, penalty_order: int = 2, fwhm_coefficient: float = 0.5,
        extend_decades: float = 0.5, points_per_decade: float | None = None, inductance: bool = False,
        weights: str = "unit", peak_min_fraction: float = 0.05, tau_windows: dict | None = None,
        check: bool = True, name: str = "spectrum") -> DRTResult:
    """Distribution of relaxation times by Tikhonov regularisation with γ ≥ 0.

    Z(ω) = R_inf [+ jωL] + ∫ γ(ln τ) / (1 + jωτ) d ln τ, γ = Σ x_m φ_m (Gaussian RBFs centred on a
    log grid from 1/(2π f_max) to 1/(2π f_min), widened by ``extend_decades``). The coefficients
    minimise ‖W(Ax − Z)‖² + λ xᵀMx, M the closed-form norm of the ``penalty_order``-th derivative,
    subject to x ≥ 0, R_inf ≥ 0 (and L ≥ 0); solved by ``nnls`` on [WA; √λ Lᵀ] x = [Wz; 0] with
    M = L Lᵀ. ``lam='gcv'`` picks λ by generalised cross-validation.
    """
    f = np.asarray(frequency_Hz, float)
    z = np.asarray(z, complex)
    if check:
        sp = check_spectrum(f, z, name, drop_inductive=not inductance)
        f, z = sp.frequency_Hz, sp.z
    if f.size < 5:
        raise ValueError(f"{name}: {f.size} points are too few for a DRT (need at least 5)")
    ln_lo = np.log(1 / (2 * np.pi * f.max())) - extend_decades * np.log(10)
    ln_hi = np.log(1 / (2 * np.pi * f.min())) + extend_decades * np.log(10)
    if points_per_decade is None:
        n_rbf = int(round(f.size * (ln_hi - ln_lo) / max(np.log(f.max() / f.min()), 1e-9)))
    else:
        n_rbf = int(round(points_per_decade * (ln_hi - ln_lo) / np.log(10))) + 1
    n_rbf = max(n_rbf, 5)
    centres = np.linspace(ln_lo, ln_hi, n_rbf)
    eps = rbf_epsilon(centres, fwhm_coefficient)
    a_re, a_im = drt_matrices(f, centres, eps)
    w = 2 * np.pi * f
    n_extra = 1 + int(inductance)
    ext_re = [np.ones(f.size)] + ([np.zeros(f.size)] if inductance else [])
    ext_im = [np.zeros(f.size)] + ([w] if inductance else [])
    A_re = np.column_stack(ext_re + [a_re])
    A_im = np.column_stack(ext_im + [a_im])
    sig = residual_sigma(np.asarray(z, dtype=complex), weights, f"{name} (DRT)")
    if inductance:
        # scale the inductance column to the data for conditioning
        A_im[:, 1] /= w.max()
    A = np.vstack([A_re / sig[:, None], A_im / sig[:, None]])
    b = np.concatenate([z.real / sig, z.imag / sig])
    pen = _penalty_matrix(n_rbf, float(eps), float(centres[1] - centres[0]), penalty_order)
    M = np.zeros((n_rbf + n_extra, n_rbf + n_extra))
    M[n_extra:, n_extra:] = pen
    if isinstance(lam, str):
        if lam != "gcv":
            raise ValueError(f"{name}: DRT lambda must be a number or 'gcv', not {lam!r}")
        lam_value, lam_method = _gcv_lambda(A, b, M), "gcv"
    else:
        lam_value, lam_method = float(lam), "fixed"
        if not lam_value > 0:
            raise ValueError(f"{name}: DRT lambda must be positive, not {lam}")
    root = _penalty_root(n_rbf, float(eps), float(centres[1] - centres[0]), penalty_order)  # pen = root @ root.T
    reg = np.zeros((n_rbf, n_rbf + n_extra))
    reg[:, n_extra:] = np.sqrt(lam_value) * root.T
    x, _ = nnls(np.vstack([A, reg]), np.concatenate([b, np.zeros(n_rbf)]), maxiter=50 * (n_rbf + n_extra))
    r_inf = float(x[0])
    ind = float(x[1] / w.max()) if inductance else 0.0
    coef = x[n_extra:]
    zfit = A_re @ x + 1j * (A_im @ x)
    rel = (z - zfit) / np.abs(z)
    fine = np.linspace(ln_lo, ln_hi, 10 * n_rbf)
    gamma = np.exp(-(eps * (fine[:, None] - centres[None, :])) ** 2) @ coef
    r_pol = float(coef.sum() * np.sqrt(np.pi) / eps)
    peaks = find_peaks(np.exp(fine), gamma, peak_min_fraction, tau_windows)
    return DRTResult(np.exp(fine), gamma, np.exp(centres), coef, float(eps), r_inf, ind, lam_value, lam_method,
                     r_pol, tuple(peaks), zfit, rel.real, rel.imag)


def find_peaks(tau_s, gamma, min_fraction: float = 0.05, tau_windows: dict | None = None) -> list[DRTPeak]:
    """Peaks of γ(ln τ) whose prominence is at least ``min_fraction`` of the largest γ.

    The τ axis is split at the lowest γ between neighbouring peaks; a peak's area ∫ γ d ln τ over
    its part is its resistance (the areas add up to the polarisation resistance). Its τ
    (``tau_s``) is the γ-weighted mean of ln τ between the minima on either side of its maximum
    (the peak's characteristic time constant; peaks closer than ~2 decades bias each other), which noise moves far less than the position of
    the maximum (``tau_max_s``): on pyDRTtools' 1ZARC spectrum (σ = 0.5 Ω) the maximum sits
    8–15 % below τ0 for λ = 1e-3…1e-2 while the weighted mean is within 2 %. With ``tau_windows``
    ({process: [τ_lo, τ_hi]}) each peak is assigned to the process whose window holds its τ.
    """
    tau_s = np.asarray(tau_s, float)
    g = np.asarray(gamma, float)
    if g.size < 3 or g.max() <= 0:
        return []
    x = np.log(tau_s)
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (g[1:] + g[:-1]) * np.diff(x))])
    accepted = []
    for i in range(1, g.size - 1):
        if not (g[i] > g[i - 1] and g[i] >= g[i + 1]):
            continue
        lo = i
        while lo > 0 and g[lo - 1] <= g[lo]:
            lo -= 1
        hi = i
        while hi < g.size - 1 and g[hi + 1] <= g[hi]:
            hi += 1
        if g[i] - max(g[lo], g[hi]) >= min_fraction * g.max():
            accepted.append(i)
    # the τ axis is split at the lowest point between neighbouring accepted peaks, so that the
    # peak areas add up to the whole polarisation resistance (small sub-threshold bumps included)
    cuts = [0] + [a + int(np.argmin(g[a:b + 1])) for a, b in zip(accepted[:-1], accepted[1:])] + [g.size - 1]
    out = []
    for k, i in enumerate(accepted):
        lo, hi = cuts[k], cuts[k + 1]
        area = float(cum[hi] - cum[lo])
        # characteristic τ: γ-weighted mean of ln τ between the minima on either side of the peak
        a = i
        while a > lo and g[a - 1] <= g[a]:
            a -= 1
        b = i
        while b < hi and g[b + 1] <= g[b]:
            b += 1
        w = g[a:b + 1]
        tau_c = float(np.exp(np.sum(w * x[a:b + 1]) / np.sum(w)))
        y0, y1, y2 = g[i - 1], g[i], g[i + 1]
        den = y0 - 2 * y1 + y2
        shift = 0.5 * (y0 - y2) / den if den != 0 else 0.0
        tau_max = float(np.exp(x[i] + shift * (x[i + 1] - x[i])))
        out.append(DRTPeak(tau_c, float(y1), area, float(tau_s[lo]), float(tau_s[hi]), tau_max,
                           assign_process(tau_c, tau_windows)))
    return out


def assign_process(tau_s: float, tau_windows: dict | None) -> str:
    """The process whose [τ_lo, τ_hi) window holds τ (first in key order), or ''."""
    if not tau_windows:
        return ""
    for process, (lo, hi) in tau_windows.items():
        if lo <= tau_s < hi:
            return str(process)
    return ""


def process_table(peaks: Sequence[DRTPeak], processes: Sequence[str]) -> dict[str, dict[str, float]]:
    """Per process: τ of the largest assigned peak and the summed area of all its peaks."""
    out = {}
    for proc in processes:
        mine = [p for p in peaks if p.process == proc]
        if not mine:
            out[proc] = {"tau_s": float("nan"), "resistance_ohm": float("nan"), "n_peaks": 0}
            continue
        main = max(mine, key=lambda p: p.area_ohm)
        out[proc] = {"tau_s": main.tau_s, "resistance_ohm": float(sum(p.area_ohm for p in mine)),
                     "n_peaks": len(mine)}
    return out


def zarc_drt(tau_s, r_ohm: float, tau0_s: float, phi: float) -> np.ndarray:
    """Analytic DRT of a ZARC, γ(ln τ) = R/(2π)·sin((1−φ)π)/(cosh(φ ln(τ/τ0)) − cos((1−φ)π))."""
    x = np.log(np.asarray(tau_s) / tau0_s)
    return r_ohm / (2 * np.pi) * np.sin((1 - phi) * np.pi) / (np.cosh(phi * x) - np.cos((1 - phi) * np.pi))


# --------------------------------------------------------------------------------------------
# Bode helpers
# --------------------------------------------------------------------------------------------


def bode(z) -> tuple[np.ndarray, np.ndarray]:
    """|Z| (Ω) and phase (degrees; negative for capacitive) of complex impedances."""
    z = np.asarray(z, complex)
    return np.abs(z), np.degrees(np.angle(z))


# --------------------------------------------------------------------------------------------
# One spectrum → one metrics record; records → the long summary
# --------------------------------------------------------------------------------------------


def fitted_processes(fit: FitResult, tau_windows: dict | None) -> dict[str, dict[str, float]]:
    """R and τ of every fitted arc (``Zarc``, ``K``, or ``p(R, C/CPE)``), assigned by τ window."""
    c = parse_circuit(fit.circuit)
    values = dict(zip(fit.names, fit.values))
    errors = dict(zip(fit.names, fit.stderr))
    out: dict[str, dict[str, float]] = {}

    def add(tau, r, r_se):
        proc = assign_process(tau, tau_windows) or f"tau_{tau:.2g}s"
        if proc in out:  # two arcs in one window: sum R, keep the larger arc's τ
            prev = out[proc]
            if r > prev["resistance_ohm"]:
                prev["tau_s"] = tau
            prev["resistance_ohm"] += r
            prev["resistance_se_ohm"] = float(np.hypot(prev["resistance_se_ohm"], r_se))
        else:
            out[proc] = {"tau_s": float(tau), "resistance_ohm": float(r), "resistance_se_ohm": float(r_se)}

    top = c.tree[1] if c.tree[0] == "s" else [c.tree]
    for node in top:
        if node[0] == "e" and element_type(node[1]) in ("Zarc", "K"):
            n = node[1]
            add(values[f"{n}_1"], values[f"{n}_0"], errors[f"{n}_0"])
        elif node[0] == "p":
            leaves = _leaves(node)
            rs = [e for e in leaves if element_type(e) == "R"]
            caps = [e for e in leaves if element_type(e) in ("C", "CPE")]
            if len(rs) >= 1 and len(caps) == 1:
                r = values[rs[0]]
                cap = caps[0]
                if element_type(cap) == "C":
                    tau = r * values[cap]
                else:
                    q, a = values[f"{cap}_0"], values[f"{cap}_1"]
                    tau = (r * q) ** (1 / a) if a > 0 else float("nan")
                add(tau, r, errors[rs[0]])
    return out


def analyse_spectrum(frequency_Hz, z, *, name: str, circuit: str, fit_weights: str = "unit",
                     drt_lambda: float | str = 1e-3, drt_weights: str = "unit", drt_penalty_order: int = 1,
                     drt_fwhm_coefficient: float = 0.5, drt_inductance: bool = False,
                     peak_min_fraction: float = 0.05, tau_windows: dict | None = None,
                     linkk_c: float = 0.85, linkk_threshold: float = 0.01, linkk_extend_decades: float = 0.5,
                     drop_inductive: bool = True) -> dict:
    """Circuit fit, Lin-KK and DRT of one spectrum, as a JSON-ready record."""
    sp = check_spectrum(frequency_Hz, z, name, drop_inductive=drop_inductive)
    f, zz = sp.frequency_Hz, sp.z
    fit = fit_circuit(f, zz, circuit, weights=fit_weights, name=name)
    zfit = circuit_impedance(circuit, fit.values, f)
    kk = lin_kk(f, zz, c=linkk_c, threshold=linkk_threshold, extend_decades=linkk_extend_decades)
    d = drt(f, zz, lam=drt_lambda, penalty_order=drt_penalty_order, fwhm_coefficient=drt_fwhm_coefficient,
            inductance=drt_inductance, weights=drt_weights, peak_min_fraction=peak_min_fraction,
            tau_windows=tau_windows, check=False, name=name)
    processes = list(tau_windows or {})
    return {
        "run": name,
        "n_points": int(f.size),
        "n_dropped_inductive": sp.n_dropped_inductive,
        "frequency_Hz": f,
        "z_real_ohm": zz.real,
        "z_imag_ohm": zz.imag,
        "fit": {
            "circuit": circuit, "method": fit.method, "weights": fit.weights, "success": fit.success,
            "chi2": fit.chi2,
            "parameters": {n: {"value": v, "stderr": e, "unit": u, "initial": i}
                           for n, v, e, u, i in zip(fit.names, fit.values, fit.stderr, fit.units, fit.initial)},
            "processes": fitted_processes(fit, tau_windows),
            "z_real_ohm": zfit.real, "z_imag_ohm": zfit.imag,
            "residuals_real": fit.residuals_real, "residuals_imag": fit.residuals_imag,
        },
        "linkk": {
            "method": kk.method, "M": kk.M, "mu": kk.mu, "max_abs_residual": kk.max_abs_residual,
            "rms_residual": kk.rms_residual, "passed": kk.passed, "threshold": kk.threshold,
            "residuals_real": kk.residuals_real, "residuals_imag": kk.residuals_imag,
        },
        "drt": {
            "method": d.method, "lambda": d.lam, "lambda_method": d.lam_method, "r_inf_ohm": d.r_inf_ohm,
            "inductance_H": d.inductance_H, "r_pol_ohm": d.r_pol_ohm, "tau_s": d.tau_s, "gamma_ohm": d.gamma_ohm,
            "peaks": [{"tau_s": p.tau_s, "tau_max_s": p.tau_max_s, "gamma_ohm": p.gamma_ohm,
                       "area_ohm": p.area_ohm, "process": p.process} for p in d.peaks],
            "processes": process_table(d.peaks, processes),
            "residuals_real": d.residuals_real, "residuals_imag": d.residuals_imag,
        },
    }


def summarise(paper: str, runs: list[dict], metrics: dict[str, dict]) -> "pd.DataFrame":
    """The long (audit) summary: one row per run and quantity, condition from the sheet.

    Quantities: ``r_ohmic`` (the first series resistor of the fit), ``drt_r_inf``,
    ``drt_polarisation_resistance``, per process p ``drt_tau_<p>`` / ``drt_resistance_<p>`` (DRT peaks)
    and ``fit_tau_<p>`` / ``fit_resistance_<p>`` (fitted arcs), ``linkk_pass`` (1/0) and
    ``linkk_rms_residual`` (%).
    """
    from ..vocab import summary as vsummary

    rows = []

    def row(run, quantity, unit, value, method, uncertainty=None):
        rows.append(vsummary.row(paper, "eis", run["sample"], quantity, run.get("condition", ""), unit, value, method,
                                 uncertainty))

    for run in runs:
        m = metrics[run["run"]]
        params = m["fit"]["parameters"]
        first_r = next((n for n in params if element_type(n.split("_")[0]) == "R"), None)
        if first_r is not None:
            row(run, "r_ohmic", "ohm", params[first_r]["value"], "ecm_fit", params[first_r]["stderr"])
        drt_m = m["drt"]
        row(run, "drt_r_inf", "ohm", drt_m["r_inf_ohm"], "drt_tikhonov")
        row(run, "drt_polarisation_resistance", "ohm", drt_m["r_pol_ohm"], "drt_tikhonov")
        for proc, v in sorted(drt_m["processes"].items()):
            if v["n_peaks"]:
                row(run, f"drt_tau_{proc}", "s", v["tau_s"], "drt_tikhonov")
                row(run, f"drt_resistance_{proc}", "ohm", v["resistance_ohm"], "drt_tikhonov")
        for proc, v in sorted(m["fit"]["processes"].items()):
            row(run, f"fit_tau_{proc}", "s", v["tau_s"], "ecm_fit")
            row(run, f"fit_resistance_{proc}", "ohm", v["resistance_ohm"], "ecm_fit", v["resistance_se_ohm"])
        row(run, "linkk_pass", "", 1.0 if m["linkk"]["passed"] else 0.0, "lin_kk_schoenleber2014")
        row(run, "linkk_rms_residual", "%", 100 * m["linkk"]["rms_residual"], "lin_kk_schoenleber2014")
    return vsummary.frame(rows)


def process_table_rows(spec: dict, runs: list[dict], metrics: dict[str, dict], summary=None) -> "pd.DataFrame":
    """Table: R and τ per process, per sample and condition, from the DRT and from the fit."""
    import pandas as pd

    rows = []
    order = {s: i for i, s in enumerate(spec["samples"])}
    metrics = {m.get("run", k): m for k, m in metrics.items()}  # key by the run id stored in each record
    for run in sorted(runs, key=lambda r: (order.get(r["sample"], 99), _condition_key(r.get("condition", "")))):
        m = metrics[run["run"]]
        procs = sorted(set(m["drt"]["processes"]) | set(m["fit"]["processes"]))
        for proc in procs:
            d = m["drt"]["processes"].get(proc, {})
            fp = m["fit"]["processes"].get(proc, {})
            rows.append({
                "sample": run["sample"], "condition": run.get("condition", ""), "process": proc,
                "drt_tau_s": d.get("tau_s", float("nan")) if d.get("n_peaks") else float("nan"),
                "drt_resistance_ohm": d.get("resistance_ohm", float("nan")) if d.get("n_peaks") else float("nan"),
                "fit_tau_s": fp.get("tau_s", float("nan")),
                "fit_resistance_ohm": fp.get("resistance_ohm", float("nan")),
                "fit_resistance_se_ohm": fp.get("resistance_se_ohm", float("nan")),
                "linkk_pass": bool(m["linkk"]["passed"]),
            })
    return pd.DataFrame(rows, columns=["sample", "condition", "process", "drt_tau_s", "drt_resistance_ohm",
                                       "fit_tau_s", "fit_resistance_ohm", "fit_resistance_se_ohm", "linkk_pass"])


def fit_table_rows(spec: dict, runs: list[dict], metrics: dict[str, dict], summary=None) -> "pd.DataFrame":
    """Table: every fitted circuit parameter ± standard error, per sample and condition."""
    import pandas as pd

    rows = []
    order = {s: i for i, s in enumerate(spec["samples"])}
    metrics = {m.get("run", k): m for k, m in metrics.items()}
    for run in sorted(runs, key=lambda r: (order.get(r["sample"], 99), _condition_key(r.get("condition", "")))):
        fit = metrics[run["run"]]["fit"]
        for name, p in fit["parameters"].items():
            rows.append({"sample": run["sample"], "condition": run.get("condition", ""), "circuit": fit["circuit"],
                         "parameter": name, "unit": p["unit"], "value": p["value"], "stderr": p["stderr"]})
    return pd.DataFrame(rows, columns=["sample", "condition", "circuit", "parameter", "unit", "value", "stderr"])


def _condition_key(condition: str):
    """Sort key for conditions: numeric values compare as numbers (cycle=2 before cycle=10)."""
    key = []
    for part in condition.split(";"):
        k, _, v = part.partition("=")
        try:
            key.append((k, 0, float(v), ""))
        except ValueError:
            key.append((k, 1, 0.0, v))
    return tuple(key)
