#!/usr/bin/env bash
# A Spark standalone cluster on an emulated network, on this one machine: one Linux network namespace
# per host (a driver, a master and W one-core workers), each with one veth "eth0" on a bridge that lives
# in its own "switch" namespace (10.77.0.0/24: master .1, driver .2, workers .11, .12, ...), every
# host's link limited with tc. Starts the master and workers from target/lib as jobs/cluster-bench.sh
# does, runs COMMAND in the driver namespace, prints one JSON line with the bytes every host's eth0 sent
# and received during COMMAND, stops and deletes everything it made, and exits with COMMAND's exit code.
# Needs root (network namespaces); prints "SKIP: ..." to stderr and exits 77 where they cannot be made.
#   jobs/netem-cluster.sh [options] -- COMMAND
#   jobs/netem-cluster.sh --workers 4 --rate 1gbit -- 'java -Xmx1g $JVM_FLAGS -cp "$ROOT/target/lib/*" \
#       org.apache.spark.deploy.SparkSubmit --master $MASTER_URL --class io.sparkrnn.cli.Main \
#       $ROOT/target/spark-rnn-0.1.0-SNAPSHOT-app.jar train --conf conf/tiny.properties spark.partitions=4'
#   jobs/netem-cluster.sh --rate 100mbit -- 'jobs/submit.sh --master $MASTER_URL -- train --conf conf/tiny.properties'
# Options:
#   --workers W           worker hosts, one core each (default 2)
#   --rate R              each host link's rate, in tc units: 1gbit, 100mbit, 500kbit... (default 1gbit);
#                         0 or none: no rate limit
#   --delay D             one-way delay added on each host's egress, in tc units: 0.2ms, 1ms... (default
#                         0.2ms); 0 or none: no delay. Needs the kernel's netem qdisc: without it (as on
#                         kernels built without CONFIG_NET_SCH_NETEM) a warning is printed, the rate limit
#                         still applies and the JSON line says "delay_applied": false
#   --memory M            memory each worker offers to executors (default 1g); --worker-memory is the same
#   --no-shape-downlink   limit only each host's sending side; by default the switch-to-host direction of
#                         every link is limited to R too (on the bridge ports), as a real full-duplex link is,
#                         so that a host receiving from many senders at once gets R in total, not R per
#                         sender (rate only: the delay is still added once per packet)
#   --keep-logs DIR       copy the master, worker and executor logs to DIR before deleting the temp dir
# COMMAND is everything after --, joined with spaces and run by `bash -c` (as ssh does) in the driver
# namespace from the project root, so quote it for that inner shell: single-quote it whole and it sees
# MASTER_URL (spark://10.77.0.1:7077), SPARK_LOCAL_IP and SPARK_LOCAL_HOSTNAME (the driver's address),
# ROOT and JVM_FLAGS (from jobs/common.sh) in its environment. Its stdout is this script's stdout; this
# script's own messages go to stderr, and the last stdout line is
#   {"netem": {"rate": .., "delay": .., "workers": W, "driver_tx_bytes": .., "driver_rx_bytes": ..,
#    "workers_tx_bytes": [..], "workers_rx_bytes": [..], "busiest_worker_bytes": max(tx+rx),
#    "command_exit": N, ...}}
# The byte counters are those of the hosts' eth0 (frames with their Ethernet headers), read just before
# and just after COMMAND; traffic between processes of one host (a worker and its executor) goes over
# that namespace's lo and is not counted. One run at a time (the namespace names and addresses are
# fixed, a lock enforces it); namespaces left over by a killed run are deleted at the start.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"

WORKERS=2 RATE=1gbit DELAY=0.2ms WORKER_MEM=1g SHAPE_DOWNLINK=1 KEEP_LOGS=
usage() { awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --workers) WORKERS=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --delay) DELAY=$2; shift 2 ;;
    --memory|--worker-memory) WORKER_MEM=$2; shift 2 ;;
    --no-shape-downlink) SHAPE_DOWNLINK=0; shift ;;
    --keep-logs) KEEP_LOGS=$(realpath -m "$2"); shift 2 ;;
    --) shift; break ;;
    -h|--help) usage ;;
    *) echo "unknown option $1" >&2; usage ;;
  esac
done
[ $# -gt 0 ] || { echo "no COMMAND after --" >&2; usage; }
COMMAND="$*"
case "$WORKERS" in ''|*[!0-9]*) echo "--workers needs a number, not '$WORKERS'" >&2; exit 2 ;; esac
[ "$WORKERS" -ge 1 ] && [ "$WORKERS" -le 200 ] || { echo "--workers must be 1..200" >&2; exit 2; }
case "$RATE" in 0|none|"") RATE=none ;; esac
case "$DELAY" in 0|0ms|0us|none|"") DELAY=none ;; esac

skip() { echo "SKIP: network namespaces are not available here ($1)" >&2; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "not root"
command -v ip > /dev/null || skip "no ip command (iproute2)"
[ "$RATE" = none ] || command -v tc > /dev/null || skip "no tc command (iproute2)"

# Hosts: namespace names, addresses, bridge port names. Fixed, so that a later run finds stale ones.
SW=netem-switch SUBNET=10.77.0
MASTER_IP=$SUBNET.1 DRIVER_IP=$SUBNET.2 MASTER_PORT=7077 MASTER_WEB=8080
HOSTS=(netem-master netem-driver) IPS=("$MASTER_IP" "$DRIVER_IP") PORTS=(p-master p-driver)
for i in $(seq "$WORKERS"); do
  HOSTS+=("netem-w$i") IPS+=("$SUBNET.$((10 + i))") PORTS+=("p-w$i")
done
ALL_NS=("$SW" "${HOSTS[@]}")

# One run at a time: the names and addresses are fixed. (The long-lived children do not inherit fd 9,
# so a run killed with -9 does not leave its lock held by orphaned JVMs.)
LOCK=/run/lock/netem-cluster.lock
[ -d /run/lock ] && [ -w /run/lock ] || LOCK=/tmp/netem-cluster.lock
exec 9> "$LOCK"
flock -n 9 || { echo "another jobs/netem-cluster.sh is running (lock held)" >&2; exit 75; }

# Kill every process in our namespaces (the JVMs, the executors the workers started, COMMAND and its
# children: all of them, and only them, live in these namespaces), then delete the namespaces.
kill_ns_procs() {
  local sig=$1 ns pids
  shift
  for ns in "$@"; do
    pids=$(ip netns pids "$ns" 2> /dev/null || true)
    # shellcheck disable=SC2086
    [ -z "$pids" ] || kill "-$sig" $pids 2> /dev/null || true
  done
}
delete_namespaces() {   # the names given, or every stale netem-* namespace
  local names=("$@") ns alive
  if [ ${#names[@]} -eq 0 ]; then
    mapfile -t names < <(ip netns list 2> /dev/null | awk '$1 ~ /^netem-/ {print $1}')
  fi
  [ ${#names[@]} -gt 0 ] || return 0
  kill_ns_procs TERM "${names[@]}"
  for _ in $(seq 50); do   # up to 5 s for the JVMs to exit on TERM
    alive=
    for ns in "${names[@]}"; do [ -z "$(ip netns pids "$ns" 2> /dev/null)" ] || alive=1; done
    [ -n "$alive" ] || break
    sleep 0.1
  done
  kill_ns_procs KILL "${names[@]}"
  for ns in "${names[@]}"; do ip netns del "$ns" 2> /dev/null || true; done
}
HOME_DIR=
teardown() {
  local rc=$?
  trap - EXIT INT TERM HUP
  if [ -n "$KEEP_LOGS" ] && [ -n "$HOME_DIR" ] && [ -d "$HOME_DIR" ]; then
    mkdir -p "$KEEP_LOGS" && cp -r "$HOME_DIR"/*.log "$HOME_DIR"/work* "$KEEP_LOGS"/ 2> /dev/null || true
    find "$KEEP_LOGS"/work* -name '*.jar' -delete 2> /dev/null || true   # the app jar each executor fetched
  fi
  delete_namespaces "${ALL_NS[@]}"
  [ -z "$HOME_DIR" ] || rm -rf "$HOME_DIR"
  exit "$rc"
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Left over by an earlier run that could not clean up (kill -9, a crash): its namespaces (and with them
# its JVMs) and its temp dir.
delete_namespaces
rm -rf /tmp/netem-cluster.??????

# --- The network. Every link is created inside the namespaces (the veth ends never exist in the root
# namespace), so no traffic touches the root namespace's interfaces.
err=$(ip netns add "$SW" 2>&1) || skip "ip netns add failed: ${err//$'\n'/ }"
err=$(ip -n "$SW" link add br0 type bridge 2>&1) || skip "cannot create a bridge: ${err//$'\n'/ }"
ip -n "$SW" link set br0 up
ip -n "$SW" link set lo up
for k in "${!HOSTS[@]}"; do
  ns=${HOSTS[$k]}
  err=$(ip netns add "$ns" 2>&1) || skip "ip netns add failed: ${err//$'\n'/ }"
  err=$(ip -n "$SW" link add "${PORTS[$k]}" type veth peer name eth0 netns "$ns" 2>&1) \
    || skip "cannot create a veth pair: ${err//$'\n'/ }"
  ip -n "$SW" link set "${PORTS[$k]}" master br0 up
  ip -n "$ns" addr add "${IPS[$k]}/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
done

# --- The link limits, on each host's eth0 egress (host -> switch), set once per packet: the bridge
# ports keep veth's default noqueue qdisc (no limit, no delay), so a packet from one host to another is
# rate-limited and delayed exactly once, at its sender.
#  * Rate: tbf (token bucket), which works on kernels without netem. burst = 1 ms of traffic at R
#    (at least 16 KiB), the queue holds up to 20 ms of traffic. tbf segments TSO/GSO super-packets
#    bigger than the burst itself, so the veth offloads can stay on. Measured here: 94 Mbit/s of TCP
#    payload at 100mbit and 930-950 Mbit/s at 1gbit (the rest is TCP/IP/Ethernet headers).
#  * Delay: netem, as the root qdisc with the tbf as its child (netem delays, then tbf paces; the
#    recipe from the netem documentation). netem's own "rate" is not used, so that the rate limit is
#    the same tbf with or without netem. netem's queue: 10000 packets, ample at these rates.
# Without netem in the kernel ("Specified qdisc kind is unknown") the tbf alone is the root qdisc.
burst_bytes() {   # 1 ms of traffic at rate $1 (tc units), at least 16 KiB
  awk -v r="$1" 'BEGIN {
    n = r + 0; u = tolower(r); sub(/^[0-9.]+/, "", u)
    m["bit"] = 1; m["kbit"] = 1e3; m["mbit"] = 1e6; m["gbit"] = 1e9; m["tbit"] = 1e12
    m["kibit"] = 1024; m["mibit"] = 1048576; m["gibit"] = 1073741824
    m["bps"] = 8; m["kbps"] = 8e3; m["mbps"] = 8e6; m["gbps"] = 8e9
    bits = (u in m) ? n * m[u] : 1e9
    b = int(bits / 8 / 1000); if (b < 16384) b = 16384; print b }'
}
QDISC=none DELAY_APPLIED=false
if [ "$DELAY" != none ]; then
  if err=$(ip netns exec "${HOSTS[0]}" tc qdisc add dev eth0 root handle 1: netem delay "$DELAY" limit 10000 2>&1)
  then
    ip netns exec "${HOSTS[0]}" tc qdisc del dev eth0 root
    DELAY_APPLIED=true
  else
    echo "WARNING: cannot add the netem qdisc (${err//$'\n'/ }): --delay $DELAY is NOT applied," \
      "only the rate limit is" >&2
  fi
fi
if [ "$RATE" != none ]; then
  BURST=$(burst_bytes "$RATE")
  err=$(ip netns exec "${HOSTS[0]}" tc qdisc add dev eth0 root tbf rate "$RATE" burst "$BURST" \
    latency 20ms 2>&1) || skip "tc cannot add a tbf qdisc for --rate $RATE: ${err//$'\n'/ }"
  ip netns exec "${HOSTS[0]}" tc qdisc del dev eth0 root
fi
for k in "${!HOSTS[@]}"; do
  ns=${HOSTS[$k]}
  if [ "$DELAY_APPLIED" = true ]; then
    ip netns exec "$ns" tc qdisc add dev eth0 root handle 1: netem delay "$DELAY" limit 10000
    [ "$RATE" = none ] || ip netns exec "$ns" tc qdisc add dev eth0 parent 1:1 handle 10: \
      tbf rate "$RATE" burst "$BURST" latency 20ms
    QDISC=$([ "$RATE" = none ] && echo netem || echo netem+tbf)
  elif [ "$RATE" != none ]; then
    ip netns exec "$ns" tc qdisc add dev eth0 root tbf rate "$RATE" burst "$BURST" latency 20ms
    QDISC=tbf
  fi
  if [ "$SHAPE_DOWNLINK" = 1 ] && [ "$RATE" != none ]; then
    # switch -> host: the bridge port's egress, rate only (the delay was added at the sender)
    ip netns exec "$SW" tc qdisc add dev "${PORTS[$k]}" root tbf rate "$RATE" burst "$BURST" latency 20ms
  fi
done
echo "netem-cluster: ${#HOSTS[@]} hosts on $SUBNET.0/24, links: qdisc $QDISC, rate $RATE, delay $DELAY" \
  "(applied: $DELAY_APPLIED), downlink shaped: $([ "$SHAPE_DOWNLINK" = 1 ] && echo yes || echo no)" >&2

# --- Build if needed, then the Spark standalone master and workers, as jobs/cluster-bench.sh starts them.
source "$HERE/common.sh"
export ROOT JVM_FLAGS
HOME_DIR=$(mktemp -d /tmp/netem-cluster.XXXXXX)
ln -s "$ROOT/target/lib" "$HOME_DIR/jars"
in_ns() {   # in_ns NS IP COMMAND... &: COMMAND in namespace NS, with Spark bound to IP, without the lock fd
  local ns=$1 addr=$2; shift 2
  exec 9>&- ip netns exec "$ns" env SPARK_HOME="$HOME_DIR" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP="$addr" \
    SPARK_LOCAL_HOSTNAME="$addr" "$@"
}
# shellcheck disable=SC2086
in_ns netem-master "$MASTER_IP" java -Xmx512m $JVM_FLAGS -cp "$HOME_DIR/jars/*" \
  org.apache.spark.deploy.master.Master --host "$MASTER_IP" --port "$MASTER_PORT" \
  --webui-port "$MASTER_WEB" < /dev/null > "$HOME_DIR/master.log" 2>&1 &
MASTER_URL="spark://$MASTER_IP:$MASTER_PORT"
for i in $(seq "$WORKERS"); do
  # shellcheck disable=SC2086
  in_ns "netem-w$i" "${IPS[$((i + 1))]}" java -Xmx512m $JVM_FLAGS -cp "$HOME_DIR/jars/*" \
    org.apache.spark.deploy.worker.Worker "$MASTER_URL" --host "${IPS[$((i + 1))]}" --cores 1 \
    --memory "$WORKER_MEM" --webui-port 8081 --work-dir "$HOME_DIR/work$i" \
    < /dev/null > "$HOME_DIR/worker$i.log" 2>&1 &
done
alive=0
for _ in $(seq 240); do   # up to 2 minutes
  alive=$(ip netns exec netem-driver curl -s --noproxy '*' --max-time 2 "http://$MASTER_IP:$MASTER_WEB/json/" \
    | grep -o '"aliveworkers" *: *[0-9]*' | grep -o '[0-9]*$' || true)
  [ "${alive:-0}" -ge "$WORKERS" ] && break
  dead=
  for ns in netem-master $(seq -f 'netem-w%g' "$WORKERS"); do [ -n "$(ip netns pids "$ns")" ] || dead=$ns; done
  [ -z "$dead" ] || { echo "netem-cluster: the JVM in $dead exited" >&2; break; }
  sleep 0.5
done
if [ "${alive:-0}" -lt "$WORKERS" ]; then
  echo "netem-cluster: only ${alive:-0} of $WORKERS workers registered with the master; logs:" >&2
  tail -n 20 "$HOME_DIR"/*.log >&2 || true
  exit 1
fi
echo "netem-cluster: master $MASTER_URL, $WORKERS workers alive; running the command in netem-driver" >&2

# --- COMMAND in the driver namespace, between two readings of every host's eth0 byte counters.
counters() {   # "tx rx" of every host's eth0, one host a line, in HOSTS order
  local ns
  for ns in "${HOSTS[@]}"; do
    ip netns exec "$ns" sh -c 'echo $(cat /sys/class/net/eth0/statistics/tx_bytes) $(cat /sys/class/net/eth0/statistics/rx_bytes)'
  done
}
before=$(counters)
t0=$(date +%s.%N)
{ exec 3<&0; } 2> /dev/null || exec 3< /dev/null   # COMMAND's stdin: ours (a background job's is /dev/null)
# In the background, with wait, so that a TERM/INT to this script is handled at once (teardown kills it).
ip netns exec netem-driver env MASTER_URL="$MASTER_URL" SPARK_LOCAL_IP="$DRIVER_IP" \
  SPARK_LOCAL_HOSTNAME="$DRIVER_IP" bash -c "$COMMAND" <&3 3<&- 9>&- &
cmd_pid=$!
cmd_rc=0
wait "$cmd_pid" || cmd_rc=$?
t1=$(date +%s.%N)
after=$(counters)

paste -d ' ' <(echo "$before") <(echo "$after") | awk -v rate="$RATE" -v delay="$DELAY" -v w="$WORKERS" \
  -v qdisc="$QDISC" -v dapplied="$DELAY_APPLIED" -v down="$SHAPE_DOWNLINK" -v rc="$cmd_rc" \
  -v secs="$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')" '
  { tx[NR] = $3 - $1; rx[NR] = $4 - $2 }
  END {
    wtx = ""; wrx = ""; busiest = 0
    for (k = 3; k <= NR; k++) {
      wtx = wtx (k > 3 ? ", " : "") sprintf("%.0f", tx[k]); wrx = wrx (k > 3 ? ", " : "") sprintf("%.0f", rx[k])
      if (tx[k] + rx[k] > busiest) busiest = tx[k] + rx[k]
    }
    printf "{\"netem\": {\"rate\": \"%s\", \"delay\": \"%s\", \"workers\": %d, ", rate, delay, w
    printf "\"driver_tx_bytes\": %.0f, \"driver_rx_bytes\": %.0f, ", tx[2], rx[2]
    printf "\"workers_tx_bytes\": [%s], \"workers_rx_bytes\": [%s], \"busiest_worker_bytes\": %.0f, ", wtx, wrx, busiest
    printf "\"master_tx_bytes\": %.0f, \"master_rx_bytes\": %.0f, ", tx[1], rx[1]
    printf "\"qdisc\": \"%s\", \"delay_applied\": %s, \"downlink_shaped\": %s, ", qdisc, dapplied, (down == 1 ? "true" : "false")
    printf "\"command_seconds\": %s, \"command_exit\": %d}}\n", secs, rc
  }'
exit "$cmd_rc"
