"""Rebuilds cases.json from a checkout of huggingface/Math-Verify's test suite.

Reads every `@pytest.mark.parametrize` table of (gold, pred, expected, ...) literals in its tests/ folder with
`ast` (nothing is imported or run) and writes one record per row. Run from anywhere:

    python3 extract_cases.py /path/to/Math-Verify [commit] > cases.json

Rows whose test passes non-default options (precision, strict, allow_set_relation_comp) are kept with a
`skip` reason, as are rows where a side is a free-text response: no `\\boxed` and prose around the answer.
"""

import ast
import json
import re
import sys
from pathlib import Path

# Test files that grade (gold, pred) pairs; the others test the parser alone or mock it.
GRADING_FILES = [
    "test_all.py",
    "test_boxed.py",
    "test_numina_cases.py",
    "test_open_thoughts.py",
    "test_strict.py",
    "test_yujianll.py",
]
DEFAULTS = {"precision": 6, "strict": True, "allow_set_relation_comp": False}
# Prose words that say the side is a sentence around the answer, not the answer.
PROSE = re.compile(
    r"(?<![\\a-zA-Z])(?:answer|is|the|therefore|thus|so|we|find|here|when|since|let|then|which|number|"
    r"identity|matrix|special|with|fractions|sum|solution|multiplying|by|it|its|not|of|are|be|soucis)(?![a-zA-Z])",
    re.IGNORECASE,
)

# Rows computed at import time (an f-string), which `ast` cannot read as data.
NON_LITERAL = []


def without_text_blocks(s):
    return re.sub(r"\\(?:text|textbf|mathrm|mbox|textnormal)\s*\{[^{}]*\}", " ", s)


def free_text(side):
    if "\\boxed" in side or "\\fbox" in side:
        return False
    return len(side) > 150 or PROSE.search(without_text_blocks(side)) is not None


def literal(node):
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def rows_of(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for fn in tree.body:
        if not isinstance(fn, ast.FunctionDef):
            continue
        for deco in fn.decorator_list:
            if not (isinstance(deco, ast.Call) and getattr(deco.func, "attr", "") == "parametrize"):
                continue
            names = [n.strip() for n in literal(deco.args[0]).split(",")]
            if not {"gold", "pred"} <= set(names) or not {"expected", "result"} & set(names):
                continue
            options = dict(DEFAULTS)
            for call in ast.walk(fn):
                if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "compare_strings":
                    for kw in call.keywords:
                        value = literal(kw.value)
                        if kw.arg in options and value is not None:
                            options[kw.arg] = value
            for index, row in enumerate(deco.args[1].elts):
                values = literal(row)
                if values is None:
                    NON_LITERAL.append(f"{path.name}::{fn.name}[{index}]")
                    continue
                record = dict(zip(names, values))
                row_options = dict(options)
                for key in DEFAULTS:
                    if key in record:
                        row_options[key] = record[key]
                yield fn.name, index, record["gold"], record["pred"], int(record.get("expected", record.get("result"))), row_options


def main():
    root = Path(sys.argv[1])
    commit = sys.argv[2] if len(sys.argv) > 2 else None
    cases = []
    for name in GRADING_FILES:
        for test, index, gold, pred, expected, options in rows_of(root / "tests" / name):
            skip = None
            if options != DEFAULTS:
                changed = sorted(k for k in DEFAULTS if options[k] != DEFAULTS[k])
                skip = "non-default option: " + ", ".join(f"{k}={options[k]}" for k in changed)
            elif free_text(gold) or free_text(pred):
                skip = "free text: a side has no box and prose around the answer"
            cases.append(
                {
                    "id": f"{name}::{test}[{index}]",
                    "gold": gold,
                    "pred": pred,
                    "expected": expected,
                    **({"skip": skip} if skip else {}),
                }
            )
    source = {
        "repository": "https://github.com/huggingface/Math-Verify",
        "commit": commit,
        "licence": "Apache-2.0 (repository LICENCE); tests/test_all.py carries an MIT notice, Copyright (c) 2024 The HuggingFace Team",
        "generator": "extract_cases.py",
        "notLiteral": NON_LITERAL,
    }
    json.dump({"source": source, "cases": cases}, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
