"""Train the small NER model that extract/ner.py ships (issue 12), reproducibly.

    python tools/train_ner.py [--texts ../shared/corpus-dev/gwr-2025]
        [--gold-dir tests/gold/gwr-2025] [--out extract/models/ner-zh] [--epochs 12] [--seed 0]

Training data, sentence by sentence:
- gold: the mentions of the development reports of the gold folder (`dev`, `dev2`, `dev3`,
  `dev4`: covered types only);
- silver: what the rules and the gazetteer find (`Extractor.entities`) in every other report of
  `--texts`, each class counted as its gold type (kg/evaluate/gold_types.tsv).
The `test` reports of split.tsv are never read, neither their text nor their gold: they are for
measuring only. The pipeline is a blank "zh" spaCy pipeline with the jieba segmenter, a
tok2vec of hash embeddings (no pretrained vectors) and spaCy's transition-based NER, trained on
CPU with a fixed seed.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract.ner import LABELS, MODEL_DIR, sentence_spans  # noqa: E402

# the splits of split.tsv whose gold rules and the model may learn from (dev2, dev3, dev4: the
# reports of the annotators e, f, i, j, k and l, added later); every other named split (test,
# test2) is never read
DEV_SPLITS = ("dev", "dev2", "dev3", "dev4")
DEFAULT_TEXTS = ROOT.parent / "shared" / "corpus-dev" / "gwr-2025"
DEFAULT_GOLD = ROOT / "tests" / "gold" / "gwr-2025"

# Small on purpose: the weights ship in the wheel. 64-wide vectors, four hashed attributes
# (NORM, PREFIX = first character, SUFFIX = last three characters, SHAPE): ~1.5 MB in all.
CONFIG = """
[nlp]
lang = "zh"
pipeline = ["tok2vec","ner"]
batch_size = 256

[nlp.tokenizer]
@tokenizers = "spacy.zh.ChineseTokenizer"
segmenter = "jieba"

[components]

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = 64
attrs = ["NORM","PREFIX","SUFFIX","SHAPE"]
rows = [4000,1500,2000,500]
include_static_vectors = false

[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 64
depth = 3
window_size = 1
maxout_pieces = 3

[components.ner]
factory = "ner"

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = 64
upstream = "*"
"""

# a sentence, its (start, end, label) spans, and whether they are complete (gold: every other
# token is no name) or only positive (silver: a token the rules left unlabelled is unknown)
Labelled = tuple[str, list[tuple[int, int, str]], bool]


def split_of(gold_dir: Path) -> dict[str, str]:
    import csv

    with (gold_dir / "split.tsv").open(encoding="utf-8", newline="") as f:
        return {r["doc"]: r["split"] for r in csv.DictReader(f, delimiter="\t")}


def gold_spans(gold_dir: Path, doc: str) -> list[tuple[int, int, str]]:
    from kg.evaluate.mentions import read_mention_gold

    return [(g.start, g.end, g.type) for g in read_mention_gold(gold_dir / f"{doc}.entities.tsv")
            if g.type in LABELS]


def silver_spans(extractor, doc: str, text: str) -> list[tuple[int, int, str]]:
    from kg.evaluate.mentions import gold_type

    out = []
    for m in extractor.entities(doc, text).mentions:
        label = gold_type(m.type, extractor.gaz)
        if label in LABELS:
            out.append((m.start, m.end, label))
    return out


def by_sentence(text: str, spans: Sequence[tuple[int, int, str]], complete: bool
                ) -> Iterable[Labelled]:
    """Each sentence with the spans inside it, in its own coordinates; overlapping spans keep
    the longer (the gold nests a few names; spaCy's NER does not)."""
    ordered = sorted(spans, key=lambda s: (s[0], s[0] - s[1]))
    for start, end in sentence_spans(text):
        inside = [(s - start, e - start, lab) for s, e, lab in ordered if start <= s and e <= end]
        kept: list[tuple[int, int, str]] = []
        for s, e, lab in inside:
            if kept and s < kept[-1][1]:
                continue
            kept.append((s, e, lab))
        yield text[start:end], kept, complete


def training_data(texts_dir: Path, gold_dir: Path, limit: int | None = None,
                  partial: bool = True, silver: bool = True) -> tuple[list[Labelled], Counter]:
    """The labelled sentences of every report but the test split's, and where they came from."""
    from extract.pipeline import Extractor

    split = split_of(gold_dir)
    extractor = Extractor()
    data: list[Labelled] = []
    sources: Counter = Counter()
    wanted = (*DEV_SPLITS, None) if silver else DEV_SPLITS
    paths = [p for p in sorted(texts_dir.glob("*.txt")) if split.get(p.stem) in wanted]
    for path in paths[:limit]:
        text = path.read_text(encoding="utf-8")  # a test report's text is never opened
        if split.get(path.stem) in DEV_SPLITS:
            spans, source = gold_spans(gold_dir, path.stem), "gold"
        else:
            spans, source = silver_spans(extractor, path.stem, text), "silver"
        sentences = list(by_sentence(text, spans, complete=source == "gold" or not partial))
        sources[f"{source} documents"] += 1
        sources[f"{source} sentences"] += len(sentences)
        sources[f"{source} spans"] += sum(len(s) for _, s, _ in sentences)
        data.extend(sentences)
    return data, sources


def examples(nlp, data: Sequence[Labelled]) -> tuple[list, int]:
    """spaCy Examples; a span is widened to jieba's token edges ("expand"), and one that then
    overlaps the previous span is left out (counted)."""
    from spacy.training import Example

    out, dropped = [], 0
    for sentence, spans, complete in data:
        doc = nlp.make_doc(sentence)
        ents, last_end = [], -1
        for s, e, lab in spans:
            span = doc.char_span(s, e, label=lab, alignment_mode="expand")
            if span is None or span.start < last_end:
                dropped += 1
                continue
            ents.append(span)
            last_end = span.end
        ref = doc.copy()
        # silver: what the rules missed is not taught as "no name" (the names the model is
        # for are exactly those); the tokens outside the rules' names are left unknown
        ref.set_ents(ents, default="outside" if complete else "missing")
        out.append(Example(nlp.make_doc(sentence), ref))
    return out, dropped


def train(data: Sequence[Labelled], epochs: int, seed: int, log=print):
    import spacy
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    config = spacy.util.load_config_from_str(CONFIG)
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    train_examples, dropped = examples(nlp, data)
    log(f"{len(train_examples)} sentences, {dropped} spans left out at token edges")
    optimizer = nlp.initialize(lambda: train_examples)
    rng = random.Random(seed)
    for epoch in range(epochs):
        rng.shuffle(train_examples)
        losses: dict[str, float] = {}
        t = time.perf_counter()
        for batch in minibatch(train_examples, size=32):
            nlp.update(batch, drop=0.1, sgd=optimizer, losses=losses)
        log(f"epoch {epoch + 1}/{epochs}: ner loss {losses.get('ner', 0.0):.1f} "
            f"({time.perf_counter() - t:.0f} s)")
    return nlp


def save(nlp, out: Path) -> int:
    """Write the model into `out` (replaced whole) and return its size in bytes."""
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    nlp.to_disk(tmp)
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return sum(p.stat().st_size for p in out.rglob("*") if p.is_file())


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--texts", type=Path, default=DEFAULT_TEXTS)
    ap.add_argument("--gold-dir", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--out", type=Path, default=MODEL_DIR)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--limit-docs", type=int, help="read only the first N reports (for tests)")
    ap.add_argument("--gold-only", action="store_true",
                    help="train on the dev reports' gold alone (no silver)")
    ap.add_argument("--complete-silver", action="store_true",
                    help="treat every token outside the rules' names in silver sentences as no "
                         "name (default: unknown, so the rules' misses are not taught)")
    args = ap.parse_args(argv)
    if not args.texts.is_dir():
        print(f"train_ner: error: --texts {args.texts}: no such folder", file=sys.stderr)
        return 2
    data, sources = training_data(args.texts, args.gold_dir, args.limit_docs,
                                  partial=not args.complete_silver, silver=not args.gold_only)
    print(", ".join(f"{k} {v}" for k, v in sorted(sources.items())))
    nlp = train(data, args.epochs, args.seed)
    size = save(nlp, args.out)
    print(f"wrote {args.out} ({size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
