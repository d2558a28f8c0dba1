"""``rootcause models``: list, show, promote and roll back the versions in a model store."""

from __future__ import annotations

import argparse
import json
import os

from rootcause.store import ENV_MODELS_DIR, current_version, list_versions, read_info, rollback, set_current, verify

HELP = "list, show, promote or roll back model versions"


def format_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--models-dir", default=os.environ.get(ENV_MODELS_DIR, "models"), metavar="DIR",
                        help=f"model store (default: ${ENV_MODELS_DIR} or models/)")
    sub = parser.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    sub.add_parser("list", help="every version, the current one marked with *")
    show = sub.add_parser("show", help="a version's manifest")
    show.add_argument("version", nargs="?", help="version (default: the current one)")
    promote = sub.add_parser("promote", help="make a version current (after checking its files)")
    promote.add_argument("version")
    sub.add_parser("rollback", help="make the previously current version current again")


def _f1(manifest: dict, split: str) -> str:
    value = manifest.get("metrics", {}).get(split, {}).get("macro_f1")
    return f"{value:.3f}" if isinstance(value, (int, float)) else "-"


def main(args: argparse.Namespace) -> int:
    store = args.models_dir
    if args.models_command == "list":
        current = current_version(store)
        versions = list_versions(store)
        if not versions:
            print(f"no model versions in {store}; run `rootcause train`")
            return 0
        print(f"  {'version':<24}{'created':<27}{'test F1':>8}{'cv F1':>8}  rows  note")
        for info in versions:
            m = info.manifest
            rows = m.get("data", {}).get("train", {}).get("rows", "-")
            note = m.get("promotion", {}).get("reason", "")
            print(f"{'*' if info.version == current else ' '} {info.version:<24}{m.get('created', '-'):<27}"
                  f"{_f1(m, 'test'):>8}{_f1(m, 'cv'):>8}  {rows:>4}  {note[:60]}")
        return 0
    if args.models_command == "show":
        version = args.version or current_version(store)
        if version is None:
            print(f"no current version in {store}")
            return 1
        print(json.dumps(read_info(os.path.join(store, version)).manifest, ensure_ascii=False, indent=2))
        return 0
    if args.models_command == "promote":
        verify(read_info(os.path.join(store, args.version)))
        set_current(store, args.version)
        print(f"current: {args.version}")
        return 0
    print(f"rolled back; current: {rollback(store)}")
    return 0
