"""ingest_dma: TRIOS DMA export -> canonical table (temperature_C, storage_modulus_MPa, ...)."""

from batrepro.io import write_csv
from batrepro.readers import RawDataError
from batrepro.readers.trios import read_trios_dma
from batrepro.script import script_logging

with script_logging(snakemake.log[0]) as log:
    meta = snakemake.params.meta
    table, header = read_trios_dma(snakemake.input.raw)
    expected = meta.get("frequency_Hz")
    if expected is not None and "frequency_Hz" in table:
        found = float(table["frequency_Hz"].median())
        if abs(found - expected) > 1e-6 * expected:
            raise RawDataError(snakemake.input.raw, f"frequency {found:g} Hz, but the sample sheet says {expected:g} Hz")
    log.info("%s: %d rows, %s", snakemake.input.raw, len(table), header.get("Instrument name", "?"))
    write_csv(table, snakemake.output[0])
