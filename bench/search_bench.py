"""Search benchmarks: build time, time until an edited entry is searchable, query latency
per mode at the real corpus and at synthetic 10k and 100k entries, and peak memory.

Prints medians and ratios against a baseline measured in the same run (lexical search on
the real corpus for latency; the full build for the incremental rebuild). One thread per
process, as the site serves. Figures only: nothing here asserts a timing.

Usage: .venv/bin/python bench/search_bench.py [--sizes 10000,100000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb import builds, config, loader, store  # noqa: E402
from search import encoder, evaluate, pipeline  # noqa: E402
from search import index as search_index  # noqa: E402
from search.engine import Engine  # noqa: E402

QUERIES = [q.text for q in evaluate.read_queries(evaluate.EVAL_DIR / "queries.tsv")]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def latencies(engine: Engine, mode: str, rounds: int) -> list[float]:
    for query in QUERIES:  # steady state, as a serving process is: the database pages are in memory
        engine.search(query, mode=mode)
    times = []
    for _ in range(rounds):
        for query in QUERIES:
            start = time.perf_counter()
            engine.search(query, mode=mode)
            times.append((time.perf_counter() - start) * 1000)
    return times


def synthetic_practices(real, n: int, seed: int = 7):
    """n entries recombined from real ones: real vocabulary and lengths, no two alike."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        template = rng.choice(real)
        meta = dict(template.meta)
        meta["id"] = f"synthetic-{i:06d}"
        meta["title"] = f"{template.meta['title']} (synthetic variant {i})"
        sections = {}
        for heading in ("Problem", "What was done", "Results and evidence"):
            donor = rng.choice(real)
            sections[heading] = donor.sections.get(heading, "")
        out.append(loader.Practice(f"synthetic/{meta['id']}.md", meta, "", sections))
    return out


def measure_size(n: int, rounds: int, model_dir: str, hnsw_threshold: int) -> dict:
    """Build a synthetic corpus of n entries in this process and time queries on it."""
    encoder.single_thread()
    real = loader.load(ROOT / "practices").practices
    practices = synthetic_practices(real, n)
    with tempfile.TemporaryDirectory() as tmp:
        build_dir = Path(tmp) / "build"
        build_dir.mkdir()
        start = time.perf_counter()
        store.write_database(build_dir / "kb.db", practices, progress=lambda m: None)
        manifest = search_index.build(
            build_dir,
            practices,
            None,
            hnsw_threshold=hnsw_threshold,
            progress=lambda m: None,
            domain_model_from=Path(model_dir),
        )
        build_s = time.perf_counter() - start
        engine = Engine(build_dir)
        result = {"entries": n, "passages": manifest["count"], "index": manifest["index_type"], "build_s": build_s}
        for mode in ("lexical", "dense", "hybrid"):
            times = latencies(engine, mode, rounds)
            result[mode] = {"p50": statistics.median(times), "p95": percentile(times, 95)}
        result["peak_mb"] = peak_mb()
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--hnsw-threshold", type=int, default=200_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        n, model_dir = args.child.split(":", 1)
        print(json.dumps(measure_size(int(n), args.rounds, model_dir, args.hnsw_threshold)))
        return

    encoder.single_thread()
    tmp = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    try:
        practices = tmp / "practices"
        shutil.copytree(ROOT / "practices", practices)
        paths = config.paths(practices, tmp / "var")

        start = time.perf_counter()
        pipeline.build(paths, setting="domain", progress=lambda m: None)
        full_s = time.perf_counter() - start
        target = practices / "bogota-ciclovia.md"
        target.write_text(
            target.read_text().replace("## Lessons learned\n", "## Lessons learned\n\nA benchmark edit.\n")
        )
        start = time.perf_counter()
        manifest = pipeline.build(paths, setting="domain", progress=lambda m: None)
        engine = Engine(builds.current_build(paths))
        found = engine.search("a benchmark edit", mode="lexical").hits[0].id == "bogota-ciclovia"
        edit_s = time.perf_counter() - start

        print(f"# Search benchmarks ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, one thread per process)\n")
        print("| build | seconds | ratio to full build |\n|---|---|---|")
        print(
            f"| full build, {len(loader.load(practices).practices)} entries (domain model trained) | "
            f"{full_s:.2f} | 1.00 |"
        )
        print(
            f"| one entry edited until searchable ({manifest['passages_embedded']} passages re-embedded, found: "
            f"{found}) "
            f"| {edit_s:.2f} | {edit_s / full_s:.2f} |"
        )

        rows = []
        real = {
            "entries": len(loader.load(practices).practices),
            "passages": manifest["count"],
            "index": manifest["index_type"],
            "build_s": full_s,
        }
        for mode in ("lexical", "dense", "hybrid"):
            times = latencies(engine, mode, args.rounds)
            real[mode] = {"p50": statistics.median(times), "p95": percentile(times, 95)}
        real["peak_mb"] = peak_mb()
        rows.append(real)
        model_dir = builds.current_build(paths) / "domain-model"
        for size in [int(s) for s in args.sizes.split(",") if s]:
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    f"{size}:{model_dir}",
                    "--rounds",
                    str(args.rounds),
                    "--hnsw-threshold",
                    str(args.hnsw_threshold),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))

        baseline = rows[0]["lexical"]["p50"]
        print("\n| entries | passages | index | build s | mode | p50 ms | p95 ms | p50 / baseline | peak MB |")
        print("|---|---|---|---|---|---|---|---|---|")
        for row in rows:
            for mode in ("lexical", "dense", "hybrid"):
                print(
                    f"| {row['entries']} | {row['passages']} | {row['index']} | {row['build_s']:.1f} | {mode} "
                    f"| {row[mode]['p50']:.1f} | {row[mode]['p95']:.1f} | {row[mode]['p50'] / baseline:.2f} "
                    f"| {row['peak_mb']:.0f} |"
                )
        print(
            f"\nbaseline: lexical p50 on the real corpus = {baseline:.1f} ms; "
            f"{len(QUERIES)} development queries x {args.rounds} rounds per mode"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
