#!/usr/bin/python3
"""Checks recorded API answers against the contract, docs/openapi.yaml (OpenAPI 3.1).

    scripts/openapi-check.py SPEC LOG [LOG...]

Each LOG line is one answer, as tests/lib/openapi_log.sh records it:
{"test", "method", "url", "path", "status", "headers" (curl -D output), "body"}.
For each answer: the path (query dropped, after the stage, percent-decoded) is matched against the spec's path templates
(a {param} is one non-empty segment), the method picks the operation; an undeclared method or path takes
the responses under the spec's `x-undeclared-route-responses` (API Gateway's 403 and what it refuses before
routing). The status must be declared (or `default`); the response's required headers must be present and
match their schemas; its media type must be the answer's Content-Type and the body must parse as JSON (a
non-JSON media type such as text/csv: the body as a string) and validate against the schema (JSON Schema 2020-12, $refs resolved in the spec; multipleOf is checked in
decimal, so 49.99 is a multiple of 0.01). A response without content must have an empty body.
Status 0 (no answer: connection closed or timed out) is counted, not checked.

Exit 0 when every answer conforms, 1 otherwise (each failure is printed), 77 when the logs hold no answer.
Uses Debian's python3-jsonschema and python3-yaml (scripts/install-deps.sh).
"""
import collections
import decimal
import json
import re
import sys
import urllib.parse

import jsonschema
import yaml
from jsonschema import validators


def multiple_of(validator, mult, instance, schema):
    """multipleOf in decimal arithmetic: floats cannot say whether 49.99 is a multiple of 0.01."""
    if not validator.is_type(instance, "number"):
        return
    try:
        q = decimal.Decimal(repr(instance)) / decimal.Decimal(repr(mult))
    except (decimal.InvalidOperation, ValueError):
        yield jsonschema.ValidationError(f"{instance!r} is not a multiple of {mult}")
        return
    if q != q.to_integral_value():
        yield jsonschema.ValidationError(f"{instance!r} is not a multiple of {mult}")


Validator = validators.extend(jsonschema.Draft202012Validator, {"multipleOf": multiple_of})


def resolve(spec, node):
    """Follows local $refs ("#/a/b") of an OpenAPI object (not a schema) until it is not a $ref."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"only local $refs are supported: {ref}")
        node = spec
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        seen += 1
        if seen > 20:
            raise ValueError(f"$ref loop at {ref}")
    return node


def path_matcher(template):
    parts = []
    for seg in template.strip("/").split("/"):
        parts.append("[^/]+" if re.fullmatch(r"\{[^}]+\}", seg) else re.escape(seg))
    return re.compile("^/" + "/".join(parts) + "$")


def last_header_block(raw):
    """The final answer's headers from curl -D output (skips 100 Continue blocks): {lower name: value}."""
    blocks = [b for b in re.split(r"\r?\n\r?\n", raw or "") if b.strip().startswith("HTTP/")]
    headers = {}
    if not blocks:
        return headers
    for line in blocks[-1].splitlines()[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return headers


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    resolver = jsonschema.RefResolver(base_uri="", referrer=spec)
    routes = [(t, path_matcher(t), item) for t, item in spec.get("paths", {}).items()]
    undeclared = spec.get("x-undeclared-route-responses", {})

    answers = 0
    no_answer = 0
    failures = []
    by_route = collections.Counter()

    for log in argv[2:]:
        try:
            lines = open(log, encoding="utf-8", errors="replace").read().splitlines()
        except FileNotFoundError:
            lines = []
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            rec = json.loads(line)
            status = int(rec.get("status") or 0)
            method = rec["method"].upper()
            # routed after percent-decoding, like the gateway (libmicrohttpd unescapes the target): %2F splits
            path = urllib.parse.unquote(re.split(r"[?#]", rec["path"], 1)[0]) or "/"
            where = f"{rec.get('test', '?')}: {method} {rec['url'][:200]} -> {status}"
            if status == 0:
                no_answer += 1
                continue
            answers += 1

            template, responses = None, None
            for t, rx, item in routes:
                if rx.match(path):
                    template = t
                    op = item.get(method.lower())
                    if op is not None:
                        responses = op.get("responses", {})
                    break
            if responses is None:
                label = f"(undeclared route) {method}"
                responses = undeclared
            else:
                label = f"{method} {template}"
            by_route[f"{label} {status}"] += 1

            def bad(msg):
                failures.append(f"{where}\n    {label}: {msg}\n    body: {rec.get('body', '')[:300]!r}")

            resp = responses.get(str(status), responses.get(f"{str(status)[0]}XX", responses.get("default")))
            if resp is None:
                bad(f"status {status} is not declared")
                continue
            resp = resolve(spec, resp)
            headers = last_header_block(rec.get("headers", ""))
            ok = True
            for hname, hdef in (resp.get("headers") or {}).items():
                hdef = resolve(spec, hdef)
                value = headers.get(hname.lower())
                if value is None:
                    if hdef.get("required"):
                        bad(f"required header {hname} is missing")
                        ok = False
                    continue
                if "schema" in hdef:
                    err = jsonschema.exceptions.best_match(
                        Validator(hdef["schema"], resolver=resolver).iter_errors(value))
                    if err is not None:
                        bad(f"header {hname}: {value!r}: {err.message}")
                        ok = False
            if not ok:
                continue
            body = rec.get("body", "")
            content = resp.get("content")
            if not content:
                if body.strip():
                    bad("the spec declares no body, but there is one")
                continue
            ctype = headers.get("content-type", "").split(";")[0].strip().lower()
            media = content.get(ctype)
            if media is None:
                bad(f"Content-Type {ctype or '(none)'} is not one of {sorted(content)}")
                continue
            if ctype == "application/json" or ctype.endswith("+json"):
                try:
                    doc = json.loads(body)
                except ValueError as e:
                    bad(f"the body is not JSON: {e}")
                    continue
            else:  # a text media type (the day sheet's text/csv): the body is the string its schema describes
                doc = body
            schema = media.get("schema")
            if schema is None:
                continue
            err = jsonschema.exceptions.best_match(Validator(schema, resolver=resolver).iter_errors(doc))
            if err is not None:
                at = "/".join(str(p) for p in err.absolute_path) or "(body)"
                bad(f"at {at}: {err.message[:400]}")

    for r, n in sorted(by_route.items()):
        print(f"  {n:6d}  {r}")
    print(f"openapi-check: {answers} answers checked against {argv[1]}, {len(failures)} do not conform"
          f" ({no_answer} requests without an answer not checked)")
    for f in failures[:50]:
        print("FAIL " + f)
    if len(failures) > 50:
        print(f"... and {len(failures) - 50} more")
    if failures:
        return 1
    if answers == 0:
        print("skip: no answer was recorded (no end-to-end test of the API ran)")
        return 77
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
