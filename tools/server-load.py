#!/usr/bin/env python3
"""Bounded loopback load test of `infercost serve`: fixed clients x fixed seconds of POST /api/cost, each client on
one keep-alive connection. Prints throughput, errors and P50/P99 latency (client-measured, so it includes this
Python client's own time on the same cores: a floor on what the server sustains, not a ceiling).

usage: tools/server-load.py PORT CLIENTS SECONDS   (start the server first: infercost serve --urls http://127.0.0.1:PORT)
"""
import http.client, sys, threading, time

BODY = b'{"model":"llama-3.3-70b","gpu":"nvidia-h100-sxm","gpus":8}'


def main(port, clients, seconds):
    latencies, errors, lock = [], [0], threading.Lock()

    def client():
        connection, mine, bad = http.client.HTTPConnection("127.0.0.1", port), [], 0
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            start = time.perf_counter()
            connection.request("POST", "/api/cost", BODY, {"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            bad += response.status != 200
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads: t.start()
    for t in threads: t.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    n = len(latencies)
    print(f"{clients} clients x {seconds:g} s: {n} requests, {n / elapsed:.0f} req/s, errors {errors[0]}, "
          f"P50 {latencies[n // 2] * 1e3:.2f} ms, P99 {latencies[int(n * 0.99)] * 1e3:.2f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]))
