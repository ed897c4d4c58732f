"""``python -m helpers.fetch SOURCE [...]``: fetch ACLED, UCDP and HDX data into snapshots.

Exit codes: 0 done (written, or nothing new), 2 missing credentials or bad options (no
request sent), 3 credentials refused, 4 quota used up (the message says when to resume),
5 gave up after retries, 6 an answer the workbook cannot use, 130 interrupted. A fetch that
fails leaves no partial snapshot as current.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from helpers import config
from helpers.fetch import acled, hdx, ucdp
from helpers.fetch.http import FetchError, MissingCredentials

SOURCES = {"acled": acled, "ucdp": ucdp, "hdx": hdx}

EPILOG = """sources and the environment variables they need:
  acled   ACLED events for Afghanistan (OAuth): ACLED_EMAIL, ACLED_PASSWORD
  ucdp    UCDP GED events, country 700: UCDP_ACCESS_TOKEN (request one from UCDP)
  hdx     HDX HAPI needs, food security, funding, population, returnees for AFG:
          HDX_APP_IDENTIFIER, or HDX_APP_NAME and HDX_EMAIL
  all     every source whose variables are set (the others are named and skipped)

optional: ACLED_BASE_URL, UCDP_BASE_URL, HDX_BASE_URL (another server, e.g. for tests).
Snapshots go to <out>/<source>/<YYYY-MM-DD>/ with snapshot.json (URL, query, time, status,
rows, sha256, version, licence; never credentials). Then: make reports (or make refresh,
which does both)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.fetch", epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Fetch what changed at ACLED, UCDP and HDX into dated, immutable "
                    "snapshots under data/raw/.")
    parser.add_argument("sources", nargs="+", choices=[*SOURCES, "all"], metavar="SOURCE",
                        help="acled, ucdp, hdx or all")
    parser.add_argument("--since", type=date.fromisoformat, default=None, metavar="DATE",
                        help="ask for changes since DATE (YYYY-MM-DD; default: since the "
                             "last snapshot)")
    parser.add_argument("--dry-run", action="store_true",
                        help="print the requests that would be sent; send none")
    parser.add_argument("--out", type=Path, default=config.RAW_DIR, metavar="DIR",
                        help=f"snapshot root (default: {config.RAW_DIR})")
    parser.add_argument("--ucdp-version", action="append", default=None, metavar="V",
                        help=f"GED version(s) to fetch (default: {', '.join(ucdp.VERSIONS)};"
                             " candidate releases look like 26.0.7); repeatable")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    return parser


def _configured(module, env) -> str | None:
    """Why a source cannot run (its missing variables), or None."""
    check = {"acled": acled.credentials, "ucdp": ucdp.token, "hdx": hdx.app_identifier}
    try:
        check[module.SOURCE](env)
    except MissingCredentials as exc:
        return str(exc)
    return None


def main(argv: Sequence[str] | None = None, env: dict[str, str] | None = None) -> int:
    """Run the command; return its exit code."""
    import os

    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    env = dict(os.environ if env is None else env)
    names = list(SOURCES) if "all" in args.sources else list(dict.fromkeys(args.sources))
    chosen = []
    for name in names:
        problem = None if args.dry_run else _configured(SOURCES[name], env)
        if problem and "all" in args.sources:
            print(f"{name}: skipped: {problem}", file=sys.stderr)
        elif problem:  # named explicitly: a missing variable is an error, before any request
            print(f"error: {problem}", file=sys.stderr)
            return 2
        else:
            chosen.append(name)
    status = 0
    for name in chosen:
        module = SOURCES[name]
        options = {"versions": args.ucdp_version} if name == "ucdp" and args.ucdp_version \
            else {}
        bar = None
        if not args.no_progress and not args.dry_run:
            from tqdm import tqdm

            bar = tqdm(desc=f"{name}", unit=" rows", leave=False, file=sys.stderr)
        try:
            result = module.fetch(args.out, since=args.since, dry_run=args.dry_run, env=env,
                                  progress=(bar.update if bar else (lambda n: None)),
                                  **options)
        except KeyboardInterrupt:
            print(f"{name}: interrupted; nothing partial was made current", file=sys.stderr)
            return 130
        except FetchError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = max(status, exc.exit_code)
            continue
        finally:
            if bar is not None:
                bar.close()
        if result.get("dry_run"):
            print(f"{name} (dry run): would send")
            for line in result["requests"]:
                print(f"  {line}")
        elif result.get("snapshot"):
            print(f"{name}: {result.get('new', 0):,} new or revised rows"
                  + (f", {result['deleted']:,} deleted" if result.get("deleted") else "")
                  + f" -> {result['snapshot']}")
        else:
            print(f"{name}: no new data (nothing written)")
    return status


if __name__ == "__main__":
    sys.exit(main())
