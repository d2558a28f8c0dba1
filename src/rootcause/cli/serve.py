"""``rootcause serve``: the HTTP service on uvicorn."""

from __future__ import annotations

import argparse
import os

from rootcause.errors import RootCauseError


HELP = "serve predictions over HTTP (FastAPI on uvicorn); docs at /docs"


def format_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--model", metavar="PATH", help="model folder or store (default: the shipped model)")
    parser.add_argument("--rules", metavar="FILE", help="rules file (TOML) for remedies and escalation")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--api-key", default=os.environ.get("ROOTCAUSE_API_KEY"),
                        help="require this key in X-API-Key (default: $ROOTCAUSE_API_KEY; none: no auth)")
    parser.add_argument("--max-batch", type=int, default=256, help="most texts in one batch request (default 256)")
    parser.add_argument("--max-text-chars", type=int, default=5000, help="longest text accepted (default 5000)")
    parser.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])


def main(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from rootcause.service import NoDelayHTTPProtocol, ServiceSettings
    except ImportError as exc:
        raise RootCauseError(f"the HTTP service needs its extra: pip install 'rootcause[serve]' ({exc})") from exc

    settings = ServiceSettings(model=args.model, rules=args.rules, api_key=args.api_key,
                               max_batch=args.max_batch, max_text_chars=args.max_text_chars)
    os.environ.update(settings.to_env())  # worker processes build the app from these
    uvicorn.run("rootcause.service:app_from_env", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level=args.log_level, timeout_graceful_shutdown=10,
                http=NoDelayHTTPProtocol)
    return 0
