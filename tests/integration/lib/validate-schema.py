#!/usr/bin/python3
"""validate-schema.py SCHEMA DOCUMENT: validates a JSON document against a JSON
schema, resolving $ref to sibling files of the schema offline. Test helper."""
import json, os, sys
import jsonschema

schema_path, doc_path = sys.argv[1], sys.argv[2]
base = os.path.dirname(os.path.abspath(schema_path))
schema = json.load(open(schema_path))
store = {}
for name in os.listdir(base):
    if name.endswith(".json"):
        s = json.load(open(os.path.join(base, name)))
        store[name] = s
        if "$id" in s:
            store[s["$id"]] = s
resolver = jsonschema.RefResolver(base_uri="file://" + base + "/", referrer=schema, store=store)
cls = jsonschema.validators.validator_for(schema)
v = cls(schema, resolver=resolver, format_checker=jsonschema.FormatChecker())
errors = sorted(v.iter_errors(json.load(open(doc_path))), key=lambda e: list(e.path))
for e in errors[:10]:
    print("%s: %s" % ("/".join(str(p) for p in e.path), e.message))
sys.exit(1 if errors else 0)
