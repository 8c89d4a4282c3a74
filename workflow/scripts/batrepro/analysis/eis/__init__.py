"""Electrochemical impedance spectroscopy: circuits, fitting, Lin-KK and DRT.

Pure functions: arrays in, frozen dataclasses out; no file I/O. The modules, each importing only those
above it:

* :mod:`.spectrum` – checks (:func:`check_spectrum`), the canonical table, Bode values, the high-frequency
  intercept and the residual weights that the fit and the DRT share;
* :mod:`.circuits` – elements with analytic derivatives, the circuit-string parser (impedance.py's syntax,
  nothing ``eval``-ed), :func:`circuit_impedance`;
* :mod:`.drt` – Tikhonov-regularised DRT with γ ≥ 0 (Wan et al. 2015; Saccoccio et al. 2014) and its peaks;
* :mod:`.fit` – automatic initial guesses (from −Z″ apexes or a DRT) and the bounded WLS fit;
* :mod:`.linkk` – the Lin-KK test (Schönleber et al. 2014);
* :mod:`.record` – one spectrum → :class:`SpectrumRecord` (metrics and curves), the long summary and the
  two EIS tables.

Defaults: where a parameter is a config setting, its default is the schema's (``eis:`` block of
``workflow/schemas/config.schema.yaml``), or it has none where the literature's usual value differs from
the workflow's (``drt(penalty_order=)``, ``lin_kk(extend_decades=)``, ``fit_circuit(weights=)``).
``tests/unit/test_eis_defaults.py`` holds the two equal.

Sign convention: ``z`` is complex with the signed imaginary part (negative for capacitive behaviour),
i.e. Z = Z′ + jZ″.
"""

from . import drt  # the module: ``drt.drt`` is the function (re-exporting it would hide the module)
from .circuits import ELEMENTS, Circuit, circuit_impedance, element_type, parse_circuit
from .drt import (
    DRTPeak,
    DRTResult,
    assign_process,
    drt_matrices,
    drt_penalty,
    find_peaks,
    peaks_by_process,
    rbf_epsilon,
    zarc_drt,
)
from .fit import FitResult, fit_circuit, initial_guess
from .linkk import LinKKResult, lin_kk
from .record import (
    CURVES,
    SpectrumRecord,
    analyse_spectrum,
    curve,
    fit_table_rows,
    fitted_processes,
    process_table_rows,
    summarise,
)
from .spectrum import Spectrum, bode, check_spectrum, high_frequency_intercept, residual_sigma, spectrum_table

__all__ = [
    "CURVES",
    "DRTPeak",
    "DRTResult",
    "ELEMENTS",
    "Circuit",
    "FitResult",
    "LinKKResult",
    "Spectrum",
    "SpectrumRecord",
    "analyse_spectrum",
    "assign_process",
    "bode",
    "check_spectrum",
    "circuit_impedance",
    "curve",
    "drt",
    "drt_matrices",
    "drt_penalty",
    "element_type",
    "find_peaks",
    "fit_circuit",
    "fit_table_rows",
    "fitted_processes",
    "high_frequency_intercept",
    "initial_guess",
    "lin_kk",
    "parse_circuit",
    "peaks_by_process",
    "process_table_rows",
    "rbf_epsilon",
    "residual_sigma",
    "spectrum_table",
    "summarise",
    "zarc_drt",
]
