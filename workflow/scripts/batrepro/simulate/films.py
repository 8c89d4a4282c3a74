"""Write the DMA and tensile stand-in files of a paper from its parameter file."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..outputs import write_text
from .dma import DmaFilm, simulate_ramp, trios_text
from .tensile import FilmSpecimen, bluehill_csv, simulate_test


def dma_files(params: dict) -> dict[str, str]:
    """{path: file text} for every DMA film in the parameter file."""
    ramp = params["ramp"]
    out = {}
    for i, spec in enumerate(params["films"]):
        spec = dict(spec)
        path = spec.pop("path")
        film = DmaFilm(**spec)
        data = simulate_ramp(film, seed=params["seed"] + i, **ramp)
        out[path] = trios_text(film, data, rate_K_min=ramp["rate_K_min"], freq_Hz=ramp["freq_Hz"])
    return out


def specimen_offsets(rng: np.random.Generator, n: int, cv: float) -> np.ndarray:
    """Relative offsets of n specimens drawn with coefficient of variation ``cv``, centred so that the
    specimens average to the reported value (the paper's number is the mean of its own specimens)."""
    d = rng.normal(0.0, cv, n)
    return d - d.mean()


def tensile_files(params: dict) -> dict[str, str]:
    out = {}
    geometry = params["geometry"]
    rng = np.random.default_rng(params["seed"])
    n = params["specimens"]
    for i, film in enumerate(params["films"]):
        ds_all = specimen_offsets(rng, n, params["strength_cv"])
        de_all = specimen_offsets(rng, n, params["elongation_cv"])
        for k, (ds, de) in enumerate(zip(ds_all, de_all), start=1):
            spec = FilmSpecimen(
                sample=film["sample"],
                specimen=k,
                modulus_MPa=film["modulus_MPa"],
                yield_scale_MPa=film["yield_scale_MPa"],
                strength_MPa=film["strength_MPa"] * (1 + ds),
                elongation_pct=film["elongation_pct"] * (1 + de),
                **geometry,
            )
            test = simulate_test(spec, seed=params["seed"] + 10 * i + k)
            out[params["path"].format(sample=film["sample"], specimen=k)] = bluehill_csv(spec, test)
    return out


def write_files(files: dict[str, str], root: str | Path = ".") -> None:
    for path, text in sorted(files.items()):
        write_text(Path(root) / path, text)
