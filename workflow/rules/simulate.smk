# Stand-in raw files, regenerated from the forward models (not part of the default target):
#   snakemake --cores 2 --config regenerate_raw=true --forceall simulate_raw
# The rules exist only with regenerate_raw=true, so a normal run treats resources/raw/ as
# read-only inputs and can never rewrite them.
if config["regenerate_raw"]:

    rule simulate_films:
        input:
            params="resources/simulate/kim2026_films.yaml",
            lib=[
                lib("simulate/films"),
                lib("simulate/dma"),
                lib("simulate/tensile"),
            ],
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

    rule simulate_raw:
        default_target: False
        input:
            rules.simulate_films.output,
