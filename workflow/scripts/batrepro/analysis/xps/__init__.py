"""XPS analysis: backgrounds, line shapes, component fits and quantification (pure functions)."""
