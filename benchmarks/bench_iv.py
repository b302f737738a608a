"""Implied-vol solvers on 1,000,000 options: accuracy against 30-digit prices, and speed.

The test set (issue "Volatility and implied correlation"): S=100, K/S in [0.5, 1.5],
T in [1 day, 2 years], sigma in [5%, 150%], r in [0, 8%], q in [0, 5%], calls and
puts half each, uniform, seeded. Prices are computed with mpmath at 30 digits from
the float inputs and rounded once, so ``sigma_true`` is known exactly; the price
rounding alone moves the vol by about ``ulp(price) / vega`` (the "bound").

Reported per solver, all measured in this one process run:

* well-conditioned max error: max |sigma - sigma_true| where the bound <= 1e-13;
* elsewhere: max of |sigma - sigma_true| / bound;
* failures: no finite vol where one exists; made up: a finite vol where the price
  has no time value (it equals the intrinsic value to within rounding);
* speed: best of ``--repeat`` runs on all options, in options/s;
* cold start: a fresh interpreter importing the solver and solving 10 options.

Peers are measured when installed (optional dev dependencies): py_vollib_vectorized
(needs py_vollib==1.0.1 and py_lets_be_rational==1.0.1), pyvolr, QuantLib, and
py_lets_be_rational itself (pure Python: on a subsample).

Usage (from the repository root; the 30-digit prices are cached under
``~/.cache/optionsflow``, about two minutes on one core the first time)::

    .venv/bin/python benchmarks/bench_iv.py [--n 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import math
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from _util import best_of, peak_rss_mb

from optionsflow.volatility import IVStatus, solve_implied_vol

Data = dict[str, np.ndarray]
CACHE = Path.home() / ".cache" / "optionsflow"
SEED = 20260105


def make_set(n: int, seed: int = SEED) -> Data:
    rng = np.random.default_rng(seed)
    return {
        "spot": np.full(n, 100.0),
        "strike": 100.0 * rng.uniform(0.5, 1.5, n),
        "tau": rng.uniform(1 / 365, 2.0, n),
        "sigma": rng.uniform(0.05, 1.5, n),
        "rate": rng.uniform(0.0, 0.08, n),
        "div": rng.uniform(0.0, 0.05, n),
        "call": rng.random(n) < 0.5,
    }


def reference_prices(d: Data) -> np.ndarray:
    """30-digit prices of the float inputs, rounded once to float64 (cached)."""
    n = d["spot"].size
    path = CACHE / f"bench_iv_prices_{SEED}_{n}.npy"
    if path.is_file():
        return np.load(path)
    import mpmath as mp

    mp.mp.dps = 30
    out = np.empty(n)
    started = time.perf_counter()
    cols = [d[c].tolist() for c in ("spot", "strike", "tau", "sigma", "rate", "div", "call")]
    for i, (s, k, t, v, r, q, c) in enumerate(zip(*cols, strict=True)):
        a = mp.mpf(s) * mp.exp(-mp.mpf(q) * t)
        b = mp.mpf(k) * mp.exp(-mp.mpf(r) * t)
        sd = mp.mpf(v) * mp.sqrt(t)
        d1 = mp.log(a / b) / sd + sd / 2
        d2 = d1 - sd
        p = a * mp.ncdf(d1) - b * mp.ncdf(d2) if c else b * mp.ncdf(-d2) - a * mp.ncdf(-d1)
        out[i] = float(p)
        if i % 100_000 == 99_999:
            print(
                f"  reference prices: {i + 1:,} ({time.perf_counter() - started:.0f} s)",
                file=sys.stderr,
            )
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, out)
    return out


def vega_bound(d: Data, price: np.ndarray) -> np.ndarray:
    """``ulp(price) / vega``: how far the price's own rounding moves the vol."""
    a = d["spot"] * np.exp(-d["div"] * d["tau"])
    b = d["strike"] * np.exp(-d["rate"] * d["tau"])
    sd = d["sigma"] * np.sqrt(d["tau"])
    d1 = np.log(a / b) / sd + sd / 2
    vega = a * np.sqrt(d["tau"]) * np.exp(-d1 * d1 / 2) / math.sqrt(2 * math.pi)
    with np.errstate(divide="ignore"):
        return np.spacing(price) / vega


# --- solvers: (import line for the cold start, first-call line, factory) ---------------------
def _ours(threads: int) -> Callable[[Data, np.ndarray], np.ndarray]:
    def run(d: Data, p: np.ndarray) -> np.ndarray:
        return solve_implied_vol(
            p,
            d["spot"],
            d["strike"],
            d["tau"],
            rate=d["rate"],
            dividend=d["div"],
            is_call=d["call"],
            threads=threads,
        ).vol

    return run


def _pvv() -> Callable[[Data, np.ndarray], np.ndarray]:
    import py_vollib_vectorized as pvv

    def run(d: Data, p: np.ndarray) -> np.ndarray:
        flag = np.where(d["call"], "c", "p")
        out = pvv.vectorized_implied_volatility(
            p,
            d["spot"],
            d["strike"],
            d["tau"],
            d["rate"],
            flag,
            q=d["div"],
            model="black_scholes_merton",
            return_as="numpy",
            on_error="ignore",
        )
        return np.asarray(out, dtype=np.float64)

    return run


def _pyvolr() -> Callable[[Data, np.ndarray], np.ndarray]:
    from pyvolr import _core

    def run(d: Data, p: np.ndarray) -> np.ndarray:
        flag = np.where(d["call"], 1, -1).astype(np.int8)
        return np.asarray(
            _core.bsm_iv(p, flag, d["spot"], d["strike"], d["tau"], d["rate"], d["div"])
        )

    return run


def _quantlib() -> Callable[[Data, np.ndarray], np.ndarray]:
    import QuantLib as ql  # noqa: N813

    def run(d: Data, p: np.ndarray) -> np.ndarray:
        fwd = d["spot"] * np.exp((d["rate"] - d["div"]) * d["tau"])
        disc = np.exp(-d["rate"] * d["tau"])
        out = np.full(p.size, np.nan)
        kinds = np.where(d["call"], ql.Option.Call, ql.Option.Put).tolist()
        cols = zip(
            kinds,
            d["strike"].tolist(),
            fwd.tolist(),
            p.tolist(),
            disc.tolist(),
            d["tau"].tolist(),
            strict=True,
        )
        for i, (kind, k, f, price, df, t) in enumerate(cols):
            with contextlib.suppress(RuntimeError):  # QuantLib's "no solution" errors
                out[i] = ql.blackFormulaImpliedStdDev(kind, k, f, price, df) / math.sqrt(t)
        return out

    return run


def _plbr() -> Callable[[Data, np.ndarray], np.ndarray]:
    from py_lets_be_rational import implied_volatility_from_a_transformed_rational_guess as lbr

    def run(d: Data, p: np.ndarray) -> np.ndarray:
        fwd = d["spot"] * np.exp((d["rate"] - d["div"]) * d["tau"])
        undiscounted = p * np.exp(d["rate"] * d["tau"])
        out = np.full(p.size, np.nan)
        cols = zip(
            undiscounted.tolist(),
            fwd.tolist(),
            d["strike"].tolist(),
            d["tau"].tolist(),
            np.where(d["call"], 1.0, -1.0).tolist(),
            strict=True,
        )
        for i, (price, f, k, t, q) in enumerate(cols):
            with contextlib.suppress(Exception):  # its below-intrinsic / above-maximum errors
                out[i] = lbr(price, f, k, t, q)
        return out

    return run


SOLVERS: dict[
    str, tuple[str, str, Callable[[], Callable[[Data, np.ndarray], np.ndarray]], float]
] = {
    "optionsflow (2 threads)": (
        "from optionsflow.volatility import implied_vol",
        "implied_vol([2.0] * 10, 100.0, 100.0, 0.25)",
        lambda: _ours(2),
        1.0,
    ),
    "optionsflow (1 thread)": ("", "", lambda: _ours(1), 1.0),
    "py_vollib_vectorized": (
        "import numpy as np, py_vollib_vectorized as pvv",
        "pvv.vectorized_implied_volatility(np.full(10, 2.0), 100.0, 100.0, 0.25, 0.0, 'c', "
        "q=0.0, model='black_scholes_merton', return_as='numpy')",
        _pvv,
        1.0,
    ),
    "pyvolr (Rust)": (
        "import numpy as np; from pyvolr import _core",
        "_core.bsm_iv(*[np.full(10, v) for v in (2.0,)], np.ones(10, np.int8), "
        "*[np.full(10, v) for v in (100.0, 100.0, 0.25, 0.0, 0.0)])",
        _pyvolr,
        1.0,
    ),
    "QuantLib blackFormulaImpliedStdDev": (
        "import QuantLib as ql",
        "[ql.blackFormulaImpliedStdDev(ql.Option.Call, 100.0, 100.0, 2.0) for _ in range(10)]",
        _quantlib,
        1.0,
    ),
    "py_lets_be_rational (pure Python)": (
        "from py_lets_be_rational import implied_volatility_from_a_transformed_rational_guess as f",
        "[f(2.0, 100.0, 100.0, 0.25, 1.0) for _ in range(10)]",
        _plbr,
        0.05,
    ),
}
MODULES = {
    "py_vollib_vectorized": "py_vollib_vectorized",
    "pyvolr (Rust)": "pyvolr",
    "QuantLib blackFormulaImpliedStdDev": "QuantLib",
    "py_lets_be_rational (pure Python)": "py_lets_be_rational",
}


def cold_start(imports: str, first: str) -> float:
    code = (
        f"import time; t = time.perf_counter()\n{imports}\n{first}\nprint(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    d = make_set(args.n)
    t0 = time.perf_counter()
    price = reference_prices(d)
    print(
        f"{args.n:,} options; 30-digit reference prices ready in {time.perf_counter() - t0:.1f} s"
    )
    ours = solve_implied_vol(
        price,
        d["spot"],
        d["strike"],
        d["tau"],
        rate=d["rate"],
        dividend=d["div"],
        is_call=d["call"],
    )
    has_vol = ours.status == IVStatus.OK
    bound = vega_bound(d, price)
    well = has_vol & (bound <= 1e-13)
    no_tv = ours.status == IVStatus.NO_TIME_VALUE
    counts = {IVStatus(c).label: int((ours.status == c).sum()) for c in np.unique(ours.status)}
    print(f"status: {counts}; well-conditioned (bound <= 1e-13): {well.mean():.1%} of the set")

    rows = []
    for name, (imports, first, factory, share) in SOLVERS.items():
        module = MODULES.get(name)
        if module and importlib.util.find_spec(module) is None:
            print(f"{name}: not installed, skipped")
            continue
        m = max(1, int(args.n * share))
        sub = {k: v[:m] for k, v in d.items()}
        solver = factory()
        solver(sub, price[:m])  # warm up (JIT compilation, thread pools)
        seconds, vol = best_of(lambda s=solver, x=sub, m=m: s(x, price[:m]), args.repeat)
        err = np.abs(vol - d["sigma"][:m])
        w, ok = well[:m], has_vol[:m]
        ill = ok & ~w
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = err[ill] / bound[:m][ill]
        rows.append(
            {
                "solver": name + ("" if m == args.n else f" [{m:,} options]"),
                "speed": m / seconds,
                "seconds": seconds * args.n / m,
                "cold": cold_start(imports, first) if imports else float("nan"),
                "well_max": float(np.nanmax(np.where(w, err, np.nan))),
                "well_bad": int((w & ~(err <= 1e-13)).sum()),
                "ill_ratio": float(np.nanmax(ratio)) if ratio.size else float("nan"),
                "failures": int((ok & ~np.isfinite(vol)).sum()),
                "made_up": int((no_tv[:m] & np.isfinite(vol)).sum()),
            }
        )
        print(f"  {name}: {m / seconds / 1e6:.2f} M options/s", file=sys.stderr)

    base = next((r["speed"] for r in rows if r["solver"] == "py_vollib_vectorized"), None)
    print()
    print(
        "| solver | options/s | all options | vs pvv | cold start | max err (well) | "
        "> 1e-13 (well) | max err / bound (else) | failures | made up |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        ratio = f"{r['speed'] / base:.2f}x" if base else "n/a"
        cold = "" if math.isnan(r["cold"]) else f"{r['cold']:.2f} s"
        print(
            f"| {r['solver']} | {r['speed'] / 1e6:.2f} M | {r['seconds']:.3f} s | {ratio} | {cold} "
            f"| {r['well_max']:.2e} | {r['well_bad']:,} | {r['ill_ratio']:.3g} | "
            f"{r['failures']:,} | {r['made_up']:,} |"
        )
    print(f"\nwell-conditioned share: {well.mean():.2%}; peak RSS {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
