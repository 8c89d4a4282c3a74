import glob as _glob
import re
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


def _module_dir(package):
    return Path(workflow.basedir) / "workflow/scripts/batrepro" / package


# Resolved once, at parse time: paths returned by workflow.source_path() inside input functions
# point into a per-run source cache, which would make every figure look out of date.
PLOT_LIBS = [lib(f"plots/{p.stem}") for p in sorted(_module_dir("plots").glob("*.py"))]
PLOT_LIBS.append(lib("io"))
TABLE_LIBS = [lib("tables"), lib("io")]
STYLE = workflow.source_path("../resources/matplotlibrc")


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


def panel_run_ids(spec, paper):
    """Run ids of a figure or table, in legend order (spec samples), then by run id."""
    runs = runs_of(spec["technique"], paper, spec["samples"], spec.get("conditions"))
    sample = SHEETS[spec["technique"]].loc[paper].set_index("run")["sample"]
    order = {name: i for i, name in enumerate(spec["samples"])}
    return sorted(runs, key=lambda run: (order[sample[run]], run))


def _panel_inputs(spec, paper):
    technique = spec["technique"]
    runs = panel_run_ids(spec, paper)
    if not runs:
        raise ValueError(
            f"config: {paper} panel for technique {technique} and samples {spec['samples']} has no runs in the sample sheet"
        )
    return {
        "data": [f"results/{paper}/data/{technique}/{run}.csv" for run in runs],
        "metrics": [f"results/{paper}/metrics/{technique}/{run}.json" for run in runs],
        "summary": f"results/{paper}/metrics/{technique}/summary.csv",
    }


def figure_inputs(wildcards):
    inputs = _panel_inputs(figure_spec(wildcards), wildcards.paper)
    inputs["style"] = STYLE
    inputs["libs"] = PLOT_LIBS
    return inputs


def table_inputs(wildcards):
    inputs = _panel_inputs(table_spec(wildcards), wildcards.paper)
    inputs["libs"] = TABLE_LIBS
    return inputs


def panel_runs(kind):
    """Params function: sheet rows of the runs a figure/table uses, in the same (legend) order as its inputs."""

    def _runs(wildcards):
        spec = (figure_spec if kind == "figure" else table_spec)(wildcards)
        sheet = (
            SHEETS[spec["technique"]].loc[wildcards.paper].set_index("run", drop=False)
        )
        return [
            {
                k: v
                for k, v in sheet.loc[run].items()
                if not (isinstance(v, float) and v != v)
            }
            for run in panel_run_ids(spec, wildcards.paper)
        ]

    return _runs


def all_figures():
    return [
        f"results/{paper}/figures/{figure}.{ext}"
        for paper, figures in sorted(config["figures"].items())
        for figure in sorted(figures)
        for ext in ("svg", "png")
    ]


def ids_by_paper(panels):
    """Wildcard regex matching a panel id only under its own paper's folder (a fixed-width
    look-behind per paper), so `figS8` can be a panel in one paper and a composite in another.
    """
    parts = [
        f"(?<={re.escape(paper)}/figures/)(?:{'|'.join(map(re.escape, sorted(ids)))})"
        for paper, ids in sorted(panels.items())
        if ids
    ]
    return "|".join(parts) or "(?!)"


FIGURE_IDS = ids_by_paper(config["figures"])
COMPOSITE_IDS = ids_by_paper(config["composites"])


def composite_panels(ext):
    """Input function: the panel files of a composite, in reading order."""

    def _panels(wildcards):
        spec = config["composites"][wildcards.paper][wildcards.composite]
        return [f"results/{wildcards.paper}/figures/{p}.{ext}" for p in spec["panels"]]

    return _panels


def composite_columns(wildcards):
    return config["composites"][wildcards.paper][wildcards.composite]["columns"]


def all_composites():
    return [
        f"results/{paper}/figures/{comp}.{ext}"
        for paper, comps in sorted(config["composites"].items())
        for comp in sorted(comps)
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
        + all_composites()
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


# Analysis modules each technique's job imports (declared as inputs, so an edit re-runs the job).
TECHNIQUE_LIBS = {
    "dma": ["readers/_common", "readers/trios", "dma"],
    "tensile": ["readers/_common", "readers/bluehill", "tensile"],
    "cycling": [
        "readers/_common",
        "readers/eclab",
        "readers/generic_csv",
        "segment",
        "cycling",
    ],
    "rate": [
        "readers/_common",
        "readers/eclab",
        "readers/generic_csv",
        "segment",
        "cycling",
    ],
    "cv": [
        "readers/_common",
        "readers/eclab",
        "readers/generic_csv",
        "segment",
        "cv",
        "cycling",
    ],
    "gitt": [
        "readers/_common",
        "readers/eclab",
        "readers/generic_csv",
        "segment",
        "gitt",
        "cycling",
    ],
    "eis": ["readers/_common", "readers/eclab", "readers/generic_csv", "eis"],
}
# The config block holding a technique's settings (rate tests share the cycling settings).
SETTINGS_KEY = {"rate": "cycling"}


def technique_papers():
    return [(t, p) for t in sorted(SHEETS) for p in papers_with(t)]


def technique_libs(technique):
    return [lib(m) for m in ["pipeline", "io", *TECHNIQUE_LIBS[technique]]]


def technique_settings(technique):
    return config.get(SETTINGS_KEY.get(technique, technique), {})


def raw_files(technique, paper):
    return list(SHEETS[technique].loc[paper, "path"])


def run_outputs(technique, paper, kind, ext):
    return [
        f"results/{paper}/{kind}/{technique}/{run}.{ext}"
        for run in runs_of(technique, paper)
    ]


def sheet_records(technique, paper):
    rows = SHEETS[technique].loc[paper]
    return [
        {k: v for k, v in row.items() if not (isinstance(v, float) and v != v)}
        for row in rows.to_dict("records")
    ]
