"""JEOL SEM images: a TIFF with the ``.txt`` sidecar of the same basename that carries the scale.

Layout accepted (JEOL JSM-6xxx/7xxx "SEM" text, ``$CM_FORMAT JEOL/SEM`` or ``JEOL-SEM``): one ``$KEY value``
pair per line, the value after the first run of white space, e.g.::

    $CM_FORMAT JEOL/SEM
    $CM_MAG 4000
    $CM_FULL_SIZE 1280 960          image area (width height, px) without the burnt-in data bar
    $$SM_MICRON_BAR 144             length of the scale bar in px
    $$SM_MICRON_MARKER 5um          what the scale bar stands for (nm, um, µm or mm)

Pixel size = marker / bar px (as the IMBalENce/EM-tool ImageJ macro ``SEM_JOEL_Scale.ijm`` computes it). The
TIFF is usually taller than ``$CM_FULL_SIZE`` because the microscope burns the data bar in below the image;
the reader crops to ``$CM_FULL_SIZE`` (top-left origin). The TIFF is read with ``tifffile`` (8- or 16-bit
grey, or RGB converted to luminance); compression is whatever tifffile decodes (none, deflate, LZW, PackBits).

A TIFF without a sidecar is read whole and without a scale: the sample sheet's ``pixel_size_um`` must then
give it (the plug-in checks). Returns a :class:`RawTable` whose ``data`` is the cropped image (one row per
pixel row, one column per pixel column, grey levels) and whose header holds the scale and the sidecar keys.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ._common import RawDataError, RawTable, check_file

FORMATS = {"jeol_sem_tif": "read_jeol_sem"}

_LINE = re.compile(r"^\s*(\$\$?[A-Z0-9_]+)(?:\s+(.*?))?\s*$")
_MARKER = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(nm|um|µm|μm|mm)\s*$", re.IGNORECASE)
_UNIT_UM = {"nm": 1e-3, "um": 1.0, "µm": 1.0, "μm": 1.0, "mm": 1e3}


def sidecar_of(path: str | Path) -> Path | None:
    """The ``.txt`` (or ``.TXT``) file with the image's basename, or None."""
    p = Path(path)
    for ext in (".txt", ".TXT"):
        candidate = p.with_suffix(ext)
        if candidate.is_file():
            return candidate
    return None


def parse_sidecar(path: str | Path) -> dict[str, tuple[str, int]]:
    """``{key: (value, line)}`` of a JEOL sidecar; keys keep their ``$``/``$$`` prefix."""
    text = Path(path).read_bytes().decode("latin-1")
    out: dict[str, tuple[str, int]] = {}
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        m = _LINE.match(line)
        if m is None:
            raise RawDataError(path, f"not a '$KEY value' line: {line.strip()[:60]!r}", i)
        out[m.group(1)] = (m.group(2) or "", i)
    if not out:
        raise RawDataError(path, "empty sidecar: no '$KEY value' lines")
    fmt = out.get("$CM_FORMAT", ("", 0))[0]
    if "$CM_FORMAT" in out and "JEOL" not in fmt.upper():
        raise RawDataError(path, f"$CM_FORMAT is {fmt!r}, not a JEOL SEM sidecar", out["$CM_FORMAT"][1])
    return out


def scale_of(path, keys: dict[str, tuple[str, int]]) -> dict:
    """Image size and pixel size from the sidecar keys; a missing or malformed key is an error."""
    for key in ("$CM_FULL_SIZE", "$$SM_MICRON_BAR", "$$SM_MICRON_MARKER"):
        if key not in keys:
            raise RawDataError(path, f"sidecar lacks {key} (needed for the scale)")
    size, line = keys["$CM_FULL_SIZE"]
    parts = size.split()
    if len(parts) != 2 or not all(p.isdigit() and int(p) > 0 for p in parts):
        raise RawDataError(path, f"$CM_FULL_SIZE must be 'width height' in px, found {size!r}", line)
    bar, bar_line = keys["$$SM_MICRON_BAR"]
    try:
        bar_px = float(bar)
    except ValueError:
        bar_px = float("nan")
    if not bar_px > 0:
        raise RawDataError(path, f"$$SM_MICRON_BAR must be a positive length in px, found {bar!r}", bar_line)
    marker, marker_line = keys["$$SM_MICRON_MARKER"]
    m = _MARKER.match(marker)
    if m is None:
        raise RawDataError(path, f"$$SM_MICRON_MARKER must be a length like '5um', found {marker!r}", marker_line)
    marker_um = float(m.group(1)) * _UNIT_UM[m.group(2).lower()]
    return {
        "width_px": int(parts[0]),
        "height_px": int(parts[1]),
        "full_size_line": line,
        "bar_px": bar_px,
        "marker_um": marker_um,
        "pixel_size_um": marker_um / bar_px,
    }


def _number(keys, key):
    try:
        return float(keys[key][0].split()[0])
    except (KeyError, IndexError, ValueError):
        return None


def read_image(path: str | Path) -> np.ndarray:
    """The first page of a TIFF as a 2-D grey array (RGB/RGBA converted to luminance)."""
    import tifffile

    check_file(path, what="an SEM image")
    try:
        image = tifffile.imread(path, key=0)
    except Exception as err:  # tifffile raises TiffFileError, ValueError, struct/zlib errors on a bad file
        raise RawDataError(path, f"not a readable TIFF ({type(err).__name__}: {err})") from None
    if image.ndim == 3 and image.shape[-1] in (3, 4):
        from skimage.color import rgb2gray

        peak = float(np.iinfo(image.dtype).max) if image.dtype.kind == "u" else 1.0
        image = rgb2gray(image[..., :3]) * peak  # luminance, back on the file's grey scale
    if image.ndim != 2:
        raise RawDataError(path, f"expected a single grey image, found an array of shape {image.shape}")
    if image.dtype.kind not in "uif":
        raise RawDataError(path, f"unsupported pixel type {image.dtype}")
    return image


def read_jeol_sem(path: str | Path) -> RawTable:
    """Read a JEOL SEM TIFF and its sidecar; crop the data bar; the scale in the header (see module doc)."""
    image = read_image(path)
    h, w = image.shape
    header: dict = {"tiff_height_px": h, "tiff_width_px": w}
    side = sidecar_of(path)
    if side is not None:
        keys = parse_sidecar(side)
        scale = scale_of(side, keys)
        if scale["width_px"] != w or scale["height_px"] > h:
            raise RawDataError(
                side,
                f"$CM_FULL_SIZE {scale['width_px']} x {scale['height_px']} px contradicts the image "
                f"({w} x {h} px; the image area must have the TIFF's width and at most its height)",
                scale["full_size_line"],
            )
        image = image[: scale["height_px"], : scale["width_px"]]
        header.update(
            sidecar=str(side),
            pixel_size_um=scale["pixel_size_um"],
            scale_bar_px=scale["bar_px"],
            scale_bar_um=scale["marker_um"],
            data_bar_rows=h - scale["height_px"],
            magnification=_number(keys, "$CM_MAG"),
            accelerating_voltage_kV=_number(keys, "$CM_ACCEL_VOLT"),
            working_distance_mm=_number(keys, "$$SM_WD"),
            instrument=keys.get("$CM_INSTRUMENT", ("", 0))[0],
            signal=keys.get("$CM_SIGNAL", ("", 0))[0],
        )
    data = pd.DataFrame(np.ascontiguousarray(image), columns=pd.RangeIndex(image.shape[1]).astype(str))
    return RawTable(data, "SEM image", header, str(path))
