"""check: exit non-zero, naming what changed, if an output's checksum or a `reproduced` verdict changed.

The files under results/ are hashed afresh here (not read from results/manifest.sha256), so a file that is
missing, extra (stale) or changed on disk is named even when the manifest file says otherwise."""

import sys
from pathlib import Path

import pandas as pd

from batrepro.audit.manifest import compare, parse_manifest, tree_manifest
from batrepro.audit.reproduction import regressions
from batrepro.rule_logging import script_logging

with script_logging(snakemake.log[0]) as log:
    with open(snakemake.input.expected_manifest, encoding="utf-8") as fh:
        expected = parse_manifest(fh.read())
    actual = tree_manifest(Path(snakemake.input.manifest).parent)
    with open(snakemake.input.expected_reproduced, encoding="utf-8") as fh:
        was_reproduced = [line.strip() for line in fh if line.strip() and not line.startswith("#")]
    audit = pd.read_csv(snakemake.input.audit, keep_default_na=False, na_values=[""])
    problems = compare(expected, actual) + [f"no longer reproduced: {r}" for r in regressions(was_reproduced, audit)]
    for p in problems:
        log.error(p)
        print(f"check: {p}", file=sys.stderr)
    if problems:
        print(f"check: FAILED, {len(problems)} difference(s) from resources/expected/", file=sys.stderr)
        sys.exit(1)
    print(
        f"check: OK, {len(actual)} outputs byte-identical, {len(was_reproduced)} numbers still reproduced",
        file=sys.stderr,
    )
