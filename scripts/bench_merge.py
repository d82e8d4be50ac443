#!/usr/bin/env python3
"""Merges `mgrad bench --json` with the peers' JSON files into one ratio table.

    scripts/bench_merge.py OUTDIR        # reads OUTDIR/{mgrad,w1,w2,w3,w4,w5,swift-peers,peak}.json

Writes OUTDIR/combined.json (every figure, flattened: workload, model, system, variant, median/
min/max in ns) and prints a Markdown table: per workload, our reference figures, then every peer
figure with its ratio to ours. ratio = peer time / our time, so > 1 means this package is faster.
Missing files are skipped (e.g. when the Python peers were not run).
"""
import json
import os
import re
import sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def model_of(text):
    """The model a W4/W5 figure is about, spaces removed: 'MLP(784,[128,64,10])'."""
    m = re.search(r"MLP\(\d+, ?\[[\d, ]+\]\)", text)
    return m.group(0).replace(" ", "") if m else ""


def entry(workload, system, variant, st, scale=1.0, model=""):
    return {"workload": workload, "model": model, "system": system, "variant": variant,
            "median_ns": st["median"] * scale, "min_ns": st["min"] * scale, "max_ns": st["max"] * scale}


def flatten(out):
    rows = []
    ours = load(os.path.join(out, "mgrad.json"))
    if ours:
        for r in ours["results"]:
            model = model_of(r["variant"]) if r["workload"] in ("W4", "W5") else ""
            rows.append(entry(r["workload"], "mgrad", r["variant"], r["ns"], model=model))
    w1 = load(os.path.join(out, "w1.json"))
    if w1:
        for name, st in w1["rows"].items():
            rows.append(entry("W1", "python", name, st))
    w2 = load(os.path.join(out, "w2.json"))
    if w2:
        for name, m in w2["systems"].items():
            rows.append(entry("W2", "python", name + " (100 steps total)", m["total_ns"]))
    w3 = load(os.path.join(out, "w3.json"))
    if w3:
        for name, st in w3["results"].items():
            rows.append(entry("W3", "python", name, st))
    for file, threads in (("w4.json", "2 threads"), ("w4_1t.json", "1 thread")):
        w4 = load(os.path.join(out, file))
        if w4:
            for key, st in w4["results"].items():
                model, name = key.split(" | ", 1)
                rows.append(entry("W4", "python", f"{name} ({threads})", st, model=model_of(model)))
    w5 = load(os.path.join(out, "w5.json"))
    if w5:
        for key, agg in w5["summary"].items():
            system, model = key.split(" | ", 1)
            rows.append(entry("W5", "python", f"{system} compile: {model}", agg["compile_s"], 1e9, model_of(model)))
    sw = load(os.path.join(out, "swift-peers.json"))
    if sw:
        for key, st in sw["results"].items():
            workload, name = key.split(" | ", 1)
            model = model_of(name) if workload in ("W4", "W5") else ""
            rows.append(entry(workload, "swift-peers", name, st, model=model))
    return rows


# Our reference figure per (workload, model) and kind: the variant name starts with this text.
REFERENCES = {
    ("W1", ""): {"interpreted": "interpreted build+forward+backward"},
    ("W2", ""): {"interpreted": "interpreted 100 steps", "compiled": "compiled 100 steps"},
    ("W3", ""): {"interpreted": "interpreted model(", "compiled": "compiled compiled("},
    ("W4", "MLP(2,[16,16,1])"): {"compiled": "compiled batch 4096 x MLP(2,[16,16,1]), 2 threads"},
    ("W4", "MLP(784,[128,64,10])"): {"compiled": "compiled batch 4096 x MLP(784,[128,64,10]), 2 threads"},
    ("W5", "MLP(2,[16,16,1])"): {"compiled": "compile MLP(2,"},
    ("W5", "MLP(784,[128,64,10])"): {"compiled": "compile MLP(784,"},
}


def fmt_ns(x):
    if x < 1e3:
        return f"{x:.0f} ns"
    if x < 1e6:
        return f"{x / 1e3:.2f} us"
    if x < 1e9:
        return f"{x / 1e6:.2f} ms"
    return f"{x / 1e9:.3f} s"


def ratio_table(rows):
    lines = ["| workload | system | variant | median | peer / ours interpreted | peer / ours compiled |",
             "|---|---|---|---|---|---|"]
    groups = list(REFERENCES) + sorted({(r["workload"], r["model"]) for r in rows} - set(REFERENCES))
    for workload, model in groups:
        refs = REFERENCES.get((workload, model), {})
        group = [r for r in rows if r["workload"] == workload and r["model"] == model]
        if not group:
            continue
        # Variant names are compared without spaces ("[16, 16, 1]" and "[16,16,1]" alike).
        ours = {kind: next((r for r in group if r["system"] == "mgrad"
                            and r["variant"].replace(" ", "").startswith(prefix.replace(" ", ""))), None)
                for kind, prefix in refs.items()}
        title = workload + (f" {model}" if model else "")
        for r in group:
            if r["system"] != "mgrad":
                continue
            lines.append(f"| {title} | **mgrad** | {r['variant']} | **{fmt_ns(r['median_ns'])}** | | |")
        for r in group:
            if r["system"] == "mgrad":
                continue
            cells = []
            for kind in ("interpreted", "compiled"):
                ref = ours.get(kind)
                cells.append(f"{r['median_ns'] / ref['median_ns']:.3g}x" if ref else "-")
            lines.append(f"| {title} | {r['system']} | {r['variant']} | {fmt_ns(r['median_ns'])} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/mgrad-bench"
    rows = flatten(out)
    peak = load(os.path.join(out, "peak.json"))
    combined = {"figures": rows, "references": {f"{w} {m}".strip(): v for (w, m), v in REFERENCES.items()},
                "peak": peak["rows"] if peak else None,
                "note": "ratio = peer median / mgrad median (> 1: mgrad faster); same sitting, same machine"}
    with open(os.path.join(out, "combined.json"), "w") as f:
        json.dump(combined, f, indent=1, sort_keys=True)
    print(ratio_table(rows))
    print(f"\nwrote {os.path.join(out, 'combined.json')} ({len(rows)} figures)")


if __name__ == "__main__":
    main()
