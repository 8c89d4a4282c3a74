# One job per (technique, paper): every run is ingested (data/), analysed (metrics/) and summarised.
# The rules are generated from the sample sheets; see batrepro/techniques/__init__.py for why they are batched.
for technique, paper in technique_papers():

    rule:
        name:
            f"process_{technique}_{paper}"
        input:
            raw=raw_files(technique, paper),
            aux=aux_files(technique, paper),
            libs=technique_libs(technique, paper),
        output:
            data=run_outputs(technique, paper, "data", "csv"),
            metrics=run_outputs(technique, paper, "metrics", "json"),
            curves=(
                run_outputs(technique, paper, "curves", "csv")
                if has_curves(technique)
                else []
            ),
            summary=f"results/{paper}/metrics/{technique}/summary.csv",
        log:
            f"logs/process/{technique}_{paper}.log",
        conda:
            "../envs/analysis.yaml"
        threads: 1
        resources:
            mem_mb=2000,
            runtime=30,
        params:
            technique=technique,
            paper=paper,
            runs=sheet_records(technique, paper),
            settings=technique_settings(technique),
        script:
            "../scripts/process_technique.py"
