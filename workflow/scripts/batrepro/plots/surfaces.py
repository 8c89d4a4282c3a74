"""Pore-structure panels: N₂ isotherms with the BJH distribution (Guan Fig. S4), mercury intrusion (Kim Fig. S13)."""

from __future__ import annotations

from ._style import colours, finish, new_axes


def sorption_isotherm(spec, runs, data, metrics, summary, curves=None):
    """Fig. S4a–c: adsorption (filled) and desorption (open) branches; inset: BJH dV/dlog D (desorption)."""
    fig, ax = new_axes(spec)
    col = colours(spec["samples"])
    for run in runs:
        d, m, c = data[run["run"]], metrics[run["run"]], col[run["sample"]]
        for branch, face in (("adsorption", c), ("desorption", "white")):
            b = d[d["branch"] == branch]
            ax.plot(
                b["relative_pressure"],
                b["quantity_adsorbed_cm3_g"],
                "o-",
                color=c,
                mfc=face,
                ms=3,
                lw=0.8,
                label=f"{run['sample']} {branch}",
            )
        ax.annotate(
            f"S_BET = {m['bet_area_m2_g']:.2f} m² g⁻¹\nS_micro = {m['micropore_area_m2_g']:.2f} m² g⁻¹",
            (0.04, 0.72),
            xycoords="axes fraction",
            fontsize=7,
        )
        psd = (curves or {}).get(run["run"])
        if psd is not None and len(psd):
            inset = ax.inset_axes([0.24, 0.33, 0.36, 0.3])
            inset.semilogx(psd["diameter_nm"], psd["dv_dlogd_cm3_g"], "-", color=c, lw=0.9)
            inset.set_xlabel("Pore diameter (nm)", fontsize=6)
            inset.set_ylabel("dV/dlog D (cm³ g⁻¹)", fontsize=6)
            inset.tick_params(labelsize=5)
    ax.set_xlabel("Relative pressure (p/p⁰)")
    ax.set_ylabel("Quantity adsorbed (cm³ g⁻¹ STP)")
    ax.set_xlim(0, 1)
    fig = finish(ax, spec)
    ax.legend(loc="upper left", fontsize=6)
    return fig


def mercury_intrusion(spec, runs, data, metrics, summary, curves=None):
    """Fig. S13 (Kim): cumulative intrusion (left) and log-differential intrusion (right) against Washburn diameter."""
    from ..analysis.mip import washburn_diameter_um

    fig, ax = new_axes(spec)
    ax2 = ax.twinx()
    col = colours(spec["samples"])
    for run in runs:
        d, m, c = data[run["run"]], metrics[run["run"]], col[run["sample"]]
        gamma, theta = _washburn_constants(m)
        diam = washburn_diameter_um(d["pressure_psia"], gamma, theta)
        ax.semilogx(
            diam,
            d["cumulative_intrusion_mL_g"],
            "-",
            color=c,
            lw=1.0,
            label=f"{run['sample']} ({m['porosity_pct']:.2f} %)",
        )
        psd = (curves or {}).get(run["run"])
        if psd is not None and len(psd):
            ax2.semilogx(psd["diameter_um"], psd["dv_dlogd_mL_g"], ":", color=c, lw=0.8)
    ax.invert_xaxis()
    ax.set_xlabel("Pore diameter (µm)")
    ax.set_ylabel("Cumulative intrusion (mL g⁻¹)")
    ax2.set_ylabel("dV/dlog D (mL g⁻¹), dotted")
    return finish(ax, spec)


def _washburn_constants(metrics: dict) -> tuple[float, float]:
    """γ and θ the analysis used (kept in the metrics), so the plot and the numbers agree."""
    return metrics["surface_tension_mN_m"], metrics["contact_angle_deg"]
