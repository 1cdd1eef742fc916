#!/usr/bin/env python3
"""Saves N cost scenarios on a running `infercost serve`, then times GET /api/scenarios?limit=N (client-measured,
loopback, one keep-alive connection) over 30 listings.

usage: tools/server-list.py PORT [N]   (start the server first with its own database: infercost serve --urls http://127.0.0.1:PORT --db FILE)
"""
import http.client, json, statistics, sys, time


def main(port, n):
    c = http.client.HTTPConnection("127.0.0.1", port)
    body = json.dumps({"name": "s", "question": "cost", "inputs": {"model": "llama-3.3-70b", "gpu": "nvidia-h100-sxm", "gpus": 8}}).encode()
    for _ in range(n):
        c.request("POST", "/api/scenarios", body, {"Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        if r.status != 201:
            sys.exit(f"create failed: {r.status}")
    times = []
    for _ in range(30):
        start = time.perf_counter()
        c.request("GET", f"/api/scenarios?limit={n}")
        data = c.getresponse().read()
        times.append((time.perf_counter() - start) * 1000)
    print(f"listed {len(json.loads(data))}: min {min(times):.1f} ms, median {statistics.median(times):.1f} ms, max {max(times):.1f} ms over 30")


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
