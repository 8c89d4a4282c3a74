"""ingest_eis: EC-Lab PEIS (.mpt/.mpr) or generic CSV -> canonical spectrum table."""

from batrepro.eis import spectrum_table
from batrepro.io import write_csv
from batrepro.readers.eclab import read_eclab
from batrepro.readers.generic_csv import read_generic_csv
from batrepro.script import script_logging

with script_logging(snakemake.log[0]) as log:
    meta = snakemake.params.meta
    raw = snakemake.input.raw
    if meta["format"] == "generic_csv":
        record = read_generic_csv(raw, kind="eis")
    else:
        record = read_eclab(raw)
    if record.technique not in ("PEIS", "GEIS"):
        raise ValueError(f"{raw}: technique {record.technique}, expected an impedance (PEIS/GEIS) file")
    table = spectrum_table(record.data, raw, sweep=meta.get("sweep"))
    log.info("%s: %d frequencies, %.3g Hz to %.3g Hz", raw, len(table), table["frequency_Hz"].max(), table["frequency_Hz"].min())
    write_csv(table, snakemake.output[0])
