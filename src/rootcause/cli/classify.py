"""``rootcause classify``: the root cause of complaint texts, or of a whole complaint log."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rootcause.batch import MAX_CHARS, BatchConfig, run_batch
from rootcause.classifier import Prediction, load_classifier
from rootcause.tables import FORMATS

HELP = "classify complaint texts, or a complaint log file (CSV/TSV, JSON Lines, Excel, Parquet)"
EPILOG = """examples:
  rootcause classify "柜员一直在玩手机，让我等了半小时"
  rootcause classify complaints.csv -o classified.csv --text-col 投诉内容
  rootcause classify export.xlsx -o result.parquet --jobs 2
  cat log.jsonl | rootcause classify - -o - --format jsonl --quiet > out.jsonl
A file argument is classified as a table (output: -o, or INPUT.classified.EXT beside it);
any other argument is a complaint text."""


def format_parser(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("inputs", nargs="+", metavar="TEXT|INPUT",
                        help="complaint text(s), or one input file ('-' for stdin)")
    parser.add_argument("-o", "--output", metavar="OUTPUT", help="output file for a table ('-' for stdout)")
    parser.add_argument("--model", metavar="PATH", help="model folder or store (default: the shipped model)")
    parser.add_argument("--rules", metavar="FILE", help="rules file (TOML) for remedies and escalation")
    parser.add_argument("--threshold", type=float, metavar="P",
                        help="confidence below which a prediction needs review (default: the model's)")
    parser.add_argument("--scope-threshold", type=float, metavar="P",
                        help="failure score below which a text is out of scope (default: the model's; 0 never flags)")
    parser.add_argument("--json", action="store_true", help="texts: print one JSON object per text")
    parser.add_argument("--explain", action="store_true",
                        help="list the terms that pushed each prediction to its label (a column for tables)")
    table = parser.add_argument_group("tables")
    table.add_argument("--text-col", default="text", metavar="NAME", help="column holding the complaint (default: text)")
    table.add_argument("--format", choices=FORMATS, help="input format (default: from the extension)")
    table.add_argument("--output-format", choices=FORMATS, help="output format (default: from the extension)")
    table.add_argument("--encoding", help="input encoding (default: detected; UTF-8, UTF-8 with BOM or GB18030/GBK)")
    table.add_argument("--jobs", type=int, default=0, metavar="N", help="worker processes (default: all cores)")
    table.add_argument("--chunk-rows", type=int, default=2000, metavar="N", help="rows per chunk (default: 2000)")
    table.add_argument("--max-chars", type=int, default=MAX_CHARS, metavar="N",
                       help=f"longer texts are truncated and flagged (default: {MAX_CHARS})")
    table.add_argument("--resume", action="store_true", help="continue an interrupted run into the same OUTPUT")
    table.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    table.add_argument("--engine", choices=["local", "spark"], default="local",
                       help="local processes (default), or Apache Spark for Parquet/CSV paths any Spark reaches")
    table.add_argument("--master", metavar="URL", help="Spark master (default: spark-submit's or local[*])")


def format_prediction(p: Prediction) -> str:
    """A human-readable block for one prediction (no root cause for a text that describes no failure)."""
    if not p.in_scope:
        return (f"out of scope: describes no service failure   p_failure {p.failure_score:.3f}\n"
                f"(if it does, the most likely cause is {p.label}; rerun with --scope-threshold 0 for its remedies)")
    probs = "  ".join(f"{label} {value:.3f}" for label, value in p.probabilities.items())
    lines = [
        f"root cause: {p.label} ({p.label_zh})   probability {p.confidence:.3f}"
        + ("   [needs review]" if p.needs_review else ""),
        f"probabilities: {probs}",
        "remedies:",
        *(f"  {i}. {r.zh} ({r.en}) [{r.rule_id}]" for i, r in enumerate(p.remedies, 1)),
        f"escalation: {'; '.join(p.escalation) if p.escalation else 'none'}",
        *([f"why: {'  '.join(f'{t} {w:+.2f}' for t, w in p.explanation)}"] if p.explanation else []),
    ]
    return "\n".join(lines)


def _is_table(args: argparse.Namespace) -> bool:
    return args.output is not None or args.engine == "spark" or (len(args.inputs) == 1 and Path(args.inputs[0]).is_file())


def _default_output(path: str) -> str:
    p = Path(path)
    return str(p.with_name(f"{p.stem}.classified{p.suffix}"))


def classify_table(args: argparse.Namespace) -> int:
    if len(args.inputs) != 1:
        raise ValueError("give one input file with -o OUTPUT (texts and files cannot be mixed)")
    output = args.output or _default_output(args.inputs[0])
    if args.engine == "spark":
        from rootcause import spark

        spark.run(args.inputs[0], output, text_col=args.text_col, input_format=args.format,
                  output_format=args.output_format, master=args.master, model=args.model, rules=args.rules,
                  threshold=args.threshold, scope_threshold=args.scope_threshold, max_chars=args.max_chars)
        if not args.quiet:
            print(f"written to {output} (Spark)", file=sys.stderr)
        return 0
    config = BatchConfig(
        input=args.inputs[0], output=output, text_col=args.text_col, input_format=args.format,
        output_format=args.output_format, encoding=args.encoding, model=args.model, rules=args.rules,
        threshold=args.threshold, scope_threshold=args.scope_threshold, max_chars=args.max_chars,
        chunk_rows=args.chunk_rows, jobs=args.jobs,
        resume=args.resume, progress=not args.quiet and sys.stderr.isatty(), explain=args.explain,
    )
    summary = run_batch(config)
    if not args.quiet:
        print(summary.format() + (f"\nwritten to {output}" if output != "-" else ""), file=sys.stderr)
    return 0


def main(args: argparse.Namespace) -> int:
    if _is_table(args):
        return classify_table(args)
    texts = [line for line in sys.stdin.read().splitlines() if line.strip()] if args.inputs == ["-"] else args.inputs
    classifier = load_classifier(args.model, rules=args.rules, review_threshold=args.threshold,
                                 scope_threshold=args.scope_threshold)
    for i, p in enumerate(classifier.predict(texts, explain=args.explain)):
        print(json.dumps(p.to_dict(), ensure_ascii=False) if args.json else ("\n" if i else "") + format_prediction(p))
    return 0
