"""Load run against the real HTTP service on 127.0.0.1: throughput and p50/p99 latency.

Starts `rootcause serve` on a free loopback port, sends requests open-loop at a fixed rate for a
bounded time (single-text and batch), then stops the server. Texts are real complaints read in
place from ../shared/corpora.

    python benchmarks/bench_service.py [--rate 100] [--seconds 20] [--batch 32] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import httpx
import numpy as np
import pandas as pd

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def load(base: str, rate: float, seconds: float, make_body, path: str) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    async with httpx.AsyncClient(base_url=base, timeout=10, limits=httpx.Limits(max_connections=200)) as client:
        async def one(body):
            nonlocal errors
            started = time.perf_counter()
            response = await client.post(path, json=body)
            latencies.append(time.perf_counter() - started)
            errors += response.status_code != 200

        tasks = []
        start = time.perf_counter()
        for i in range(int(rate * seconds)):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(make_body(i))))
        await asyncio.gather(*tasks)
    return latencies, errors


def report(name: str, latencies: list[float], errors: int, seconds: float, per_request: int) -> None:
    ms = np.array(latencies) * 1000
    print(f"{name:<22} requests {len(ms):>6}  texts/s {len(ms) * per_request / seconds:>7.0f}  "
          f"p50 {np.percentile(ms, 50):6.1f} ms  p99 {np.percentile(ms, 99):6.1f} ms  max {ms.max():6.1f} ms  errors {errors}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=100, help="single-text requests per second")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--batch", type=int, default=32, help="texts per batch request")
    parser.add_argument("--batch-rate", type=float, default=10, help="batch requests per second")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    texts = pd.read_csv(CORPORA / "stc3-helpdesk" / "stc3_first_turn_cn.csv", dtype=str)["text"].dropna().tolist()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "rootcause", "serve", "--port", str(port), "--workers",
                               str(args.workers), "--log-level", "warning"])
    try:
        for _ in range(200):
            try:
                if urllib.request.urlopen(base + "/readyz", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        lat, err = asyncio.run(load(base, args.rate, args.seconds, lambda i: {"text": texts[i % len(texts)]},
                                    "/v1/classify"))
        report(f"single @ {args.rate:.0f} req/s", lat, err, args.seconds, 1)
        lat, err = asyncio.run(load(base, args.batch_rate, args.seconds,
                                    lambda i: {"texts": texts[i * args.batch % len(texts):][: args.batch]},
                                    "/v1/classify/batch"))
        report(f"batch {args.batch} @ {args.batch_rate:.0f} req/s", lat, err, args.seconds, args.batch)
        print(json.dumps({"workers": args.workers}))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
