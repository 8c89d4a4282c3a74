"""Gaussian 16 log files of B3LYP/6-31G(d,p) optimisations, written as stand-ins for Kim et al.'s DFT.

**A real calculation is not possible here** (no Gaussian licence, and hours of CPU per structure), so these
logs are written, not computed. They copy the layout of a real Gaussian 16 ``opt freq`` job: the header and
route section ``# B3LYP/6-31G(d,p) opt freq``, Berny steps with ``Input orientation`` / ``Standard
orientation`` blocks, ``SCF Done`` lines, the convergence table, ``-- Stationary point found.``, a
``Link1`` frequency step with ``Harmonic frequencies`` and normal coordinates, thermochemistry and ``Normal
termination of Gaussian 16``. The H-bonded dimers carry a third step, a ``Counterpoise=2`` single point with
Gaussian 16's summary lines. The title card of every log says ``SIMULATED STAND-IN``.

Model
-----
Each fragment's electronic energy is a sum of per-atom increments fitted to B3LYP/6-31G(d,p) energies of
methane, benzene, water, ammonia and silane (H −0.605, C −38.10, N −54.74, O −75.21, Si −289.47 Hartree),
plus a small seeded offset, so the absolute energies are of the right size for the formula. A complex's
energy is E_A + E_B + E_bind / 627.509474, with E_bind the paper's value (Fig. 2f), plus the scatter a
converged optimisation leaves: N(0, σ) with σ = 2e-7 Hartree per structure (Gaussian's default convergence
ends with a predicted energy change of 1e-7 to 1e-6 Hartree), so the binding energies are recovered to
~2e-4 kcal mol⁻¹, not exactly. Coordinates are a jittered planar grid (1.45 Å) and frequencies a sorted
random set; they make the layout real, not the chemistry. This module never imports the analysis code.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

HARTREE_KCAL = 627.509474
GRAD = "Grad" * 18
ATOM_INCREMENT = {"H": -0.605, "C": -38.10, "N": -54.74, "O": -75.21, "Si": -289.47}
Z = {"H": 1, "C": 6, "N": 7, "O": 8, "Si": 14}
MASS = {"H": 1.00783, "C": 12.0, "N": 14.00307, "O": 15.99491, "Si": 27.97693}
_ROUTE_OPT = "1/14=-1,18=20,19=15,26=3,38=1/1,3;\n 2/9=110,12=2,17=6,18=5,40=1/2;\n 3/5=1,6=6,7=101,11=2,25=1,30=1,71=1,74=-5/1,2,3;\n 4//1;\n 5/5=2,38=5/2;\n 6/7=2,8=2,9=2,10=2,28=1/1;\n 7/10=1,18=20,25=1/1,2,3,16;\n 1/14=-1,18=20,19=15,26=3/3(2);\n 2/9=110/2;\n 99//99;"  # noqa: E501


def formula_atoms(formula: dict) -> list[str]:
    return [el for el, n in formula.items() for _ in range(int(n))]


def fragment_energy(formula: dict, rng: np.random.Generator) -> float:
    return sum(ATOM_INCREMENT[el] * n for el, n in formula.items()) + rng.uniform(-0.05, 0.05)


def _coords(atoms: list[str], rng: np.random.Generator, shift=(0.0, 0.0, 0.0)) -> np.ndarray:
    n = len(atoms)
    side = int(np.ceil(np.sqrt(n)))
    idx = np.arange(n)
    xyz = np.column_stack([(idx % side) * 1.45, (idx // side) * 1.45, np.zeros(n)])
    xyz += rng.normal(0.0, 0.08, xyz.shape)
    return xyz - xyz.mean(axis=0) + np.asarray(shift)


def _orientation(title: str, atoms: list[str], xyz: np.ndarray) -> str:
    rule = " " + "-" * 69
    lines = [
        f"{title:>46}".ljust(70),
        rule,
        " Center     Atomic      Atomic             Coordinates (Angstroms)",
        " Number     Number       Type             X           Y           Z",
        rule,
    ]
    for i, (el, (x, y, zz)) in enumerate(zip(atoms, xyz), start=1):
        lines.append(f" {i:6d} {Z[el]:10d} {0:11d} {x:15.6f} {y:11.6f} {zz:11.6f}")
    lines.append(rule)
    return "\n".join(lines)


def _scf(energy: float, cycles: int, conv: float) -> str:
    return (
        f" SCF Done:  E(RB3LYP) = {energy:16.10f}     A.U. after {cycles:4d} cycles\n"
        f"            NFock= {cycles:2d}  Conv={conv:.2E}     -V/T= 2.0087".replace("E-", "D-")
    )


def _d(x: float) -> str:
    """Gaussian's Fortran D exponent."""
    return f"{x:.6E}".replace("E", "D")


def _convergence(force: float, step: float, dE: float) -> str:
    def row(name, value, thr):
        return f" {name:<20}{value:10.6f}{thr:13.6f}     {'YES' if value < thr else 'NO '}"

    return "\n".join(
        [
            "         Item               Value     Threshold  Converged?",
            row("Maximum Force", force, 0.00045),
            row("RMS     Force", force * 0.3, 0.0003),
            row("Maximum Displacement", step, 0.0018),
            row("RMS     Displacement", step * 0.3, 0.0012),
            f" Predicted change in Energy={_d(dE)}",
        ]
    )


def _basis(atoms: list[str]) -> str:
    nbf = sum(5 if el == "H" else 15 if el in ("C", "N", "O") else 19 for el in atoms)
    nel = sum(Z[el] for el in atoms)
    return (
        " Standard basis: 6-31G(d,p) (6D, 7F)\n"
        f" {nbf:5d} basis functions, {nbf * 2:6d} primitive gaussians, {nbf:5d} cartesian basis functions\n"
        f" {nel // 2:5d} alpha electrons   {nel // 2:5d} beta electrons"
    )


def _header(name: str, route: str, title: str, first: bool) -> str:
    top = (
        " Entering Gaussian System, Link 0=g16\n"
        f" Input={name}.gjf\n Output={name}.log\n"
        ' Initial command:\n /opt/g16/l1.exe "/scratch/Gau-20731.inp" -scrdir="/scratch/"\n'
        " Entering Link 1 = /opt/g16/l1.exe PID=     20732.\n  \n"
        " Copyright (c) 1988-2019, Gaussian, Inc.  All Rights Reserved.\n  \n"
        " Cite this work as:\n Gaussian 16, Revision C.01,\n M. J. Frisch, G. W. Trucks, H. B. Schlegel, et al.,\n"
        " Gaussian, Inc., Wallingford CT, 2016.\n \n"
        " ******************************************\n"
        " Gaussian 16:  ES64L-G16RevC.01  3-Jul-2019\n"
        "                12-Jan-2026 \n"
        " ******************************************\n"
        f" %chk={name}.chk\n %nprocshared=16\n Will use up to   16 processors via shared memory.\n %mem=32GB\n"
        if first
        else ""
    )
    dash = " " + "-" * (len(route) + 1)
    return f"{top}{dash}\n {route}\n{dash}\n {_ROUTE_OPT}\n" + (f" {'-' * len(title)}\n {title}\n {'-' * len(title)}\n")


def _frequencies(atoms, rng) -> tuple[str, np.ndarray]:
    n = len(atoms)
    nmode = 3 * n - 6
    n_h = atoms.count("H")
    low = np.sort(np.exp(rng.uniform(np.log(18.0), np.log(1750.0), nmode - n_h)))
    high = np.sort(rng.uniform(3020.0, 3480.0, n_h))
    freq = np.concatenate([low, high])
    out = [
        " Harmonic frequencies (cm**-1), IR intensities (KM/Mole), Raman scattering",
        " activities (A**4/AMU), depolarization ratios for plane and unpolarized",
        " incident light, reduced masses (AMU), force constants (mDyne/A),",
        " and normal coordinates:",
    ]
    for start in range(0, nmode, 3):
        cols = range(start, min(start + 3, nmode))
        out.append("".join(f"{k + 1:22d}" for k in cols))
        out.append("".join(f"{'A':>22}" for _ in cols))
        out.append(" Frequencies --" + "".join(f"{freq[k]:11.4f}{'':12}" for k in cols).rstrip())
        out.append(" Red. masses --" + "".join(f"{rng.uniform(1.0, 12.0):11.4f}{'':12}" for _ in cols).rstrip())
        out.append(" Frc consts  --" + "".join(f"{rng.uniform(0.0, 8.0):11.4f}{'':12}" for _ in cols).rstrip())
        out.append(" IR Inten    --" + "".join(f"{rng.uniform(0.0, 300.0):11.4f}{'':12}" for _ in cols).rstrip())
        out.append("  Atom  AN" + "      X      Y      Z  " * len(cols))
        for i, el in enumerate(atoms, start=1):
            v = rng.normal(0.0, 0.08, 3 * len(cols))
            out.append(
                f"{i:6d}{Z[el]:4d}"
                + "  ".join(" ".join(f"{x:6.2f}" for x in v[3 * j : 3 * j + 3]) for j in range(len(cols)))
            )
    return "\n".join(out), freq


def gaussian_log(name: str, title: str, atoms: list[str], xyz: np.ndarray, energy: float, rng, *, cp=None) -> str:
    """The text of one ``opt freq`` log ending at ``energy`` (Hartree); ``cp`` = (BSSE, E_A, E_B) adds a
    Counterpoise=2 single point."""
    parts = [_header(name, "# B3LYP/6-31G(d,p) opt freq", title, True)]
    parts.append(" Symbolic Z-matrix:\n Charge =  0 Multiplicity = 1")
    parts += [f" {el:<2}{x:21.5f}{y:14.5f}{zz:14.5f}" for el, (x, y, zz) in zip(atoms, xyz)]
    parts.append(" \n GradGradGradGradGradGradGradGradGradGradGradGradGradGradGradGradGradGrad\n Berny optimization.")
    parts.append(" Initialization pass.\n GradGradGradGradGradGradGradGradGradGradGradGradGradGradGradGradGradGrad")
    nstep = int(rng.integers(5, 9))
    geoms = [xyz + rng.normal(0.0, 0.02 * 0.5**k, xyz.shape) for k in range(nstep)]
    geoms[-1] = xyz
    final_dE = -abs(rng.normal(0.0, 1.5e-7)) - 2e-8
    for k, g in enumerate(geoms):
        last = k == nstep - 1
        e = energy + (0.012 * 0.3**k if not last else 0.0)
        parts.append(_orientation("Input orientation:", atoms, g))
        parts.append(_orientation("Standard orientation:", atoms, g))
        parts.append(_basis(atoms))
        parts.append(_scf(e, int(rng.integers(9, 16)), rng.uniform(1e-9, 9e-9)))
        force = 0.02 * 0.25**k if not last else rng.uniform(1e-5, 4e-4)
        step = 0.09 * 0.3**k if not last else rng.uniform(2e-4, 1.7e-3)
        dE = -0.004 * 0.3**k if not last else final_dE
        parts.append(f" {GRAD}\n Berny optimization.\n Using GEDIIS/GDIIS optimizer.\n Search for a local minimum.")
        parts.append(f" Step number {k + 1:3d} out of a maximum of  200")
        parts.append(" All quantities printed in internal units (Hartrees-Bohrs-Radians).")
        parts.append(_convergence(force, step, dE))
        if last:
            parts.append(" Optimization completed.\n    -- Stationary point found.")
        parts.append(f" {GRAD}")
    parts.append(" Normal termination of Gaussian 16 at Mon Jan 12 10:41:07 2026.")
    parts.append(" Link1:  Proceeding to internal job step number  2.")
    route = "#P Geom=AllCheck Guess=TCheck SCRF=Check GenChk RB3LYP/6-31G(d,p) Freq"
    parts.append(_header(name, route, title, False))
    parts.append(_orientation("Standard orientation:", atoms, xyz))
    parts.append(_basis(atoms))
    parts.append(_scf(energy + rng.normal(0.0, 2e-10), int(rng.integers(2, 5)), rng.uniform(1e-9, 9e-9)))
    text, freq = _frequencies(atoms, rng)
    parts.append(f" Low frequencies --- {-rng.uniform(0, 9):8.4f} {rng.uniform(0, 9):8.4f} {rng.uniform(0, 9):8.4f}")
    parts.append(f" Low frequencies --- {freq[0]:8.4f} {freq[1]:8.4f} {freq[2]:8.4f}")
    parts.append(text)
    zpe = 0.5 * freq.sum() / 219474.63
    parts.append(" \n -------------------\n - Thermochemistry -\n -------------------")
    parts.append(" Temperature   298.150 Kelvin.  Pressure   1.00000 Atm.")
    th = [zpe, zpe * 1.06, zpe * 1.07, zpe * 0.93]
    parts.append(f" Zero-point correction=                        {th[0]:12.6f} (Hartree/Particle)")
    parts.append(f" Thermal correction to Energy=                 {th[1]:12.6f}")
    parts.append(f" Thermal correction to Enthalpy=               {th[2]:12.6f}")
    parts.append(f" Thermal correction to Gibbs Free Energy=      {th[3]:12.6f}")
    for label, t in zip(["zero-point Energies", "thermal Energies", "thermal Enthalpies", "thermal Free Energies"], th):
        parts.append(f" Sum of electronic and {label + '=':<30}{energy + t:16.6f}")
    parts.append(" Normal termination of Gaussian 16 at Mon Jan 12 11:02:44 2026.")
    if cp is not None:
        bsse, e_a, e_b = cp
        parts.append(" Link1:  Proceeding to internal job step number  3.")
        parts.append(_header(name, "#P Geom=AllCheck Guess=Read RB3LYP/6-31G(d,p) Counterpoise=2", title, False))
        parts.append(_orientation("Standard orientation:", atoms, xyz))
        parts.append(_scf(energy, 2, 4e-9))
        mono = [e_a + 0.0011, e_b + 0.0011]  # each fragment at the complex geometry, own basis (MCBS)
        ghost = [mono[0] - bsse / 2, mono[1] - bsse / 2]  # each fragment in the dimer basis (DCBS)
        for i in (1, 2):
            parts.append(f" Counterpoise: doing DCBS calculation for fragment   {i}")
            parts.append(_scf(ghost[i - 1], 12, 5e-9))
        for i in (1, 2):
            parts.append(f" Counterpoise: doing MCBS calculation for fragment   {i}")
            parts.append(_scf(mono[i - 1], 12, 5e-9))
        raw = (energy - sum(mono)) * HARTREE_KCAL
        parts.append(f" Counterpoise corrected energy = {energy + bsse:20.12f}")
        parts.append(f" BSSE energy = {bsse:20.12f}")
        parts.append(f" sum of monomers = {sum(mono):20.12f}")
        parts.append(f" complexation energy = {raw:10.2f} kcal/mole (raw)")
        parts.append(f" complexation energy = {raw + bsse * HARTREE_KCAL:10.2f} kcal/mole (corrected)")
        parts.append(" Normal termination of Gaussian 16 at Mon Jan 12 11:09:12 2026.")
    return "\n".join(parts) + "\n"


def stand_in_logs(params: dict) -> dict[str, str]:
    """path -> log text for every structure in ``params`` (resources/simulate/dft.yaml)."""
    rng = np.random.default_rng(params["seed"])
    sigma = params["energy_scatter_hartree"]
    frags, files = {}, {}
    for name, f in sorted(params["fragments"].items()):
        atoms = formula_atoms(f["formula"])
        frags[name] = (atoms, fragment_energy(f["formula"], rng) + rng.normal(0.0, sigma))
        xyz = _coords(atoms, rng)
        files[f["path"]] = gaussian_log(
            name, f"SIMULATED STAND-IN (batrepro): {f['title']}", atoms, xyz, frags[name][1], rng
        )
    for name, c in sorted(params["complexes"].items()):
        (atoms_a, e_a), (atoms_b, e_b) = frags[c["a"]], frags[c["b"]]
        atoms = atoms_a + atoms_b
        energy = e_a + e_b + c["binding_energy_kcal_mol"] / HARTREE_KCAL + rng.normal(0.0, sigma)
        xyz = np.vstack([_coords(atoms_a, rng), _coords(atoms_b, rng, (0.0, 0.0, 3.1))])
        cp = (c["bsse_hartree"], e_a, e_b) if c.get("bsse_hartree") else None
        title = f"SIMULATED STAND-IN (batrepro): {c['title']}"
        files[c["path"]] = gaussian_log(name, title, atoms, xyz, energy, rng, cp=cp)
    return files


def write_stand_ins(params: dict, root: str | Path = ".") -> list[str]:
    written = []
    for path, text in sorted(stand_in_logs(params).items()):
        p = Path(root) / path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        written.append(path)
    return written
