"""Electrode thickness from SEM cross-sections, and the swelling percentages derived from it.

No standard governs electrode-thickness measurement on SEM cross-sections; the method follows common
practice (thickness = distance from the current collector to the coating's free surface, measured at many
positions across the field and reported as mean ± SD; e.g. the ImageJ line measurements that labs make by
hand), done automatically with scikit-image (van der Walt et al., PeerJ 2014):

1. Columns are taken in blocks of ``column_step_px`` (``skimage.transform.downscale_local_mean`` across x),
   then Gaussian smoothing (``skimage.filters.gaussian``, σ = ``smoothing_px``) suppresses shot noise and the
   sub-particle texture.
2. Three-class multi-Otsu thresholds (``skimage.filters.threshold_multiotsu``; Liao, Chen & Chung, J. Inf.
   Sci. Eng. 2001) split the grey levels into embedding/background, composite coating and Cu foil, the
   brightest phase in secondary-electron images of a polished cross-section.
3. Binary morphology (``skimage.morphology``): an opening with a vertical line of ``min_feature_px``
   removes bright particles from the foil mask; in the coating mask a horizontal closing of ``surface_bridge_px``
   bridges pores open to the free surface (the top edge is the surface envelope), ``remove_small_holes``
   fills the pores inside, and a vertical opening removes specks in the embedding.
4. In every analysed column the foil edge is the first foil row from the top, the coating top the first
   coating row; both are refined to sub-pixel positions by linear interpolation of the smoothed profile at
   the threshold. Thickness per column = (foil edge - top edge) x pixel size.

The mean's standard error uses batch means over ``se_blocks`` contiguous blocks of columns, because
neighbouring columns are correlated through the edge roughness. The analysis is pure: arrays in, numbers out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: every reading of the paper's "volume recovery" that its text allows (Kim et al. 2026, Fig. 4b):
#: name -> (formula on the pristine, lithiated and delithiated thicknesses, description)
RECOVERY_READINGS = {
    "stated_definition": (
        lambda t0, tl, td: 100 * td / tl,
        "t_delith / t_lith x 100 ('the ratio of the thickness ... after the first full delithiation to that after "
        "the first full lithiation')",
    ),
    "recovered_fraction": (
        lambda t0, tl, td: 100 * (tl - td) / (tl - t0),
        "(t_lith - t_delith) / (t_lith - t0) x 100 = (expansion - contraction) / expansion: the share of the "
        "lithiation swelling recovered on delithiation",
    ),
    "return_to_initial": (
        lambda t0, tl, td: 100 * t0 / td,
        "t0 / t_delith x 100: how close the delithiated electrode comes back to its initial thickness",
    ),
}


@dataclass(frozen=True)
class Thickness:
    """Coating thickness of one image: per-column values and their statistics."""

    mean_um: float
    sd_um: float
    se_um: float
    n: int
    method: str
    columns_px: np.ndarray | None = None
    top_px: np.ndarray | None = None
    foil_px: np.ndarray | None = None
    thresholds: tuple[float, float] | None = None

    def as_dict(self) -> dict:
        out = {
            "thickness_mean_um": self.mean_um,
            "thickness_sd_um": self.sd_um,
            "thickness_se_um": self.se_um,
            "n_positions": self.n,
            "thickness_method": self.method,
        }
        if self.thresholds is not None:
            out["threshold_coating"], out["threshold_foil"] = self.thresholds
        return out


def _vertical(n: int) -> np.ndarray:
    return np.ones((max(int(n), 1), 1), dtype=bool)


def _first_true(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row of the first True per column, and whether the column has one."""
    found = mask.any(axis=0)
    return np.argmax(mask, axis=0), found


def _subpixel(smooth: np.ndarray, rows: np.ndarray, cols: np.ndarray, level: float) -> np.ndarray:
    """Edge position (px, pixel centres at i + 0.5) where the profile crosses ``level`` between rows r-1 and r."""
    r = np.clip(rows, 1, smooth.shape[0] - 1)
    above, below = smooth[r - 1, cols], smooth[r, cols]
    step = below - above
    frac = np.where(np.abs(step) > 1e-9, (level - above) / np.where(step == 0, 1, step), 0.5)
    return r - 0.5 + np.clip(frac, 0.0, 1.0)


def batch_se(values: np.ndarray, blocks: int) -> float:
    """Standard error of the mean of a correlated series by batch means over ``blocks`` contiguous blocks."""
    values = np.asarray(values, dtype=float)
    k = min(int(blocks), values.size)
    if k < 2:
        return math.nan
    means = np.array([b.mean() for b in np.array_split(values, k)])
    return float(means.std(ddof=1) / math.sqrt(k))


def image_thickness(
    image: np.ndarray,
    pixel_size_um: float,
    *,
    smoothing_px: float,
    min_feature_px: int,
    surface_bridge_px: int,
    column_step_px: int,
    se_blocks: int,
    min_valid_fraction: float,
) -> Thickness:
    """Coating thickness across an SEM cross-section (epoxy above, coating, Cu foil below; see the module doc).

    Raises ValueError when the three phases cannot be told apart or the edges are found in fewer than
    ``min_valid_fraction`` of the analysed columns.
    """
    from skimage.filters import gaussian, threshold_multiotsu
    from skimage.morphology import closing, opening, remove_small_holes
    from skimage.transform import downscale_local_mean

    if not pixel_size_um > 0:
        raise ValueError(f"pixel size {pixel_size_um!r} µm is not positive")
    step = max(int(column_step_px), 1)
    img = np.asarray(image, dtype=np.float32)
    width = img.shape[1] - img.shape[1] % step
    # columns are analysed in blocks of `step` pixels (block mean across x): the thickness is measured per
    # column, so the block means carry everything the measurement needs at 1/step of the cost
    sub = downscale_local_mean(img[:, :width], (1, step)).astype(np.float32) if step > 1 else img
    sub = gaussian(sub, sigma=(smoothing_px, smoothing_px / step), preserve_range=True, mode="nearest", truncate=3.0)
    cols = np.arange(sub.shape[1]) * step + (step - 1) / 2
    try:
        # the grey-level histogram of every other row and column gives the same thresholds at a quarter the cost
        t_coat, t_foil = threshold_multiotsu(sub[::2, ::2], classes=3)
    except ValueError as err:
        raise ValueError(f"cannot split the image into background, coating and foil: {err}") from None
    line = _vertical(min_feature_px)
    foil = opening(sub > t_foil, footprint=line)
    # pores open to the free surface are bridged by a horizontal closing (the top edge is the surface envelope
    # that a person traces, not the pore floors); pores inside the coating are holes of the mask, filled
    # whatever their size; the opening then removes specks in the embedding
    across = np.ones((1, max(1, int(surface_bridge_px) // step)), dtype=bool)
    solid = remove_small_holes(closing(sub > t_coat, footprint=across), max_size=sub.size // 20)
    solid = opening(solid, footprint=line)
    foil_row, has_foil = _first_true(foil)
    top_row, has_top = _first_true(solid)
    valid = has_foil & has_top & (foil_row > top_row + 1)
    if valid.mean() < min_valid_fraction:
        raise ValueError(
            f"coating and foil edges found in only {valid.mean():.0%} of {cols.size} columns "
            f"(need {min_valid_fraction:.0%}); is this a coating-on-foil cross-section with the foil at the bottom?"
        )
    idx = np.flatnonzero(valid)
    cols, foil_row, top_row = cols[valid], foil_row[valid], top_row[valid]
    foil_y = _subpixel(sub, foil_row, idx, t_foil)
    top_y = _subpixel(sub, top_row, idx, t_coat)
    t = (foil_y - top_y) * pixel_size_um
    return Thickness(
        mean_um=float(t.mean()),
        sd_um=float(t.std(ddof=1)),
        se_um=batch_se(t, se_blocks),
        n=int(t.size),
        method="sem_edges_multiotsu",
        columns_px=cols,
        top_px=top_y,
        foil_px=foil_y,
        thresholds=(float(t_coat), float(t_foil)),
    )


def line_thickness(lengths_um: np.ndarray) -> Thickness:
    """Thickness from manual line measurements (one length per line): mean ± SD, SE = SD/√n."""
    v = np.asarray(lengths_um, dtype=float)
    if v.size < 2:
        raise ValueError(f"{v.size} line measurement(s); need at least 2 for a mean ± SD")
    sd = float(v.std(ddof=1))
    return Thickness(float(v.mean()), sd, sd / math.sqrt(v.size), int(v.size), "imagej_lines")


def propagate(f, values: tuple[float, ...], errors: tuple[float, ...]) -> float:
    """First-order (uncorrelated) error propagation of ``f(*values)`` by central differences."""
    total = 0.0
    for i, (x, e) in enumerate(zip(values, errors)):
        if not (e == e) or e == 0:
            continue
        h = 1e-6 * max(abs(x), 1.0)
        up, down = list(values), list(values)
        up[i], down[i] = x + h, x - h
        total += ((f(*up) - f(*down)) / (2 * h) * e) ** 2
    return math.sqrt(total)


def swelling(t0: Thickness, tl: Thickness, td: Thickness) -> dict[str, tuple[float, float]]:
    """Expansion, contraction and every recovery reading (%) with propagated standard errors.

    expansion = (t_lith - t0)/t0; contraction as Kim et al. use it ("contracted by X% ... compared with their
    initial thickness"): the delithiated thickness above the pristine one, (t_delith - t0)/t0, the reading
    under which their printed recoveries follow; recovery: :data:`RECOVERY_READINGS`.
    """
    values = (t0.mean_um, tl.mean_um, td.mean_um)
    errors = (t0.se_um, tl.se_um, td.se_um)
    formulas = {
        "expansion": lambda a, b, c: 100 * (b - a) / a,
        "contraction": lambda a, b, c: 100 * (c - a) / a,
        **{f"recovery:{name}": f for name, (f, _) in RECOVERY_READINGS.items()},
    }
    return {k: (float(f(*values)), propagate(f, values, errors)) for k, f in formulas.items()}
