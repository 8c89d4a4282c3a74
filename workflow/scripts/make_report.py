"""report: results/report.html with every figure, table and both audits."""

from pathlib import Path

import pandas as pd

from batrepro.outputs import write_text
from batrepro.report.html import build_report
from batrepro.rule_logging import script_logging

with script_logging(snakemake.log[0]):
    # results/<paper>/figures/<id>.svg -> (paper, id)
    figure_files = {(Path(p).parts[1], Path(p).stem): p for p in snakemake.input.figures if p.endswith(".svg")}
    table_files = {(Path(p).parts[1], Path(p).stem): p for p in snakemake.input.tables if p.endswith(".csv")}
    audit = pd.read_csv(snakemake.input.audit, keep_default_na=False, na_values=[""], dtype={"condition": str})
    consistency = pd.read_csv(snakemake.input.consistency, keep_default_na=False, na_values=[""])
    figures = {paper: dict(panels) for paper, panels in snakemake.params.figures.items()}
    for paper, comps in snakemake.params.composites.items():
        for comp_id, spec in comps.items():
            figures.setdefault(paper, {})[comp_id] = {"title": "composite of " + ", ".join(spec["panels"])}
    page = build_report(
        snakemake.params.papers,
        figures,
        snakemake.params.tables,
        table_files,
        audit,
        consistency,
        Path(snakemake.output[0]).parent,
        figure_files,
    )
    write_text(snakemake.output[0], page)
