"""`kg serve`: a SPARQL 1.1 Protocol endpoint with a query page; HTTP (server.py, connection.py),
content negotiation, one forked child per query (executor.py), answers and refusals (answer.py)."""
