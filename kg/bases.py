"""The two bases of our IRIs, without rdflib: what `kg query` needs to shorten the IRIs of a
table (`pkg:`, `pkgid:`) without loading rdflib, which costs a reading command most of its
start (docs/scale.md). kg/iris.py and kg/vocab.py take them from here."""

from __future__ import annotations

import os

ONT_IRI = "https://w3id.org/policy-kg/ont#"
DEFAULT_ID_BASE = "https://w3id.org/policy-kg/id/"


def id_base() -> str:
    base = os.environ.get("POLICY_KG_ID_BASE", DEFAULT_ID_BASE)
    return base if base.endswith(("/", "#")) else base + "/"
