rule figure:
    input:
        unpack(figure_inputs),
    output:
        svg="results/{paper}/figures/{figure}.svg",
        png="results/{paper}/figures/{figure}.png",
    log:
        "logs/figure/{paper}/{figure}.log",
    wildcard_constraints:
        figure=FIGURE_IDS,
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        spec=figure_spec,
        runs=panel_runs("figure"),
    script:
        "../scripts/plot_figure.py"


rule table:
    input:
        unpack(table_inputs),
    output:
        csv="results/{paper}/tables/{table}.csv",
        md="results/{paper}/tables/{table}.md",
    log:
        "logs/table/{paper}/{table}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        spec=table_spec,
        runs=panel_runs("table"),
    script:
        "../scripts/make_table.py"


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
