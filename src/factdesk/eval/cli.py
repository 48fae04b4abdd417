"""``factdesk eval …``: score the shipped models on standard-format data (e.g. an official test split you hold).

Mounted by the main CLI as ``app.add_typer(eval_app, name="eval")``; also runs alone as
``python -m factdesk.eval.cli``. Default output is a small table; ``--json`` prints exactly one JSON object on
one line, with the headline metric under ``"score"``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ..errors import run_cli

eval_app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="Score the shipped models on standard data files (FNC-1, Climate-FEVER, clickbait, Webis-17, CheckThat!, PTC).",
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object on one line (key 'score').")]


def _print(result: dict[str, Any], as_json: bool, title: str) -> None:
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, separators=(",", ":")) + "\n")
        return
    print(title)
    print(f"  {'score':<14}{result['score']:.4f}")
    for key in ("accuracy", "macro_f1", "n"):
        if key in result:
            print(f"  {key:<14}{result[key]}")
    labels = result["labels"]
    print(f"  {'F1':<14}" + "  ".join(f"{lab}={result['f1'][lab]:.4f}" for lab in labels))
    width = max(len(lab) for lab in labels) + 2
    print("  confusion (rows gold, columns predicted)")
    print("  " + " " * width + "".join(f"{lab[:10]:>12}" for lab in labels))
    for lab, row in zip(labels, result["confusion"], strict=True):
        print(f"  {lab:<{width}}" + "".join(f"{v:>12}" for v in row))


@eval_app.command("fnc1")
def fnc1(
    stances: Annotated[Path, typer.Option("--stances", help="FNC-1 stances CSV (Headline, Body ID, Stance).")],
    bodies: Annotated[Path, typer.Option("--bodies", help="FNC-1 bodies CSV (Body ID, articleBody).")],
    as_json: JsonOpt = False,
) -> None:
    """Headline-vs-body stance model on FNC-1 files: official relative score, per-class F1, confusion."""
    from .fnc1 import evaluate_fnc1

    res = evaluate_fnc1(stances, bodies)
    res["model"] = _model_info("headline_stance")
    _print(res, as_json, f"FNC-1 stance ({res['n']} pairs; score = relative FNC-1 score)")


@eval_app.command("climate-fever")
def climate_fever(
    data: Annotated[Path, typer.Option("--data", help="Climate-FEVER JSONL (claim, evidences[...]).")],
    dev_only: Annotated[bool, typer.Option("--dev-only", help="Only the claims of factdesk's dev split.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Stance model on Climate-FEVER claim/evidence pairs: macro-F1 over SUPPORTS / REFUTES / NOT_ENOUGH_INFO."""
    from .climate_fever import evaluate_climate_fever

    res = evaluate_climate_fever(data, split="dev" if dev_only else "all")
    res["model"] = _model_info()
    _print(res, as_json, f"Climate-FEVER evidence stance ({res['n']} pairs; score = macro-F1)")


def _print_simple(result: dict[str, Any], as_json: bool, title: str, keys: tuple[str, ...]) -> None:
    """One JSON line, or a title and ``key value`` lines (score first)."""
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, separators=(",", ":")) + "\n")
        return
    print(title)
    shown = [k for k in ("score", *keys) if result.get(k) is not None]
    w = max(len(k) for k in shown) + 2
    for key in shown:
        v = result[key]
        print(f"  {key:<{w}}{v:.4f}" if isinstance(v, float) else f"  {key:<{w}}{v}")


@eval_app.command("verdicts")
def verdicts(
    data: Annotated[Path, typer.Option("--data", help="Climate-FEVER JSONL (claim, claim_label, evidences[...]).")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="Only the first N claims.")] = 100_000,
    as_json: JsonOpt = False,
) -> None:
    """End-to-end verdicts: every evidence sentence into an archive, every claim traced; accuracy against the
    claim labels (score) and calibration error of the shipped confidence."""
    from ..errors import InputError
    from ..stages.trace import load_calibration
    from ..training.calibrate_verdicts import metrics, trace_claims

    if not data.is_file():
        raise InputError(f"Climate-FEVER file {data} does not exist")
    try:
        traced = trace_claims(data, limit)
    except (KeyError, TypeError, ValueError) as e:
        raise InputError(f"{data} is not Climate-FEVER JSONL (claim, claim_label, evidences): {e}") from None
    res = metrics(traced, load_calibration()[0])
    res["score"] = res["accuracy"]
    _print_simple(res, as_json, f"Verdicts on Climate-FEVER claims ({res['n_claims']} claims; score = accuracy)",
                  ("accuracy", "ece_raw", "ece_calibrated", "n_claims"))


@eval_app.command("clickbait")
def clickbait(
    clickbait_file: Annotated[Path, typer.Option("--clickbait", help="Clickbait headlines, one a line.")],
    non_clickbait_file: Annotated[Path, typer.Option("--non-clickbait", help="Non-clickbait headlines, one a line.")],
    lowercase: Annotated[bool, typer.Option("--lowercase/--as-is",
                                            help="Lower-case the headlines first (default; both are reported).")] = True,
    as_json: JsonOpt = False,
) -> None:
    """Clickbait model on Chakraborty-format headline files: accuracy (score), P/R/F1 of the clickbait class."""
    from .clickbait import evaluate_clickbait

    res = evaluate_clickbait(clickbait_file, non_clickbait_file, lowercase=lowercase)
    _print_simple(res, as_json, f"Clickbait headlines ({res['n']}; score = accuracy, "
                                f"{'lower-cased' if lowercase else 'as is'})",
                  ("accuracy", "precision", "recall", "f1", "accuracy_lowercased", "accuracy_as_is", "threshold",
                   "n", "n_clickbait"))


@eval_app.command("webis17")
def webis17(
    data: Annotated[Path, typer.Option("--data", help="Webis-Clickbait-17 JSON list of {post_text, click_bait}.")],
    as_json: JsonOpt = False,
) -> None:
    """Clickbait model on Webis-17 posts (post text only): F1 of the clickbait class (score), P, R, accuracy."""
    from .clickbait import evaluate_webis17

    res = evaluate_webis17(data)
    _print_simple(res, as_json, f"Webis-Clickbait-17 posts ({res['n']}; score = F1 of clickbait)",
                  ("precision", "recall", "accuracy", "threshold", "n", "n_clickbait"))


@eval_app.command("checkthat")
def checkthat(
    data: Annotated[list[Path], typer.Option("--data", help="Debate TSV file(s) or folder(s) of them; repeatable.")],
    as_json: JsonOpt = False,
) -> None:
    """Check-worthiness model on CheckThat! debate TSVs: MAP over debates (score), mean P@5/10/20."""
    from .checkthat import evaluate_checkthat

    res = evaluate_checkthat(data)
    _print_simple(res, as_json, f"CheckThat! check-worthiness ({res['n_debates']} debates; score = MAP)",
                  ("MAP", "P@5", "P@10", "P@20", "n_debates", "n_debates_without_positive", "n_sentences",
                   "n_positive"))


@eval_app.command("ptc")
def ptc(
    articles: Annotated[Path, typer.Option("--articles", help="Folder of article<ID>.txt files.")],
    labels: Annotated[Path, typer.Option("--labels", help="SI (id, start, end) or TC (id, technique, start, end) labels.")],
    task: Annotated[Optional[str], typer.Option("--task", help="si or tc (default: from the label file's columns).")] = None,
    thorough: Annotated[bool, typer.Option("--thorough", help="SI: score the tagger on every line, as check --thorough runs it.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Propaganda models on PTC (SemEval-2020 T11) files: SI span F1 or TC technique micro-F1 (score)."""
    from .ptc import evaluate_ptc

    res = evaluate_ptc(articles, labels, task, thorough=thorough)
    if res["task"] == "si":
        mode = "every line, as check --thorough" if thorough else "gated, as check runs it"
        title = (f"PTC span identification ({res['n_articles']} articles, {mode}; score = SemEval-2020 T11 SI "
                 "span F1)")
        keys = ("precision", "recall", "tagger_threshold", "gate_threshold", "share_of_lines_tagged",
                "ungated_si_f1", "lexicon_si_f1", "n_pred_spans", "n_gold_spans", "n_articles")
    else:
        title = f"PTC technique classification ({res['n_spans']} gold spans; score = micro-F1)"
        keys = ("micro_f1", "n_spans", "n_labels", "n_articles")
    _print_simple(res, as_json, title, keys)


@eval_app.command("all")
def all_benchmarks(
    data: Annotated[Path, typer.Option("--data", help="A data folder laid out like shared/data.")],
    as_json: JsonOpt = False,
) -> None:
    """Every benchmark found under --data (dev splits where the model trained on that data), one table.

    JSON: ``score`` = share of targets met, ``rows`` = one object per benchmark."""
    from .suite import evaluate_all, format_table

    res = evaluate_all(data)
    if as_json:
        sys.stdout.write(json.dumps(res, ensure_ascii=False, separators=(",", ":")) + "\n")
        return
    print(format_table(res))


def _model_info(name: str = "stance") -> dict[str, Any]:
    from ..headline_stance import load_headline_stance
    from ..stance import load_stance

    i = (load_headline_stance() if name == "headline_stance" else load_stance()).info()
    return {"name": i.name, "version": i.version, "sha256": i.sha256}


def main(argv: list[str] | None = None) -> None:
    """Run `factdesk eval` alone; errors end as in errors.run_cli."""
    run_cli(eval_app, argv, "factdesk eval")


if __name__ == "__main__":
    main()
