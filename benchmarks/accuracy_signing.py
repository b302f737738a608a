"""Accuracy of each named signing stack on labelled synthetic days (for docs/signing.md)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from optionsflow.classify.side import STACKS, sign_trades
from optionsflow.evaluate.signing import evaluate_signing
from optionsflow.synth import synth_day

DAYS = [dt.date(2026, 11, d) for d in (16, 17, 18, 19, 20)]


def main() -> None:
    tape = pl.concat([synth_day(d, 100_000) for d in DAYS])
    print(f"{len(DAYS)} synthetic days, {tape.height:,} prints (complex prints excluded below)")
    print("| stack | compare | coverage | accuracy (signed) | accuracy (all) |")
    print("|---|---|---:|---:|---:|")
    for name, layers in STACKS.items():
        for compare in ("tick", "float"):
            r = evaluate_signing(sign_trades(tape, layers=layers, price_compare=compare))
            print(
                f"| {name} | {compare} | {r.coverage:.2%} | {r.accuracy:.2%} | {r.accuracy_all:.2%} |"
            )
    r = evaluate_signing(sign_trades(tape))
    print("\nGSU_LARGE by deciding rule:")
    print(r.by_rule)
    print("\nGSU_LARGE by size bucket:")
    print(r.by_size)


if __name__ == "__main__":
    main()
