"""Stand-in impedance spectra: circuits of ZARC elements, a short Warburg, and measurement noise.

Every spectrum is R0 + Σ ZARC_k + Ws (+ jωL), evaluated here from closed forms (this module shares
no code with the analysis). The DRT of the noise-free spectrum is known analytically: for each
ZARC γ_k(ln τ) = R_k/(2π)·sin((1−φ_k)π)/(cosh(φ_k ln(τ/τ_k)) − cos((1−φ_k)π)), and the short
Warburg Z0·tanh(√(jωτ_W))/√(jωτ_W) is a sum of Debye terms with R_n = 2Z0/((n−½)²π²) at
τ_n = τ_W/((n−½)²π²). Noise is proportional: σ = ``noise_rel``·|Z| on each of Z′ and Z″, with a
seed derived from the run id (CRC-32), so the files are reproducible.

The files are EC-Lab PEIS ``.mpt`` exports in the layout of a real export (dgbowl/yadg
``tests/test_x_eclab/peis.mpt``, EC-Lab v11.33): ``Nb header lines``, the PEIS parameter table,
the tab-separated column line ``freq/Hz  Re(Z)/Ohm  -Im(Z)/Ohm  |Z|/Ohm  Phase(Z)/deg  time/s ...``,
rows from high to low frequency, Windows-1252 encoding.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np

from .eclab_mpt import ec_number

PEIS_COLUMNS = (
    "freq/Hz",
    "Re(Z)/Ohm",
    "-Im(Z)/Ohm",
    "|Z|/Ohm",
    "Phase(Z)/deg",
    "time/s",
    "<Ewe>/V",
    "<I>/mA",
    "Cs/µF",
    "Cp/µF",
    "cycle number",
    "I Range",
    "|Ewe|/V",
    "|I|/A",
    "(Q-Qo)/mA.h",
    "Re(Y)/Ohm-1",
    "Im(Y)/Ohm-1",
    "|Y|/Ohm-1",
    "Phase(Y)/deg",
)


def zarc(frequency_Hz, r_ohm, tau_s, phi):
    w = 2 * np.pi * np.asarray(frequency_Hz, float)
    return r_ohm / (1 + (1j * w * tau_s) ** phi)


def short_warburg(frequency_Hz, z0_ohm, tau_s):
    s = np.sqrt(1j * 2 * np.pi * np.asarray(frequency_Hz, float) * tau_s)
    return z0_ohm * np.tanh(s) / s


def spectrum(frequency_Hz, r0_ohm, zarcs, warburg=None, inductance_H=0.0):
    """Noise-free impedance of R0 + Σ ZARC(R, τ, φ) + Ws(Z0, τ_W) + jωL."""
    f = np.asarray(frequency_Hz, float)
    z = np.full(f.shape, r0_ohm, dtype=complex) + 1j * 2 * np.pi * f * inductance_H
    for r, tau, phi in zarcs:
        z = z + zarc(f, r, tau, phi)
    if warburg:
        z = z + short_warburg(f, *warburg)
    return z


def analytic_drt(tau_s, zarcs):
    """Exact γ(ln τ) of the ZARC part (Ω)."""
    x = np.log(np.asarray(tau_s, float))
    g = np.zeros_like(x)
    for r, tau0, phi in zarcs:
        g += (
            r
            / (2 * np.pi)
            * np.sin((1 - phi) * np.pi)
            / (np.cosh(phi * (x - np.log(tau0))) - np.cos((1 - phi) * np.pi))
        )
    return g


def frequencies(f_max_Hz, f_min_Hz, points_per_decade):
    n = int(round(np.log10(f_max_Hz / f_min_Hz) * points_per_decade)) + 1
    return np.geomspace(f_max_Hz, f_min_Hz, n)


def add_noise(z, noise_rel, seed_text):
    rng = np.random.default_rng(zlib.crc32(seed_text.encode("utf-8")))
    s = noise_rel * np.abs(z)
    return z + s * rng.standard_normal(z.size) + 1j * s * rng.standard_normal(z.size)


# --------------------------------------------------------------------------------------------
# the EC-Lab PEIS .mpt writer
# --------------------------------------------------------------------------------------------


def _peis_header(f_max_Hz, f_min_Hz, points_per_decade, e_V, file_name, comments, area_cm2, mass_g):
    def unit_f(f):
        for unit, scale in (("MHz", 1e6), ("kHz", 1e3), ("Hz", 1.0), ("mHz", 1e-3)):
            if f >= scale:
                return f"{f / scale:.3f}", unit
        return f"{f * 1e3:.3f}", "mHz"

    fi, ufi = unit_f(f_max_Hz)
    ff, uff = unit_f(f_min_Hz)
    table = [
        ("Mode", "Single sine"),
        ("E (V)", f"{e_V:.4f}"),
        ("vs.", "Eoc"),
        ("tE (h:m:s)", "0:00:0.0000"),
        ("record", "0"),
        ("dI", "0.000"),
        ("unit dI", "mA"),
        ("dt (s)", "0.000"),
        ("fi", fi),
        ("unit fi", ufi),
        ("ff", ff),
        ("unit ff", uff),
        ("Nd", f"{points_per_decade:d}"),
        ("Points", "per decade"),
        ("spacing", "Logarithmic"),
        ("Va (mV)", "10.0"),
        ("pw", "0.10"),
        ("Na", "3"),
        ("corr", "0"),
        ("E range min (V)", "-10.000"),
        ("E range max (V)", "10.000"),
        ("I Range", "10 mA"),
        ("Bandwidth", "8"),
        ("nc cycles", "0"),
        ("goto Ns'", "0"),
        ("nr cycles", "0"),
        ("inc. cycle", "0"),
    ]
    return [
        "Potentio Electrochemical Impedance Spectroscopy",
        "",
        "Run on channel : 3 (SN 30101)",
        "User : ",
        "Electrode connection : standard",
        "Potential control : Ewe",
        "Ewe ctrl range : min = -10.00 V, max = 10.00 V",
        "Ewe,I filtering : 50 kHz",
        "Safety Limits :",
        "\tDo not start on E overload",
        "Channel : Grounded",
        "Acquisition started on : 01/05/2025 10:00:00.000",
        "Loaded Setting File : NONE",
        "Saved on :",
        f"\tFile : {file_name}",
        "\tDirectory : C:\\Users\\lab\\Documents\\EC-Lab\\Data\\",
        "\tHost : 192.168.0.10",
        "Device : VSP-300 (SN 0300)",
        "Address : USB",
        "EC-Lab for windows v11.33 (software)",
        "Internet server v11.32 (firmware)",
        "Command interpretor v11.33 (firmware)",
        "Electrode material : Si",
        "Initial state : ",
        "Electrolyte : 1 M LiPF6 in EC/DEC",
        f"Comments : {comments}",
        "Cable : standard",
        "Reference electrode : Li",
        f"Electrode surface area : {area_cm2:.3f} cm²",
        f"Characteristic mass : {mass_g:.6f} g",
        "Equivalent Weight : 0.000 g/eq.",
        "Density : 0.000 g/cm3",
        "Volume (V) : 0.000 cm³",
        "Record Ece",
        "Text export",
        "   Mode : Standard",
        "   Time format : Elapsed",
        "Cycle Definition : Charge/Discharge alternance",
        *[f"{k:<20}{v:<20}" for k, v in table],
        "",
    ]


def peis_mpt_bytes(
    frequency_Hz,
    z,
    *,
    e_V=0.0,
    points_per_decade=6,
    file_name="simulated_PEIS.mpr",
    comments="",
    area_cm2=1.131,
    mass_g=0.001,
    cycle_number=1,
) -> bytes:
    """A PEIS ``.mpt`` export of a spectrum (rows high → low frequency, ``-Im(Z)`` column)."""
    f = np.asarray(frequency_Hz, float)
    z = np.asarray(z, complex)
    w = 2 * np.pi * f
    mz = -z.imag
    mod = np.abs(z)
    y = 1 / z
    # an EC-Lab sweep takes ~Na+1 periods per point (at least 0.4 s)
    dt = np.maximum(4.0 / f, 0.4)
    t = 10.0 + np.cumsum(dt)
    va = 0.010
    cols = {
        "freq/Hz": f,
        "Re(Z)/Ohm": z.real,
        "-Im(Z)/Ohm": mz,
        "|Z|/Ohm": mod,
        "Phase(Z)/deg": np.degrees(np.angle(z)),
        "time/s": t,
        "<Ewe>/V": np.full(f.size, e_V),
        "<I>/mA": np.zeros(f.size),
        "Cs/µF": 1e6 / (w * mz),
        "Cp/µF": 1e6 * mz / (w * mod**2),
        "cycle number": np.full(f.size, float(cycle_number)),
        "I Range": np.full(f.size, 9),
        "|Ewe|/V": np.full(f.size, va / np.sqrt(2)),
        "|I|/A": va / np.sqrt(2) / mod,
        "(Q-Qo)/mA.h": np.zeros(f.size),
        "Re(Y)/Ohm-1": y.real,
        "Im(Y)/Ohm-1": y.imag,
        "|Y|/Ohm-1": np.abs(y),
        "Phase(Y)/deg": np.degrees(np.angle(y)),
    }
    body = _peis_header(f.max(), f.min(), points_per_decade, e_V, file_name, comments, area_cm2, mass_g)
    n_header = 3 + len(body) + 1
    lines = ["EC-Lab ASCII FILE", f"Nb header lines : {n_header:<3d}" + " " * 23, ""]
    lines += body
    lines.append("\t".join(PEIS_COLUMNS) + "\t")
    for i in range(f.size):
        cells = []
        for name in PEIS_COLUMNS:
            v = cols[name][i]
            if name == "I Range":
                cells.append(str(int(v)))
            elif name == "time/s" or name == "cycle number":
                cells.append(ec_number(v, 15))
            else:
                cells.append(ec_number(v, 7))
        lines.append("\t".join(cells))  # data rows: no trailing tab (the column line has one)
    return ("\n".join(lines) + "\n").encode("cp1252")


# --------------------------------------------------------------------------------------------
# the two papers' stand-in sets, from resources/simulate/eis.yaml
# --------------------------------------------------------------------------------------------


def _scale(factors: dict, key) -> float:
    return float(factors.get(key, factors.get(str(key), 1.0)))


def stand_in_runs(params: dict) -> list[dict]:
    """Every stand-in run: sheet row fields plus the circuit it was simulated from.

    ``params`` is the parsed ``resources/simulate/eis.yaml`` (one block per paper; see there for
    the values and the literature they follow).
    """
    runs = []
    for paper, block in sorted(params.items()):
        f = frequencies(block["f_max_Hz"], block["f_min_Hz"], block["points_per_decade"])
        for item in block["runs"]:
            sample = item["sample"]
            base = block["samples"][sample]
            zarcs = []
            # measurement-to-measurement scatter of each resistance (cell temperature, state drift)
            rng = np.random.default_rng(zlib.crc32(f"{paper}/{item['run']}/scatter".encode()))
            for proc in block["processes"]:
                name = proc["name"]
                r = base[name] * _scale(proc.get("cycle_factor", {}).get(base["family"], {}), item.get("cycle", 1))
                r *= float(item.get("factors", {}).get(name, 1.0))
                r *= 1.0 + rng.normal(0.0, block.get("resistance_cv", 0.0))
                zarcs.append((r, proc["tau_s"] * base.get("tau_factor", 1.0), proc["phi"]))
            warburg = (base["warburg_z0_ohm"], block["warburg_tau_s"])
            runs.append(
                {
                    "paper": paper,
                    "sample": sample,
                    "run": item["run"],
                    "condition": item["condition"],
                    "path": f"resources/raw/{paper}/eis/{item['run']}.mpt",
                    "format": "eclab_mpt",
                    "r0_ohm": base["r0_ohm"],
                    "zarcs": zarcs,
                    "warburg": warburg,
                    "inductance_H": block.get("inductance_H", 0.0),
                    "frequency_Hz": f,
                    "noise_rel": block["noise_rel"],
                    "points_per_decade": block["points_per_decade"],
                    "e_V": float(item.get("e_V", 0.0)),
                    "cycle": int(item.get("cycle", 1)),
                    "area_cm2": block["area_cm2"],
                }
            )
    return runs


def write_stand_ins(params: dict, root: str | Path = ".") -> list[str]:
    """Write every stand-in ``.mpt`` file; returns the paths written."""
    written = []
    for run in stand_in_runs(params):
        z = spectrum(run["frequency_Hz"], run["r0_ohm"], run["zarcs"], run["warburg"], run["inductance_H"])
        z = add_noise(z, run["noise_rel"], f"{run['paper']}/{run['run']}")
        data = peis_mpt_bytes(
            run["frequency_Hz"],
            z,
            e_V=run["e_V"],
            points_per_decade=run["points_per_decade"],
            file_name=f"{run['run']}_PEIS_C01.mpr",
            comments="simulated stand-in (batrepro)",
            area_cm2=run["area_cm2"],
            cycle_number=run["cycle"],
        )
        path = Path(root) / run["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(run["path"])
    return written
