"""Gaussian 16 (and 09) output logs: final SCF energies, optimisation status, frequencies, counterpoise.

Layout read (a real ``opt freq`` log, as cclib's test files and Gaussian's manual show it)
-----------------------------------------------------------------------------------------
* ``Entering Gaussian System`` on the first lines; a log is one or more *job steps*, the later ones started by
  ``Link1:  Proceeding to internal job step number  N.``; each step has a route section (a line starting with
  ``#`` between two dashed lines) and ends with ``Normal termination of Gaussian`` (or ``Error termination``).
* ``SCF Done:  E(RB3LYP) =  -1234.5678901234     A.U. after   12 cycles``: one per SCF; the energy is Hartree.
* Berny optimisation: ``Step number   N out of a maximum of  M``, the convergence table ending with
  ``Predicted change in Energy=-1.234567D-07``, and ``-- Stationary point found.`` when converged
  (``Optimization stopped.`` when not).
* Frequency step: ``Frequencies --`` rows, three modes each (imaginary modes are printed negative).
* ``Counterpoise=2`` (Gaussian 16 / late 09): ``Counterpoise corrected energy =``, ``BSSE energy =`` and
  ``complexation energy = ... kcal/mole (raw|corrected)`` summary lines.

Why not cclib: cclib 1.8.1 parses every section of the log (orbitals, populations, normal coordinates); it
takes 10–60 ms on these 0.1–0.4 MB logs (``benchmarks/bench_chem.py``), above the 20 ms budget, and it has no
counterpoise attribute: its ``scfenergies`` end with the counterpoise *fragment* energies, so "the last SCF
energy" of a counterpoise log would be a monomer's. This reader scans only the lines above with compiled
regular expressions over the whole text; a test checks it agrees with cclib on every stand-in log.

Returns a :class:`RawTable` whose data has one row per SCF (``job_step``, ``scf_energy_hartree``,
``counterpoise_fragment``: 0 for the full system, k for fragment k in the dimer basis, −k in its own basis)
and whose header holds per job step the route, whether it is an optimisation and converged, the last
predicted energy change, the frequencies and the counterpoise summary. A log that did not terminate
normally is a one-line :class:`RawDataError`.
"""

from __future__ import annotations

import bisect
import os
import re

import numpy as np
import pandas as pd

from ._common import DEFAULT_MAX_BYTES, RawDataError, RawTable, read_text

_FLOAT = r"([-+]?\d+\.\d+(?:[DE][-+]?\d+)?)"
# Each pattern starts with a literal, so that ``re`` can use its fast literal search (a leading ``^`` with
# re.M would make it try every character position: 5x slower on a 0.4 MB log).
_PATTERNS = {
    "link1": re.compile(r"Link1:  Proceeding to internal job step number"),
    "route": re.compile(r"\n #([^\n]*)\n -+\n"),
    "scf": re.compile(r"SCF Done:  E\((\S+)\) =\s+" + _FLOAT),
    "stationary": re.compile(r"-- Stationary point found\."),
    "stopped": re.compile(r"Optimization stopped\."),
    "predicted": re.compile(r"Predicted change in Energy=" + _FLOAT),
    "freq": re.compile(r"Frequencies --([^\n]*)"),
    "cp_fragment": re.compile(r"Counterpoise: doing (DCBS|MCBS) calculation for fragment +(\d+)"),
    "cp_energy": re.compile(r"Counterpoise:? corrected energy =\s+" + _FLOAT),
    "bsse": re.compile(r"BSSE energy =\s+" + _FLOAT),
    "complexation": re.compile(r"complexation energy =\s+" + _FLOAT + r" kcal/mole \((raw|corrected)\)"),
    "normal": re.compile(r"Normal termination of Gaussian"),
    "error": re.compile(r"Error termination[^\n]*"),
}
TECHNIQUE = "Gaussian log"
HARTREE_KCAL_MOL = 627.5095  # Gaussian's conversion in its counterpoise summary


def _f(text: str) -> float:
    return float(text.replace("D", "E"))


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def read_gaussian_log(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawTable:
    """Read one Gaussian output log (see the module docstring)."""
    text = read_text(path, "latin-1", max_bytes)
    if "Entering Gaussian System" not in text[:2000] and "Gaussian, Inc." not in text[:5000]:
        raise RawDataError(path, "not a Gaussian output log (no 'Entering Gaussian System' banner)", 1)
    starts = [0] + [m.start() for m in _PATTERNS["link1"].finditer(text)]

    def step_of(pos: int) -> int:
        return bisect.bisect_right(starts, pos) - 1

    nsteps = len(starts)
    ends = {step_of(m.start()) for m in _PATTERNS["normal"].finditer(text)}
    error = _PATTERNS["error"].search(text)
    if error is not None:
        raise RawDataError(path, f"Gaussian stopped with '{error.group(0).strip()}'", _line_of(text, error.start()))
    missing = [k + 1 for k in range(nsteps) if k not in ends]
    if missing:
        last = text.rstrip().rsplit("\n", 1)[-1].strip()[:60]
        raise RawDataError(
            path,
            f"job step {missing[0]} of {nsteps} did not terminate normally (no 'Normal termination of Gaussian'; "
            f"the log ends with '{last}'): truncated or still running",
            _line_of(text, len(text.rstrip())),
        )
    steps = [
        {
            "route": "",
            "optimisation": False,
            "converged": None,
            "predicted_change_hartree": None,
            "frequencies_cm-1": [],
            "counterpoise_energy_hartree": None,
            "bsse_hartree": None,
            "method": "",
        }
        for _ in range(nsteps)
    ]
    for m in _PATTERNS["route"].finditer(text):
        s = steps[step_of(m.start())]
        if not s["route"]:
            s["route"] = "#" + m.group(1).rstrip()
            s["optimisation"] = bool(re.search(r"(?i)\bopt\b|\bopt[=(]", s["route"]))
    for m in _PATTERNS["predicted"].finditer(text):
        steps[step_of(m.start())]["predicted_change_hartree"] = _f(m.group(1))
    for key, flag in (("stationary", True), ("stopped", False)):
        for m in _PATTERNS[key].finditer(text):
            steps[step_of(m.start())]["converged"] = flag
    for m in _PATTERNS["freq"].finditer(text):
        try:
            steps[step_of(m.start())]["frequencies_cm-1"] += [float(v) for v in m.group(1).split()]
        except ValueError:
            raise RawDataError(
                path, f"unreadable frequencies '{m.group(1).strip()}'", _line_of(text, m.start())
            ) from None
    for key, field in (("cp_energy", "counterpoise_energy_hartree"), ("bsse", "bsse_hartree")):
        for m in _PATTERNS[key].finditer(text):
            steps[step_of(m.start())][field] = _f(m.group(1))
    fragments = [
        (m.start(), (1 if m.group(1) == "DCBS" else -1) * int(m.group(2)))
        for m in _PATTERNS["cp_fragment"].finditer(text)
    ]
    frag_pos = [p for p, _ in fragments]
    rows = []
    for m in _PATTERNS["scf"].finditer(text):
        k = step_of(m.start())
        i = bisect.bisect_right(frag_pos, m.start()) - 1
        frag = fragments[i][1] if i >= 0 and step_of(frag_pos[i]) == k else 0
        rows.append((k + 1, _f(m.group(2)), frag))
        steps[k]["method"] = m.group(1)
    if not rows:
        raise RawDataError(path, "no 'SCF Done' line: the log holds no SCF energy")
    for k, s in enumerate(steps):
        if s["optimisation"] and s["converged"] is None:
            raise RawDataError(
                path, f"job step {k + 1} is an optimisation without 'Stationary point found' or 'Optimization stopped'"
            )
    complexation: dict[int, dict[str, float]] = {}  # job step -> {"raw"|"corrected": kcal/mol}
    for m in _PATTERNS["complexation"].finditer(text):
        complexation.setdefault(step_of(m.start()), {})[m.group(2)] = _f(m.group(1))
    for k, s in enumerate(steps):
        if s["counterpoise_energy_hartree"] is not None:
            scf = [(e, frag) for step, e, frag in rows if step == k + 1]
            check_counterpoise(path, s, scf, complexation.get(k, {}))
    data = pd.DataFrame(
        {
            "job_step": np.array([r[0] for r in rows], dtype="int64"),
            "scf_energy_hartree": np.array([r[1] for r in rows]),
            "counterpoise_fragment": np.array([r[2] for r in rows], dtype="int64"),
        }
    )
    return RawTable(data, TECHNIQUE, {"job_steps": steps}, str(path))


def check_counterpoise(path, step: dict, scf: list[tuple[float, int]], complexation: dict[str, float]) -> None:
    """A counterpoise step's summary restates its SCF energies (Boys–Bernardi, as Gaussian computes it): BSSE =
    Σ_k E_k(own basis) − E_k(complex basis), corrected energy = E_AB + BSSE, complexation energy (kcal/mol)
    raw = E_AB − Σ_k E_k(own basis) and corrected = raw + BSSE. Each must agree within its printed rounding; a
    summary without the fragment energies, or one that disagrees (an edited or spliced log), is an error."""
    last = {}
    for energy, frag in scf:
        last[frag] = energy
    n = max((abs(f) for f in last), default=0)
    missing = [f for k in range(1, n + 1) for f in (k, -k) if f not in last]
    if 0 not in last or n < 2 or missing:
        raise RawDataError(path, "counterpoise summary without the SCF energies of the complex and of each fragment")
    bsse = sum(last[-k] - last[k] for k in range(1, n + 1))
    raw = last[0] - sum(last[-k] for k in range(1, n + 1))
    checks = [
        ("BSSE energy", step["bsse_hartree"], bsse, 1e-8, "Hartree"),
        ("Counterpoise corrected energy", step["counterpoise_energy_hartree"], last[0] + bsse, 1e-8, "Hartree"),
    ]
    for kind, value in (("raw", raw), ("corrected", raw + bsse)):
        if kind in complexation:
            checks.append(
                (
                    f"complexation energy ({kind})",
                    complexation[kind],
                    value * HARTREE_KCAL_MOL,
                    0.005 + 1e-4,
                    "kcal/mol",
                )
            )
    for name, stated, computed, tolerance, unit in checks:
        if stated is not None and not abs(stated - computed) <= tolerance:
            raise RawDataError(
                path, f"'{name}' = {stated:.10g} {unit}, but the log's SCF energies give {computed:.10g} {unit}"
            )


#: format ids this module reads (batrepro.readers.formats)
FORMATS = {"gaussian_log": "read_gaussian_log"}
