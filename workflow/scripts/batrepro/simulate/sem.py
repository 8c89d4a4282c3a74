"""Forward model of SEM cross-sections of Si composite anodes on Cu foil, written as JEOL files.

Stand-ins for Kim et al. 2026 Fig. 4a/b (the paper publishes neither the images nor a thickness in µm).
Each image is built from the physical layout of a polished cross-section, top to bottom: embedding epoxy
(dark), the composite coating (mid grey, with a particle/pore texture), the Cu current collector (bright),
then, if the foil ends inside the field, epoxy again. The coating's top edge and the foil edge are rough
(Gaussian-correlated height profiles); the image gets polishing streaks (curtaining) and shot noise, is
blurred by the probe (Gaussian) and quantised to 8 bits. Below the image area the microscope burns
in a data bar (signal, kV, magnification, scale bar, WD), so the TIFF is taller than ``$CM_FULL_SIZE``; the
JEOL ``.txt`` sidecar of the same basename carries the scale (``$$SM_MICRON_BAR`` px = ``$$SM_MICRON_MARKER``).

Every image draws its own specimen: the field's mean thickness is the electrode's nominal thickness times
``1 + N(0, site_sd)`` (site-to-site variation of a doctor-bladed coating), so the analysis recovers the
calibrated expansion and contraction closely but not exactly. An ImageJ "Results" CSV is also written per
image, as a person measures it: a number of straight lines from the foil edge to the coating top at spread
columns, each end placed with a click error, the scale set from the data bar.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import ndimage

from ..outputs import write_bytes, write_text

#: width of the 4:3 field at magnification 1 (mm): at X5,000 a 1280 px frame is 35.6 µm wide (5 µm = 180 px)
FIELD_WIDTH_MM = 177.8


@dataclass(frozen=True)
class Field:
    """One cross-section image: what the specimen is and how the microscope sees it."""

    name: str
    thickness_um: float  # mean coating thickness of this field
    magnification: int
    marker_um: float
    width_px: int
    height_px: int
    bar_height_px: int

    @property
    def bar_px(self) -> int:
        return round(self.marker_um / (FIELD_WIDTH_MM * 1e3 / self.magnification / self.width_px))

    @property
    def pixel_um(self) -> float:
        """The pixel size the scale bar states (what the analysis can know)."""
        return self.marker_um / self.bar_px


def magnification_for(thickness_um: float, height_px: int, width_px: int, fill: float, choices) -> int:
    """The highest magnification at which the coating fills at most ``fill`` of the image height."""
    fits = [m for m in choices if thickness_um / (FIELD_WIDTH_MM * 1e3 / m / width_px) <= fill * height_px]
    return max(fits) if fits else min(choices)


def _rough(rng, n: int, rms: float, corr: float) -> np.ndarray:
    """A Gaussian-correlated height profile of ``n`` points (rms and correlation length in px)."""
    z = ndimage.gaussian_filter1d(rng.standard_normal(n + 8 * int(corr + 1)), corr, mode="wrap")
    z = z[4 * int(corr + 1) : 4 * int(corr + 1) + n]
    return (z - z.mean()) / (z.std() + 1e-12) * rms


def render(field: Field, model: dict, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The cross-section image (height_px x width_px, float grey levels) and the true edges (px, per column)."""
    h, w, px = field.height_px, field.width_px, field.pixel_um
    t_px = field.thickness_um / px
    cu_edge0 = model["foil_row_fraction"] * h
    cu_edge = cu_edge0 + _rough(rng, w, model["foil_rms_um"] / px, model["foil_corr_um"] / px)
    top_rms = model["top_rms_fraction"] * field.thickness_um / px
    top = cu_edge0 - t_px + _rough(rng, w, top_rms, model["top_corr_um"] / px)
    top += t_px - (cu_edge - top).mean()  # the field's mean thickness is exactly the drawn one
    foil_end = cu_edge + model["foil_um"] / px
    g = model["grey"]
    rows = np.arange(h)[:, None] + 0.5
    img = np.full((h, w), float(g["epoxy"]))
    # coating texture: Si particles (bright), pores (dark), binder/carbon matrix between them
    blob = ndimage.gaussian_filter(rng.standard_normal((h, w)), model["particle_um"] / px)
    blob /= blob.std()
    coat = np.full((h, w), float(g["matrix"]))
    coat[blob > model["particle_level"]] = g["particle"]
    coat[blob < -model["pore_level"]] = g["pore"]
    in_coat = (rows >= top) & (rows < cu_edge)
    img[in_coat] = coat[in_coat]
    # the SEI edge effect brightens a thin rim below the free surface
    rim = in_coat & (rows < top + model["rim_um"] / px)
    img[rim] += g["rim"]
    in_foil = (rows >= cu_edge) & (rows < foil_end)
    img[in_foil] = g["copper"]
    # curtaining from the cross-section polish: faint vertical streaks over the whole field
    img *= 1 + model["curtain"] * _rough(rng, w, 1.0, model["curtain_corr_px"])[None, :]
    # shot noise of a slow-scan frame, spread with the signal over the probe/interaction volume
    img += rng.standard_normal((h, w)) * model["noise"]
    img = ndimage.gaussian_filter(img, model["probe_px"])
    return img, top, cu_edge


def data_bar(field: Field, kv: float, wd_mm: float) -> np.ndarray:
    """The burnt-in JEOL data bar (bar_height_px x width_px, uint8): text and the scale bar."""
    from PIL import Image, ImageDraw, ImageFont

    bar = Image.new("L", (field.width_px, field.bar_height_px), 0)
    draw = ImageDraw.Draw(bar)
    font = ImageFont.load_default(size=max(12, field.bar_height_px // 3))
    marker = f"{field.marker_um:g}µm"
    text = f"SEI   {kv:.1f}kV   X{field.magnification:,}   {marker}   WD {wd_mm:.1f}mm"
    draw.text((16, field.bar_height_px // 3), text, fill=255, font=font)
    x0 = field.width_px - field.bar_px - 40
    y = field.bar_height_px // 2
    draw.rectangle([x0, y - 2, x0 + field.bar_px - 1, y + 2], fill=255)
    return np.asarray(bar, dtype=np.uint8)


def sidecar_text(field: Field, meta: dict, tiff_name: str) -> str:
    """The JEOL SEM ``.txt`` sidecar (``$CM_``/``$$SM_`` keys, one per line, value after white space)."""
    lines = [
        ("$CM_FORMAT", "JEOL/SEM"),
        ("$CM_VERSION", "1.0"),
        ("$CM_COMMENT", "simulated stand-in (batrepro.simulate.sem), not a measurement"),
        ("$CM_DATE", meta["date"]),
        ("$CM_TIME", meta["time"]),
        ("$CM_INSTRUMENT", meta["instrument"]),
        ("$CM_OPERATOR", "batrepro"),
        ("$CM_SIGNAL", "SEI"),
        ("$CM_MAG", str(field.magnification)),
        ("$CM_ACCEL_VOLT", f"{meta['kv']:.2f}"),
        ("$CM_IMAGE_NAME", tiff_name),
        ("$CM_FULL_SIZE", f"{field.width_px} {field.height_px}"),
        ("$CM_STAGE_POS", meta["stage"]),
        ("$$SM_MICRON_BAR", str(field.bar_px)),
        ("$$SM_MICRON_MARKER", f"{field.marker_um:g}um"),
        ("$$SM_WD", f"{meta['wd_mm']:.1f}"),
        ("$$SM_SCAN_ROTATION", "0.0"),
    ]
    return "".join(f"{k} {v}\n" for k, v in lines)


def tiff_bytes(image: np.ndarray) -> bytes:
    """An 8-bit greyscale TIFF, deflate-compressed with horizontal differencing (deterministic)."""
    import tifffile

    buf = io.BytesIO()
    tifffile.imwrite(
        buf,
        image,
        photometric="minisblack",
        compression="zlib",
        compressionargs={"level": 9},
        predictor=True,
        metadata=None,
        description="simulated stand-in (batrepro.simulate.sem), not a measurement",
        software=False,
    )
    return buf.getvalue()


def imagej_csv(field: Field, top: np.ndarray, cu_edge: np.ndarray, n_lines: int, click_px: float, rng) -> str:
    """An ImageJ Results table (File > Save As, "Display label" and "Bounding rectangle" set) of straight lines
    drawn by hand from the foil edge to the coating top, the scale set from the data bar (µm)."""
    w = field.width_px
    xs = (np.arange(n_lines) + 0.5) * w / n_lines + rng.uniform(-0.3, 0.3, n_lines) * w / n_lines
    rows = [" ,Label,BX,BY,Width,Height,Angle,Length"]
    for i, x in enumerate(xs, start=1):
        c = int(np.clip(round(x), 0, w - 1))
        x1, y1 = x + rng.normal(0, click_px), cu_edge[c] + rng.normal(0, click_px)
        x2, y2 = x + rng.normal(0, click_px), top[c] + rng.normal(0, click_px)
        dx, dy = x2 - x1, y1 - y2
        length = np.hypot(dx, dy) * field.pixel_um
        angle = np.degrees(np.arctan2(dy, dx))
        bx, by = min(x1, x2) * field.pixel_um, min(y1, y2) * field.pixel_um
        rows.append(
            f"{i},{field.name}.tif,{bx:.3f},{by:.3f},{abs(dx) * field.pixel_um:.3f},"
            f"{abs(dy) * field.pixel_um:.3f},{angle:.3f},{length:.3f}"
        )
    return "\n".join(rows) + "\n"


def electrode_fields(params: dict, samples: list[str] | None = None) -> dict[str, bytes | str]:
    """{path: file content} for every (sample, state) image: TIFF, JEOL sidecar, ImageJ Results CSV.

    Each image has its own random stream (seeded by the parameter file's seed, the sample's and the state's
    index), so one sample's files can be regenerated alone (``samples``) and come out the same."""
    img, model, meta = params["image"], params["model"], params["meta"]
    t0 = params["pristine_thickness_um"]
    out: dict[str, bytes | str] = {}
    for k, s in enumerate(params["samples"]):
        if samples is not None and s["sample"] not in samples:
            continue
        nominal = {
            "pristine": t0,
            "lithiated": t0 * (1 + s["expansion_pct"] / 100),
            "delithiated": t0 * (1 + s["contraction_pct"] / 100),
        }
        for j, state in enumerate(params["states"]):
            rng = np.random.default_rng([params["seed"], k, j])
            t = nominal[state] * (1 + rng.normal(0, params["site_sd"]))
            mag = magnification_for(t, img["height_px"], img["width_px"], img["fill"], img["magnifications"])
            field = Field(
                f"{s['sample']}_{state}",
                t,
                mag,
                params["marker_um"],
                img["width_px"],
                img["height_px"],
                img["bar_height_px"],
            )
            grey, top, cu_edge = render(field, model, rng)
            pixels = np.clip(np.rint(grey), 0, 255).astype(np.uint8)
            tiff = np.vstack([pixels, data_bar(field, meta["kv"], meta["wd_mm"])])
            base = Path(params["directory"]) / field.name
            stamp = {**meta, "time": f"{10 + k:02d}:{12 * j:02d}:00", "stage": f"{k * 2.5:.1f} {j * 1.5:.1f} 10.0 0 0"}
            out[f"{base}.tif"] = tiff_bytes(tiff)
            out[f"{base}.txt"] = sidecar_text(field, stamp, f"{field.name}.tif")
            lines = params["imagej"]
            out[f"{base}_imagej.csv"] = imagej_csv(field, top, cu_edge, lines["n_lines"], lines["click_px"], rng)
    return out


def write_files(files: dict[str, bytes | str], root: str | Path = ".") -> None:
    for path, content in sorted(files.items()):
        (write_bytes if isinstance(content, bytes) else write_text)(Path(root) / path, content)
