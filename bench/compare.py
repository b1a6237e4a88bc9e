#!/usr/bin/env python3
"""factgraph against Kuzu and networkx on the same generated files.

For each size: `factgraph gen` writes one CSV set; factgraph imports it
(`factgraph import`), Kuzu copies it (`COPY FROM`), networkx builds a
MultiDiGraph from it. Then snapshot save/load, then the queries, each timed
warm (median of --runs after one warm-up) in its own process, and their
results checked equal across the engines. Every engine runs in a child
process of its own so that its peak RSS is its own (os.wait4).

Writes bench/results/raw/<size>.json per size, and from every raw file
present bench/results/RESULTS.md (a table per size) and
bench/results/time_vs_size.png. Run it through bench/run.sh.
"""

import argparse
import csv
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter, deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

# ---------------------------------------------------------------- queries
#
# One entry per query: the Cypher text for factgraph and for Kuzu (the same
# where Kuzu accepts it), and the name of the networkx function that does the
# same work. {name}, {a}, {b} are filled from the generated data.
QUERIES = [
    {
        "name": "point lookup (Person by name)",
        "short": "point",
        "cypher": "MATCH (p:Person {{name: '{name}'}}) RETURN p.key",
        "pattern": False,
    },
    {
        "name": "1-hop + filter",
        "short": "1hop",
        "cypher": "MATCH (p:Person)-[:MEMBER_OF]->(o:Organization) "
        "WHERE o.kind = 'newspaper' RETURN count(*)",
        "pattern": True,
    },
    {
        "name": "2-hop anchored + group",
        "short": "2hop_anchored",
        "cypher": "MATCH (a:Person {{name: '{name}'}})-[:MEETS]->(b:Person)-[:CITIZEN_OF]->(c:Country) "
        "RETURN c.key, count(*)",
        "pattern": True,
    },
    {
        "name": "2-hop scan + filter",
        "short": "2hop_scan",
        "cypher": "MATCH (p:Person)-[:TAKES]->(pos:Position)-[:ON]->(pr:Proposal) "
        "WHERE pos.stance = 'opposes' RETURN count(*)",
        # ON is a keyword in Kuzu.
        "kuzu": "MATCH (p:Person)-[:TAKES]->(pos:Position)-[:`ON`]->(pr:Proposal) "
        "WHERE pos.stance = 'opposes' RETURN count(*)",
        "pattern": True,
    },
    {
        "name": "count grouped by label",
        "short": "labels",
        "cypher": "MATCH (n) RETURN labels(n)[0] AS label, count(*)",
        "kuzu": "MATCH (n) RETURN label(n) AS label, count(*)",
        "pattern": False,
    },
    {
        "name": "var-length *1..3, distinct reachable",
        "short": "varlen",
        "cypher": "MATCH (a:Person {{key: '{a}'}})-[*1..3]->(b) WHERE b.key <> '{a}' "
        "RETURN count(DISTINCT b)",
        "pattern": True,
    },
    {
        "name": "shortest path (undirected)",
        "short": "shortest",
        "cypher": "MATCH p = shortestPath((a:Person {{key: '{a}'}})-[*..10]-(b:Person {{key: '{b}'}})) "
        "RETURN length(p)",
        "kuzu": "MATCH (a:Person)-[e* SHORTEST 1..10]-(b:Person) "
        "WHERE a.key = '{a}' AND b.key = '{b}' RETURN length(e)",
        "pattern": True,
    },
]


def query_params(files):
    """The anchors of the queries: a name that occurs, and two people."""
    with open(files / "nodes" / "Person.csv", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        first = next(reader)
    name = first[[h.split(":")[0] for h in header].index("name")]
    manifest = json.loads((files / "manifest.json").read_text())
    people = manifest["labels"]["Person"]
    return {"name": name.replace("'", "\\'"), "a": "person_1", "b": f"person_{people - 1}"}


def cypher_for(q, engine, params):
    text = q.get(engine, q["cypher"]) if engine == "kuzu" else q["cypher"]
    return text.format(**params)


def normalise(rows):
    """Rows as sorted tuples, numbers as numbers, so engines compare equal."""
    out = []
    for row in rows:
        cells = []
        for v in row:
            if isinstance(v, float) and v.is_integer():
                v = int(v)
            cells.append(v)
        out.append(tuple(cells))
    return sorted(out, key=repr)


# ---------------------------------------------------------------- helpers


def median(xs):
    return statistics.median(xs) if xs else None


def run_child(args, cwd=None):
    """Runs a child process; returns (stdout, wall seconds, peak RSS bytes).

    os.wait4 gives the child's own peak RSS, whatever else this process holds."""
    import tempfile

    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=err)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            sys.stderr.write(err.read().decode(errors="replace"))
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(map(str, args))}")
    return out.decode(), wall, usage.ru_maxrss * 1024


def self_child(*args):
    return [sys.executable, str(Path(__file__).resolve()), *map(str, args)]


def timed_runs(fn, runs):
    fn()  # warm-up
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def peak_rss_self():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# ---------------------------------------------------------------- Kuzu child

KUZU_TYPES = {"long": "INT64", "double": "DOUBLE", "boolean": "BOOLEAN"}


def kuzu_type(t):
    # Dates keep their precision as text (the generator writes 2019 and
    # 2019-03 too, which Kuzu's DATE refuses); arrays stay the text
    # neo4j-admin writes, since Kuzu's CSV lists use another syntax.
    return KUZU_TYPES.get(t, "STRING")


def kuzu_ddl(manifest):
    stmts = []
    for f in manifest["node_files"]:
        cols = ", ".join(f"`{c['name']}` {kuzu_type(c['type'])}" for c in f["columns"])
        stmts.append(f"CREATE NODE TABLE `{f['label']}`(key STRING, {cols}, PRIMARY KEY(key))")
    by_type = {}
    for f in manifest["relationship_files"]:
        by_type.setdefault(f["type"], []).append(f)
    for t, files in sorted(by_type.items()):
        pairs = ", ".join(f"FROM `{f['from']}` TO `{f['to']}`" for f in files)
        cols = ", ".join(f"`{c['name']}` {kuzu_type(c['type'])}" for c in files[0]["columns"])
        # Backquoted: some types are Kuzu keywords (ON).
        stmts.append(f"CREATE REL TABLE `{t}`({pairs}, {cols})")
    return stmts


def kuzu_child(files, db, phase, params_json, runs):
    import kuzu

    files = Path(files)
    manifest = json.loads((files / "manifest.json").read_text())
    out = {}
    if phase == "load":
        shutil.rmtree(db, ignore_errors=True)
        if os.path.exists(db):
            os.remove(db)
        start = time.perf_counter()
        database = kuzu.Database(db)
        conn = kuzu.Connection(database)
        for stmt in kuzu_ddl(manifest):
            conn.execute(stmt)
        for f in manifest["node_files"]:
            conn.execute(f"COPY `{f['label']}` FROM '{files / f['file']}' (header=true)")
        for f in manifest["relationship_files"]:
            conn.execute(
                f"COPY `{f['type']}` FROM '{files / f['file']}' "
                f"(from='{f['from']}', to='{f['to']}', header=true)"
            )
        del conn
        del database  # closing checkpoints the database to disk
        out["load_s"] = time.perf_counter() - start
        out["load_rss"] = peak_rss_self()
        out["db_bytes"] = dir_size(db)
    elif phase == "open":
        start = time.perf_counter()
        database = kuzu.Database(db, read_only=True)
        conn = kuzu.Connection(database)
        conn.execute("MATCH (p:Person) RETURN count(*)").get_all()
        out["open_s"] = time.perf_counter() - start
    elif phase == "queries":
        params = json.loads(params_json)
        database = kuzu.Database(db, read_only=True)
        conn = kuzu.Connection(database)
        out["queries"] = []
        for q in QUERIES:
            text = cypher_for(q, "kuzu", params)
            times, rows = timed_runs(lambda: conn.execute(text).get_all(), runs)
            out["queries"].append({"name": q["name"], "times_s": times, "rows": rows})
    print(json.dumps(out))


def dir_size(path):
    p = Path(path)
    if p.is_file():
        return p.stat().st_size
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())


# ---------------------------------------------------------------- networkx child

PARSE = {
    "long": int,
    "double": float,
    "boolean": lambda s: s.lower() == "true",
}


def convert(value, ty):
    if ty.endswith("[]"):
        return value.split(";")
    return PARSE.get(ty, str)(value)


def nx_build(files):
    import networkx as nx

    manifest = json.loads((files / "manifest.json").read_text())
    g = nx.MultiDiGraph()
    for f in manifest["node_files"]:
        label = f["label"]
        cols = [(c["name"], c["type"]) for c in f["columns"]]
        with open(files / f["file"], newline="") as fh:
            reader = csv.reader(fh)
            next(reader)
            for row in reader:
                attrs = {"label": label}
                for (name, ty), v in zip(cols, row[1:]):
                    if v != "":
                        attrs[name] = convert(v, ty)
                g.add_node(row[0], **attrs)
    for f in manifest["relationship_files"]:
        t = f["type"]
        cols = [(c["name"], c["type"]) for c in f["columns"]]
        with open(files / f["file"], newline="") as fh:
            reader = csv.reader(fh)
            next(reader)
            for row in reader:
                attrs = {"type": t}
                for (name, ty), v in zip(cols, row[2:]):
                    if v != "":
                        attrs[name] = convert(v, ty)
                g.add_edge(row[0], row[1], **attrs)
    return g


def nx_queries(g, params):
    """The same work as the Cypher queries, written as a Python programmer would."""
    import networkx as nx

    nodes = g.nodes

    def people_named(name):
        return [n for n, d in g.nodes(data=True) if d["label"] == "Person" and d.get("name") == name]

    def point():
        return [(k,) for k in people_named(params["name"])]

    def one_hop():
        count = 0
        for o, d in g.nodes(data=True):
            if d["label"] == "Organization" and d.get("kind") == "newspaper":
                for u, _, e in g.in_edges(o, data=True):
                    if e["type"] == "MEMBER_OF" and nodes[u]["label"] == "Person":
                        count += 1
        return [(count,)]

    def two_hop_anchored():
        by_country = Counter()
        for a in people_named(params["name"]):
            for _, b, e in g.out_edges(a, data=True):
                if e["type"] != "MEETS" or nodes[b]["label"] != "Person":
                    continue
                for _, c, e2 in g.out_edges(b, data=True):
                    if e2["type"] == "CITIZEN_OF" and nodes[c]["label"] == "Country":
                        by_country[c] += 1
        return list(by_country.items())

    def two_hop_scan():
        count = 0
        for pos, d in g.nodes(data=True):
            if d["label"] != "Position" or d.get("stance") != "opposes":
                continue
            takers = sum(
                1 for u, _, e in g.in_edges(pos, data=True)
                if e["type"] == "TAKES" and nodes[u]["label"] == "Person"
            )
            if takers:
                on = sum(
                    1 for _, v, e in g.out_edges(pos, data=True)
                    if e["type"] == "ON" and nodes[v]["label"] == "Proposal"
                )
                count += takers * on
        return [(count,)]

    def labels():
        return list(Counter(d["label"] for _, d in g.nodes(data=True)).items())

    def varlen():
        start = params["a"]
        seen, frontier = set(), {start}
        for _ in range(3):
            nxt = set()
            for n in frontier:
                nxt.update(g.successors(n))
            seen |= nxt
            frontier = nxt
        seen.discard(start)
        return [(len(seen),)]

    undirected = g.to_undirected(as_view=True)

    def shortest():
        return [(nx.shortest_path_length(undirected, params["a"], params["b"]),)]

    return {
        "point": point,
        "1hop": one_hop,
        "2hop_anchored": two_hop_anchored,
        "2hop_scan": two_hop_scan,
        "labels": labels,
        "varlen": varlen,
        "shortest": shortest,
    }


def nx_child(files, work, params_json, runs, phases):
    import pickle

    files = Path(files)
    out = {}
    start = time.perf_counter()
    g = nx_build(files)
    out["load_s"] = time.perf_counter() - start
    out["load_rss"] = peak_rss_self()
    if "snapshot" in phases:
        path = Path(work) / "nx.pickle"
        start = time.perf_counter()
        with open(path, "wb") as f:
            pickle.dump(g, f, protocol=pickle.HIGHEST_PROTOCOL)
        out["save_s"] = time.perf_counter() - start
        out["file_bytes"] = path.stat().st_size
        start = time.perf_counter()
        with open(path, "rb") as f:
            pickle.load(f)
        out["snapload_s"] = time.perf_counter() - start
        path.unlink()
    if "queries" in phases:
        params = json.loads(params_json)
        fns = nx_queries(g, params)
        out["queries"] = []
        for q in QUERIES:
            times, rows = timed_runs(fns[q["short"]], runs)
            out["queries"].append({"name": q["name"], "times_s": times, "rows": rows})
    print(json.dumps(out))


# ---------------------------------------------------------------- driver

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1M": 1_000_000, "5M": 5_000_000}


def parse_size(s):
    if s in SIZES:
        return s, SIZES[s]
    return s, int(s)


def build_commit(fg_bin):
    """The commit of the tree factgraph was built from (with + when it had changes)."""
    repo = Path(fg_bin).resolve().parents[2]
    try:
        head = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return head + ("+" if dirty else "")
    except (subprocess.CalledProcessError, FileNotFoundError):
        return "unknown"


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def bench_size(label, nodes, args):
    work = Path(args.work) / label
    files = work / "files"
    work.mkdir(parents=True, exist_ok=True)
    fg = str(Path(args.fg_bin).resolve())
    fgq = str(Path(args.bench_bin).resolve())
    manifest_path = files / "manifest.json"
    wanted = {"nodes": nodes, "seed": args.seed}
    stamp = work / "gen.json"
    if not manifest_path.exists() or not stamp.exists() or json.loads(stamp.read_text()) != wanted:
        log(f"{label}: generating {nodes} nodes")
        shutil.rmtree(files, ignore_errors=True)
        _, wall, _ = run_child([fg, "gen", "--nodes", str(nodes), "--seed", str(args.seed), "--out", str(files)])
        stamp.write_text(json.dumps(wanted))
        log(f"{label}: generated in {wall:.1f} s")
    manifest = json.loads(manifest_path.read_text())
    params = query_params(files)
    # A smoke run leaves the committed results alone.
    raw_path = (Path(args.work) / "raw" if args.smoke else RESULTS / "raw") / f"{label}.json"
    res = json.loads(raw_path.read_text()) if raw_path.exists() and args.only else {}
    res.update(
        {
            "size": label,
            "nodes": manifest["nodes"],
            "relationships": manifest["relationships"],
            "input_bytes": dir_size(files),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "commit": build_commit(args.fg_bin),
            "load_average": round(os.getloadavg()[0], 1),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        }
    )
    phases = set(args.only.split(",")) if args.only else {"load", "snapshot", "queries"}
    store = work / "g.fg"
    kdb = str(work / "kuzu.db")
    engines = set(args.engines.split(","))

    if "load" in phases or not store.exists():
        log(f"{label}: factgraph import")
        _, wall, rss = run_child([fg, "import", "--db", str(store), "--force", *manifest["import_args"]], cwd=files)
        res.setdefault("load", {})["factgraph"] = {"s": wall, "rss": rss, "bytes": store.stat().st_size}
    if "kuzu" in engines and ("load" in phases or not os.path.exists(kdb)):
        log(f"{label}: kuzu COPY")
        out, wall, rss = run_child(self_child("--child", "kuzu", files, kdb, "load", "{}", 0))
        k = json.loads(out)
        res.setdefault("load", {})["kuzu"] = {"s": k["load_s"], "rss": rss, "bytes": k["db_bytes"], "wall_s": wall}

    if "snapshot" in phases or "queries" in phases:
        qfile = work / "queries.json"
        qfile.write_text(json.dumps([{"name": q["name"], "cypher": cypher_for(q, "factgraph", params)} for q in QUERIES]))
        log(f"{label}: factgraph snapshot + queries")
        runs = args.runs if "queries" in phases else 1
        out, _, rss = run_child(
            [fgq, "--db", str(store), "--queries", str(qfile), "--runs", str(runs),
             "--snapshot-runs", str(3 if "snapshot" in phases else 0)]
        )
        f = json.loads(out)
        if "snapshot" in phases:
            s = f["snapshot"]
            res["snapshot"] = {
                "factgraph": {
                    "save_s": median(s["save_s"]),
                    "load_s": median(s["load_s"]),
                    "bytes": s["file_bytes"],
                    "rebuild_s": res.get("load", {}).get("factgraph", {}).get("s"),
                }
            }
        if "queries" in phases:
            res["queries"] = {q["name"]: {"factgraph": {"times_s": q["times_s"], "rows": q["rows"]}} for q in f["queries"]}
    if "kuzu" in engines and "snapshot" in phases:
        out, wall, _ = run_child(self_child("--child", "kuzu", files, kdb, "open", "{}", 0))
        res["snapshot"]["kuzu"] = {"load_s": json.loads(out)["open_s"], "bytes": dir_size(kdb)}
    if "kuzu" in engines and "queries" in phases:
        log(f"{label}: kuzu queries")
        out, _, _ = run_child(self_child("--child", "kuzu", files, kdb, "queries", json.dumps(params), args.runs))
        for q in json.loads(out)["queries"]:
            res["queries"][q["name"]]["kuzu"] = {"times_s": q["times_s"], "rows": q["rows"]}
    if "networkx" in engines and phases & {"load", "snapshot", "queries"}:
        log(f"{label}: networkx build" + (" + queries" if "queries" in phases else ""))
        out, wall, rss = run_child(
            self_child("--child", "networkx", files, work, json.dumps(params), args.runs, ",".join(phases))
        )
        n = json.loads(out)
        if "load" in phases:
            res.setdefault("load", {})["networkx"] = {"s": n["load_s"], "rss": n["load_rss"]}
        if "snapshot" in phases:
            res["snapshot"]["networkx"] = {"save_s": n["save_s"], "load_s": n["snapload_s"], "bytes": n["file_bytes"]}
        if "queries" in phases:
            for q in n["queries"]:
                res["queries"][q["name"]]["networkx"] = {"times_s": q["times_s"], "rows": q["rows"]}

    mismatches = []
    for name, per in res.get("queries", {}).items():
        answers = {e: normalise(v["rows"]) for e, v in per.items()}
        base = answers.get("factgraph")
        for e, rows in answers.items():
            if rows != base:
                mismatches.append(f"{label}: {name}: factgraph {base[:5]} != {e} {rows[:5]}")
        for v in per.values():
            v["row_count"] = len(v["rows"])
            if len(v["rows"]) > 50:
                v["rows"] = v["rows"][:50]
    res["mismatches"] = mismatches
    raw_path.parent.mkdir(parents=True, exist_ok=True)
    raw_path.write_text(json.dumps(res, indent=1, default=str))
    return res


def fmt_time(s):
    if s is None:
        return "–"
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.1f} ms"
    return f"{s:.2f} s"


def fmt_bytes(b):
    return "–" if b is None else f"{b / 1e6:.1f} MB"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "–"
    r = a / b
    return f"**{r:.2f}**" if r > 1 else f"{r:.2f}"


def table_rows(res):
    """(operation, factgraph, kuzu, networkx) with raw numbers and a formatter."""
    rows = []
    load = res.get("load", {})

    def g(d, *keys):
        return _dig(d, keys)

    if load:
        rows.append(("bulk load (time)", fmt_time, g(load, "factgraph", "s"), g(load, "kuzu", "s"), g(load, "networkx", "s")))
        rows.append(("bulk load (peak RSS)", fmt_bytes, g(load, "factgraph", "rss"), g(load, "kuzu", "rss"), g(load, "networkx", "rss")))
        rows.append(("store size on disk", fmt_bytes, g(load, "factgraph", "bytes"), g(load, "kuzu", "bytes"), None))
    snap = res.get("snapshot", {})
    if snap:
        rows.append(("snapshot save", fmt_time, g(snap, "factgraph", "save_s"), None, g(snap, "networkx", "save_s")))
        rows.append(("snapshot load / open", fmt_time, g(snap, "factgraph", "load_s"), g(snap, "kuzu", "load_s"), g(snap, "networkx", "load_s")))
        rows.append(("snapshot size", fmt_bytes, g(snap, "factgraph", "bytes"), g(snap, "kuzu", "bytes"), g(snap, "networkx", "bytes")))
    for name, per in res.get("queries", {}).items():
        times = [_dig(per, (e, "times_s")) or [] for e in ("factgraph", "kuzu", "networkx")]
        rows.append((name, fmt_time, *(median(t) for t in times), *(min(t) if t else None for t in times)))
    return [r if len(r) == 8 else (*r, None, None, None) for r in rows]


def _dig(d, keys):
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def write_report(all_results):
    lines = [
        "# factgraph vs Kuzu vs networkx",
        "",
        "Written by `bench/run.sh` (bench/compare.py); raw numbers in `raw/<size>.json`.",
        "Ratios are factgraph / peer: below 1 factgraph is faster (or smaller), **bold** where it is not.",
        "Query times are the median of warm runs after a warm-up, inside one process per engine",
        "(factgraph: `examples/bench_queries.rs`; Kuzu: its Python API; networkx: Python code doing the same work).",
        "Load times: factgraph is the whole `factgraph import` process (parse, build, write the snapshot);",
        "Kuzu is CREATE TABLE + COPY FROM + close (checkpoint), in-process; networkx is building a MultiDiGraph from the CSVs.",
        "Peak RSS is each engine's own child process. Snapshot for Kuzu is opening the database and",
        "counting :Person; for networkx, pickle. Absolute times are noisy: the machine is shared and has 2 cores",
        "(Kuzu uses both, factgraph one). The last column compares the fastest run of each engine,",
        "which is less sensitive to the other work on the machine than the median.",
        "",
    ]
    for res in all_results:
        lines.append(
            f"## {res['size']}: {res['nodes']:,} nodes, {res['relationships']:,} relationships "
            f"({fmt_bytes(res.get('input_bytes'))} of CSV)"
        )
        lines.append("")
        lines.append(
            f"Measured {res.get('date', '?')} on {res.get('machine', '?')}, "
            f"factgraph built from {res.get('commit', '?')}; "
            f"load average {res.get('load_average', '?')} when the size started."
        )
        lines.append("")
        lines.append("| operation | factgraph | Kuzu | networkx | fg/Kuzu | fg/nx | fg/Kuzu, best runs |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|")
        for op, fmt, f, k, n, fb, kb, _ in table_rows(res):
            lines.append(
                f"| {op} | {fmt(f)} | {fmt(k)} | {fmt(n)} | {ratio(f, k)} | {ratio(f, n)} | {ratio(fb, kb)} |"
            )
        snap = res.get("snapshot", {}).get("factgraph", {})
        if snap.get("rebuild_s") and snap.get("load_s"):
            lines.append("")
            lines.append(
                f"Snapshot load vs rebuild from the CSV files (`factgraph import`): "
                f"{snap['rebuild_s'] / snap['load_s']:.1f}x faster."
            )
        rows_note = ", ".join(
            f"{name}: {per.get('factgraph', {}).get('row_count', '?')}" for name, per in res.get("queries", {}).items()
        )
        if rows_note:
            lines.append("")
            lines.append(f"Rows per query (equal in every engine unless listed below): {rows_note}.")
        if res.get("mismatches"):
            lines.append("")
            lines.append("**Results differ:**")
            lines.extend(f"- {m}" for m in res["mismatches"])
        lines.append("")
    (RESULTS / "RESULTS.md").write_text("\n".join(lines))


def plot(all_results):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log("matplotlib missing: no plot")
        return
    ops = ["bulk load (time)"] + [q["name"] for q in QUERIES]
    cols = 4
    rowsn = (len(ops) + cols - 1) // cols
    fig, axes = plt.subplots(rowsn, cols, figsize=(4 * cols, 3.3 * rowsn), squeeze=False)
    colours = {"factgraph": "tab:blue", "Kuzu": "tab:orange", "networkx": "tab:green"}
    ordered = sorted(all_results, key=lambda r: r["nodes"])
    for ax, op in zip(axes.flat, ops):
        for i, engine in enumerate(["factgraph", "Kuzu", "networkx"]):
            xs, ys = [], []
            for res in ordered:
                for row in table_rows(res):
                    if row[0] == op and row[2 + i]:
                        xs.append(res["nodes"])
                        ys.append(row[2 + i])
            if xs:
                ax.plot(xs, ys, marker="o", label=engine, color=colours[engine])
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(op, fontsize=9)
        ax.set_xlabel("nodes")
        ax.set_ylabel("seconds")
        ax.grid(True, which="both", alpha=0.3)
    for ax in list(axes.flat)[len(ops):]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=8)
    fig.suptitle("time vs graph size (log-log; ~5 relationships per node)")
    fig.tight_layout()
    fig.savefig(RESULTS / "time_vs_size.png", dpi=110)


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        engine, rest = sys.argv[2], sys.argv[3:]
        if engine == "kuzu":
            files, db, phase, params_json, runs = rest
            kuzu_child(files, db, phase, params_json, int(runs))
        else:
            files, work, params_json, runs, phases = rest
            nx_child(files, work, params_json, int(runs), set(phases.split(",")))
        return
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="10k,100k", help="comma-separated: 1k, 10k, 100k, 1M, 5M or a number of nodes")
    p.add_argument("--only", default="", help="comma-separated phases to (re)run: load, snapshot, queries")
    p.add_argument("--engines", default="factgraph,kuzu,networkx", help="peers to run (factgraph always runs)")
    p.add_argument("--runs", type=int, default=5, help="timed runs per query (after one warm-up)")
    p.add_argument("--seed", type=int, default=0x5EED)
    p.add_argument("--work", default=os.environ.get("BENCH_WORK", "/tmp/factgraph-bench"), help="where files and stores go")
    p.add_argument("--fg-bin", default=str(ROOT / "target" / "release" / "factgraph"))
    p.add_argument("--bench-bin", default=str(ROOT / "target" / "release" / "examples" / "bench_queries"))
    p.add_argument("--smoke", action="store_true", help="write no report; fail if the engines disagree")
    p.add_argument("--report-only", action="store_true", help="rebuild RESULTS.md and the plot from raw/*.json")
    args = p.parse_args()
    args.engines = "factgraph," + args.engines

    results = []
    for s in [] if args.report_only else args.sizes.split(","):
        label, nodes = parse_size(s.strip())
        results.append(bench_size(label, nodes, args))
    mismatches = [m for r in results for m in r["mismatches"]]
    if not args.smoke:
        all_results = []
        for f in sorted((RESULTS / "raw").glob("*.json")):
            all_results.append(json.loads(f.read_text()))
        all_results.sort(key=lambda r: r["nodes"])
        write_report(all_results)
        plot(all_results)
        log(f"wrote {RESULTS / 'RESULTS.md'} and {RESULTS / 'time_vs_size.png'}")
    for r in results:
        for op, fmt, f, k, n, *_ in table_rows(r):
            print(f"{r['size']:>5} {op:<40} fg {fmt(f):>10}  kuzu {fmt(k):>10}  nx {fmt(n):>10}  fg/kuzu {ratio(f, k):>8}  fg/nx {ratio(f, n):>8}")
    if mismatches:
        print("RESULTS DIFFER BETWEEN ENGINES:", file=sys.stderr)
        for m in mismatches:
            print("  " + m, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
