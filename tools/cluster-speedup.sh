#!/usr/bin/env bash
# Speed-up of search --cluster (default) or simulate --runs --cluster (first argument: simulate) with 1, 2, 4 silos
# (one thread each) on this machine; each cluster's --json is compared with the local one byte for byte.
set -u
CLI="dotnet ${CLI_DLL:-tests/Infercost.Cluster.Tests/bin/Release/net10.0/Infercost.Cli.dll}"
MODE="${1:-search}"
if [ "$MODE" = simulate ]; then
  ARGS="simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 4 --rate 20 --requests 200000 --input-dist lognormal:500:1 --output-dist lognormal:100:0.8 --runs 8 --json"
  LOCAL=("")   # simulate runs its --runs on every core; it has no --threads
else
  ARGS="search --model llama-3.1-8b --gpu nvidia-h100-sxm,nvidia-a100-sxm-80gb,nvidia-h200-sxm --gpus-per-replica 1,2 --max-batch 64,128,256 --rate 20 --top 3 --wave 8 --trial-time 20s --json"
  LOCAL=("--threads 1" "--threads 2")
fi
cd "$(dirname "$0")/.."
T=${TMPDIR:-/tmp}
for t in "${LOCAL[@]}"; do
  s=$(date +%s.%N); $CLI $ARGS $t > $T/cluster-speedup-local.json; e=$(date +%s.%N)
  echo "local ${t:-(all cores)}: $(echo "$e - $s" | bc) s"
done
for n in 1 2 4; do
  pids=(); gws=""
  for i in $(seq 1 $n); do
    port=$((21000 + n*10 + i)); gw=$((22000 + n*10 + i))
    seed=""; [ $i -gt 1 ] && seed="--seed-silo 127.0.0.1:$((21000 + n*10 + 1))"
    $CLI cluster silo --port $port --gateway-port $gw --threads 1 $seed > $T/cluster-speedup-silo-$n-$i.log 2>&1 &
    pids+=($!)
    for k in $(seq 1 120); do grep -q "^Silo" $T/cluster-speedup-silo-$n-$i.log && break; sleep 0.5; done
    gws="${gws:+$gws,}127.0.0.1:$gw"
  done
  s=$(date +%s.%N); $CLI $ARGS --cluster $gws > $T/cluster-speedup-cluster-$n.json; rc=$?; e=$(date +%s.%N)
  cmp -s $T/cluster-speedup-cluster-$n.json $T/cluster-speedup-local.json && same=identical || same=DIFFERENT
  echo "$n silos: $(echo "$e - $s" | bc) s (rc $rc, $same to local)"
  for p in "${pids[@]}"; do kill $p; done; wait "${pids[@]}" 2>/dev/null
done
uptime
