"""The reproduction audit: the registries of reported numbers, reported vs recomputed, the papers' own
arithmetic, and the checksum manifest."""
