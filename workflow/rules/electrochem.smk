# Electrochemistry from EC-Lab files: galvanostatic cycling, rate capability, CV and GITT.


rule ingest_cycling:
    input:
        raw=raw_file("cycling"),
        lib=[lib("readers/eclab"), lib("readers/generic_csv")],
    output:
        "results/{paper}/data/cycling/{run}.csv",
    log:
        "logs/ingest_cycling/{paper}/{run}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        meta=run_meta("cycling"),
        technique="cycling",
    script:
        "../scripts/ingest_eclab.py"


rule analyse_cycling:
    input:
        data="results/{paper}/data/cycling/{run}.csv",
        lib=lib("cycling"),
    output:
        "results/{paper}/metrics/cycling/{run}.json",
    log:
        "logs/analyse_cycling/{paper}/{run}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        meta=run_meta("cycling"),
        settings=config["cycling"],
    script:
        "../scripts/analyse_cycling.py"


rule summarise_cycling:
    input:
        metrics=per_run("results/{paper}/metrics/cycling/{run}.json", "cycling"),
        lib=[lib("cycling"), lib("cycling")],
    output:
        "results/{paper}/metrics/cycling/summary.csv",
    log:
        "logs/summarise_cycling/{paper}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        settings=config["cycling"],
    script:
        "../scripts/summarise_cycling.py"


rule ingest_rate:
    input:
        raw=raw_file("rate"),
        lib=[lib("readers/eclab"), lib("readers/generic_csv")],
    output:
        "results/{paper}/data/rate/{run}.csv",
    log:
        "logs/ingest_rate/{paper}/{run}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        meta=run_meta("rate"),
        technique="rate",
    script:
        "../scripts/ingest_eclab.py"


rule analyse_rate:
    input:
        data="results/{paper}/data/rate/{run}.csv",
        lib=lib("cycling"),
    output:
        "results/{paper}/metrics/rate/{run}.json",
    log:
        "logs/analyse_rate/{paper}/{run}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        meta=run_meta("rate"),
        settings=config["cycling"],
    script:
        "../scripts/analyse_rate.py"


rule summarise_rate:
    input:
        metrics=per_run("results/{paper}/metrics/rate/{run}.json", "rate"),
        lib=[lib("cycling"), lib("cycling")],
    output:
        "results/{paper}/metrics/rate/summary.csv",
    log:
        "logs/summarise_rate/{paper}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        settings=config["cycling"],
    script:
        "../scripts/summarise_rate.py"


rule ingest_cv:
    input:
        raw=raw_file("cv"),
        lib=[lib("readers/eclab"), lib("readers/generic_csv")],
    output:
        "results/{paper}/data/cv/{run}.csv",
    log:
        "logs/ingest_cv/{paper}/{run}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        meta=run_meta("cv"),
        technique="cv",
    script:
        "../scripts/ingest_eclab.py"


rule analyse_cv:
    input:
        data="results/{paper}/data/cv/{run}.csv",
        lib=lib("cv"),
    output:
        "results/{paper}/metrics/cv/{run}.json",
    log:
        "logs/analyse_cv/{paper}/{run}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        meta=run_meta("cv"),
        settings=config["cv"],
    script:
        "../scripts/analyse_cv.py"


rule summarise_cv:
    input:
        metrics=per_run("results/{paper}/metrics/cv/{run}.json", "cv"),
        lib=[lib("cv"), lib("cycling")],
    output:
        "results/{paper}/metrics/cv/summary.csv",
    log:
        "logs/summarise_cv/{paper}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        settings=config["cv"],
    script:
        "../scripts/summarise_cv.py"


rule ingest_gitt:
    input:
        raw=raw_file("gitt"),
        lib=[lib("readers/eclab"), lib("readers/generic_csv")],
    output:
        "results/{paper}/data/gitt/{run}.csv",
    log:
        "logs/ingest_gitt/{paper}/{run}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        meta=run_meta("gitt"),
        technique="gitt",
    script:
        "../scripts/ingest_eclab.py"


rule analyse_gitt:
    input:
        data="results/{paper}/data/gitt/{run}.csv",
        lib=lib("gitt"),
    output:
        "results/{paper}/metrics/gitt/{run}.json",
    log:
        "logs/analyse_gitt/{paper}/{run}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        meta=run_meta("gitt"),
        settings=config["gitt"],
    script:
        "../scripts/analyse_gitt.py"


rule summarise_gitt:
    input:
        metrics=per_run("results/{paper}/metrics/gitt/{run}.json", "gitt"),
        lib=[lib("gitt"), lib("cycling")],
    output:
        "results/{paper}/metrics/gitt/summary.csv",
    log:
        "logs/summarise_gitt/{paper}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        settings=config["gitt"],
    script:
        "../scripts/summarise_gitt.py"


# Stand-in EC-Lab files of both papers, regenerated from the forward models (not default):
#   snakemake --cores 2 --config regenerate_raw=true --forceall simulate_raw
if config["regenerate_raw"]:

    rule simulate_electrochem:
        input:
            params="resources/simulate/electrochem.yaml",
            lib=[
                lib("simulate/electrochem"),
                lib("simulate/cycling"),
                lib("simulate/cv"),
                lib("simulate/gitt"),
                lib("simulate/eclab_mpt"),
            ],
        output:
            sorted(
                {
                    path
                    for technique in ("cycling", "rate", "cv", "gitt")
                    for path in SHEETS[technique]["path"]
                    if path.startswith("resources/raw/")
                }
            ),
        log:
            "logs/simulate/electrochem.log",
        conda:
            "../envs/analysis.yaml"
        threads: 1
        resources:
            mem_mb=1000,
            runtime=10,
        script:
            "../scripts/simulate_electrochem.py"
