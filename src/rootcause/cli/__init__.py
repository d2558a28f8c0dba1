"""The ``rootcause`` command: ``main(argv) -> exit code``; one module per subcommand."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from rootcause import __version__
from rootcause.cli import classify, data, evaluate, models, rules, serve, suggest, train
from rootcause.errors import RootCauseError

SUBCOMMANDS = {"classify": classify, "train": train, "evaluate": evaluate, "rules": rules, "serve": serve,
               "models": models, "data": data, "suggest": suggest}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rootcause",
        description="Find the root cause of Chinese customer complaints: systemic (系统性失误), "
        "staff (员工操作性失误), customer (客户方面的原因) or random (随机因素).",
    )
    parser.add_argument("--version", action="version", version=f"rootcause {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module in SUBCOMMANDS.items():
        module.format_parser(sub.add_parser(name, help=module.HELP, description=module.HELP))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; library errors become ``TypeName: message`` and exit code 1."""
    args = build_parser().parse_args(argv)
    try:
        return int(SUBCOMMANDS[args.command].main(args) or 0)
    except (RootCauseError, OSError, KeyError, ValueError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"{type(exc).__name__}: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
