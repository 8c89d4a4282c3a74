"""Pure analysis: arrays and tables in, small frozen dataclasses out. No file I/O, no Snakemake."""
