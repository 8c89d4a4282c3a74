"""The shared vocabulary: condition strings, the long summary row, canonical columns.

Every reader, technique and audit step speaks these; each concept lives in exactly one module.
"""
