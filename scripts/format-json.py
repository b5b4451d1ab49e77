#!/usr/bin/env python3
"""Re-indents JSON config files with lists of scalars on one line (readable profiles). Usage: format-json.py FILE..."""
import json, re, sys

def dump(obj, indent=0):
    pad = "  " * indent
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f'{pad}  {json.dumps(k)}: {dump(v, indent + 1)}' for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if all(not isinstance(x, (dict, list)) for x in obj) or all(isinstance(x, list) and all(not isinstance(y, (dict, list)) for y in x) for x in obj):
            one = json.dumps(obj, separators=(", ", ": "))
            if len(one) + len(pad) < 110:
                return one
            return "[\n" + ",\n".join(pad + "  " + json.dumps(x) for x in obj) + "\n" + pad + "]"
        return "[\n" + ",\n".join(pad + "  " + dump(x, indent + 1) for x in obj) + "\n" + pad + "]"
    return json.dumps(obj)

for path in sys.argv[1:]:
    with open(path) as f:
        data = json.load(f)
    with open(path, "w") as f:
        f.write(dump(data) + "\n")
