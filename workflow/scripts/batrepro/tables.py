"""Table functions, registered by the name a table's `table:` key uses in config/config.yaml.

Each function has the signature ``f(spec, runs, metrics, summary) -> DataFrame`` with an explicit
column order; the table rule sorts nothing itself, so the function returns rows in a stable order.
"""

from . import dma, tensile

TABLES = {
    "dma_summary": dma.summary_table,
    "tensile_summary": tensile.summary_table,
    # -- electrochemistry tables register below this line --
    # -- EIS tables register below this line --
}
