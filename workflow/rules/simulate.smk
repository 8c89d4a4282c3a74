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
                    for path in sheet_paths(technique)
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
                for path in sheet_paths("eis")
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

    rule simulate_indent_adhesion:
        input:
            params="resources/simulate/kim2026_indent_adhesion.yaml",
            libs=libs_of("simulate/indent_adhesion", "simulate/films"),
        output:
            sorted(
                path
                for technique in ("nanoindentation", "peel", "saicas")
                for path in sheet_paths(technique)
                if path.startswith("resources/raw/")
            ),
        log:
            "logs/simulate/indent_adhesion.log",
        conda:
            "../envs/analysis.yaml"
        threads: 1
        resources:
            mem_mb=1000,
            runtime=10,
        script:
            "../scripts/simulate_indent_adhesion.py"

    rule simulate_chem:
        input:
            params=expand("resources/simulate/{name}.yaml", name=("ftir", "dft", "gpc")),
            libs=libs_of("simulate/ftir", "simulate/gaussian", "simulate/gpc"),
        output:
            chem_outputs(),
        log:
            "logs/simulate/chem.log",
        conda:
            "../envs/analysis.yaml"
        threads: 1
        resources:
            mem_mb=1000,
            runtime=10,
        script:
            "../scripts/simulate_chem.py"

    rule simulate_sorption:
        input:
            params="resources/simulate/sorption.yaml",
            libs=libs_of("simulate/sorption"),
        output:
            sorted(
                path
                for path in sheet_paths("bet")
                if path.startswith("resources/raw/") and path.endswith(".xls")
            ),
        log:
            "logs/simulate/sorption.log",
        conda:
            "../envs/analysis.yaml"
        threads: 1
        resources:
            mem_mb=1000,
            runtime=10,
        script:
            "../scripts/simulate_surfaces.py"

    rule simulate_porosimetry:
        input:
            params="resources/simulate/porosimetry.yaml",
            libs=libs_of("simulate/porosimetry"),
        output:
            sorted(
                path
                for path in sheet_paths("mip")
                if path.startswith("resources/raw/") and path.endswith(".txt")
            ),
        log:
            "logs/simulate/porosimetry.log",
        conda:
            "../envs/analysis.yaml"
        threads: 1
        resources:
            mem_mb=1000,
            runtime=10,
        script:
            "../scripts/simulate_surfaces.py"

    rule simulate_xps:
        input:
            params="resources/simulate/xps.yaml",
            libs=libs_of("simulate/xps"),
        output:
            sorted(
                path
                for path in sheet_paths("xps")
                if path.startswith("resources/raw/")
            ),
        log:
            "logs/simulate/xps.log",
        conda:
            "../envs/analysis.yaml"
        threads: 1
        resources:
            mem_mb=1000,
            runtime=10,
        script:
            "../scripts/simulate_xps.py"

    rule simulate_sem:
        input:
            params="resources/simulate/kim2026_sem.yaml",
            libs=libs_of("simulate/sem"),
        output:
            sorted(
                {
                    out
                    for path in sheet_paths("sem")
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
            rules.simulate_indent_adhesion.output,
            rules.simulate_chem.output,
            rules.simulate_sorption.output,
            rules.simulate_porosimetry.output,
            rules.simulate_xps.output,
            rules.simulate_sem.output,
