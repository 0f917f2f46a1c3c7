"""RDF side of policy-kg: building, validating, storing and querying the graph."""
