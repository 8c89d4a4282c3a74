"""Forward models that write the stand-in raw files in the instruments' own formats.

The papers' raw data are not published, so every file under resources/raw/ is made here by a
physics-based model whose parameters are calibrated to what the papers report, with fixed seeds.
Nothing in the analysis package imports this sub-package: the analysis sees only the files.
"""
