"""Classify complaints: ``python predict.py "柜员一直在玩手机，让我等了半小时"`` (see ``--help``)."""

import sys

from rootcause.cli import main

if __name__ == "__main__":
    sys.exit(main(["classify", *sys.argv[1:]]))
