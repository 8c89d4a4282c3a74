"""panels: every figure (SVG + PNG) and table (CSV + Markdown) of one technique for one paper, in one process."""

from functools import cache
from pathlib import Path

import pandas as pd

from batrepro.outputs import read_json, write_csv, write_markdown_table
from batrepro.rule_logging import script_logging
from batrepro.techniques import load

with script_logging(snakemake.log[0]) as log:
    files = {kind: {Path(p).stem: p for p in snakemake.input.get(kind, [])} for kind in ("data", "metrics", "curves")}
    read = {"data": cache(pd.read_csv), "metrics": cache(read_json), "curves": cache(pd.read_csv)}
    summary = pd.read_csv(snakemake.input.summary, keep_default_na=False, na_values=[""])

    def by_run(kind, runs):
        return {run["run"]: read[kind](files[kind][run["run"]]) for run in runs} if files[kind] else {}

    if snakemake.params.figures:
        import matplotlib

        matplotlib.use("agg")
        matplotlib.rc_file(snakemake.input.style)
        import matplotlib.pyplot as plt

        from batrepro.outputs import save_figure
        from batrepro.plots import PLOTS

    for k, (pid, panel) in enumerate(snakemake.params.figures.items()):
        spec, runs = panel["spec"], panel["runs"]
        try:
            fig = PLOTS[spec["plot"]](
                spec, runs, by_run("data", runs), by_run("metrics", runs), summary, by_run("curves", runs)
            )
            save_figure(fig, snakemake.output.svg[k], snakemake.output.png[k])
        except ValueError as exc:
            raise ValueError(f"figure {pid}: {exc}") from exc
        plt.close(fig)
        log.info("figure %s: %s, %d runs", pid, spec["plot"], len(runs))

    tables = load(snakemake.params.technique).tables if snakemake.params.tables else {}
    for k, (pid, panel) in enumerate(snakemake.params.tables.items()):
        spec, runs = panel["spec"], panel["runs"]
        if spec["table"] not in tables:
            kinds = sorted(tables)
            raise ValueError(f"config: table {pid}: kind {spec['table']!r} is not one {spec['technique']} has {kinds}")
        table = tables[spec["table"]](spec, runs, by_run("metrics", runs), summary)
        write_csv(table, snakemake.output.csv[k])
        write_markdown_table(table, snakemake.output.md[k], spec.get("title"))
        log.info("table %s: %s, %d rows", pid, spec["table"], len(table))
