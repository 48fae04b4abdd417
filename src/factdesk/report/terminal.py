"""A rich terminal view: the score, the flags in context, a table of claims. Text objects, never markup, so
article text cannot inject console markup."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from . import copies_note

COLOURS = {"high": "green", "moderate": "yellow", "low": "dark_orange", "very low": "red"}
VERDICT = {"supported": "green", "contradicted": "red", "misleading": "dark_orange", "unverified": "grey50"}


def _context(text: str, s: int, e: int, width: int = 50) -> Text:
    t = Text("…" if s > width else "")
    t.append(text[max(0, s - width):s].replace("\n", " "))
    t.append(text[s:e].replace("\n", " "), style="bold black on yellow")
    t.append(text[e:e + width].replace("\n", " "))
    t.append("…" if e + width < len(text) else "")
    return t


def render(report: dict[str, Any], console: Console) -> None:
    art, score = report["article"], report["score"]
    label = score.get("label", "")
    head = Text()
    head.append(art.get("title") or "(no headline)", style="bold")
    head.append(f"\n{art.get('domain') or 'no source URL'} · published {art.get('published') or 'unknown'}", style="dim")
    cb = report["headline"].get("clickbait", {})
    head.append(f"\nsource rating: {report['source']['rating']['label']} · headline clickbait {cb.get('score', 0):.2f}"
                f"{' (clickbait)' if cb.get('label') else ''}")
    comp = Text()
    for k, v in score.get("components", {}).items():
        if v:
            comp.append(f"  {k.replace('_', ' ')} {v:+.1f}\n", style="dim")
    gauge = Text(f"Credibility {score.get('credibility', 0):.0f}/100 ({label})\n", style=f"bold {COLOURS.get(label, 'white')}")
    console.print(Panel(Group(head, Text(), gauge, comp), title="factdesk", expand=True))
    for note in report.get("notes", []):
        console.print(Text(f"note: {note}", style="yellow"))

    flags = Table(title=f"Flags ({len(report['flags'])})", show_lines=False, expand=True)
    flags.add_column("type", style="bold", no_wrap=True)
    flags.add_column("in context", ratio=3)
    flags.add_column("why", ratio=2, style="dim")
    for f in report["flags"]:
        where = Text(f["text"], style="bold") if f["start"] < 0 else _context(art["text"], f["start"], f["end"])
        kind = f["type"] + (f"\n{f['technique']}" if f.get("technique") else "")
        flags.add_row(Text(kind), where, Text(f.get("explanation", "")))
    console.print(flags)

    claims = Table(title=f"Claims ({len(report['claims'])}), most check-worthy first", expand=True)
    claims.add_column("id", no_wrap=True)
    claims.add_column("cw", justify="right")
    claims.add_column("claim", ratio=4)
    claims.add_column("kind / attribution / numbers", ratio=2)
    claims.add_column("verdict", no_wrap=True)
    for c in report["claims"]:
        att = c.get("attribution") or {}
        who = att.get("speaker") or att.get("cue") or ""
        info = Text(", ".join(c.get("kind", [])) + f"\n{att.get('type', 'none')}{': ' + who if who else ''}")
        for q in c.get("quantities", []):
            info.append(f"\n{q.get('comparator')} {q['value']:g} {q.get('entity') or q.get('unit') or ''}"
                        f"{' @' + q['date'] if q.get('date') else ''}")
        v = c["verdict"]["label"]
        verdict = Text(v, style=VERDICT.get(v, ""))
        if c["verdict"]["reasons"] and c["verdict"]["reasons"] != ["no_evidence"]:
            verdict.append("\n" + ", ".join(c["verdict"]["reasons"]), style="dim")
        claims.add_row(c["id"], f"{c['checkworthiness']:.2f}", Text(c["text"]), info, verdict)
    console.print(claims)
    for c in report["claims"]:
        if c.get("evidence") or c["verdict"]["reasons"] != ["no_evidence"]:
            line = Text(f"{c['id']} ", style="bold")
            line.append(c["verdict"]["label"], style=VERDICT.get(c["verdict"]["label"], ""))
            line.append(": " + c["verdict"].get("explanation", ""))
            console.print(line)
    if report.get("coverage"):
        cov = Table(title=f"Related coverage ({len(report['coverage'])})", expand=True)
        cov.add_column("sim", justify="right", no_wrap=True)
        cov.add_column("article", ratio=3)
        cov.add_column("source", ratio=1)
        for c in report["coverage"]:
            cov.add_row(f"{c['similarity']:.2f}", Text(c.get("title") or c["doc_id"]),
                        Text(" ".join(x for x in (c.get("source"), c.get("published")) if x) + copies_note(c)))
        console.print(cov)

    quotes = Table(title=f"Quotes ({len(report['quotes'])})", expand=True)
    quotes.add_column("quote", ratio=4)
    quotes.add_column("speaker", ratio=2)
    quotes.add_column("ok", no_wrap=True)
    for q in report["quotes"]:
        who = (q.get("speaker") or "?") + (f" (via {q['via']})" if q.get("via") else "")
        ok = Text("yes" if q["well_formed"] else "MALFORMED", style="" if q["well_formed"] else "bold red")
        t = q.get("traced") or {}
        if t:
            ok.append(f"\ntraced: {t.get('match')}", style="dim")
            if t.get("misattributed"):
                ok.append(f"\nsaid by {t.get('original_speaker')}", style="bold red")
        quotes.add_row(Text(q["text"][:300]), Text(who), ok)
    console.print(quotes)
