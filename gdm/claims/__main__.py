"""``python -m gdm.claims report``: rewrite the reproduction page from the results files;
``python -m gdm.claims show SLUG``: print a chapter's ledger as its results file records it."""
import argparse
import json
import sys

from .. import paths
from . import table
from ._report import write


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gdm.claims", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("report", help="write book/reproduction.md from results/*.json")
    show = sub.add_parser("show", help="print a chapter's ledger from its results file")
    show.add_argument("slug")
    args = parser.parse_args(argv)
    if args.cmd == "report":
        print(write(paths.home()))
        return 0
    path = paths.results_dir() / f"{args.slug}.json"
    if not path.exists():
        print(f"error: {path} does not exist: execute the chapter first", file=sys.stderr)
        return 1
    records = json.loads(path.read_text()).get("claims")
    if not records:
        print(f"error: {path.name} carries no ledger (no 'claims')", file=sys.stderr)
        return 1
    print(table(records))
    return 0


if __name__ == "__main__":
    sys.exit(main())
