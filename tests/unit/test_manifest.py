"""The checksum manifest, and the check that compares what is on disk with the expected manifest."""

from __future__ import annotations

from batrepro.audit.manifest import compare, manifest_text, parse_manifest, tree_manifest


def _tree(root):
    (root / "a").mkdir(parents=True)
    (root / "a/one.csv").write_text("1\n")
    (root / "two.json").write_text("{}\n")
    (root / "manifest.sha256").write_text("whatever it says\n")


def test_the_tree_manifest_equals_the_written_manifest_and_skips_the_manifest_itself(tmp_path):
    _tree(tmp_path)
    files = [tmp_path / "a/one.csv", tmp_path / "two.json"]
    assert tree_manifest(tmp_path) == parse_manifest(manifest_text(files, tmp_path))
    assert "manifest.sha256" not in tree_manifest(tmp_path)


def test_a_missing_an_extra_and_a_changed_file_are_each_named(tmp_path):
    _tree(tmp_path)
    expected = tree_manifest(tmp_path)
    (tmp_path / "a/one.csv").unlink()
    (tmp_path / "two.json").write_text('{"x": 1}\n')
    (tmp_path / "a/stale.svg").write_text("<svg/>")
    assert compare(expected, tree_manifest(tmp_path)) == [
        "missing: a/one.csv",
        "extra: a/stale.svg",
        "changed: two.json",
    ]
    assert compare(expected, expected) == []
