"""Markdown report. Article text is escaped so it cannot inject HTML, links or formatting into a renderer."""

from __future__ import annotations

import re
from typing import Any
from . import copies_note

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|>~])")


def md_escape(value: Any) -> str:
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def render(report: dict[str, Any]) -> str:
    art, score, head = report["article"], report["score"], report["headline"]
    rating = report["source"]["rating"]
    cb = head.get("clickbait", {})
    lines = [
        f"# factdesk report: {md_escape(art.get('title') or '(no headline)')}",
        "",
        f"- Source: **{md_escape(report['source'].get('domain') or 'unknown')}** — rated {md_escape(rating['label'])}",
        f"- Published: {md_escape(art.get('published') or 'unknown')}",
        f"- Headline clickbait probability: {cb.get('score', 0):.2f}{' (clickbait)' if cb.get('label') else ''}",
        f"- **Credibility {score.get('credibility', 0):.0f}/100 ({md_escape(score.get('label'))})**",
        "",
        "| component | points |",
        "|---|---|",
        *[f"| {md_escape(k.replace('_', ' '))} | {v:+.1f} |" for k, v in score.get("components", {}).items() if v],
        "",
    ]
    for n in report.get("notes", []):
        lines.append(f"> {md_escape(n)}")
    lines += ["", f"## Flags ({len(report['flags'])})", ""]
    for f in report["flags"]:
        where = "headline" if f["start"] < 0 else f"chars {f['start']}–{f['end']}"
        tech = f" · {md_escape(f['technique'])}" if f.get("technique") else ""
        lines.append(f"- **{md_escape(f['type'])}**{tech} ({f['score']:.2f}, {where}): “{md_escape(f['text'][:200])}” — "
                     f"{md_escape(f.get('explanation', ''))}")
    lines += ["", f"## Claims ({len(report['claims'])}), most check-worthy first", ""]
    for c in report["claims"]:
        att = c.get("attribution") or {}
        who = att.get("speaker") or att.get("cue")
        lines.append(f"### {md_escape(c['id'])} · {md_escape(', '.join(c.get('kind', [])))} · "
                     f"check-worthiness {c['checkworthiness']:.2f} · {md_escape(c['verdict']['label'])}")
        lines.append("")
        lines.append(f"> {md_escape(c['text'])}")
        lines.append("")
        lines.append(f"Attribution: {md_escape(att.get('type', 'none'))}{' — ' + md_escape(who) if who else ''}"
                     f"{' via ' + md_escape(att['via']) if att.get('via') else ''}")
        for q in c.get("quantities", []):
            lines.append(f"- {md_escape(q['text'])}: {md_escape(q.get('comparator'))} {q['value']:g} "
                         f"{md_escape(q.get('unit') or '')} {md_escape(q.get('entity') or '')}"
                         f"{' (date ' + md_escape(q['date']) + ')' if q.get('date') else ''}")
        reasons = ", ".join(c["verdict"]["reasons"])
        lines.append(f"\nVerdict: **{md_escape(c['verdict']['label'])}**{' (' + md_escape(reasons) + ')' if reasons else ''}"
                     f" — {md_escape(c['verdict'].get('explanation', ''))}")
        for fc in c.get("fact_checks", []):
            lines.append(f"- prior fact-check: **{md_escape(fc['rating'])}** by {md_escape(fc.get('reviewer') or '?')} "
                         f"— “{md_escape(fc['claim'])}” {md_escape(fc.get('url') or '')}")
        for e in c.get("evidence", []):
            lines.append(f"- {md_escape(e['stance'])}: “{md_escape(e['sentence'])}” — "
                         f"{md_escape(e.get('source') or e['doc_id'])} {md_escape(e.get('url') or '')}")
        lines.append("")
    lines += [f"## Quotes ({len(report['quotes'])})", ""]
    for q in report["quotes"]:
        inner = q["text"].strip('“”" ')
        lines.append(f"- “{md_escape(inner)}” — {md_escape(q.get('speaker') or 'speaker not found')}"
                     f"{' via ' + md_escape(q['via']) if q.get('via') else ''}"
                     f"{' **(malformed: unbalanced quotation marks)**' if not q['well_formed'] else ''}"
                     f"{_trace(q)}")
    lines += ["", f"## Related coverage ({len(report.get('coverage', []))})", ""]
    for c in report.get("coverage", []):
        lines.append(f"1. {md_escape(c.get('title') or c['doc_id'])} — {md_escape(c.get('source') or '')} "
                     f"{md_escape(c.get('published') or '')} (similarity {c['similarity']:.2f}"
                     f"{md_escape(copies_note(c))}) "
                     f"{md_escape(c.get('url') or '')}")
    lines.append("")
    return "\n".join(lines)


def _trace(q: dict) -> str:
    t = q.get("traced") or {}
    if not t:
        return ""
    if t.get("match") == "none":
        return " · not found in the archive"
    orig = f": original “{md_escape(t['original'])}”" if t.get("original") else ""
    who = f" — **misattributed**: said by {md_escape(t.get('original_speaker'))}" if t.get("misattributed") else ""
    return f" · traced **{md_escape(t['match'])}** to {md_escape(t.get('url') or t.get('doc_id'))}{orig}{who}"
