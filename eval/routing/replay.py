#!/usr/bin/env python3
"""Replays fusion's ranking on what `eval routing --record DIR` wrote, so a scoring change can be
tried in seconds (docs/CATALOGUE.md, "eval routing").

    python3 eval/routing/replay.py DIR/halvard                # the engine as recorded, replayed
    python3 eval/routing/replay.py DIR/halvard --rocchio 3 0.2 # feedback on the question vector
    python3 eval/routing/replay.py DIR/halvard --bm25          # BM25 for the full-text source
    python3 eval/routing/replay.py DIR/halvard --weighted-score # FUSION_METHOD=weighted_score

The replay: the vector source's scores recomputed from the embeddings (the instructed question
against each expert's vectors, averaged), the fusion cuts (vector within 0.03 of its best, the
graph's fused hits as recorded, relational hits at half its best or more) and weighted RRF
(k 60; 0.40 / 0.35 / 0.25). Panel seating is not replayed: top-1 and department@1 match the
engine's, top-3 within a question or two. Prints top-1 / top-3 / department@1 of the replayed
fusion and of the vector source alone. Needs numpy.
"""
import argparse
import json
import math
import re

import numpy as np

K, WEIGHTS, VECTOR_MARGIN, SHARE = 60, {"vector": 0.40, "graph": 0.35, "relational": 0.25}, 0.03, 0.5
FIELD = {"A": 2.0, "B": 1.5, "C": 1.0, "D": 0.5}


def load(folder):
    experts = [json.loads(line) for line in open(f"{folder}/experts.jsonl", encoding="utf-8")]
    questions = [json.loads(line) for line in open(f"{folder}/questions.jsonl", encoding="utf-8")]
    return experts, questions


def accuracy(rankings, questions, slug, department):
    hits = np.zeros(3)
    for ranked, q in zip(rankings, questions):
        ranked = [slug[i] for i in ranked]
        hits += [bool(ranked) and ranked[0] in q["expected"],
                 any(r in q["expected"] for r in ranked[:3]),
                 bool(ranked) and department.get(ranked[0]) == q["department"]]
    return " / ".join(f"{x:.3f}" for x in hits / len(questions))


def lexemes(text):
    return list(dict.fromkeys(m.replace("''", "'") for m in re.findall(r"'((?:[^']|'')*)'", text or "")))


def bm25(experts, questions, k1=1.2, b=0.75):
    """Field-weighted BM25 over the recorded tsvector documents (measured in the fourth round, not kept)."""
    docs = []
    for e in experts:
        doc = {}
        for m in re.finditer(r"'((?:[^']|'')*)'(?::([0-9A-D,]+))?", e["document"] or ""):
            marks = m.group(2).split(",") if m.group(2) else ["D"]
            doc[m.group(1).replace("''", "'")] = sum(FIELD[p[-1] if p[-1] in "ABC" else "D"] for p in marks)
        docs.append(doc)
    n = len(docs)
    df = {}
    for d in docs:
        for lexeme in d:
            df[lexeme] = df.get(lexeme, 0) + 1
    lengths = [sum(d.values()) for d in docs]
    average = sum(lengths) / n
    out = []
    for q in questions:
        scores = {}
        for lexeme in lexemes(q["lexemes"]):
            if lexeme not in df:
                continue
            idf = math.log(1 + (n - df[lexeme] + 0.5) / (df[lexeme] + 0.5))
            for i, d in enumerate(docs):
                if lexeme in d:
                    tf = d[lexeme]
                    scores[i] = scores.get(i, 0) + idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[i] / average))
        out.append([(experts[i]["id"], s) for i, s in sorted(scores.items(), key=lambda x: -x[1])[:20]])
    return out


def weighted_score(cosines, ids, questions, relational):
    """FUSION_METHOD=weighted_score (fusion/WeightedScore.java): each source's whole list, weighted and
    summed: the vector cosine below its best in units of the 0.03 margin (an expert it did not return
    counts as its last hit), the graph's reciprocal rank, the relational score as a share of its best."""
    rankings = []
    for qi, q in enumerate(questions):
        order = np.argsort(-cosines[qi], kind="stable")[:20]
        best, last = cosines[qi][order[0]], cosines[qi][order[-1]]
        vector = {ids[i]: (cosines[qi][i] - best) / VECTOR_MARGIN for i in order}
        graph = {e: 1.0 / r for r, e in enumerate(dict.fromkeys(q["graph"]), 1)}
        top = relational[qi][0][1] if relational[qi] else 0
        full = {e: s / top for e, s in relational[qi]} if top > 0 else {}
        candidates = dict.fromkeys(list(vector) + list(graph) + list(full))
        score = {e: WEIGHTS["vector"] * vector.get(e, (last - best) / VECTOR_MARGIN)
                 + WEIGHTS["graph"] * graph.get(e, 0) + WEIGHTS["relational"] * full.get(e, 0) for e in candidates}
        rankings.append([e for e, _ in sorted(score.items(), key=lambda x: (-x[1], x[0]))])
    return rankings


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--rocchio", nargs=2, type=float, metavar=("K", "ALPHA"))
    parser.add_argument("--bm25", action="store_true")
    parser.add_argument("--weighted-score", action="store_true")
    args = parser.parse_args()
    experts, questions = load(args.folder)
    ids = [e["id"] for e in experts]
    slug = {e["id"]: e["slug"] for e in experts}
    department = {e["slug"]: e["department"] for e in experts}
    profiles = np.array([e["vectors"] for e in experts], dtype=np.float64)
    search = np.array([q["search"] for q in questions], dtype=np.float64)
    if args.rocchio:
        k, alpha = int(args.rocchio[0]), args.rocchio[1]
        first = np.argsort(-np.einsum("qd,etd->qe", search, profiles) / 2, axis=1, kind="stable")[:, :k]
        search = search + alpha * profiles.mean(1)[first].mean(1)
        search /= np.linalg.norm(search, axis=1, keepdims=True)
    cosines = np.einsum("qd,etd->qe", search, profiles) / 2
    relational = bm25(experts, questions) if args.bm25 else [list(q["relational"].items()) for q in questions]
    fused_rankings, vector_rankings = [], []
    for qi, q in enumerate(questions):
        order = np.argsort(-cosines[qi], kind="stable")[:20]
        vector = [(ids[i], cosines[qi][i]) for i in order]
        lists = {"vector": [i for i, s in vector if s >= vector[0][1] - VECTOR_MARGIN], "graph": q["graphFused"]}
        if relational[qi]:
            best = relational[qi][0][1]
            lists["relational"] = [i for i, s in relational[qi] if s >= SHARE * best]
        fused = {}
        for source, hits in lists.items():
            for rank, expert in enumerate(dict.fromkeys(hits), 1):
                fused[expert] = fused.get(expert, 0) + WEIGHTS[source] / (K + rank)
        fused_rankings.append([e for e, _ in sorted(fused.items(), key=lambda x: (-x[1], x[0]))])
        vector_rankings.append([i for i, _ in vector])
    if args.weighted_score:
        fused_rankings = weighted_score(cosines, ids, questions, relational)
    print("recorded fusion ", accuracy([q["fusion"] for q in questions], questions, slug, department))
    print("replayed fusion " + (" (weighted_score)" if args.weighted_score else ""),
          accuracy(fused_rankings, questions, slug, department))
    print("vector alone    ", accuracy(vector_rankings, questions, slug, department))
    print("relational alone", accuracy([[i for i, _ in r] for r in relational], questions, slug, department))


if __name__ == "__main__":
    main()
