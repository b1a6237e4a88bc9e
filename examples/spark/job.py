#!/usr/bin/env python3
"""factgraph on Apache Spark, both ways.

extract: corpus (JSON lines) -> spark.read.text -> rdd.pipe("factgraph extract --jsonl")
         -> JSON-lines part files -> factgraph import --merge -> store
query:   store -> factgraph export --format csv -> Spark DataFrames typed from the
         neo4j-admin headers -> Person-HOLDS->Role-ROLE_OF->Country grouped by country,
         compared with factgraph's answer to the same Cypher

Runs with `python3 job.py ...` (pip's pyspark) or `spark-submit job.py ...`. Without
--master the master comes from spark-submit or the cluster's defaults, so the same
file runs on local[2] here and on a cluster. See README.md next to this file.
"""

import argparse
import csv
import json
import os
import shlex
import subprocess
import sys
import time

# The executors' Python must be the driver's when run with plain python3.
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402
from pyspark.sql import types as T  # noqa: E402

# The 3-hop query, in Cypher, as factgraph answers it.
CYPHER = (
    "MATCH (p:Person)-[:HOLDS]->(:Role)-[:ROLE_OF]->(c:Country) "
    "RETURN c.name AS country, count(DISTINCT p) AS people ORDER BY country"
)


def session(master, app):
    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def extract(args):
    spark = session(args.master, "factgraph-extract")
    sc = spark.sparkContext
    # The corpus lines go to factgraph verbatim (spark.read.text, not
    # spark.read.json): no parsing and re-serialising in Python, and a bad
    # line reaches factgraph as it is, to be reported with its document id.
    corpus = spark.read.text(args.corpus)
    # A small corpus is one split; spread it over every core. The shuffle
    # changes the order of the documents, which the merge does not mind.
    partitions = args.partitions or max(corpus.rdd.getNumPartitions(), sc.defaultParallelism)
    if partitions != corpus.rdd.getNumPartitions():
        corpus = corpus.repartition(partitions)
    corpus = corpus.cache()
    docs = corpus.count()
    corpus_bytes = corpus.select(F.sum(F.length("value"))).first()[0] or 0
    # Exit status 1 means "some input lines were bad" (they are reported on the
    # executor's stderr and skipped); anything else fails the task.
    command = "sh -c {}".format(
        shlex.quote(
            "{} extract --jsonl || [ $? -eq 1 ]".format(shlex.quote(args.factgraph))
        )
    )
    started = time.time()
    facts = corpus.rdd.map(lambda row: row.value).pipe(command, checkCode=True)
    facts.saveAsTextFile(args.facts)
    extract_secs = time.time() - started
    print(
        "extracted {} document line(s), {:.2f} MB of JSON lines, in {:.2f} s on {} partition(s): "
        "{:.2f} MB/s".format(
            docs,
            corpus_bytes / 1e6,
            extract_secs,
            partitions,
            corpus_bytes / 1e6 / extract_secs if extract_secs > 0 else 0.0,
        ),
        flush=True,
    )
    if args.db:
        # The part files are streamed back through the driver, so this works
        # the same whether --facts is a local folder, HDFS or S3.
        merge = subprocess.Popen(
            [args.factgraph, "import", "--merge", "--force", "--db", args.db, "-"],
            stdin=subprocess.PIPE,
        )
        for line in sc.textFile(args.facts).toLocalIterator():
            merge.stdin.write(line.encode("utf-8"))
            merge.stdin.write(b"\n")
        merge.stdin.close()
        if merge.wait() != 0:
            sys.exit("factgraph import --merge failed")
    spark.stop()


# neo4j-admin header types -> Spark types. Dates stay strings: factgraph dates
# may be a year or a month ("2025-11"), which a DateType cannot hold.
SCALARS = {
    "int": T.LongType(),
    "long": T.LongType(),
    "short": T.LongType(),
    "byte": T.LongType(),
    "float": T.DoubleType(),
    "double": T.DoubleType(),
    "boolean": T.BooleanType(),
}


def column(cell):
    """(name, type) of a header cell: `name:string`, `born:int`, `:LABEL`, `id:ID`."""
    name, _, kind = cell.partition(":")
    kind = kind.split("(")[0].split("{")[0]
    special = {"ID": "_id", "LABEL": "_labels", "START_ID": "_start", "END_ID": "_end", "TYPE": "_type"}
    if kind in special:
        return special[kind], kind
    return name, kind or "string"


def read_neo4j_csv(spark, path):
    """A DataFrame from a neo4j-admin CSV file, typed from its header."""
    with open(path, newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    cols = [column(c) for c in header]
    raw = T.StructType([T.StructField("c{}".format(i), T.StringType()) for i in range(len(cols))])
    df = spark.read.csv(path, header=True, schema=raw, multiLine=True, escape='"')
    out = []
    for i, (name, kind) in enumerate(cols):
        c = F.col("c{}".format(i))
        if kind == "LABEL" or kind.endswith("[]"):
            c = F.split(c, ";")
        elif kind in SCALARS:
            c = c.cast(SCALARS[kind])
        out.append(c.alias(name))
    return df.select(*out)


def query(args):
    nodes_csv = os.path.join(args.csv, "nodes.csv")
    if args.db and not os.path.exists(nodes_csv):
        subprocess.run(
            [
                args.factgraph, "export", "--db", args.db, "--format", "csv", "-o", args.csv + "/",
                "--query", "MATCH (n) OPTIONAL MATCH (n)-[r]->(m) RETURN n, r, m",
            ],
            check=True,
        )
    spark = session(args.master, "factgraph-query")
    nodes = read_neo4j_csv(spark, nodes_csv)
    rels = read_neo4j_csv(spark, os.path.join(args.csv, "relationships.csv"))
    nodes.printSchema()

    def labelled(label):
        return nodes.filter(F.array_contains("_labels", label))

    people = labelled("Person").select(F.col("_id").alias("person"))
    roles = labelled("Role").select(F.col("_id").alias("role"))
    countries = labelled("Country").select(F.col("_id").alias("cid"), F.col("name").alias("country"))
    holds = rels.filter(F.col("_type") == "HOLDS").select(F.col("_start").alias("person"), F.col("_end").alias("role"))
    role_of = rels.filter(F.col("_type") == "ROLE_OF").select(F.col("_start").alias("role"), F.col("_end").alias("cid"))
    started = time.time()
    answer = (
        people.join(holds, "person")
        .join(roles, "role")
        .join(role_of, "role")
        .join(countries, "cid")
        .groupBy("country")
        .agg(F.countDistinct("person").alias("people"))
        .orderBy("country")
        .collect()
    )
    spark_rows = [[r["country"], r["people"]] for r in answer]
    print("spark: {} countries in {:.2f} s".format(len(spark_rows), time.time() - started))
    spark.stop()
    if args.db:
        out = subprocess.run(
            [args.factgraph, "query", "--db", args.db, "--format", "json", CYPHER],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        rows = json.loads(out)["rows"]
        fg_rows = [[r["country"], r["people"]] for r in rows]
        for country, people in spark_rows:
            print("  {:<30} {}".format(country, people))
        if fg_rows != spark_rows:
            print("factgraph answers differently:", fg_rows, file=sys.stderr)
            sys.exit(1)
        print("same answer as factgraph: {} countries, {} people".format(
            len(fg_rows), sum(p for _, p in fg_rows)))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--master", help="Spark master (local[2], spark://..., yarn); default: spark-submit's")
    p.add_argument("--factgraph", default="factgraph", help="the factgraph binary (on every executor)")
    sub = p.add_subparsers(dest="step", required=True)
    e = sub.add_parser("extract", help="corpus -> facts part files -> merged store")
    e.add_argument("--corpus", required=True, help="documents as JSON lines")
    e.add_argument("--facts", required=True, help="output folder for the fact part files (must not exist)")
    e.add_argument("--db", help="merge the facts into this store (replaced if it exists)")
    e.add_argument("--partitions", type=int, help="repartition the corpus first")
    q = sub.add_parser("query", help="CSV export -> DataFrames -> 3-hop query, compared with factgraph")
    q.add_argument("--csv", required=True, help="folder with nodes.csv and relationships.csv")
    q.add_argument("--db", help="the store: exported to --csv when that is empty, and asked the same Cypher")
    args = p.parse_args()
    extract(args) if args.step == "extract" else query(args)


if __name__ == "__main__":
    main()
