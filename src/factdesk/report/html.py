"""One self-contained HTML page: the article with every span highlighted and explained on hover, claim cards,
quotes with speakers, the score and its components.

Article text is untrusted. Everything from the report passes through ``html.escape``; links are emitted only for
http(s) URLs; a Content-Security-Policy forbids scripts, so even a missed escape could not run code.
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import urlsplit
from . import copies_note

CSS = """
body{font:16px/1.55 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f6f5f2;color:#1d1d1f}
main{max-width:980px;margin:0 auto;padding:24px}
header h1{font-size:1.6em;margin:.2em 0}
.meta{color:#555;font-size:.9em}
.card{background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:16px 20px;margin:16px 0}
.score{display:flex;gap:24px;align-items:center}
.gauge{font-size:2.6em;font-weight:700;min-width:3.2em;text-align:center;border-radius:10px;padding:.1em .2em;color:#fff}
.g-high{background:#2e7d32}.g-moderate{background:#9e9d24}.g-low{background:#ef6c00}.g-very{background:#c62828}
table{border-collapse:collapse;width:100%;font-size:.92em}td,th{padding:4px 8px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
.article p{margin:.6em 0}
.hl{border-radius:3px;cursor:help}
.hl.claim{border-bottom:2px solid #1565c0}
.hl.quote{background:#e3f2fd}
.hl.flag{background:#ffe0b2}
.hl.flag.strong{background:#ffab91}
.hl.malformed{background:#f8bbd0;outline:1px dashed #ad1457}
.hl.vague{background:#fff59d}
.badge{display:inline-block;font-size:.75em;padding:1px 7px;border-radius:9px;background:#eceff1;margin-right:4px}
.badge.v-supported{background:#c8e6c9}.badge.v-contradicted{background:#ffcdd2}.badge.v-misleading{background:#ffe0b2}.badge.v-unverified{background:#e0e0e0}
.bar{height:6px;background:#e3f2fd;border-radius:3px}.bar>span{display:block;height:6px;background:#1565c0;border-radius:3px}
.claim-card{border-left:4px solid #1565c0;padding-left:12px;margin:14px 0}
.small{font-size:.85em;color:#555}
blockquote{margin:.5em 0;padding:.3em .8em;border-left:3px solid #90caf9;background:#f5f9ff}
.legend span{margin-right:10px}
"""


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _copies(c: dict[str, Any]) -> str:
    return _e(copies_note(c))


def _link(url: str | None) -> str:
    if url and urlsplit(url).scheme in ("http", "https"):
        return f'<a href="{_e(url)}" rel="noopener noreferrer nofollow">{_e(url)}</a>'
    return _e(url)


def _gauge_class(label: str) -> str:
    return {"high": "g-high", "moderate": "g-moderate", "low": "g-low"}.get(label, "g-very")


def _annotations(report: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    """(start, end, css classes, tooltip) for every span over the body."""
    out: list[tuple[int, int, str, str]] = []
    for c in report["claims"]:
        v = c["verdict"]
        out.append((c["start"], c["end"], "claim",
                    f"Claim {c['id']} · check-worthiness {c['checkworthiness']:.2f} · {v['label']}"))
    for q in report["quotes"]:
        who = q.get("speaker") or "unknown speaker"
        via = f" via {q['via']}" if q.get("via") else ""
        out.append((q["start"], q["end"], "quote", f"Quote by {who}{via}"))
    for f in report["flags"]:
        if f["start"] < 0:
            continue
        cls = {"malformed_quote": "malformed", "vague_attribution": "vague"}.get(f["type"], "flag")
        if cls == "flag" and f["score"] >= 0.75:
            cls += " strong"
        label = f["type"].replace("_", " ") + (f" · {f['technique']}" if f.get("technique") else "")
        if f["type"] == "unattributed_claim":
            continue  # shown on the claim card; highlighting whole sentences would drown the rest
        out.append((f["start"], f["end"], cls, f"{label} ({f['score']:.2f}): {f.get('explanation', '')}"))
    return out


def _highlight(text: str, start: int, end: int, anns: list[tuple[int, int, str, str]]) -> str:
    """Escaped ``text[start:end]`` with nested-safe highlighting: cut at every boundary, style each piece."""
    cuts = {start, end}
    for s, e, _, _ in anns:
        if s < end and e > start:
            cuts.update((max(s, start), min(e, end)))
    points = sorted(cuts)
    parts: list[str] = []
    for a, b in zip(points, points[1:]):
        covering = [(cls, tip) for s, e, cls, tip in anns if s <= a and b <= e]
        piece = _e(text[a:b])
        if covering:
            classes = " ".join(sorted({c for cls, _ in covering for c in cls.split()}))
            tips = "\n".join(dict.fromkeys(tip for _, tip in covering))
            piece = f'<span class="hl {_e(classes)}" title="{_e(tips)}">{piece}</span>'
        parts.append(piece)
    return "".join(parts)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for block in text.split("\n\n"):
        s = pos
        pos += len(block) + 2
        if block.strip():
            spans.append((s, s + len(block)))
    return spans


def render(report: dict[str, Any]) -> str:
    art, score, head = report["article"], report["score"], report["headline"]
    text = art["text"]
    anns = _annotations(report)
    body = "\n".join(
        f"<p>{_highlight(text, s, e, anns).replace(chr(10), '<br>')}</p>" for s, e in _paragraphs(text)
    )
    cb = head.get("clickbait", {})
    rating = report["source"]["rating"]
    comps = "".join(f"<tr><td>{_e(k.replace('_', ' '))}</td><td>{v:+.1f}</td></tr>"
                    for k, v in score.get("components", {}).items() if v)
    head_flags = "".join(f"<li>{_e(f['type'].replace('_', ' '))}: {_e(f.get('explanation'))}</li>"
                         for f in report["flags"] if f["start"] < 0)
    flag_rows = "".join(
        f"<tr><td>{_e(f['type'].replace('_', ' '))}</td><td>{_e(f.get('technique') or '')}</td>"
        f"<td>“{_e(f['text'][:160])}”</td><td>{f['score']:.2f}</td><td class=small>{_e(f.get('explanation'))}</td></tr>"
        for f in report["flags"] if f["start"] >= 0
    )
    claims = "".join(_claim_card(c) for c in report["claims"])
    quotes = "".join(
        f"<blockquote>{_e(q['text'])}<div class=small>— {_e(q.get('speaker') or 'speaker not found')}"
        f"{' (via ' + _e(q['via']) + ')' if q.get('via') else ''}"
        f"{' · <b>malformed: quotation marks unbalanced</b>' if not q['well_formed'] else ''}{_trace(q)}</div>"
        f"</blockquote>"
        for q in report["quotes"]
    )
    coverage = "".join(
        f"<li>{_e(c.get('title') or c['doc_id'])} <span class=small>{_e(c.get('source') or '')} "
        f"{_e(c.get('published') or '')} · similarity {c['similarity']:.2f}{_copies(c)}</span> {_link(c.get('url'))}</li>"
        for c in report.get("coverage", [])
    )
    notes = "".join(f"<li>{_e(n)}</li>" for n in report.get("notes", []))
    models = ", ".join(f"{_e(m['name'])} {_e(m['version'])}" for m in report["provenance"]["models"])
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>factdesk report: {_e(art.get('title') or 'untitled article')}</title>
<style>{CSS}</style></head>
<body><main>
<header class="card">
<div class="meta">factdesk report · {_e(art.get('domain') or 'no source URL')} · published {_e(art.get('published') or 'unknown')}</div>
<h1>{_e(art.get('title') or '(no headline)')}</h1>
<div class="meta">{_link(art.get('url'))}{' · by ' + _e(art['author']) if art.get('author') else ''}</div>
</header>
<section class="card score">
<div class="gauge {_gauge_class(score.get('label', ''))}" title="credibility 0–100">{score.get('credibility', 0):.0f}</div>
<div><b>Credibility: {_e(score.get('label'))}</b>
<div class="small">{_e(score.get('explanation', ''))}</div>
<table>{comps or '<tr><td>no penalties</td></tr>'}</table></div>
</section>
<section class="card"><h2>Source and headline</h2>
<p>Source <b>{_e(report['source'].get('domain') or 'unknown')}</b>: rated <b>{_e(rating['label'])}</b>
{('(' + ', '.join(_e(b) for b in rating.get('basis', [])) + ')') if rating.get('basis') else '(no rating list covers it)'}</p>
<p>Headline clickbait probability <b>{cb.get('score', 0):.2f}</b>{' — <b>reads as clickbait</b>' if cb.get('label') else ''}</p>
<ul>{head_flags}</ul>{'<ul>' + notes + '</ul>' if notes else ''}</section>
<section class="card article"><h2>Article</h2>
<div class="legend small"><span class="hl claim">claim</span><span class="hl quote">quote</span>
<span class="hl flag">flagged language</span><span class="hl vague">vague attribution</span>
<span class="hl malformed">malformed quote</span> — hover any highlight for the reason.</div>
{body}</section>
<section class="card"><h2>Flags ({sum(1 for f in report['flags'] if f['start'] >= 0)})</h2>
<table><tr><th>type</th><th>technique</th><th>text</th><th>score</th><th>why</th></tr>{flag_rows}</table></section>
<section class="card"><h2>Claims ({len(report['claims'])}), most check-worthy first</h2>{claims}</section>
<section class="card"><h2>Quotes ({len(report['quotes'])})</h2>{quotes}</section>
<section class="card"><h2>Related coverage ({len(report.get('coverage', []))})</h2>
{'<ol>' + coverage + '</ol>' if coverage else '<p class=small>No evidence archive searched, or no related article in it.</p>'}</section>
<footer class="small">factdesk {_e(report['provenance']['factdesk_version'])} · models: {models}
· {_e(report['provenance'].get('elapsed_ms'))} ms</footer>
</main></body></html>
"""


def _trace(q: dict[str, Any]) -> str:
    t = q.get("traced") or {}
    if not t:
        return ""
    if t.get("match") == "none":
        return " · not found in the archive"
    orig = f": original “{_e(t['original'])}”" if t.get("original") else ""
    who = f" (said by {_e(t['original_speaker'])})" if t.get("original_speaker") else ""
    if t.get("misattributed"):
        who = f" — <b>misattributed</b>: said by {_e(t['original_speaker'])}"
    return f" · traced <b>{_e(t['match'])}</b> to {_link(t.get('url')) or _e(t.get('doc_id'))}{orig}{who}"


def _claim_card(c: dict[str, Any]) -> str:
    v = c["verdict"]
    att = c.get("attribution") or {}
    who = att.get("speaker") or att.get("cue") or ""
    att_txt = f"{att.get('type', 'none')}{': ' + who if who else ''}{' via ' + att['via'] if att.get('via') else ''}"
    qty = "".join(
        f"<tr><td>{_e(q['text'])}</td><td>{_e(q.get('comparator'))} {q['value']:g}</td><td>{_e(q.get('unit') or '')}</td>"
        f"<td>{_e(q.get('entity') or '')}</td><td>{_e(q.get('date') or '')}</td></tr>"
        for q in c.get("quantities", [])
    )
    ev = "".join(f"<li>prior fact-check: <b>{_e(x['rating'])}</b> by {_e(x.get('reviewer') or '?')} — “{_e(x['claim'])}” "
                 f"{_link(x.get('url'))}</li>" for x in c.get("fact_checks", []))
    ev += "".join(f"<li>{_e(x['stance'])}: “{_e(x['sentence'])}” <span class=small>{_e(x.get('source') or x['doc_id'])}</span></li>"
                 for x in c.get("evidence", []))
    return f"""<div class="claim-card"><div>{''.join(f'<span class=badge>{_e(k)}</span>' for k in c.get('kind', []))}
<span class="badge v-{_e(v['label'])}">{_e(v['label'])}</span> <span class=small>{_e(c['id'])} · attribution {_e(att_txt)}</span></div>
<p>{_e(c['text'])}</p>
<div class="bar" title="check-worthiness {c['checkworthiness']:.2f}"><span style="width:{100 * c['checkworthiness']:.0f}%"></span></div>
{'<table><tr><th>number</th><th>value</th><th>unit</th><th>counts</th><th>date</th></tr>' + qty + '</table>' if qty else ''}
<p class=small>Verdict: {_e(v['label'])} ({', '.join(_e(r) for r in v['reasons'])}). {_e(v.get('explanation', ''))}</p>
{'<ul>' + ev + '</ul>' if ev else ''}</div>"""
