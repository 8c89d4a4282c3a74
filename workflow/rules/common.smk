import glob as _glob
from pathlib import Path

import pandas as pd
import yaml
from snakemake.utils import validate

validate(config, schema="../schemas/config.schema.yaml")


SHEET_TEXT_COLUMNS = ["paper", "sample", "run", "condition", "path", "format"]


def load_sample_sheet(technique):
    """The technique's sample sheet, validated, sorted by paper and run, indexed by (paper, run)."""
    path = config["samples"][technique]
    sheet = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, comment="#")
    for column in sheet.columns.difference(SHEET_TEXT_COLUMNS):
        # metadata columns (unit-suffixed: width_mm, active_mass_mg, ...) are numbers when they parse
        try:
            sheet[column] = pd.to_numeric(sheet[column].replace("", None))
        except (ValueError, TypeError):
            pass
    validate(sheet, schema=f"../schemas/samples/{technique}.schema.yaml")
    if sheet.duplicated(["paper", "run"]).any():
        dupes = sheet.loc[sheet.duplicated(["paper", "run"]), "run"].tolist()
        raise ValueError(f"{path}: duplicated run ids {dupes}")
    unknown = sorted(set(sheet["paper"]) - set(config["papers"]))
    if unknown:
        raise ValueError(f"{path}: papers {unknown} are not declared in config.papers")
    return sheet.sort_values(["paper", "run"]).set_index(["paper", "run"], drop=False)


SHEETS = {technique: load_sample_sheet(technique) for technique in config["samples"]}


wildcard_constraints:
    paper="|".join(config["papers"]),
    run="[A-Za-z0-9][A-Za-z0-9._+-]*",


def lib(module):
    """An analysis-package module a rule imports, declared as input so edits re-run the rule."""
    return workflow.source_path(f"../scripts/batrepro/{module}.py")


def plot_libs():
    return sorted(
        _glob.glob(str(Path(workflow.basedir) / "scripts/batrepro/plots/*.py"))
    )


def runs_of(technique, paper, samples=None, conditions=None):
    """Run ids of a technique for a paper, optionally restricted to samples and conditions."""
    sheet = SHEETS.get(technique)
    if sheet is None or paper not in sheet.index.get_level_values("paper"):
        return []
    rows = sheet.loc[paper]
    if samples is not None:
        rows = rows[rows["sample"].isin(samples)]
    if conditions is not None:
        rows = rows[rows["condition"].isin(conditions)]
    return sorted(rows["run"])


def papers_with(technique):
    sheet = SHEETS.get(technique)
    if sheet is None:
        return []
    return sorted(set(sheet["paper"]))


def raw_file(technique):
    """Input function: the raw file of one run, from the technique's sample sheet."""

    def _raw(wildcards):
        return SHEETS[technique].loc[(wildcards.paper, wildcards.run), "path"]

    return _raw


def run_meta(technique):
    """Params function: the sample-sheet row of one run as a plain dict (NaN dropped)."""

    def _meta(wildcards):
        row = SHEETS[technique].loc[(wildcards.paper, wildcards.run)]
        return {k: v for k, v in row.items() if not (isinstance(v, float) and v != v)}

    return _meta


def sheet_rows(technique):
    """Params function: the sheet rows of one paper as a list of dicts (for summaries)."""

    def _rows(wildcards):
        rows = SHEETS[technique].loc[wildcards.paper]
        return [
            {k: v for k, v in row.items() if not (isinstance(v, float) and v != v)}
            for row in rows.to_dict("records")
        ]

    return _rows


def per_run(pattern, technique):
    """Input function: one file per run of the technique for the paper in the wildcards."""

    def _files(wildcards):
        return expand(
            pattern, paper=wildcards.paper, run=runs_of(technique, wildcards.paper)
        )

    return _files


def technique_summaries():
    """Every technique x paper summary in long (audit) format."""
    return [
        f"results/{paper}/metrics/{technique}/summary.csv"
        for technique in sorted(SHEETS)
        for paper in papers_with(technique)
    ]


def figure_spec(wildcards):
    return config["figures"][wildcards.paper][wildcards.figure]


def table_spec(wildcards):
    return config["tables"][wildcards.paper][wildcards.table]


def _panel_inputs(spec, paper):
    technique = spec["technique"]
    runs = runs_of(technique, paper, spec["samples"], spec.get("conditions"))
    if not runs:
        raise ValueError(
            f"config: {paper} panel for technique {technique} and samples {spec['samples']} has no runs in the sample sheet"
        )
    return {
        "data": expand(f"results/{paper}/data/{technique}/{{run}}.csv", run=runs),
        "metrics": expand(
            f"results/{paper}/metrics/{technique}/{{run}}.json", run=runs
        ),
        "summary": f"results/{paper}/metrics/{technique}/summary.csv",
    }


def figure_inputs(wildcards):
    inputs = _panel_inputs(figure_spec(wildcards), wildcards.paper)
    inputs["style"] = workflow.source_path("../resources/matplotlibrc")
    inputs["libs"] = plot_libs()
    return inputs


def table_inputs(wildcards):
    inputs = _panel_inputs(table_spec(wildcards), wildcards.paper)
    inputs["lib"] = lib("tables")
    return inputs


def _legend_order(order):
    def _key(column):
        return column.map(order) if column.name == "sample" else column

    return _key


def panel_runs(kind):
    """Params function: sheet rows of the runs a figure/table uses, in sample order."""

    def _runs(wildcards):
        spec = (figure_spec if kind == "figure" else table_spec)(wildcards)
        sheet = SHEETS[spec["technique"]].loc[wildcards.paper]
        runs = runs_of(
            spec["technique"], wildcards.paper, spec["samples"], spec.get("conditions")
        )
        rows = sheet.set_index("run").loc[runs].reset_index()
        order = {sample: i for i, sample in enumerate(spec["samples"])}
        rows = rows.sort_values(
            ["sample", "run"], key=_legend_order(order), kind="stable"
        )
        return [
            {k: v for k, v in row.items() if not (isinstance(v, float) and v != v)}
            for row in rows.to_dict("records")
        ]

    return _runs


def all_figures():
    return [
        f"results/{paper}/figures/{figure}.{ext}"
        for paper, figures in sorted(config["figures"].items())
        for figure in sorted(figures)
        for ext in ("svg", "png")
    ]


def all_tables():
    return [
        f"results/{paper}/tables/{table}.{ext}"
        for paper, tables in sorted(config["tables"].items())
        for table in sorted(tables)
        for ext in ("csv", "md")
    ]


def registries():
    return [config["papers"][paper]["registry"] for paper in sorted(config["papers"])]


def final_outputs():
    """Everything the default target builds, except the manifest that hashes it."""
    return (
        all_figures()
        + all_tables()
        + technique_summaries()
        + [
            "results/reproduction/audit.csv",
            "results/reproduction/audit.md",
            "results/reproduction/consistency.csv",
            "results/reproduction/consistency.md",
            "results/report.html",
        ]
    )


def film_outputs(params_file):
    """The raw files simulate_films writes, as listed in its parameter file."""
    with open(params_file, encoding="utf-8") as fh:
        params = yaml.safe_load(fh)
    tensile = params["tensile"]
    return sorted(
        [film["path"] for film in params["dma"]["films"]]
        + [
            tensile["path"].format(sample=film["sample"], specimen=k)
            for film in tensile["films"]
            for k in range(1, len(tensile["strength_offsets"]) + 1)
        ]
    )
