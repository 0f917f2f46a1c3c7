"""`kg export recommendations` lists each recommendation's actions in the order of the text."""

from __future__ import annotations

from rdflib import Dataset

from extract.recommendations import find_recommendations
from kg import iris
from kg.build.recommendations import recommendation_graph
from kg.export.tables import export_rows

# the actions of the one group, in text order, are not in alphabetical (code point) order
TEXT = "五、政策建议\n（一）推进开放\n推进通道建设，加快园区升级，支持口岸发展。\n"


def test_actions_are_listed_in_text_order():
    recs = find_recommendations(TEXT)
    ds = Dataset()
    recommendation_graph("doc", TEXT, recs, [], ds.graph(iris.document("doc")))
    columns, rows = export_rows(ds, "recommendations")
    actions = rows[0][columns.index("actions")]
    assert actions == ["推进开放", "推进通道建设", "加快园区升级", "支持口岸发展"]
    assert actions != sorted(actions)
