"""DMA temperature ramp of a polymer film: a Cole–Cole glass transition, written as a TRIOS export.

Model
-----
The complex tensile modulus at angular frequency ω is a Cole–Cole relaxation between a glassy
and a rubbery modulus,

    E*(ω, T) = E_r + (E_g(T) − E_r) · (iωτ)^a / (1 + (iωτ)^a),

with an Arrhenius relaxation time τ(T) = τ_ref · exp(Ea/R · (1/T − 1/T_ref)) and a glassy modulus
that softens linearly with temperature. E′ = Re E*, E″ = Im E*, tan δ = E″/E′. The ramp is
sampled as a DMA 850 logs it (a point every `dt_s` seconds at `rate_K_min`). T_ref is solved so
that the tan δ peak sits at the requested temperature: that is the calibration to the paper.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

R_GAS = 8.314462618


@dataclass(frozen=True)
class DmaFilm:
    sample: str
    tan_delta_peak_C: float  # calibrated: tan δ peak temperature (paper's Tg)
    glassy_modulus_MPa: float  # E_g at 30 °C
    glassy_softening_per_K: float  # fractional loss of E_g per K
    rubbery_modulus_MPa: float  # E_r, sets the crosslink density and the tan δ peak height
    activation_energy_kJ_mol: float
    cole_cole_a: float  # breadth of the relaxation (1 = Debye)
    background_tan_delta: float = 0.01
    length_mm: float = 17.5
    width_mm: float = 12.7
    thickness_mm: float = 2.0


def complex_modulus(film: DmaFilm, T_C: np.ndarray, freq_Hz: float, T_ref_K: float) -> np.ndarray:
    T = np.asarray(T_C, float) + 273.15
    tau_ref = 1.0 / (2 * np.pi * freq_Hz)
    log_tau = np.log(tau_ref) + film.activation_energy_kJ_mol * 1e3 / R_GAS * (1.0 / T - 1.0 / T_ref_K)
    iwt_a = (1j * 2 * np.pi * freq_Hz * np.exp(log_tau)) ** film.cole_cole_a
    e_glass = film.glassy_modulus_MPa * (1.0 - film.glassy_softening_per_K * (T - 303.15))
    return film.rubbery_modulus_MPa + (e_glass - film.rubbery_modulus_MPa) * iwt_a / (1.0 + iwt_a)


def _tan_delta_peak_C(film: DmaFilm, freq_Hz: float, T_ref_K: float) -> float:
    T = np.linspace(film.tan_delta_peak_C - 150, film.tan_delta_peak_C + 150, 30001)
    E = complex_modulus(film, T, freq_Hz, T_ref_K)
    return float(T[np.argmax(E.imag / E.real + film.background_tan_delta)])


def calibrate_reference_temperature(film: DmaFilm, freq_Hz: float) -> float:
    """Solve T_ref (K) so that the model's tan δ peak falls at ``film.tan_delta_peak_C``."""
    target = film.tan_delta_peak_C

    def miss(T_ref_K: float) -> float:
        return _tan_delta_peak_C(film, freq_Hz, T_ref_K) - target

    lo, hi = target + 273.15 - 80, target + 273.15 + 80
    return brentq(miss, lo, hi, xtol=1e-4)


def simulate_ramp(
    film: DmaFilm,
    *,
    start_C=30.0,
    end_C=500.0,
    rate_K_min=5.0,
    freq_Hz=1.0,
    dt_s=6.0,
    noise_rel=0.004,
    furnace_sd_K=0.05,
    thermocouple_sd_K=0.03,
    seed=0,
) -> dict[str, np.ndarray]:
    """The logged columns of one temperature ramp.

    The specimen follows the programmed ramp with furnace-control fluctuations (``furnace_sd_K``, AR(1)
    with a one-minute memory, as a PID loop wanders); the logged temperature is the thermocouple's reading
    of it, with independent noise ``thermocouple_sd_K`` per point. The moduli are those of the specimen's
    true temperature with ``noise_rel`` relative noise (the force and displacement transducers).
    """
    rng = np.random.default_rng(seed)
    T_ref = calibrate_reference_temperature(film, freq_Hz)
    duration = (end_C - start_C) / rate_K_min * 60.0
    t = np.arange(0.0, duration + 1e-9, dt_s)
    phi = np.exp(-dt_s / 60.0)
    wander = np.zeros(t.size)
    kicks = rng.normal(0.0, furnace_sd_K * np.sqrt(1 - phi**2), t.size)
    for k in range(1, t.size):
        wander[k] = phi * wander[k - 1] + kicks[k]
    T_true = start_C + rate_K_min * t / 60.0 + wander
    T = T_true + rng.normal(0.0, thermocouple_sd_K, t.size)  # the logged reading
    E = complex_modulus(film, T_true, freq_Hz, T_ref)
    # a weak, temperature-independent secondary (β) loss keeps tan δ above ~0.01 in the glass
    e2_model = np.maximum(E.imag, 0.0) + film.background_tan_delta * E.real
    e1 = E.real * (1 + rng.normal(0.0, noise_rel, t.size))
    e2 = e2_model * (1 + rng.normal(0.0, noise_rel, t.size))
    return {
        "step_time_s": t,
        "temperature_C": T,
        "storage_modulus_MPa": e1,
        "loss_modulus_MPa": e2,
        "tan_delta": e2 / e1,
        "frequency_Hz": np.full(t.size, freq_Hz),
        "strain_pct": np.full(t.size, 0.05) * (1 + rng.normal(0.0, 0.002, t.size)),
    }


def trios_text(film: DmaFilm, ramp: dict[str, np.ndarray], *, rate_K_min=5.0, freq_Hz=1.0, layout="lims") -> str:
    """A TA Instruments TRIOS text export of one DMA 850 temperature ramp, in one of the layouts
    :mod:`batrepro.readers.trios` reads: ``lims`` ("Export to LIMS"; the bundled files), ``lims_points`` (the
    variant with ``Number of points`` / ``Variables`` / ``Data point`` rows) or ``plain`` (one step, no
    ``[step]`` marker)."""
    head = [
        ("Filename", f"{film.sample}_DMA_ramp.tri"),
        ("Instrument name", "DMA 850"),
        ("Instrument serial number", "4040-0850"),
        ("Operator", "stand-in (simulated)"),
        ("rundate", "simulated"),
        ("Sample name", film.sample),
        ("Geometry name", "Tension: Film"),
        ("Procedure name", f"Temperature ramp {rate_K_min:g} °C/min {freq_Hz:g} Hz"),
        ("proceduresegments", "Conditioning Options#Temperature ramp"),
    ]
    lines = [f"{k}\t{v}" for k, v in head]
    lines += [
        "[File Parameters]",
        "Trios version\t5.7.2.101",
        "Comment\tSIMULATED stand-in file written by batrepro.simulate.dma (not a measurement)",
        "[Geometry Parameters]",
        f"Length\t{film.length_mm:.2f} mm",
        f"Width\t{film.width_mm:.2f} mm",
        f"Thickness\t{film.thickness_mm:.2f} mm",
        "[Procedure]",
        f"Frequency\t{freq_Hz:g} Hz",
        "Oscillation strain\t0.05 %",
        "Preload force\t0.1 N",
        f"Ramp rate\t{rate_K_min:g} °C/min",
        "[step]",
        "Temperature ramp - 1",
        "Step time\tTemperature\tStorage modulus\tLoss modulus\tTan(delta)\tFrequency\tOscillation strain",
        "s\t°C\tMPa\tMPa\t\tHz\t%",
    ]
    rows = zip(
        ramp["step_time_s"],
        ramp["temperature_C"],
        ramp["storage_modulus_MPa"],
        ramp["loss_modulus_MPa"],
        ramp["tan_delta"],
        ramp["frequency_Hz"],
        ramp["strain_pct"],
    )
    data = [f"{t:.1f}\t{T:.3f}\t{e1:.6g}\t{e2:.6g}\t{td:.6g}\t{f:g}\t{s:.5f}" for t, T, e1, e2, td, f, s in rows]
    if layout == "lims_points":
        names, units = lines[-2], lines[-1]
        lines[-3:] = [
            "Step name\tTemperature ramp - 1",
            f"Number of points\t{len(data)}",
            f"Variables\t{names}",
            f"\t{units}",
        ]
        data = [f"Data point\t{row}" for row in data]
    elif layout == "plain":
        lines = lines[:9] + lines[-2:]
    elif layout != "lims":
        raise ValueError(f"unknown TRIOS layout {layout!r}")
    return "\n".join(lines + data) + "\n"
