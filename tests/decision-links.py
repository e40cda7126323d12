#!/usr/bin/env python3
"""Run from the repository root: python3 tests/decision-links.py. Lists every reference to a decision record (docs/decisions/NNNN-…md, 'decision NNNN') in src/ and docs/ that names no existing record."""
import os, re, sys
root = sys.argv[1] if len(sys.argv) > 1 else "."
records = {f for f in os.listdir(os.path.join(root, "docs/decisions")) if f.endswith(".md")}
numbers = {f[:4] for f in records}
bad = 0
for top in ("src", "docs", "README.md", "tests"):
    base = os.path.join(root, top)
    paths = [base] if os.path.isfile(base) else [os.path.join(d, f) for d, _, fs in os.walk(base) if "/obj" not in d and "/bin" not in d and "node_modules" not in d for f in fs if f.endswith((".cs", ".md", ".yaml", ".json"))]
    for path in paths:
        for n, line in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
            for m in re.finditer(r"decisions/(\d{4}-[A-Za-z0-9._-]+?\.md)", line):
                if m.group(1) not in records:
                    bad += 1; print(f"{path}:{n}: no record {m.group(1)}")
            for m in re.finditer(r"(?i)decision(?: record)?s? (\d{4})\b", line):
                if m.group(1) not in numbers:
                    bad += 1; print(f"{path}:{n}: no decision {m.group(1)}")
            for m in re.finditer(r"\]\((?:\.\./)*(?:decisions/)?(\d{4}-[A-Za-z0-9._-]+?\.md)\)", line):
                if "decisions" in path or "decisions/" in line:
                    if m.group(1) not in records:
                        bad += 1; print(f"{path}:{n}: broken link {m.group(1)}")
print(f"{bad} broken", file=sys.stderr)
sys.exit(1 if bad else 0)
