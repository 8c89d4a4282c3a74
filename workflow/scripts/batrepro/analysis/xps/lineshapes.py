"""Line shapes used in XPS component fits, all parametrised by area, centre and FWHM.

GL(m): the CasaXPS product/sum Gaussian-Lorentzian conventions (N. Fairley, CasaXPS manual; m = Lorentzian
percentage). SGL(m) is the sum form, GL(m) the product form; the product form is normalised numerically.
Pseudo-Voigt: eta * Lorentzian + (1 - eta) * Gaussian with equal FWHM (Wertheim et al., J. Electron Spectrosc.
4 (1974) 430).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

_LN2 = np.log(2.0)


def gaussian(x, area, center, fwhm):
    s = fwhm / (2.0 * np.sqrt(2.0 * _LN2))
    return area / (s * np.sqrt(2 * np.pi)) * np.exp(-0.5 * ((x - center) / s) ** 2)


def lorentzian(x, area, center, fwhm):
    g = 0.5 * fwhm
    return area / np.pi * g / ((x - center) ** 2 + g**2)


def pseudo_voigt(x, area, center, fwhm, eta):
    """Area-normalised pseudo-Voigt; ``eta`` in [0, 1] is the Lorentzian fraction."""
    return eta * lorentzian(x, area, center, fwhm) + (1.0 - eta) * gaussian(x, area, center, fwhm)


def sgl(x, area, center, fwhm, m):
    """CasaXPS SGL(m): the sum form, m in percent Lorentzian (a pseudo-Voigt with eta = m/100)."""
    return pseudo_voigt(x, area, center, fwhm, m / 100.0)


def gl(x, area, center, fwhm, m):
    """CasaXPS GL(m) product form: exp(-4 ln2 (1 - m/100) u^2) / (1 + 4 (m/100) u^2), u = (x - c)/FWHM.

    Normalised to ``area`` analytically for m = 0 / 100 and by a fixed-grid quadrature otherwise.
    """
    f = m / 100.0
    u = (np.asarray(x, float) - center) / fwhm
    shape = np.exp(-4 * _LN2 * (1 - f) * u**2) / (1 + 4 * f * u**2)
    return area * shape / (_gl_norm(float(m)) * fwhm)


@lru_cache(maxsize=256)
def _gl_norm(m: float) -> float:
    """Integral of the unit-FWHM GL(m) product shape over the real line (numerical, cached per m)."""
    f = m / 100.0
    grid = np.linspace(-200, 200, 400001)
    body = np.trapezoid(np.exp(-4 * _LN2 * (1 - f) * grid**2) / (1 + 4 * f * grid**2), grid)
    tail = 2 * (np.pi / 2 - np.arctan(2 * np.sqrt(f) * 200)) / (2 * np.sqrt(f)) if f > 0 else 0.0
    return float(body + (tail if f == 1 else 0.0))


SHAPES = {"gl": gl, "sgl": sgl, "pseudo_voigt": pseudo_voigt, "gaussian": gaussian, "lorentzian": lorentzian}
