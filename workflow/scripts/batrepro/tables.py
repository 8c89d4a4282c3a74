"""Table functions, registered by the name a table's `table:` key uses in config/config.yaml.

Each function has the signature ``f(spec, runs, metrics, summary) -> DataFrame`` with an explicit
column order; the table rule sorts nothing itself, so the function returns rows in a stable order.
"""

from . import cycling, dma, eis, gitt, tensile

TABLES = {
    "dma_summary": dma.summary_table,
    "tensile_summary": tensile.summary_table,
    # -- electrochemistry tables register below this line --
    "cycling_summary": cycling.summary_table,
    "gitt_titrations": gitt.titration_table,
    # -- EIS tables register below this line --
    "eis_processes": eis.process_table_rows,
    "eis_fit_parameters": eis.fit_table_rows,
}
