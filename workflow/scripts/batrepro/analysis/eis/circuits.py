"""Equivalent circuits: element impedances with analytic derivatives, a recursive-descent parser for
impedance.py's circuit strings, and the impedance (and Jacobian) of a parsed circuit.

Syntax: ``-`` in series, ``p(a,b)`` in parallel. Element names and parameter orders are impedance.py's:
``R`` [R], ``C`` [C], ``L`` [L], ``CPE`` [Q, alpha] with Z = 1/(Q (jω)^α), ``W`` [A_W] semi-infinite
Warburg, ``Wo`` [Z0, τ] open (reflective) finite Warburg Z = Z0 coth(√(jωτ))/√(jωτ), ``Ws`` [Z0, τ] short
(transmissive) Warburg Z = Z0 tanh(√(jωτ))/√(jωτ), ``Zarc`` [R, τ, γ] with Z = R/(1 + (jωτ)^γ)
(impedance.py ≥ 1.6; ``ZARC`` is accepted as an alias), ``K`` [R, τ]. An element's name is its type
followed by a label (``R0``, ``CPE1``, ``Wo1``, ``Zarc2``). Nothing is ``eval``-ed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np


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


def leaves(node) -> list[str]:
    """Element names of a parse-tree node, in string order."""
    if node[0] == "e":
        return [node[1]]
    return [leaf for child in node[1] for leaf in leaves(child)]


@lru_cache(maxsize=256)
def parse_circuit(text: str) -> Circuit:
    """Parse an impedance.py-style circuit string such as ``'R0-p(R1,CPE1)-Wo1'``."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("circuit: empty circuit string")
    tree = _Parser(text).parse()
    elements = leaves(tree)
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


def evaluate(node, p, w, offsets, n_total, want_jac):
    """(Z, dZ/dp or None) of a parse-tree node at angular frequencies ``w``; ``offsets`` from :func:`param_offsets`."""
    kind = node[0]
    if kind == "e":
        name = node[1]
        et = ELEMENTS[element_type(name)]
        start = offsets[name]
        k = len(et.params)
        z, dz = et.func(p[start : start + k], w)
        if not want_jac:
            return z, None
        jac = np.zeros((w.size, n_total), dtype=complex)
        jac[:, start : start + k] = dz
        return z, jac
    parts = [evaluate(child, p, w, offsets, n_total, want_jac) for child in node[1]]
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


def param_offsets(circuit: Circuit) -> dict[str, int]:
    """Element name -> index of its first parameter in the circuit's parameter vector."""
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
        raise ValueError(
            f"circuit '{circuit.text}': {circuit.n_params} parameters {list(circuit.names)} needed, {p.size} given"
        )
    w = 2 * np.pi * np.asarray(frequency_Hz, dtype=float)
    z, jac = evaluate(circuit.tree, p, w, param_offsets(circuit), circuit.n_params, jacobian)
    return (z, jac) if jacobian else z
