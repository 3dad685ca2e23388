#!/usr/bin/env python3
"""Renders the labelled routing sets from their spec.txt files (deterministic: same spec, same files).

Each set's spec lists departments (D), experts (E) and questions (Q); this program writes the set's
catalogue in that set's own style, questions.jsonl and departments.tsv, and prints, for every
question, the content words it shares with its expected expert's profile (questions are meant to
be phrased as tasks, without the profile's words).

    python3 eval/routing/generate.py            # every set with a spec.txt
"""
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
STOP = set("""a an the of and or for to in on with by at as is are be was were it its this that these those from we our
you your i my what how which who when do does can should will would not no if so than then there their they them
into about all any has have had but also such may must us who whom each every one two new own more most other""".split())


def words(text):
    out = []
    for w in re.split(r"[^a-z0-9]+", text.lower()):
        if w and w not in STOP:
            out.append(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w)
    return out


def stable(slug, n):
    return int(hashlib.sha256(slug.encode()).hexdigest(), 16) % n


def parse(spec):
    departments, experts, questions = {}, [], []
    for raw in spec.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        kind, *f = [x.strip() for x in raw.split("|")]
        if kind == "D":
            departments[f[0]] = {"name": f[1], "namespace": f[2]}
        elif kind == "E":
            dept, slug, level, title, specialty, caps, tags, links = (f + [""] * 8)[:8]
            experts.append(dict(dept=dept, slug=slug, level=int(level), title=title, specialty=specialty,
                                caps=[c.strip() for c in caps.split(";") if c.strip()],
                                tags=[t.strip() for t in tags.split(";") if t.strip()],
                                links=[x.strip() for x in links.split(",") if x.strip()]))
        elif kind == "Q":
            questions.append({"expected": [s.strip() for s in f[0].split(",")], "query": f[1]})
        else:
            raise ValueError("unknown line: " + raw)
    return departments, experts, questions


def tag_values(e, key):
    return [t.split(":", 1)[1] for t in e["tags"] if t.startswith(key + ":")]


def terse(departments, experts, org):
    """Short fields, a hierarchy under each department head, declared collaborations."""
    heads = {e["dept"]: e["slug"] for e in experts if e["level"] == 2}
    top = next(e["slug"] for e in experts if e["level"] == 1)
    out = []
    for e in experts:
        d = departments.get(e["dept"])
        record = {"slug": e["slug"], "name": e["title"], "level": e["level"], "specialty": e["specialty"]}
        if stable(e["slug"], 2) == 0:
            record["description"] = e["specialty"] + "."
        record["domains"] = [d["name"].lower()] if d else ["executive"]
        record["capabilities"] = e["caps"]
        record["regions"] = tag_values(e, "region") or ([] if stable(e["slug"] + "r", 3) else ["global"])
        record["therapeutic_areas"] = tag_values(e, "area")
        record["phases"] = tag_values(e, "phase")
        if e["level"] == 2:
            record["reports_to"] = top
            record["collaborates_with"] = [x for x in e["links"] if x != top]
        elif e["level"] == 3:
            record["reports_to"] = heads[e["dept"]]
            record["collaborates_with"] = e["links"]
        record["knowledge_namespaces"] = [d["namespace"]] if d else []
        record["system_prompt"] = f"You are the {e['title']} at {org}."
        out.append(record)
    return out


ABBREVIATIONS = [("Director", "Dir."), ("Senior", "Sr."), ("Manager", "Mgr"), ("Specialist", "Spec."),
                 ("Engineer", "Engr"), ("Regulatory", "Reg."), ("Associate", "Assoc.")]
SITES = ["Galway", "Minneapolis", "Singapore", "Zug", "Guadalajara", "Shanghai"]
OPENINGS = [
    "Reporting to the {head}, the {title} is accountable for {focus} across the Novarine portfolio.",
    "As {title} you will own {focus} for Novarine's device and diagnostics franchises, reporting to the {head}.",
    "This position sits within {dept} and leads {focus} for products from development through end of life.",
]
DUTIES = [
    "Key responsibilities include {duties}.",
    "Day to day, the role covers {duties}.",
    "You will be responsible for {duties}.",
]
CLOSINGS = [
    "The role partners cross-functionally with {a} and {b} and ensures compliance with applicable procedures, "
    "standards and regulations.",
    "Works closely with {a}, {b} and external stakeholders; maintains inspection-ready records in line with the "
    "quality management system.",
    "Collaborates with {a} and {b} to meet business objectives while upholding Novarine's quality policy.",
]
REQUIREMENTS = [
    "Requirements: bachelor's degree in engineering or life sciences, {n}+ years in the medical device industry, "
    "excellent written and verbal communication skills.",
    "Qualifications: {n}+ years of relevant experience in a regulated environment; strong organisational skills; "
    "ability to manage multiple priorities.",
    "Experience: {n}+ years in medtech or IVD; working knowledge of ISO 13485; proficiency with Microsoft Office.",
]


def snake(phrase):
    return re.sub(r"[^a-z0-9]+", "_", phrase.lower()).strip("_")


def noisy(title, slug):
    out = title
    for full, short in ABBREVIATIONS:
        if stable(slug + full, 2) == 0:
            out = out.replace(full, short)
    return out


def prose(departments, experts, org):
    """Job-description prose, capability codes, noisy titles, missing fields, no relations or regions."""
    head_titles = {e["dept"]: e["title"] for e in experts if e["level"] == 2}
    names = [d["name"] for d in departments.values()]
    out = []
    for e in experts:
        d = departments[e["dept"]]
        pick = lambda options, salt: options[stable(e["slug"] + salt, len(options))]
        others = [n for n in names if n != d["name"]]
        duties = ", ".join(c.lower() if not c.isupper() else c for c in e["caps"][:-1])
        duties = (duties + " and " if duties else "") + e["caps"][-1]
        head = head_titles[e["dept"]] if e["level"] > 2 else "Chief Quality and Regulatory Officer"
        description = " ".join([
            pick(OPENINGS, "o").format(head=head, title=e["title"], focus=e["specialty"][0].lower() + e["specialty"][1:],
                                       dept=d["name"]),
            pick(DUTIES, "d").format(duties=duties),
            pick(CLOSINGS, "c").format(a=pick(others, "a"), b=pick(others, "b")),
            pick(REQUIREMENTS, "q").format(n=3 + stable(e["slug"], 8)),
        ])
        site = pick(SITES, "s")
        specialty = pick([f"{d['name']} / {e['specialty']} ({site})", f"{e['specialty']} - {site}",
                          f"{noisy(e['title'], e['slug'])}, {d['name']}"], "p")
        record = {"slug": e["slug"], "name": noisy(e["title"], e["slug"]), "level": e["level"],
                  "specialty": specialty, "description": description,
                  "capabilities": [snake(c) for c in e["caps"]]}
        if stable(e["slug"] + "dom", 5) < 3:
            record["domains"] = [snake(d["name"])]
        if stable(e["slug"] + "ns", 2) == 0:
            record["knowledge_namespaces"] = [d["namespace"]]
        record["system_prompt"] = (f"You are {org}'s {e['title']}. {description} Answer as this role would, "
                                   "naming the procedure, standard or regulation that applies.")
        out.append(record)
    return out


CODE_WORDS = {"management": "MGMT", "administration": "ADMIN", "coordination": "COORD", "assessment": "ASSMT",
              "prevention": "PREV", "monitoring": "MON", "review": "REV", "program": "PGM", "reporting": "RPT",
              "verification": "VERIF", "surveillance": "SURV", "and": None, "of": None, "for": None, "to": None,
              "the": None, "with": None, "a": None}
CAMPUSES = ["Main Campus", "Northfield", "Riverside", "Eastgate"]
BOILERPLATE = ("You are an assistant for Corvane Health staff. Be accurate, cite policy numbers where known and "
               "escalate anything urgent to the house supervisor.")


def code(prefix, phrase):
    parts = []
    for w in re.split(r"[^A-Za-z0-9]+", phrase):
        if not w:
            continue
        short = CODE_WORDS.get(w.lower(), w.upper())
        if short:
            parts.append(short)
    return prefix + "." + "-".join(parts)


def register(departments, experts, org):
    """An HR register export: job codes in titles, capability codes, half without a specialty, a third with a
    one-line description, one boilerplate prompt for all, a reporting hierarchy, few collaborations, no domains."""
    heads = {e["dept"]: e["slug"] for e in experts if e["level"] == 2}
    top = next(e["slug"] for e in experts if e["level"] == 1)
    out = []
    for e in experts:
        d = departments.get(e["dept"])
        prefix = d["namespace"] if d else "EXE"
        job = f"{prefix}-{100 + stable(e['slug'], 900)}"
        record = {"slug": e["slug"], "name": f"{job} {e['title']}", "level": e["level"]}
        if stable(e["slug"] + "sp", 2) == 0:
            site = CAMPUSES[stable(e["slug"] + "c", len(CAMPUSES))]
            record["specialty"] = f"{d['name'] if d else 'Executive Office'} | {site}"
        if stable(e["slug"] + "de", 3) == 0:
            record["description"] = e["specialty"]
        record["capabilities"] = [code(prefix, c) for c in e["caps"]]
        if e["level"] == 2:
            record["reports_to"] = top
        elif e["level"] == 3:
            record["reports_to"] = heads[e["dept"]]
        if e["links"]:
            record["collaborates_with"] = e["links"]
        record["system_prompt"] = BOILERPLATE
        out.append(record)
    return out


STYLES = {"halvard": (terse, "Halvard Clinical Research", "agents.yaml"),
          "novarine": (prose, "Novarine Medical", "agents.json"),
          "corvane": (register, "Corvane Health", "agents.json")}


def profile_words(e):
    return set(words(" ".join([e["title"], e["specialty"], " ".join(e["caps"])])))


def render(name):
    folder = ROOT / name
    departments, experts, questions = parse(folder / "spec.txt")
    style, org, catalogue_file = STYLES[name]
    records = style(departments, experts, org)
    by_slug = {e["slug"]: e for e in experts}
    department_of = {e["slug"]: (departments[e["dept"]]["name"] if e["dept"] in departments else "Executive")
                     for e in experts}
    for q in questions:
        for slug in q["expected"]:
            if slug not in by_slug:
                raise ValueError(f"{name}: unknown expected expert {slug}")
        q["department"] = department_of[q["expected"][0]]
    if catalogue_file.endswith(".json"):
        (folder / catalogue_file).write_text(json.dumps({"agents": records}, indent=1, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
    else:
        (folder / catalogue_file).write_text(yaml_dump(records), encoding="utf-8")
    with (folder / "questions.jsonl").open("w", encoding="utf-8") as f:
        for q in questions:
            f.write(json.dumps({"query": q["query"], "expected": q["expected"], "department": q["department"]},
                               ensure_ascii=False) + "\n")
    (folder / "departments.tsv").write_text("".join(f"{s}\t{d}\n" for s, d in department_of.items()),
                                            encoding="utf-8")
    shared = []
    for q in questions:
        common = sorted(set(words(q["query"])) & profile_words(by_slug[q["expected"][0]]))
        shared.append(len(common))
        if common:
            print(f"  {name}: {q['expected'][0]} shares {common}: {q['query']}")
    print(f"{name}: {len(records)} experts, {len(departments)} departments, {len(questions)} questions; "
          f"questions sharing no content word with their expert's title, specialty and capabilities: "
          f"{sum(1 for n in shared if n == 0)}/{len(shared)}, mean shared {sum(shared) / len(shared):.2f}")


def yaml_dump(records):
    lines = ["# Generated by eval/routing/generate.py from spec.txt; edit the spec, not this file.", "agents:"]
    for r in records:
        first = True
        for key, value in r.items():
            prefix = "  - " if first else "    "
            first = False
            lines.append(f"{prefix}{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    for set_name in sys.argv[1:] or sorted(STYLES):
        render(set_name)
