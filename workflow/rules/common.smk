import ast
import csv
import functools
import io
import posixpath
import re
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import best_match


def _fill_defaults(validator, properties, instance, subschema):
    for name, sub in properties.items():
        if "default" in sub and isinstance(instance, dict):
            instance.setdefault(name, sub["default"])
    yield from Draft202012Validator.VALIDATORS["properties"](
        validator, properties, instance, subschema
    )


#: JSON Schema 2020-12 that fills in each property's default as it validates (as snakemake.utils.validate
#: does, but compiled once per schema: validate() re-reads and rebuilds its validator on every call).
FillingValidator = validators.extend(
    Draft202012Validator, {"properties": _fill_defaults}
)


def validate_config(config):
    """The config against workflow/schemas/config.schema.yaml, defaults filled in; one line naming the key."""
    path = Path(workflow.basedir) / "workflow/schemas/config.schema.yaml"
    with open(path, encoding="utf-8") as fh:
        schema = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    error = best_match(FillingValidator(schema).iter_errors(config))
    if error is not None:
        where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        raise ValueError(f"config: {where}: {error.message}")


validate_config(config)


def sheet_schema(technique):
    """The sheet schema of a technique (a clear error when there is none)."""
    path = (
        Path(workflow.basedir) / "workflow/schemas/samples" / f"{technique}.schema.yaml"
    )
    if not path.is_file():
        raise ValueError(
            f"config.samples.{technique}: no sheet schema workflow/schemas/samples/{technique}.schema.yaml"
        )
    return sheet_schemas()[path]


@functools.cache
def sheet_schemas():
    """Every schema a sheet schema may $ref (workflow/schemas/samples/ and formats.schema.yaml), read once."""
    folder = Path(workflow.basedir) / "workflow/schemas"
    paths = sorted(folder.glob("samples/*.schema.yaml")) + [
        folder / "formats.schema.yaml"
    ]
    out = {}
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            out[path] = yaml.load(
                fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            )
    return out


def numeric_columns(technique):
    """Sheet columns the schema declares as numbers (the others stay text, e.g. sweep='2')."""
    props = sheet_schema(technique).get("properties", {})
    return {k for k, v in props.items() if v.get("type") in ("number", "integer")}


def sheet_validator(technique):
    """One JSON-schema validator per sheet schema, compiled once, with every schema it may $ref
    preloaded (snakemake.utils.validate builds a validator per row and re-reads the $ref'd common schema for
    each, which dominated the dry run of a campaign sheet), filling in the schema's defaults.
    """
    from referencing import Registry, Resource

    folder = Path(workflow.basedir) / "workflow/schemas/samples"
    registry = Registry().with_resources(
        (path.resolve().as_uri(), Resource.from_contents(contents))
        for path, contents in sheet_schemas().items()
    )
    schema = dict(sheet_schema(technique))
    schema["$id"] = (folder / f"{technique}.schema.yaml").resolve().as_uri()
    return FillingValidator(schema, registry=registry)


#: A plain ASCII decimal number (what a sheet's numeric cell may hold), and its integer subset.
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
INTEGER = re.compile(r"[+-]?\d+")


def read_sheet(path):
    """A tab-separated sheet as (header, rows of text cells); blank lines and lines starting with `#` are
    skipped, a short row is padded with empty cells, a long one is an error. Read with the csv module, not
    pandas: the 17 sheets, parsed and checked at every Snakemake start, took 0.20 s through pandas, 0.036 s here.
    """
    data = Path(path).read_bytes()
    try:
        # utf-8-sig: a byte-order mark (Excel's "CSV UTF-8") is not part of the first column's name
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        offset = error.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line = data.count(b"\n", 0, offset) + 1
        raise ValueError(
            f"{path}: not UTF-8 text (line {line}, byte offset {offset})"
        ) from None
    lines = [
        line
        for line in io.StringIO(text, newline="")
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        raise ValueError(f"{path}: no header line")
    header, *rows = csv.reader(lines, delimiter="\t")
    if len(set(header)) != len(header):
        dupes = sorted({c for c in header if header.count(c) > 1})
        raise ValueError(f"{path}: duplicated columns {dupes}")
    for i, row in enumerate(rows):
        if len(row) > len(header):
            raise ValueError(
                f"{path}: data row {i + 1} has {len(row)} cells, the header {len(header)}"
            )
        row += [""] * (len(header) - len(row))
    return header, rows


def numeric_cells(path, column, cells):
    """A numeric column's cells as numbers (None when empty). As in pandas, a column with a decimal or an
    empty cell is float throughout, else int."""
    bad = next((c for c in cells if c and not NUMBER.fullmatch(c)), None)
    if bad is not None:
        raise ValueError(
            f"{path}: column {column} must hold numbers, found {bad[:60]!r}"
        )
    as_int = all(INTEGER.fullmatch(c) for c in cells)
    return [(int(c) if as_int else float(c)) if c else None for c in cells]


def load_sample_sheet(technique):
    """The technique's sheet rows, validated, defaults filled in, empty numeric cells left out, sorted by
    paper and run: {paper: {run: row}}."""
    path = config["samples"][technique]
    header, rows = read_sheet(path)
    columns = {c: [row[j] for row in rows] for j, c in enumerate(header)}
    floats = set()
    for column in sorted(numeric_columns(technique) & set(header)):
        columns[column] = numeric_cells(path, column, columns[column])
        if any(isinstance(v, float) or v is None for v in columns[column]):
            floats.add(column)
    validator = sheet_validator(technique)
    order, records = list(header), []
    for i in range(len(rows)):
        record = {c: columns[c][i] for c in header if columns[c][i] is not None}
        error = best_match(validator.iter_errors(record))
        if error is not None:
            where = ".".join(str(p) for p in error.absolute_path) or "row"
            raise ValueError(
                f"{path}: data row {i + 1} (run {record.get('run', '?')}): {where}: {error.message}"
            )
        order += [c for c in record if c not in order]
        records.append(record)
    sheet = {}
    for record in records:
        row = {
            c: float(record[c]) if c in floats else record[c]
            for c in order
            if c in record
        }
        runs = sheet.setdefault(row["paper"], {})
        if row["run"] in runs:
            raise ValueError(
                f"{path}: duplicated run id {row['run']!r} in paper {row['paper']!r}"
            )
        runs[row["run"]] = row
    unknown = sorted(set(sheet) - set(config["papers"]))
    if unknown:
        raise ValueError(f"{path}: papers {unknown} are not declared in config.papers")
    return {paper: dict(sorted(sheet[paper].items())) for paper in sorted(sheet)}


SHEETS = {technique: load_sample_sheet(technique) for technique in config["samples"]}


wildcard_constraints:
    paper="|".join(config["papers"]),
    run="[A-Za-z0-9][A-Za-z0-9._+-]*",


PACKAGE = Path(workflow.basedir) / "workflow/scripts/batrepro"


@functools.cache
def source(rel):
    """A file of the workflow's own source (relative to workflow/rules) as a job input: relative to the
    working directory when the workflow lives under it, so the recorded input set does not hold the
    checkout's absolute path and a moved or re-cloned project does not re-run every job; else (a workflow
    used from elsewhere) Snakemake's source path."""
    path = Path(workflow.basedir, "workflow/rules", rel).resolve()
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return workflow.source_path(rel)


def lib(mod):
    """An analysis-package module a rule imports, declared as input so edits re-run the rule."""
    return source(f"../scripts/batrepro/{mod}.py")


def _module_file(dotted):
    """batrepro-relative module path ('techniques/dma' or 'vocab/__init__') of a dotted name, or None."""
    base = PACKAGE.joinpath(*dotted)
    if base.with_suffix(".py").is_file():
        return posixpath.join(*dotted)
    if (base / "__init__.py").is_file():
        return posixpath.join(*dotted, "__init__")
    return None


@functools.cache
def _tree(mod):
    """The parsed source of a batrepro module (each file is read and parsed once per Snakemake run)."""
    return ast.parse((PACKAGE / f"{mod}.py").read_text(encoding="utf-8"))


# Import statements at the start of a line (inside functions too); each candidate is parsed on its own, so
# a docstring line that merely reads like one is skipped. Parsing only these, not whole modules, halves parse time.
IMPORT_LINE = re.compile(
    r"^[ \t]*((?:from[ \t]+[.\w]+[ \t]+)?import[ \t]+(?:\([^)]*\)|[^\n]*))", re.M
)


def _import_nodes(mod):
    text = (PACKAGE / f"{mod}.py").read_text(encoding="utf-8").replace("\\\n", " ")
    for match in IMPORT_LINE.finditer(text):
        try:
            yield from ast.parse(match.group(1)).body
        except SyntaxError:
            continue


@functools.cache
def _imports(mod):
    """batrepro modules that `mod` imports anywhere in its body (relative or absolute imports)."""
    parts = mod.split("/")
    package = parts[:-1]
    found = set()
    for node in _import_nodes(mod):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
            elif node.module and node.module.split(".")[0] == "batrepro":
                base = []
            else:
                continue
            target = [*base, *(node.module.split(".") if node.module else [])]
            if target[:1] == ["batrepro"]:
                target = target[1:]
            for alias in node.names:
                found.add(_module_file([*target, alias.name]) or _module_file(target))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "batrepro":
                    found.add(_module_file(alias.name.split(".")[1:]))
    # importing a module runs every package __init__ on its way
    for i in range(len(parts) - 1):
        found.add(posixpath.join(*parts[: i + 1], "__init__"))
    found.add("__init__")
    return {m for m in found if m and m != mod}


@functools.cache
def module_closure(*mods):
    """The mods given and everything they import from batrepro, transitively (sorted)."""
    seen, todo = set(), list(mods)
    while todo:
        m = todo.pop()
        if m not in seen:
            seen.add(m)
            todo.extend(_imports(m))
    return sorted(seen)


def _literal(mod, name, default=None):
    """A module-level literal constant of a batrepro module, read without importing it."""
    for node in _tree(mod).body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [getattr(node, "target", None)]
        )
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and any(
            getattr(t, "id", None) == name for t in targets
        ):
            return ast.literal_eval(node.value)
    return default


def _defines(mod, function):
    tree = _tree(mod)
    return any(isinstance(n, ast.FunctionDef) and n.name == function for n in tree.body)


def reader_modules():
    """format id -> reader module, from each reader's FORMATS literal (as batrepro.readers.formats does)."""
    found = {}
    paths = [p for p in PACKAGE.glob("readers/*.py") if not p.name.startswith("_")]
    paths += list(PACKAGE.glob("readers/*/__init__.py"))
    for path in sorted(paths):
        mod = path.relative_to(PACKAGE).with_suffix("").as_posix()
        if mod == "readers/formats":
            continue
        for fmt in _literal(mod, "FORMATS", {}):
            found[fmt] = mod
    return found


READER_MODULES = reader_modules()


def libs_of(*mods):
    """Code inputs of a job (the modules given, the thin scripts' own helpers, and all they import).
    (Snakemake puts its source cache of declared files first on sys.path, so an undeclared module of the
    package would not even be importable in the job.)"""
    return [lib(m) for m in module_closure(*mods, "rule_logging", "outputs")]


PLOT_MODULES = [f"plots/{p.stem}" for p in sorted((PACKAGE / "plots").glob("*.py"))]
STYLE = source("../resources/matplotlibrc")


def records(technique, paper):
    """The paper's sheet rows of a technique as {run: row} (empty numeric cells left out), in run order."""
    return SHEETS.get(technique, {}).get(paper, {})


def runs_of(technique, paper, samples=None, conditions=None):
    """Run ids of a technique for a paper, optionally restricted to samples and conditions."""
    return sorted(
        run
        for run, row in records(technique, paper).items()
        if (samples is None or row["sample"] in samples)
        and (conditions is None or row["condition"] in conditions)
    )


def papers_with(technique):
    return sorted(SHEETS.get(technique, {}))


def sheet_paths(technique):
    """Every raw-file path a technique's sheet names (all papers)."""
    return [row["path"] for runs in SHEETS[technique].values() for row in runs.values()]


def technique_summaries():
    """Every technique x paper summary in long (audit) format."""
    return [
        f"results/{paper}/metrics/{technique}/summary.csv"
        for technique in sorted(SHEETS)
        for paper in papers_with(technique)
    ]


def technique_outputs():
    """Every file the technique jobs write: per run data, metrics (and curves), per job the summary."""
    files = []
    for technique, paper in technique_papers():
        kinds = [("data", "csv"), ("metrics", "json")]
        if has_curves(technique):
            kinds.append(("curves", "csv"))
        for kind, ext in kinds:
            files += run_outputs(technique, paper, kind, ext)
        files.append(f"results/{paper}/metrics/{technique}/summary.csv")
    return files


def panel_run_ids(spec, paper):
    """Run ids of a figure or table, in legend order (spec samples), then by run id."""
    conditions = spec.get("conditions")
    return _panel_run_ids(
        spec["technique"],
        paper,
        tuple(spec["samples"]),
        None if conditions is None else tuple(conditions),
    )


@functools.cache
def _panel_run_ids(technique, paper, samples, conditions):
    runs = runs_of(technique, paper, samples, conditions)
    if not runs:
        raise ValueError(
            f"config: {paper} panel for technique {technique} and samples {list(samples)} has no runs in the sample sheet"
        )
    rows = records(technique, paper)
    order = {name: i for i, name in enumerate(samples)}
    return sorted(runs, key=lambda run: (order[rows[run]["sample"]], run))


@functools.cache
def panel_groups():
    """(technique, paper) -> {"figures": {id: spec}, "tables": {id: spec}}: one panels job draws them all."""
    groups = {}
    for kind in ("figures", "tables"):
        for paper, panels in sorted(config[kind].items()):
            for pid, spec in sorted(panels.items()):
                group = groups.setdefault(
                    (spec["technique"], paper), {"figures": {}, "tables": {}}
                )
                group[kind][pid] = spec
    return dict(sorted(groups.items()))


def panel_inputs(technique, paper, group):
    """Input files of a panels job: the union of its panels' runs (data, metrics, curves) and the summary."""
    runs = sorted(
        {
            r
            for specs in group.values()
            for s in specs.values()
            for r in panel_run_ids(s, paper)
        }
    )
    inputs = {
        "data": [f"results/{paper}/data/{technique}/{run}.csv" for run in runs],
        "metrics": [f"results/{paper}/metrics/{technique}/{run}.json" for run in runs],
        "curves": (
            [f"results/{paper}/curves/{technique}/{run}.csv" for run in runs]
            if has_curves(technique)
            else []
        ),
        "summary": f"results/{paper}/metrics/{technique}/summary.csv",
        "style": STYLE if group["figures"] else [],
        "libs": libs_of(
            technique_module(technique),
            *(PLOT_MODULES if group["figures"] else ()),
            "outputs",
        ),
    }
    return inputs


def panel_params(paper, specs):
    """Params of a panels job: per panel its spec and its runs' sheet rows, in legend order."""
    out = {}
    for pid, spec in specs.items():
        rows = records(spec["technique"], paper)
        out[pid] = {
            "spec": spec,
            "runs": [rows[run] for run in panel_run_ids(spec, paper)],
        }
    return out


def panel_outputs(paper, ids, folder, exts):
    return {
        ext: [f"results/{paper}/{folder}/{pid}.{ext}" for pid in ids] for ext in exts
    }


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
        + technique_outputs()
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
            for k in range(1, tensile["specimens"] + 1)
        ]
    )


def chem_outputs():
    """The FT-IR, DFT and GPC stand-ins, as listed in their parameter files."""
    out = []
    for name in ("ftir", "dft", "gpc"):
        with open(f"resources/simulate/{name}.yaml", encoding="utf-8") as fh:
            p = yaml.safe_load(fh)
        if name == "ftir":
            out += [s["path"] for s in p["samples"].values()]
        elif name == "dft":
            out += [
                f["path"] for f in (*p["fragments"].values(), *p["complexes"].values())
            ]
        else:
            out += [p["calibration_path"], *(s["path"] for s in p["samples"])]
    return sorted(out)


def technique_papers():
    return [(t, p) for t in sorted(SHEETS) for p in papers_with(t)]


def technique_module(technique):
    mod = f"techniques/{technique}"
    if not (PACKAGE / f"{mod}.py").is_file():
        raise ValueError(
            f"config.samples.{technique}: no technique plug-in workflow/scripts/batrepro/{mod}.py"
        )
    return mod


def technique_libs(technique, paper):
    """Code a technique job runs: its plug-in's imports and the readers of the formats its sheet uses."""
    formats = sorted({row["format"] for row in records(technique, paper).values()})
    readers = [READER_MODULES[f] for f in formats if f in READER_MODULES]
    return libs_of(technique_module(technique), *readers, "outputs")


def technique_settings(technique):
    """The technique's config block (a plug-in may name another block in SETTINGS_BLOCK)."""
    block = _literal(technique_module(technique), "SETTINGS_BLOCK", technique)
    return config.get(block, {})


def has_curves(technique):
    return _defines(technique_module(technique), "curves")


def run_batches(technique, paper):
    """The paper's run ids of a technique, sorted, in consecutive batches of at most config batch_runs.
    (Snakemake records, for every output, the job's inputs and params, so a job of N runs costs O(N²) in
    metadata and bookkeeping; batches keep a campaign's cost linear in its number of runs.)
    """
    runs, size = runs_of(technique, paper), config["batch_runs"]
    return [runs[i : i + size] for i in range(0, len(runs), size)]


def batch_rule_name(technique, paper, k, n):
    return f"process_{technique}_{paper}" + (f"_{k + 1:03d}" if n > 1 else "")


def sheet_records(technique, paper, runs=None):
    """Sheet rows (empty cells left out) of the given runs, or of all the paper's runs, in run order."""
    rows = records(technique, paper)
    return list(rows.values()) if runs is None else [rows[run] for run in runs]


def raw_files(technique, paper, runs=None):
    return [row["path"] for row in sheet_records(technique, paper, runs)]


def aux_files(technique, paper, runs=None):
    """Further input files a sheet names in columns ending in `_path` (a GPC calibration table), sorted."""
    rows = sheet_records(technique, paper, runs)
    return sorted(
        {
            v
            for row in rows
            for k, v in row.items()
            if k.endswith("_path") and isinstance(v, str) and v
        }
    )


def run_outputs(technique, paper, kind, ext, runs=None):
    return [
        f"results/{paper}/{kind}/{technique}/{run}.{ext}"
        for run in (runs_of(technique, paper) if runs is None else runs)
    ]
