"""A full SPX chain: read + IVs + variance index, against a bare ``pl.read_csv`` of the file.

Steps, each the best of ``--repeat`` runs in this one process:

* bare: ``pl.read_csv`` of the chain's table (Polars skips the empty first line: ``skip_rows=2``),
  all columns as text;
* read: :func:`optionsflow.load_chain` (preamble, located checks, canonical long chain);
* ivs: :func:`optionsflow.chain_implied_vols` on the read chain (parity forwards, Black-76);
* vix: :func:`optionsflow.variance_index` on the read chain;
* all: read + ivs + vix, as ``optionsflow chain`` and ``optionsflow vix`` do.

Peak RSS of the process is printed beside. Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_chains.py [--path ../shared/realdata/cboe_option_chains/spx_quotedata_2022-02-04.csv] [--repeat 5]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import polars as pl
from _util import best_of, peak_rss_mb

from optionsflow import chain_implied_vols, load_chain, variance_index

DEFAULT = (
    Path(__file__).resolve().parents[1].parent
    / "shared" / "realdata" / "cboe_option_chains" / "spx_quotedata_2022-02-04.csv"
)  # fmt: skip


def main() -> None:
    """Time the steps and print one line each, with the ratio to the bare read."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--path", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    path: Path = args.path

    bare, frame = best_of(lambda: pl.read_csv(path, skip_rows=2, infer_schema=False), args.repeat)
    read, result = best_of(lambda: load_chain(path), args.repeat)
    chain = result.chain
    ivs, _ = best_of(lambda: chain_implied_vols(chain, rate=0.001).collect(), args.repeat)
    vix, value = best_of(lambda: variance_index(chain, rate=0.001).collect(), args.repeat)

    def everything() -> float:
        c = load_chain(path).chain
        chain_implied_vols(c, rate=0.001).collect()
        return float(variance_index(c, rate=0.001).collect()["variance_index"][0])

    total, index = best_of(everything, args.repeat)
    print(f"{path.name}: {frame.height:,} lines, {chain.height:,} options, index {index:.4f}")
    for name, seconds in (("bare pl.read_csv", bare), ("read", read), ("ivs", ivs),
                          ("variance index", vix), ("read + ivs + index", total)):  # fmt: skip
        print(f"{name:>20}: {seconds * 1e3:8.1f} ms  ({seconds / bare:6.1f}x bare read)")
    print(f"{'peak RSS':>20}: {peak_rss_mb():8.1f} MB")
    _ = value


if __name__ == "__main__":
    main()
