"""FT-IR transmittance spectra of the binders and POSS, written as JCAMP-DX (JCAMP-DX 4.24) stand-ins.

Model
-----
Absorbance A(ν) = sloping baseline + Σ pseudo-Voigt bands (η Lorentzian + (1 − η) Gaussian, height h, FWHM w)
at the band positions of ``resources/simulate/ftir.yaml``; transmittance T = 100·10^(−A) %T plus white noise of
``noise_pct_T`` (a Nicolet 6700 with a DTGS detector, 32 scans at 4 cm⁻¹: 0.01–0.05 %T RMS in the mid-IR).
The grid is OMNIC's at 4 cm⁻¹ resolution with zero filling: 4000 → 400 cm⁻¹ in 1868 points (1.93 cm⁻¹).
Band positions the paper prints as one number are drawn from N(value, ``position_sd``) per sample (0.3 cm⁻¹:
a laser-referenced FT-IR repeats a polymer's band to a few tenths of a wavenumber), those printed as a range
uniformly inside it, so the analysis finds them near, not at, the printed values. Other bands (aromatic C=C,
ether, imide ring, N–H) are chosen from the literature of PMDA-ODA polyimide and POSS, not from the paper.

Files are ``X++(Y..Y)`` JCAMP-DX, AFFN, or compressed DIFDUP (SQZ first ordinates, DIF differences, DUP
repeat counts, Y checks) where ``compress: true``. This module never imports the analysis code.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

_SQZ_POS, _SQZ_NEG = "@ABCDEFGHI", "abcdefghi"
_DIF_POS, _DIF_NEG = "%JKLMNOPQR", "jklmnopqr"
_DUP = "STUVWXYZs"


def pseudo_voigt(x, center, height, fwhm, eta):
    g = np.exp(-4 * np.log(2) * ((x - center) / fwhm) ** 2)
    lor = 1.0 / (1.0 + 4 * ((x - center) / fwhm) ** 2)
    return height * (eta * lor + (1 - eta) * g)


def spectrum(x: np.ndarray, bands: list[dict], baseline: list[float], noise: float, rng) -> np.ndarray:
    """Transmittance (%T) on grid ``x``."""
    u = (x - 400.0) / 3600.0
    a = baseline[0] + baseline[1] * u + baseline[2] * u**2
    for b in bands:
        a = a + pseudo_voigt(x, b["center"], b["height"], b["fwhm"], b.get("eta", 0.6))
    return 100.0 * 10.0 ** (-a) + rng.normal(0.0, noise, x.size)


def _sqz(v: int) -> str:
    s = str(abs(v))
    return (_SQZ_NEG[int(s[0]) - 1] if v < 0 else _SQZ_POS[int(s[0])]) + s[1:]


def _dif(d: int) -> str:
    s = str(abs(d))
    return (_DIF_NEG[int(s[0]) - 1] if d < 0 else _DIF_POS[int(s[0])]) + s[1:]


def _dup(n: int) -> str:
    s = str(n)
    return _DUP[int(s[0]) - 1] + s[1:]


def difdup_lines(x: np.ndarray, yi: np.ndarray, per_line: int = 10) -> list[str]:
    """X++(Y..Y) lines in DIFDUP form; each line after the first repeats the previous line's last ordinate."""
    lines, i, n = [], 0, len(yi)
    while i < n:
        j = min(i + per_line, n)
        tokens = [_sqz(int(yi[i]))]
        diffs = [int(yi[k] - yi[k - 1]) for k in range(i + 1, j)]
        k = 0
        while k < len(diffs):
            run = 1
            while k + run < len(diffs) and diffs[k + run] == diffs[k]:
                run += 1
            tokens.append(_dif(diffs[k]) + (_dup(run) if run > 1 else ""))
            k += run
        lines.append(f"{x[i]:.2f}" + "".join(tokens))
        i = j - 1 if j < n else j  # the Y check: next line starts with this line's last ordinate
        if j == n:
            break
    return lines


def jcamp_text(title: str, x: np.ndarray, t_pct: np.ndarray, compress: bool) -> str:
    yfactor = 0.0001
    yi = np.rint(t_pct / yfactor).astype(np.int64)
    head = [
        f"##TITLE={title}",
        "##JCAMP-DX=4.24",
        "##DATA TYPE=INFRARED SPECTRUM",
        "##ORIGIN=SIMULATED STAND-IN (batrepro simulate/ftir.py), not a measurement",
        "##OWNER=batrepro",
        "##SPECTROMETER/DATA SYSTEM=Nicolet 6700 FT-IR (layout of an OMNIC export)",
        "##RESOLUTION=4",
        "##XUNITS=1/CM",
        "##YUNITS=%T",
        "##XFACTOR=1",
        f"##YFACTOR={yfactor:g}",
        f"##FIRSTX={x[0]:.4f}",
        f"##LASTX={x[-1]:.4f}",
        f"##DELTAX={(x[-1] - x[0]) / (len(x) - 1):.6f}",
        f"##MINY={t_pct.min():.4f}",
        f"##MAXY={t_pct.max():.4f}",
        f"##NPOINTS={len(x)}",
        f"##FIRSTY={yi[0] * yfactor:.4f}",
        "##XYDATA=(X++(Y..Y))",
    ]
    if compress:
        body = difdup_lines(x, yi)
    else:
        body = [f"{x[i]:.2f} " + " ".join(str(v) for v in yi[i : i + 8]) for i in range(0, len(x), 8)]
    return "\n".join(head + body + ["##END="]) + "\n"


def stand_in_spectra(params: dict) -> dict[str, str]:
    """path -> JCAMP-DX text for every sample of ``params`` (resources/simulate/ftir.yaml)."""
    x = np.linspace(params["first_x"], params["last_x"], params["npoints"])
    out = {}
    for k, (name, s) in enumerate(sorted(params["samples"].items())):
        rng = np.random.default_rng([params["seed"], k])
        bands = []
        flat = [b for group in s["bands"] for b in (group if isinstance(group, list) else [group])]
        for b in flat:
            if "range" in b:
                center = rng.uniform(*b["range"])
            else:
                center = rng.normal(b["center"], params["position_sd"] if b.get("printed") else 0.0)
            bands.append({**b, "center": center})
        t = spectrum(x, bands, s["baseline"], params["noise_pct_T"], rng)
        out[s["path"]] = jcamp_text(f"{name} (SIMULATED STAND-IN)", x, t, bool(s.get("compress")))
    return out


def write_stand_ins(params: dict, root: str | Path = ".") -> list[str]:
    written = []
    for path, text in sorted(stand_in_spectra(params).items()):
        p = Path(root) / path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="ascii")
        written.append(path)
    return written
