"""The report: one HTML page with every figure, table and audit, and the composite figures."""
