"""batrepro: reproduce battery-materials papers from raw instrument files.

Sub-packages
------------
readers     one reader per vendor format -> canonical tidy tables (the only vendor-aware code)
simulate    physics-based forward models that write the stand-in raw files (never imported by analysis)
plots       plotting functions: metrics and data in, matplotlib Figure out

Modules per technique (dma, tensile, ...) hold pure analysis functions.
"""

__version__ = "0.1.0"
