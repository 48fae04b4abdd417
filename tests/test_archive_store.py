"""The evidence archive's store: ingest, idempotence, crash safety, near-duplicates, search, errors."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from factdesk.archive import APPLICATION_ID, Archive, ArchiveDoc, default_path
from factdesk.archive.store import DenseIndex, _faiss, minhash
from factdesk.errors import ArchiveError, FactdeskError

FIXTURES = Path(__file__).parent / "fixtures" / "archive"
_spec = importlib.util.spec_from_file_location("archive_fakeembed", FIXTURES / "fakeembed.py")
fakeembed = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fakeembed)
FakeEmbedder = fakeembed.FakeEmbedder

IS_TEXT = ("Fewer than 1,000 Islamic State fighters are left in Iraq and Syria, the coalition said on Wednesday. "
           "The group once controlled a third of Iraq.\n\nThe estimate comes from a coalition spokesman in Baghdad.")
DOCS = [
    ArchiveDoc.create(IS_TEXT, url="https://wire.example.com/is", title="IS nearly defeated", published="2017-12-27"),
    ArchiveDoc.create("The city council approved a budget of $2.4 billion for road repairs on Monday. "
                      "Critics said the sum was far too small.", url="https://daily.example.org/budget",
                      title="Council passes budget"),
    ArchiveDoc.create("Doctors warn that flu season is starting early this year. Hospital admissions are already "
                      "rising in several regions.", url="https://health.example.net/flu", title="Flu season"),
    ArchiveDoc.create("The central bank left interest rates unchanged at 1.5 percent. Most economists had "
                      "expected the decision.", url="https://money.example.com/rates", title="Rates on hold"),
]
SYNDICATED = ArchiveDoc.create(
    "(Agency) — " + IS_TEXT + "\n\nReporting by a staff writer.", url="https://other-outlet.example.net/is-copy",
    title="Coalition: fewer than 1,000 IS fighters left")


def _fresh(tmp_path: Path, name: str = "a.sqlite", **kw) -> Archive:
    return Archive(tmp_path / name, embedder=kw.pop("embedder", FakeEmbedder()), **kw)


@pytest.fixture()
def filled(tmp_path):
    with _fresh(tmp_path) as ar:
        ar.add_documents(DOCS + [SYNDICATED])
        yield ar


# ---------------------------------------------------------------------------------------------------- ingest


def test_archive_add_documents_stores_docs_sentences_and_vectors(tmp_path):
    with _fresh(tmp_path) as ar:
        st = ar.add_documents(DOCS)
        assert (st.added, st.skipped_duplicates, st.near_duplicates, st.errors) == (4, 0, 0, [])
        got = ar.get(DOCS[0].doc_id)
        assert got == DOCS[0]
        assert ar.get("no-such-id") is None
        s = ar.stats()
        assert s["documents"] == 4 and s["sentences"] == 9
        con = ar._conn
        offsets = con.execute('SELECT d.text, s.text, s.start, s."end" FROM sentences s '
                              "JOIN documents d ON d.id = s.doc_rowid").fetchall()
        assert all(text[a:b] == sent for text, sent, a, b in offsets)
        assert con.execute("SELECT sum(n), sum(length(block)) FROM vectors").fetchone() == (9, 9 * 384)


def test_archive_add_documents_reports_invalid_items(tmp_path):
    with _fresh(tmp_path) as ar:
        st = ar.add_documents([DOCS[0], ArchiveDoc("x1", None, None, None, "   "), "not a doc"])
    assert st.added == 1
    assert [(e[0], e[2]) for e in st.errors] == [("x1", "document has no text"),
                                                 ("document #3", "expected an ArchiveDoc, got str")]


@pytest.mark.parametrize("batch_size", [1, 3, 64])
def test_archive_readd_is_idempotent(tmp_path, batch_size):
    emb = FakeEmbedder()
    with _fresh(tmp_path, embedder=emb) as ar:
        first = ar.add_documents(DOCS + [DOCS[1]], batch_size=batch_size)
        assert (first.added, first.skipped_duplicates) == (4, 1)
        calls = emb.calls
        again = ar.add_documents(DOCS, batch_size=batch_size)
        assert (again.added, again.skipped_duplicates) == (0, 4)
        assert emb.calls == calls  # nothing re-embedded
        assert ar.stats()["documents"] == 4


def test_archive_derives_stable_ids():
    a = ArchiveDoc.create("Some text.", url=" https://x.example/a ")
    b = ArchiveDoc.create("Other text.", url="https://x.example/a")
    assert a.doc_id == b.doc_id and a.url == "https://x.example/a" and a.source == "x.example"
    c = ArchiveDoc.create("Same words,  same   text!")
    d = ArchiveDoc.create("same words same text")
    assert c.doc_id == d.doc_id and c.doc_id.startswith("t") and c.source is None
    assert ArchiveDoc.create("x", doc_id=42).doc_id == "42"


# ------------------------------------------------------------------------------------------ near-duplicates


def test_archive_near_duplicates_are_grouped(filled):
    st = filled.stats()
    assert st["near_duplicate_groups"] == 1 and st["near_duplicate_documents"] == 1
    hits = filled.search_sentences("Islamic State fighters left in Iraq", k=4)
    by_doc = {h.doc_id: h.group_id for h in hits}
    assert by_doc[DOCS[0].doc_id] == by_doc[SYNDICATED.doc_id]
    others = {h.group_id for h in filled.search_sentences("budget road repairs council", k=1)}
    assert by_doc[DOCS[0].doc_id] not in others


def test_archive_near_duplicate_counted_at_ingest_within_one_batch(tmp_path):
    with _fresh(tmp_path) as ar:
        st = ar.add_documents([DOCS[0], SYNDICATED, DOCS[1]])
    assert (st.added, st.near_duplicates) == (3, 1)


def test_archive_minhash_similarity_tracks_text_overlap():
    import numpy as np

    a, b = minhash(IS_TEXT), minhash(SYNDICATED.text)
    c = minhash(DOCS[1].text)
    assert np.mean(a == b) > 0.6 > np.mean(a == c)
    assert np.array_equal(minhash(IS_TEXT), a)  # deterministic


# ------------------------------------------------------------------------------------------------- search


@pytest.mark.parametrize(
    ("mode", "query", "expected"),
    [
        ("hybrid", "how many Islamic State fighters are left", "Fewer than 1,000 Islamic State fighters"),
        ("hybrid", "interest rates decision", "The central bank left interest rates unchanged"),
        ("bm25", "flu season early", "Doctors warn that flu season"),
        ("dense", "council budget for road repairs", "The city council approved a budget"),
    ],
)
def test_archive_search_sentences_ranks_the_right_sentence_first(filled, mode, query, expected):
    hits = filled.search_sentences(query, k=5, mode=mode)
    assert hits and hits[0].sentence.startswith(expected)
    top = hits[0]
    assert top.url and top.title and top.source and isinstance(top.group_id, int)
    assert top.sent_index == 0
    if mode == "bm25":
        assert top.cosine is None and top.bm25 > 0
    else:
        assert -1.0 <= top.cosine <= 1.0
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_archive_search_sentences_edge_cases(filled):
    assert filled.search_sentences("", k=5) == []
    assert filled.search_sentences("the of and", k=5, mode="bm25") == []  # only stopwords
    assert filled.search_sentences("the of and", k=3)  # dense still answers
    with pytest.raises(FactdeskError, match="mode"):
        filled.search_sentences("x", mode="fuzzy")


def test_archive_next_sentences_follow_each_sentence_within_its_document(filled):
    rows = filled._conn.execute("SELECT s.id, s.text FROM sentences s JOIN documents d ON d.id = s.doc_rowid "
                                "WHERE d.doc_id = ? ORDER BY s.idx", (DOCS[0].doc_id,)).fetchall()
    ids = [r[0] for r in rows]
    assert filled.next_sentences([ids[0], ids[1], ids[-1], 10**9]) == [
        rows[1][1], rows[2][1], "", ""]  # next; across the paragraph break; last sentence; unknown id
    assert rows[2][1].startswith("The estimate comes")
    hit = filled.search_sentences("how many Islamic State fighters are left", k=1, mode="bm25")[0]
    assert filled.next_sentences([hit.sentence_id]) == ["The group once controlled a third of Iraq."]


def test_archive_previous_sentence_ids_stay_within_each_document(filled):
    def ids_of(doc_id):
        return [r[0] for r in filled._conn.execute(
            "SELECT s.id FROM sentences s JOIN documents d ON d.id = s.doc_rowid WHERE d.doc_id = ? ORDER BY s.idx",
            (doc_id,))]

    first, second = ids_of(DOCS[0].doc_id), ids_of(DOCS[1].doc_id)
    # before the first sentence of a document there is none, never the last sentence of another document
    assert filled.previous_sentence_ids([first[0], first[1], first[-1], second[0], 10**9]) == [
        None, first[0], first[-2], None, None]


@pytest.mark.parametrize(
    ("numbers", "docs", "expected"),
    [([1000], [0], ["Fewer than 1,000 Islamic State"]), ([1000.0, 7], [0, 1], ["Fewer than 1,000 Islamic State"]),
     ([1000], [1, 2], []), ([2.4], [1], []), ([1000], [], [])],
    ids=["digits-with-comma", "other-docs-and-small-numbers", "not-in-these-docs", "decimals-not-searched", "no-docs"],
)
def test_archive_sentences_stating_finds_a_number_within_given_articles(filled, numbers, docs, expected):
    hits = filled.sentences_stating(numbers, [DOCS[i].doc_id for i in docs], vector=filled.encode(["x"])[0])
    assert [h.sentence[: len(e)] for h, e in zip(hits, expected)] == expected and len(hits) == len(expected)
    assert all(h.cosine is not None for h in hits)


def test_archive_search_documents_with_snippets(filled):
    hits = filled.search("Islamic State coalition", k=3)
    assert {h.doc_id for h in hits[:2]} == {DOCS[0].doc_id, SYNDICATED.doc_id}
    assert "[Islamic]" in hits[0].snippet
    assert filled.search('"; DROP TABLE documents; --') == []
    assert filled.search("rates") and filled.search("rate")[0].doc_id == DOCS[3].doc_id  # porter stemming


def test_archive_related_finds_coverage_and_excludes_url(filled):
    text = "Coalition officials say fewer than 1,000 Islamic State fighters remain in Iraq and Syria."
    hits = filled.related(text, k=3)
    assert {h.doc_id for h in hits[:2]} == {DOCS[0].doc_id, SYNDICATED.doc_id}
    assert hits[0].score >= hits[-1].score and hits[0].cosine > 0.3
    hits = filled.related(text, k=3, exclude_url=DOCS[0].url)
    assert DOCS[0].doc_id not in {h.doc_id for h in hits}


def test_archive_search_sees_documents_added_later(tmp_path):
    with _fresh(tmp_path) as ar:
        ar.add_documents(DOCS[:2])
        assert not any(h.doc_id == DOCS[2].doc_id for h in ar.search_sentences("flu season", k=10))
        ar.add_documents(DOCS[2:])
        assert ar.search_sentences("flu season", k=1)[0].doc_id == DOCS[2].doc_id
        assert ar.related("flu season hospital admissions", k=1)[0].doc_id == DOCS[2].doc_id


@pytest.mark.skipif(_faiss() is None, reason="faiss not installed")
def test_archive_dense_backends_agree():
    import numpy as np

    rng = np.random.default_rng(0)
    vecs = rng.standard_normal((5000, 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    codes = np.clip(np.rint(vecs * 320), -127, 127).astype(np.int8)
    ids = np.arange(10, 5010, dtype=np.int64)
    fa, npy = DenseIndex(384, backend="faiss"), DenseIndex(384, backend="numpy")
    for ix in (fa, npy):
        ix.append(ids[:3000], codes[:3000])
        ix.append(ids[3000:], codes[3000:])
    for q in vecs[:5] + 0.1 * rng.standard_normal((5, 384)).astype(np.float32):
        (i1, c1), (i2, c2) = fa.search(q, 10), npy.search(q, 10)
        assert i1.tolist() == i2.tolist()
        assert np.allclose(c1, c2, atol=1e-5)
        assert fa.cosine(q, i1[:3].tolist()) == pytest.approx(npy.cosine(q, i1[:3].tolist()))
    fa.close()


@pytest.mark.skipif(_faiss() is None, reason="faiss not installed")
def test_archive_sign_prefilter_finds_the_exact_top_hits(monkeypatch):
    import numpy as np

    from factdesk.archive import store

    monkeypatch.setattr(store, "SIGN_PREFILTER_ROWS", 0)  # large-index path on a small index
    monkeypatch.setattr(store, "SIGN_CANDIDATES", 256)
    rng = np.random.default_rng(1)
    centers = rng.standard_normal((50, 384)).astype(np.float32)
    vecs = centers[rng.integers(0, 50, 6000)] + 0.6 * rng.standard_normal((6000, 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    codes = np.clip(np.rint(vecs * 320), -127, 127).astype(np.int8)
    ids = np.arange(1, 6001, dtype=np.int64)
    fa, npy = DenseIndex(384, backend="faiss"), DenseIndex(384, backend="numpy")
    for ix in (fa, npy):
        ix.append(ids[:2500], codes[:2500])
        ix.append(ids[2500:], codes[2500:])
    overlap = []
    for q in vecs[:20] + 0.2 * rng.standard_normal((20, 384)).astype(np.float32):
        q /= np.linalg.norm(q)
        (i1, c1), (i2, _) = fa.search(q, 10), npy.search(q, 10)
        assert list(c1) == sorted(c1, reverse=True)
        overlap.append(len(set(i1.tolist()) & set(i2.tolist())) / 10)
    assert np.mean(overlap) >= 0.9
    fa.close()


def test_archive_numpy_backend_end_to_end(tmp_path):
    with _fresh(tmp_path, dense_backend="numpy") as ar:
        ar.add_documents(DOCS)
        assert ar.search_sentences("interest rates unchanged", k=1)[0].doc_id == DOCS[3].doc_id
        assert ar.stats()["dense_backend"] == "numpy"


# ----------------------------------------------------------------------------------------- stats & paths


def test_archive_stats(filled):
    s = filled.stats()
    assert s["documents"] == 5 and s["sentences"] == 13
    assert s["sources"] == 5 and s["schema_version"] == 1
    assert s["embedding_model"] == "fake-bow" and s["embedding_dim"] == 384
    assert s["size_bytes"] > 0 and s["vector_dtype"] == "int8"
    json.dumps(s)


def test_archive_default_path(monkeypatch, tmp_path):
    monkeypatch.setenv("FACTDESK_ARCHIVE", str(tmp_path / "x.sqlite"))
    assert default_path() == tmp_path / "x.sqlite"
    monkeypatch.delenv("FACTDESK_ARCHIVE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_path() == tmp_path / "data" / "factdesk" / "archive.sqlite"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_path() == tmp_path / "home" / ".local" / "share" / "factdesk" / "archive.sqlite"
    assert Archive().path == default_path()  # the constructor touches nothing
    assert not (tmp_path / "home").exists()


# ----------------------------------------------------------------------------------------------- errors


def _foreign_sqlite(p: Path) -> None:
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE t(x)")
    con.commit()
    con.close()


def _corrupt_pages(p: Path) -> None:
    with Archive(p, embedder=FakeEmbedder()) as ar:
        ar.add_documents(DOCS * 1)
    data = bytearray(p.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    for off in range(page, len(data), page):  # every page after the header page: garbage
        data[off : off + page] = os.urandom(min(page, len(data) - off))
    p.write_bytes(bytes(data))


def _truncate(p: Path) -> None:
    with Archive(p, embedder=FakeEmbedder()) as ar:
        ar.add_documents(DOCS)
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 3])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("just some notes\n"), "not an SQLite database"),
        (lambda p: p.write_bytes(os.urandom(8192)), "not an SQLite database"),
        (_foreign_sqlite, "not a factdesk archive"),
        (_corrupt_pages, "corrupted"),
        (_truncate, "corrupted"),
    ],
    ids=["text-file", "random-bytes", "other-sqlite", "garbage-pages", "truncated"],
)
def test_archive_foreign_or_corrupted_file_is_an_error(tmp_path, make, message):
    p = tmp_path / "thing.sqlite"
    make(p)
    before = p.read_bytes()
    with pytest.raises(ArchiveError, match=message) as exc:
        with Archive(p, embedder=FakeEmbedder()) as ar:
            ar.stats()
            ar.search_sentences("Islamic State fighters")
    text = str(exc.value)
    assert str(p) in text and "\n" not in text
    if make is _foreign_sqlite:
        assert p.read_bytes() == before  # someone else's database is left untouched


def test_archive_missing_file_with_create_false(tmp_path):
    p = tmp_path / "nope.sqlite"
    with pytest.raises(ArchiveError, match="no archive at"):
        Archive(p, create=False).stats()
    assert not p.exists()


def test_archive_application_id_is_set(filled):
    con = sqlite3.connect(filled.path)
    assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    con.close()


def test_archive_embedding_model_mismatch_requires_rebuild(tmp_path):
    with _fresh(tmp_path) as ar:
        ar.add_documents(DOCS[:2])
    other = FakeEmbedder(name="other-model", version="2")
    with Archive(tmp_path / "a.sqlite", embedder=other) as ar:
        assert ar.search("budget")  # full-text search needs no vectors
        assert ar.stats()["embedding_model"] == "fake-bow"
        with pytest.raises(ArchiveError, match="rebuild"):
            ar.search_sentences("budget")
        with pytest.raises(ArchiveError, match="other-model"):
            ar.add_documents(DOCS[2:])
        with pytest.raises(ArchiveError, match="embedding model"):
            ar.related("budget")


# ------------------------------------------------------------------------------------------ crash safety

_INGEST_SCRIPT = textwrap.dedent(
    """
    import importlib.util, sys
    spec = importlib.util.spec_from_file_location("fe", sys.argv[3])
    fe = importlib.util.module_from_spec(spec); spec.loader.exec_module(fe)
    from factdesk.archive import Archive
    with Archive(sys.argv[1], embedder=fe.FakeEmbedder(delay=float(sys.argv[4]))) as ar:
        st = ar.add([sys.argv[2]], batch_size=8)
    print(st.added, st.skipped_duplicates, len(st.errors))
    """
)


def _consistency(path: Path) -> int:
    with Archive(path, embedder=FakeEmbedder()) as ar:
        con = ar._conn
        one = lambda q: con.execute(q).fetchone()[0]  # noqa: E731
        docs = one("SELECT count(*) FROM documents")
        assert docs == one("SELECT count(DISTINCT doc_rowid) FROM sentences")
        assert docs == one("SELECT count(*) FROM vectors") == one("SELECT count(*) FROM documents_fts_docsize")
        assert one("SELECT count(*) FROM sentences") == one("SELECT count(*) FROM sentences_fts_docsize")
        assert one("SELECT sum(n) FROM vectors") == one("SELECT count(*) FROM sentences")
        con.execute("INSERT INTO sentences_fts(sentences_fts) VALUES ('integrity-check')")
        con.execute("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        if docs:
            assert ar.search_sentences("tiny article", k=3)
        return docs


def test_archive_kill9_mid_ingest_loses_nothing_and_resumes(tmp_path):
    n = 300
    src = tmp_path / "many.jsonl"
    with src.open("w") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"d{i}", "url": f"https://n{i % 7}.example/{i}", "title": f"Item {i}",
                                 "text": f"Tiny article number {i} about topic {i % 13}. It has two sentences."}) + "\n")
    db = tmp_path / "kill.sqlite"
    script = tmp_path / "ingest.py"
    script.write_text(_INGEST_SCRIPT)
    args = [sys.executable, str(script), str(db), str(src), str(FIXTURES / "fakeembed.py")]
    proc = subprocess.Popen(args + ["0.05"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    committed = 0
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists():
                try:
                    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
                    committed = con.execute("SELECT count(*) FROM documents").fetchone()[0]
                    con.close()
                except sqlite3.Error:
                    committed = 0
                if committed > 0:
                    break
            time.sleep(0.02)
        assert proc.poll() is None, "ingest finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert 0 < committed
    survived = _consistency(db)
    assert committed <= survived < n
    done = subprocess.run(args + ["0"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    added, skipped, errors = map(int, done.stdout.split())
    assert (added, skipped, errors) == (n - survived, survived, 0)
    assert _consistency(db) == n


# --------------------------------------------------------------------------------------- real embedder


def test_archive_semantic_retrieval_with_the_real_embedder(tmp_path):
    from factdesk.embed import DEFAULT_MODEL_DIR, Embedder

    if not (DEFAULT_MODEL_DIR / "model.onnx").exists():
        pytest.skip("shipped embedder not present")
    docs = [
        ArchiveDoc.create("Fewer than 1,000 Islamic State fighters are left, the coalition said.",
                          url="https://a.example/is"),
        ArchiveDoc.create("The city council approved a new budget for road repairs.", url="https://b.example/b"),
        ArchiveDoc.create("Doctors warn that the flu season is starting early this year.", url="https://c.example/f"),
        ArchiveDoc.create("The football club signed a new goalkeeper on a three-year contract.",
                          url="https://d.example/s"),
    ]
    with Archive(tmp_path / "real.sqlite", embedder=Embedder(threads=1)) as ar:
        ar.add_documents(docs)
        for mode in ("dense", "hybrid"):
            hits = ar.search_sentences("jihadist militants remaining", k=3, mode=mode)
            assert hits[0].sentence.startswith("Fewer than 1,000 Islamic State fighters"), mode
            assert hits[0].bm25 == 0.0  # no shared word: found by meaning alone
        assert ar.stats()["embedding_model"] == "minilm-l6-v2-int8"


def test_archive_sentences_stating_finds_round_numbers_written_in_words(tmp_path):
    with _fresh(tmp_path) as archive:
        doc = ArchiveDoc.create("At the start of December the coalition was talking about some three thousand "
                                "fighters. A thousand more had fled.", url="https://radio.example/is", title="IS")
        archive.add_documents([doc])
        vec = archive.encode(["x"])[0]
        assert [h.sentence[:6] for h in archive.sentences_stating([3000], [doc.doc_id], vector=vec)] == ["At the"]
        assert [h.sentence[:6] for h in archive.sentences_stating([1000], [doc.doc_id], vector=vec)] == ["A thou"]
        assert archive.sentences_stating([2000], [doc.doc_id], vector=vec) == []
