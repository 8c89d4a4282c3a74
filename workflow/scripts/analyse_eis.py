"""analyse_eis: equivalent-circuit fit, Lin-KK and DRT of one spectrum."""

import pandas as pd

from batrepro.eis import analyse_spectrum
from batrepro.io import write_json
from batrepro.script import script_logging

with script_logging(snakemake.log[0]) as log:
    table = pd.read_csv(snakemake.input.spectrum)
    z = table["z_real_ohm"].to_numpy() + 1j * table["z_imag_ohm"].to_numpy()
    p = snakemake.params
    drt, kk = p.drt, p.linkk
    record = analyse_spectrum(
        table["frequency_Hz"].to_numpy(), z, name=snakemake.input.spectrum, circuit=p.circuit,
        fit_weights=p.fit_weights, drt_lambda=drt["lambda"], drt_weights=drt["weights"],
        drt_penalty_order=drt["penalty_order"], drt_fwhm_coefficient=drt["fwhm_coefficient"],
        drt_inductance=drt["inductance"], peak_min_fraction=drt["peak_min_fraction"],
        tau_windows=dict(p.tau_windows), linkk_c=kk["c"], linkk_threshold=kk["threshold"],
        linkk_extend_decades=kk["extend_decades"], drop_inductive=p.drop_inductive,
    )
    record["run"] = snakemake.wildcards.run
    log.info("%s: fit chi2 %.3g, Lin-KK M=%d rms %.2g%% (%s), DRT λ=%.2g, %d peaks", snakemake.wildcards.run,
             record["fit"]["chi2"], record["linkk"]["M"], 100 * record["linkk"]["rms_residual"],
             "pass" if record["linkk"]["passed"] else "FAIL", record["drt"]["lambda"], len(record["drt"]["peaks"]))
    write_json(record, snakemake.output[0])
