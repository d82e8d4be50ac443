#!/usr/bin/env python3
"""Merges `mgrad bench --json` with the peers' JSON files into one ratio table.

    scripts/bench_merge.py OUTDIR   # reads OUTDIR/{mgrad,w1,w2,w3,w4,w4_1t,w5,w6,swift-peers,peak,openblas}.json

Writes OUTDIR/combined.json (every figure, flattened: workload, model, system, variant, median/
min/max in ns, and the W6 peers' note: test accuracy, compile time; every ratio; the target and
threads mgrad bench compiled for; the OpenBLAS kernel the numpy peers used) and prints a
Markdown table: per workload, our reference figures, then every peer figure with its ratio to
each of ours: interpreted, compiled (exact numerics, the default) and compiled in fast numerics
(W4, W6b). ratio = peer time / our time, so > 1 means this package is faster. A W4 peer figure
is compared with ours on the same number of threads ("1 thread", "2 threads" in its name; 2 when
it names none). W6 is the digits epoch, W6b the MNIST-size training step. Missing files are
skipped (e.g. when the Python peers were not run).
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
    w6 = load(os.path.join(out, "w6.json"))
    if w6:
        for r in w6["results"]:
            # (a) digits: "numpy epoch", "jax.jit whole step, epoch"; (b) "numpy step", "jax.jit whole step".
            workload = "W6" if r["name"].endswith("epoch") else "W6b"
            figure = entry(workload, "python", r["name"], r["ns"])
            if r.get("extra"):
                figure["note"] = r["extra"]  # test accuracy, compile time: shown beside the name
            rows.append(figure)
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


# Our reference figure per (workload, model) and kind: the variant name starts with this text;
# {threads} stands for the peer figure's thread count ("1 thread", "2 threads").
REFERENCES = {
    ("W1", ""): {"interpreted": "interpreted build+forward+backward"},
    ("W2", ""): {"interpreted": "interpreted 100 steps", "compiled": "compiled 100 steps",
                "compiled fast": "compiled (fast numerics) 100 steps"},
    ("W3", ""): {"interpreted": "interpreted model(", "compiled": "compiled compiled("},
    ("W4", "MLP(2,[16,16,1])"): {
        "compiled": "compiled batch 4096 x MLP(2,[16,16,1]), {threads}",
        "compiled fast": "compiled (fast numerics) batch 4096 x MLP(2,[16,16,1]), {threads}"},
    ("W4", "MLP(784,[128,64,10])"): {
        "compiled": "compiled batch 4096 x MLP(784,[128,64,10]), {threads}",
        "compiled fast": "compiled (fast numerics) batch 4096 x MLP(784,[128,64,10]), {threads}"},
    ("W5", "MLP(2,[16,16,1])"): {"compiled": "compile MLP(2,"},
    ("W5", "MLP(784,[128,64,10])"): {"compiled": "compile MLP(784,"},
    ("W6", ""): {"interpreted": "digits epoch, 45 Adam steps of 32, interpreted",
                 "compiled": "digits epoch, 45 Adam steps of 32, compiled"},
    ("W6b", ""): {"compiled": "compiled MLP(784,[128,64,10]) softmax CE",
                  "compiled fast": "compiled (fast numerics) MLP(784,[128,64,10]) softmax CE"},
}
KINDS = ("interpreted", "compiled", "compiled fast")


def threads_of(variant):
    """The thread count a figure names ("1 thread", "2 threads (concurrentPerform)"), else 2
    (the libraries' default on the 2-core machine the peers were written for)."""
    m = re.search(r"\b(\d+) threads?\b", variant)
    n = int(m.group(1)) if m else 2
    return f"{n} thread" + ("" if n == 1 else "s")


def reference(rows, prefix):
    """Our first figure whose variant starts with prefix (spaces ignored: "[16, 16, 1]" = "[16,16,1]")."""
    prefix = prefix.replace(" ", "")
    return next((r for r in rows if r["system"] == "mgrad" and r["variant"].replace(" ", "").startswith(prefix)), None)


def ratios(rows):
    """Every peer figure against each of our reference figures of its workload and model."""
    result = []
    for r in rows:
        if r["system"] == "mgrad":
            continue
        group = [o for o in rows if o["workload"] == r["workload"] and o["model"] == r["model"]]
        for kind, prefix in REFERENCES.get((r["workload"], r["model"]), {}).items():
            ours = reference(group, prefix.replace("{threads}", threads_of(r["variant"])))
            if ours:
                result.append({"workload": r["workload"], "model": r["model"], "system": r["system"],
                               "variant": r["variant"], "vs": kind, "mgrad_variant": ours["variant"],
                               "ratio": r["median_ns"] / ours["median_ns"]})
    return result


def fmt_ns(x):
    if x < 1e3:
        return f"{x:.0f} ns"
    if x < 1e6:
        return f"{x / 1e3:.2f} us"
    if x < 1e9:
        return f"{x / 1e6:.2f} ms"
    return f"{x / 1e9:.3f} s"


def ratio_table(rows, ratio_list):
    lines = ["| workload | system | variant | median | peer / ours interpreted | peer / ours compiled "
             "| peer / ours compiled fast |",
             "|---|---|---|---|---|---|---|"]
    by_figure = {}
    for q in ratio_list:
        by_figure[(q["workload"], q["model"], q["system"], q["variant"], q["vs"])] = q["ratio"]
    groups = list(REFERENCES) + sorted({(r["workload"], r["model"]) for r in rows} - set(REFERENCES))
    for workload, model in groups:
        group = [r for r in rows if r["workload"] == workload and r["model"] == model]
        title = workload + (f" {model}" if model else "")
        for r in group:
            if r["system"] == "mgrad":
                lines.append(f"| {title} | **mgrad** | {r['variant']} | **{fmt_ns(r['median_ns'])}** | | | |")
        for r in group:
            if r["system"] == "mgrad":
                continue
            cells = []
            for kind in KINDS:
                q = by_figure.get((workload, model, r["system"], r["variant"], kind))
                cells.append(f"{q:.3g}x" if q is not None else "-")
            name = r["variant"] + (f" ({r['note']})" if r.get("note") else "")
            lines.append(f"| {title} | {r['system']} | {name} | {fmt_ns(r['median_ns'])} | "
                         + " | ".join(cells) + " |")
    return "\n".join(lines)


def openblas_line(info):
    """One line per environment: the kernel and threads OpenBLAS chose."""
    if not info:
        return None
    parts = []
    for name in ("peers", "inherited"):
        e = info.get(name) or {}
        libs = ", ".join(f"{b.get('architecture')} x {b.get('num_threads')} threads" for b in e.get("openblas", []))
        env = ", ".join(f"{k}={e.get(k)}" for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if e.get(k) is not None)
        parts.append(f"{name} ({env or 'both unset'}): {libs or 'no OpenBLAS loaded'}")
    return "OpenBLAS kernel: " + "; ".join(parts)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/mgrad-bench"
    rows = flatten(out)
    ratio_list = ratios(rows)
    peak = load(os.path.join(out, "peak.json"))
    ours = load(os.path.join(out, "mgrad.json"))
    openblas = load(os.path.join(out, "openblas.json"))
    combined = {"figures": rows, "ratios": ratio_list,
                "references": {f"{w} {m}".strip(): v for (w, m), v in REFERENCES.items()},
                "peak": peak["rows"] if peak else None,
                "mgrad_env": ours["env"] if ours else None,
                "openblas": openblas,
                "note": "ratio = peer median / mgrad median (> 1: mgrad faster); same sitting, same machine"}
    with open(os.path.join(out, "combined.json"), "w") as f:
        json.dump(combined, f, indent=1, sort_keys=True)
    if ours:
        env = ours["env"]
        print(f"mgrad bench target: {env.get('target', '?')}; threads: {env.get('threads', '?')}")
    line = openblas_line(openblas)
    if line:
        print(line)
    print(ratio_table(rows, ratio_list))
    print(f"\nwrote {os.path.join(out, 'combined.json')} ({len(rows)} figures, {len(ratio_list)} ratios)")


if __name__ == "__main__":
    main()
