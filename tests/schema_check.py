#!/usr/bin/python3
"""Checks every line of each FILE against snoop-c's event schema
(deploy/schema/snoop-c-events.schema.json) with Debian's python3-jsonschema,
and for the fields this build writes that the schema leaves optional.
Usage: tests/schema_check.py FILE...   Prints each invalid line; exit 1 if any."""
import json
import os
import sys

import jsonschema

# Optional in the schema (earlier builds' lines lack them), in every line of this build's.
THIS_BUILD = ("boot_id", "run_id", "seq")
SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "deploy", "schema",
                      "snoop-c-events.schema.json")


def main():
    with open(SCHEMA, encoding="utf-8") as f:
        validator = jsonschema.Draft202012Validator(json.load(f))
    bad = lines = 0
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            for number, line in enumerate(f, 1):
                lines += 1
                try:
                    obj = json.loads(line)
                    errors = [e.message for e in validator.iter_errors(obj)]
                    errors += [f"no {key} (this build writes it)" for key in THIS_BUILD
                               if key not in obj]
                except ValueError as e:
                    errors = [f"not JSON: {e}"]
                if errors:
                    bad += 1
                    print(f"{path}:{number}: {'; '.join(errors)[:300]}: {line.strip()[:200]}")
    if not lines:
        print("no lines to check")
    return 1 if bad or not lines else 0


if __name__ == "__main__":
    sys.exit(main())
