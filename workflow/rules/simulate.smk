# Stand-in raw files, regenerated from the forward models (not part of the default target):
#   snakemake --cores 2 --config regenerate_raw=True --forceall simulate_raw
# The rules exist only with regenerate_raw=True, so a normal run treats resources/raw/ as
# read-only inputs and can never rewrite them. Parameters: resources/simulate/*.yaml.
if config["regenerate_raw"]:

    rule simulate_films:
        input:
            params="resources/simulate/kim2026_films.yaml",
            libs=libs_of("simulate/films"),
        output:
            film_outputs("resources/simulate/kim2026_films.yaml"),
        log:
            "logs/simulate/kim2026_films.log",
        conda:
            "../envs/analysis.yaml"
        threads: 1
        resources:
            mem_mb=1000,
            runtime=10,
        script:
            "../scripts/simulate_films.py"

    rule simulate_electrochem:
        input:
            params="resources/simulate/electrochem.yaml",
            libs=libs_of("simulate/electrochem"),
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

    rule simulate_eis:
        input:
            params="resources/simulate/eis.yaml",
            libs=libs_of("simulate/eis"),
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

    rule simulate_sem:
        input:
            params="resources/simulate/kim2026_sem.yaml",
            libs=libs_of("simulate/sem"),
        output:
            sorted(
                {
                    out
                    for path in SHEETS["sem"]["path"]
                    if path.startswith("resources/raw/")
                    for out in (
                        [path, path[: -len(".tif")] + ".txt"]
                        if path.endswith(".tif")
                        else [path]
                    )
                }
            ),
        log:
            "logs/simulate/kim2026_sem.log",
        conda:
            "../envs/analysis.yaml"
        threads: 1
        resources:
            mem_mb=1000,
            runtime=10,
        script:
            "../scripts/simulate_sem.py"

    rule simulate_raw:
        default_target: False
        input:
            rules.simulate_films.output,
            rules.simulate_electrochem.output,
            rules.simulate_eis.output,
            rules.simulate_sem.output,
