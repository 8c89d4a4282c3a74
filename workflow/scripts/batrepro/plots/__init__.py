"""Plot functions, registered by the name a figure's `plot:` key uses in config/config.yaml.

Each function has the signature ``f(spec, runs, data, metrics, summary, curves) -> Figure``:
``spec`` is the figure's config entry, ``runs`` the sample-sheet rows (list of dicts, in legend
order), ``data``, ``metrics`` and ``curves`` dicts keyed by run id (canonical DataFrame / metrics dict /
curves DataFrame, an empty dict when the technique writes no curves), ``summary`` the technique's long
summary DataFrame. Plot functions do no file I/O.
"""

from . import chem, eis, electrochem, indent_adhesion, mechanics, sem, surfaces, xps

PLOTS = {
    "storage_modulus_vs_temperature": mechanics.storage_modulus_vs_temperature,
    "tan_delta_vs_temperature": mechanics.tan_delta_vs_temperature,
    "tg_and_tan_delta_bars": mechanics.tg_and_tan_delta_bars,
    "stress_strain": mechanics.stress_strain,
    # -- electrochemistry plots register below this line --
    "voltage_capacity": electrochem.voltage_capacity,
    "cycling_performance": electrochem.cycling_performance,
    "rate_capability": electrochem.rate_capability,
    "cyclic_voltammogram": electrochem.cyclic_voltammogram,
    "gitt_titration": electrochem.gitt_titration,
    "gitt_diffusion": electrochem.gitt_diffusion,
    # -- EIS plots register below this line --
    "nyquist": eis.nyquist,
    "bode": eis.bode,
    "drt": eis.drt,
    "eis_residuals": eis.eis_residuals,
    # -- electrode mechanics (nanoindentation, peel, SAICAS) --
    "load_displacement": indent_adhesion.load_displacement,
    "peel_force": indent_adhesion.peel_force,
    "saicas_force": indent_adhesion.saicas_force,
    # -- chemistry plots (FT-IR, DFT, GPC) register below this line --
    "ftir_stacked": chem.ftir_stacked,
    "binding_energy_bars": chem.binding_energy_bars,
    "molar_mass_distribution": chem.molar_mass_distribution,
    # -- pore-structure plots register below this line --
    "sorption_isotherm": surfaces.sorption_isotherm,
    "mercury_intrusion": surfaces.mercury_intrusion,
    # -- XPS plots register below this line --
    "xps_fit": xps.xps_fit,
    "xps_survey": xps.xps_survey,
    "xps_depth_profile": xps.xps_depth_profile,
    # -- SEM plots --
    "thickness_bars": sem.thickness_bars,
    "sem_edges": sem.sem_edges,
}
