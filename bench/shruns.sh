#!/bin/sh
# Many short guest runs started from a host shell, the way a test suite starts them: N
# BusyBox applets (N a multiple of 3), three to a pipeline, each through $BENCH_RUN (a
# command prefix: `qemu-x86_64`, `node bin/ushim`; unset or empty: natively). Prints the
# total byte count the pipelines report, which every runner must agree on.
n=${1:-300}
busybox=${BENCH_BUSYBOX:-/bin/busybox}
i=0
total=0
while [ "$i" -lt "$n" ]; do
    count=$($BENCH_RUN "$busybox" echo "line $i" | $BENCH_RUN "$busybox" tr a-z A-Z | $BENCH_RUN "$busybox" wc -c)
    total=$((total + count))
    i=$((i + 3))
done
echo "$total"
