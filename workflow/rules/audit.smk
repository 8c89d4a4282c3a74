rule audit:
    input:
        registries=registries(),
        summaries=technique_summaries(),
        consistency="results/reproduction/consistency.csv",
        schema=source("../schemas/registry.schema.yaml"),
        libs=libs_of("audit/reproduction", "audit/registry", "outputs"),
    output:
        csv="results/reproduction/audit.csv",
        md="results/reproduction/audit.md",
    log:
        "logs/audit/audit.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    script:
        "../scripts/run_audit.py"


rule consistency:
    input:
        registries=registries(),
        generic_checks="resources/reported/generic.checks.yaml",
        schema=source("../schemas/registry.schema.yaml"),
        libs=libs_of("audit/consistency", "audit/registry", "outputs"),
    output:
        csv="results/reproduction/consistency.csv",
        md="results/reproduction/consistency.md",
    log:
        "logs/audit/consistency.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    script:
        "../scripts/run_consistency.py"


rule report:
    input:
        figures=all_figures() + all_composites(),
        tables=all_tables(),
        audit="results/reproduction/audit.csv",
        consistency="results/reproduction/consistency.csv",
        libs=libs_of("report/html", "outputs"),
    output:
        "results/report.html",
    log:
        "logs/report/report.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        papers=config["papers"],
        figures=config["figures"],
        composites=config["composites"],
        tables=config["tables"],
    script:
        "../scripts/make_report.py"


rule manifest:
    input:
        outputs=final_outputs(),
        lib=lib("audit/manifest"),
    output:
        "results/manifest.sha256",
    log:
        "logs/manifest/manifest.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    script:
        "../scripts/make_manifest.py"


rule check:
    input:
        manifest="results/manifest.sha256",
        audit="results/reproduction/audit.csv",
        expected_manifest="resources/expected/manifest.sha256",
        expected_reproduced="resources/expected/reproduced_ids.txt",
        lib=lib("audit/manifest"),
    log:
        "logs/check/check.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    script:
        "../scripts/check_reproduction.py"


rule update_expected:
    input:
        manifest="results/manifest.sha256",
        audit="results/reproduction/audit.csv",
    log:
        "logs/check/update_expected.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        manifest="resources/expected/manifest.sha256",
        reproduced="resources/expected/reproduced_ids.txt",
    script:
        "../scripts/update_expected.py"
