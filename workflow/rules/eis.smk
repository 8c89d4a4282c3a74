rule ingest_eis:
    input:
        raw=raw_file("eis"),
        lib=[lib("eis"), lib("readers/eclab"), lib("readers/generic_csv")],
    output:
        "results/{paper}/data/eis/{run}.csv",
    log:
        "logs/ingest_eis/{paper}/{run}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        meta=run_meta("eis"),
    script:
        "../scripts/ingest_eis.py"


rule analyse_eis:
    input:
        spectrum="results/{paper}/data/eis/{run}.csv",
        lib=lib("eis"),
    output:
        "results/{paper}/metrics/eis/{run}.json",
    log:
        "logs/analyse_eis/{paper}/{run}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        circuit=lookup(dpath="eis/papers/{paper}/circuit", within=config),
        tau_windows=lookup(dpath="eis/papers/{paper}/tau_windows", within=config),
        fit_weights=config["eis"]["fit_weights"],
        drop_inductive=config["eis"]["drop_inductive"],
        drt=config["eis"]["drt"],
        linkk=config["eis"]["linkk"],
    script:
        "../scripts/analyse_eis.py"


rule summarise_eis:
    input:
        metrics=per_run("results/{paper}/metrics/eis/{run}.json", "eis"),
        lib=lib("eis"),
    output:
        "results/{paper}/metrics/eis/summary.csv",
    log:
        "logs/summarise_eis/{paper}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        runs=sheet_rows("eis"),
    script:
        "../scripts/summarise_eis.py"


# Stand-in spectra, regenerated from resources/simulate/eis.yaml (not part of the default target):
#   snakemake --cores 2 --config regenerate_raw=true --forceall simulate_eis
if config["regenerate_raw"]:

    rule simulate_eis:
        input:
            params="resources/simulate/eis.yaml",
            lib=[lib("simulate/eis"), lib("simulate/eclab_mpt")],
        output:
            sorted(
                path
                for path in SHEETS["eis"]["path"]
                if path.startswith("resources/raw/") and path.endswith(".mpt")
            ),
        log:
            "logs/simulate/eis.log",
        conda:
            "../envs/analysis.yaml"
        threads: 1
        resources:
            mem_mb=1000,
            runtime=10,
        script:
            "../scripts/simulate_eis.py"
