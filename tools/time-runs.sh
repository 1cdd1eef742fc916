#!/bin/bash
# usage: tools/time-runs.sh N cmd...  runs cmd N times (output discarded) and prints min, median and max wall ms
n=$1; shift
ts=()
for i in $(seq $n); do
  s=$(date +%s%N); "$@" > /dev/null 2>&1; e=$(date +%s%N)
  ts+=($(( (e-s)/1000000 )))
done
printf '%s\n' "${ts[@]}" | sort -n | awk '{a[NR]=$1} END {printf "min %d ms, median %d ms, max %d ms (n=%d)\n", a[1], a[int((NR+1)/2)], a[NR], NR}'
