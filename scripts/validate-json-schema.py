#!/usr/bin/env python3
"""Validates JSON files against a JSON Schema: validate-json-schema.py SCHEMA FILE... (exit 1 on the first invalid file)."""
import json, sys
import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
failed = False
for path in sys.argv[2:]:
    errors = sorted(validator.iter_errors(json.load(open(path, encoding="utf-8"))), key=lambda e: list(e.path))
    for error in errors:
        failed = True
        print(f"{path}: {'/'.join(map(str, error.path)) or '(root)'}: {error.message}")
print(f"{len(sys.argv) - 2} files checked")
sys.exit(1 if failed else 0)
