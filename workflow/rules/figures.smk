# Panels jobs, generated from config figures/tables: one job per technique and paper draws all of that
# technique's figures (SVG + PNG) and tables (CSV + Markdown) of the paper, in one process, so the
# imports (matplotlib, pandas, the plug-in) are paid once per technique, not once per panel.
for technique, paper in panel_groups():
    group = panel_groups()[technique, paper]
    figs = panel_outputs(paper, group["figures"], "figures", ("svg", "png"))
    tabs = panel_outputs(paper, group["tables"], "tables", ("csv", "md"))

    rule:
        name:
            f"panels_{technique}_{paper}"
        input:
            **panel_inputs(technique, paper, group),
        output:
            svg=figs.get("svg", []),
            png=figs.get("png", []),
            csv=tabs.get("csv", []),
            md=tabs.get("md", []),
        log:
            f"logs/panels/{technique}_{paper}.log",
        conda:
            "../envs/analysis.yaml"
        threads: 1
        resources:
            mem_mb=1000,
            runtime=10,
        params:
            technique=technique,
            figures=panel_params(paper, group["figures"]),
            tables=panel_params(paper, group["tables"]),
        script:
            "../scripts/make_panels.py"


rule composite:
    input:
        svg=composite_panels("svg"),
        png=composite_panels("png"),
        libs=libs_of("report/composite", "outputs"),
    output:
        svg="results/{paper}/figures/{composite}.svg",
        png="results/{paper}/figures/{composite}.png",
    log:
        "logs/composite/{paper}/{composite}.log",
    wildcard_constraints:
        composite=COMPOSITE_IDS,
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        columns=composite_columns,
    script:
        "../scripts/make_composite.py"
