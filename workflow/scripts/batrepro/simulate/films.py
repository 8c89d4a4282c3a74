"""Write the DMA and tensile stand-in files of a paper from its parameter file."""

from __future__ import annotations

from pathlib import Path

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


def tensile_files(params: dict) -> dict[str, str]:
    out = {}
    geometry = params["geometry"]
    for i, film in enumerate(params["films"]):
        for k, (ds, de) in enumerate(zip(params["strength_offsets"], params["elongation_offsets"]), start=1):
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
