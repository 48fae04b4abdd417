"""``factdesk eval …``: score the shipped models on standard-format data (e.g. an official test split you hold).

Mounted by the main CLI as ``app.add_typer(eval_app, name="eval")``; also runs alone as
``python -m factdesk.eval.cli``. Default output is a small table; ``--json`` prints exactly one JSON object on
one line, with the headline metric under ``"score"``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import click
import typer

from ..errors import FactdeskError

eval_app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="Score the shipped models on standard data files (FNC-1, Climate-FEVER).",
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
    """Stance model on FNC-1 files: official relative score, per-class F1, confusion."""
    from .fnc1 import evaluate_fnc1

    res = evaluate_fnc1(stances, bodies)
    res["model"] = _model_info()
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


def _model_info() -> dict[str, Any]:
    from ..stance import load_stance

    i = load_stance().info()
    return {"name": i.name, "version": i.version, "sha256": i.sha256}


def main(argv: list[str] | None = None) -> None:
    """Run the eval CLI; any FactdeskError becomes one line on stderr and its exit code."""
    try:
        eval_app(args=argv, prog_name="factdesk eval", standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except (click.Abort, KeyboardInterrupt):
        print("factdesk: interrupted", file=sys.stderr)
        sys.exit(130)
    except FactdeskError as e:
        print(f"factdesk: error: {e}", file=sys.stderr)
        sys.exit(e.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as e:  # a bug: still one line, with a way to see more
        if os.environ.get("FACTDESK_DEBUG"):
            raise
        print(f"factdesk: internal error: {type(e).__name__}: {e} (set FACTDESK_DEBUG=1 for a traceback)",
              file=sys.stderr)
        sys.exit(70)


if __name__ == "__main__":
    main()
