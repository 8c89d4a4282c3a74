"""ingest_<cycling|rate|cv|gitt>: EC-Lab (.mpt/.mpr) or generic CSV -> canonical time/voltage/current table."""

from batrepro.io import write_text
from batrepro.readers.eclab import read_eclab
from batrepro.readers.generic_csv import read_generic_csv
from batrepro.script import script_logging

EXPECTED = {"cycling": ("GCPL", "MB"), "rate": ("GCPL", "MB"), "gitt": ("GCPL", "MB", "CP"), "cv": ("CV", "CVA")}
KEEP = ("time_s", "voltage_V", "current_mA", "ns", "mode", "half_cycle", "cycle_number", "dq_mAh",
        "charge_discharge_mAh")

with script_logging(snakemake.log[0]) as log:
    meta, technique, raw = snakemake.params.meta, snakemake.params.technique, snakemake.input.raw
    if meta["format"] == "generic_csv":
        record = read_generic_csv(raw, kind="cycling")
    else:
        record = read_eclab(raw)
        if record.technique not in EXPECTED[technique]:
            raise ValueError(f"{raw}: EC-Lab technique {record.technique}, expected one of {EXPECTED[technique]} for {technique}")
        header_mass = record.header.get("mass_of_active_material_mg")
        sheet_mass = meta.get("active_mass_mg")
        if header_mass and sheet_mass and abs(header_mass - sheet_mass) > 0.01 * sheet_mass:
            log.warning("%s: file header says %g mg active mass, the sample sheet %g mg; the sheet is used", raw, header_mass, sheet_mass)
    data = record.data
    table = data[[c for c in KEEP if c in data.columns]]
    log.info("%s: %s, %d rows, columns %s", raw, getattr(record, "technique", "csv"), len(table), list(table.columns))
    # 10 significant digits: time in s reaches 1e6 in long tests and %.6g would round it to 10 s.
    write_text(snakemake.output[0], table.to_csv(index=False, float_format="%.10g", lineterminator="\n"))
