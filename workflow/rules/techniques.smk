# Technique jobs, generated from the sample sheets: every run is ingested (data/) and analysed (metrics/,
# curves/) in batches of at most `batch_runs` runs (config) (process_<technique>_<paper>, or ..._<k> when there are several
# batches), then summarised (summary.csv) in the batch job when there is one batch, else by
# summarise_<technique>_<paper>. Why batches: batrepro/techniques/__init__.py and README.md (campaign scale).
for technique, paper in technique_papers():
    batches = run_batches(technique, paper)
    one = len(batches) == 1

    for k, batch in enumerate(batches):

        rule:
            name:
                batch_rule_name(technique, paper, k, len(batches))
            input:
                raw=raw_files(technique, paper, batch),
                aux=aux_files(technique, paper, batch),
                libs=technique_libs(technique, paper),
            output:
                data=run_outputs(technique, paper, "data", "csv", batch),
                metrics=run_outputs(technique, paper, "metrics", "json", batch),
                curves=(
                    run_outputs(technique, paper, "curves", "csv", batch)
                    if has_curves(technique)
                    else []
                ),
                summary=(
                    f"results/{paper}/metrics/{technique}/summary.csv" if one else []
                ),
            log:
                f"logs/process/{batch_rule_name(technique, paper, k, len(batches))}.log",
            conda:
                "../envs/analysis.yaml"
            threads: 1
            resources:
                mem_mb=2000,
                runtime=30,
            params:
                technique=technique,
                paper=paper,
                runs=sheet_records(technique, paper, batch),
                settings=technique_settings(technique),
            script:
                "../scripts/process_technique.py"

    if not one:

        rule:
            name:
                f"summarise_{technique}_{paper}"
            input:
                metrics=run_outputs(technique, paper, "metrics", "json"),
                libs=technique_libs(technique, paper),
            output:
                summary=f"results/{paper}/metrics/{technique}/summary.csv",
            log:
                f"logs/process/summarise_{technique}_{paper}.log",
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
                "../scripts/summarise_technique.py"
