"""Retrain the default model from data/ into models/: ``python train.py`` (see ``--help``)."""

import sys

from rootcause.cli import main

if __name__ == "__main__":
    sys.exit(main(["train", *sys.argv[1:]]))
