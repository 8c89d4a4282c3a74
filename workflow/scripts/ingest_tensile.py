"""ingest_tensile: Bluehill CSV -> canonical table with engineering strain and stress (ASTM D882)."""

from batrepro.io import write_csv, write_json
from batrepro.readers.bluehill import read_bluehill, specimen_geometry
from batrepro.script import script_logging
from batrepro.tensile import engineering_curve

with script_logging(snakemake.log[0]) as log:
    raw, params = read_bluehill(snakemake.input.raw)
    geometry = specimen_geometry(params, snakemake.params.meta, snakemake.input.raw)
    curve = engineering_curve(raw, **geometry)
    table = raw.assign(strain_pct=curve["strain_pct"], stress_MPa=curve["stress_MPa"])
    log.info("%s: %d rows, geometry %s", snakemake.input.raw, len(table), geometry)
    write_csv(table, snakemake.output.data)
    write_json(geometry, snakemake.output.meta)
