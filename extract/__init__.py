"""Text side of policy-kg: Chinese policy text in, plain records out (never RDF)."""
