#!/usr/bin/env bash
# A real Slurm on this host for Nuri's integration tests and `nuri bench dispatch`: Debian 12's Slurm 22.05, one
# slurmctld, N separate slurmd processes (nodes gn0001..gnN, each with 8 fake GPUs, each on its own loopback port),
# munge, and slurmrestd with JWT on 127.0.0.1. Everything lives under one scratch directory and talks over loopback only.
#
#   scripts/slurm-cluster.sh start [N]   (re)starts the cluster with N nodes (default 4); installs the packages if missing
#   scripts/slurm-cluster.sh stop        stops every daemon it started, by the PIDs it recorded (never by name)
#   scripts/slurm-cluster.sh status      says what runs
#   scripts/slurm-cluster.sh env         prints the variables the tests read (NURI_SLURM_*)
#   scripts/slurm-cluster.sh kill-node NAME | start-node NAME | stop-ctld | start-ctld   (fault tests)
#
# Environment: NURI_SLURM_DIR (scratch, default /tmp/nuri-slurm), NURI_SLURM_PORT0 (first port used, default 16817:
# slurmctld, then slurmd +1, slurmrestd +3, nodes from +100), NURI_SLURM_GPUS (per node, default 8), NURI_SLURM_MIN_JOB_AGE
# (seconds slurmctld keeps an ended job, default 300: Nuri must list each ended run once before it is forgotten, or it
# takes the run for lost and requeues it; every list carries them all, so a high start rate wants it lower),
# NURI_SLURM_SCHED_PARAMS (slurm.conf's SchedulerParameters; default: Slurm's own).
#
# Traps this script avoids (see ../shared/slurm-recipe/README.md, where they were measured):
# - Debian installs the daemons as slurmctld-wlm etc.; Slurm decides it is a daemon from basename(argv[0]), and started
#   under the -wlm name it drops every node's Gres=. The daemons are started through links with the canonical names.
# - 22.05 drops GPUs without a File= and wants a character device: each fake GPU is a link to /dev/null.
# - slurmrestd refuses to run as root or as SlurmUser: it runs as nobody; only openapi/v0.0.38 is loaded (the dbv0.0.x
#   plugins are fatal without slurmdbd).
set -euo pipefail

CMD=${1:-start}
DIR=${NURI_SLURM_DIR:-/tmp/nuri-slurm}
PORT0=${NURI_SLURM_PORT0:-16817}
CTLD_PORT=$PORT0
SLURMD_PORT=$((PORT0 + 1))
REST_PORT=$((PORT0 + 3))
NODE_PORT0=$((PORT0 + 100))
GPUS=${NURI_SLURM_GPUS:-8}
MIN_JOB_AGE=${NURI_SLURM_MIN_JOB_AGE:-300}
SCHED_PARAMS=${NURI_SLURM_SCHED_PARAMS:-}
CONF=$DIR/etc/slurm.conf
export SLURM_CONF=$CONF

say() { echo "[slurm-cluster] $*"; }
die() { echo "[slurm-cluster] $*" >&2; exit 1; }

pid_of() {  # pidfile expected-part-of-cmdline: the live pid recorded there, or nothing
  local f=$1 want=$2 pid
  [ -s "$f" ] || return 1
  pid=$(cat "$f") || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  grep -qa -- "$want" "/proc/$pid/cmdline" 2>/dev/null || return 1
  grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null && return 1
  echo "$pid"
}

stop_pidfiles() {  # want pidfile...: TERM, wait up to 15 s, then KILL
  local want=$1; shift
  local pids=() f p
  for f in "$@"; do
    [ -e "$f" ] || continue
    if p=$(pid_of "$f" "$want"); then pids+=("$p"); fi
    rm -f "$f"
  done
  [ ${#pids[@]} -eq 0 ] && return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 75); do
    local left=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' "/proc/$p/status" 2>/dev/null && left=1; done
    [ $left -eq 0 ] && return 0
    sleep 0.2
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
}

install_packages() {
  local pkgs="slurm-wlm slurmrestd munge slurm-wlm-jwt-plugin" missing=""
  for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  command -v apt-get >/dev/null || die "Slurm is not installed and there is no apt-get: install$missing (Debian 12's packages)"
  say "installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $missing >/dev/null; }
}

node_name() { printf 'gn%04d' "$1"; }

start_slurmd() {  # name
  mkdir -p "$DIR/spool/slurmd-$1"
  "$DIR/bin/slurmd" -f "$CONF" -d "$DIR/bin/slurmstepd" -N "$1"
}

start_ctld() {
  "$DIR/bin/slurmctld" -f "$CONF" "$@"
  for _ in $(seq 1 100); do
    scontrol ping 2>/dev/null | grep -q UP && return 0
    sleep 0.2
  done
  grep -E "fatal|error" "$DIR/log/slurmctld.log" 2>/dev/null | tail -3 >&2 || true
  die "slurmctld did not come up (log: $DIR/log/slurmctld.log)"
}

stop_all() {
  if [ -f "$CONF" ] && pid_of "$DIR/run/slurmctld.pid" slurmctld >/dev/null; then
    timeout 20 scancel --quiet >/dev/null 2>&1 || true
  fi
  stop_pidfiles slurmrestd "$DIR"/run/slurmrestd.pid
  stop_pidfiles slurmd "$DIR"/run/slurmd-*.pid
  stop_pidfiles slurmctld "$DIR"/run/slurmctld.pid
  stop_pidfiles munged "$DIR"/run/munged.pid
}

start_all() {
  local nodes=${1:-4}
  [[ "$nodes" =~ ^[0-9]+$ ]] && [ "$nodes" -ge 1 ] && [ "$nodes" -le 4096 ] || die "nodes must be 1 to 4096, not '$nodes'"
  [ "$(id -u)" = 0 ] || die "run as root: slurmd starts jobs as their users"
  install_packages
  for b in /usr/sbin/slurmctld-wlm /usr/sbin/slurmd-wlm /usr/sbin/slurmstepd-wlm /usr/sbin/slurmrestd /usr/sbin/munged; do
    [ -x "$b" ] || die "missing $b"
  done
  stop_all
  mkdir -p "$DIR"/{etc,state,spool,log,run,munge,rest,bin,dev,jobs}
  rm -rf "$DIR"/state/* "$DIR"/spool/* "$DIR"/log/*
  chmod 755 "$DIR" "$DIR/munge" "$DIR/run" "$DIR/etc"
  chmod 1777 "$DIR/jobs"
  ln -sfn /usr/sbin/slurmctld-wlm "$DIR/bin/slurmctld"
  ln -sfn /usr/sbin/slurmd-wlm "$DIR/bin/slurmd"
  ln -sfn /usr/sbin/slurmstepd-wlm "$DIR/bin/slurmstepd"
  for i in $(seq 0 $((GPUS - 1))); do ln -sfn /dev/null "$DIR/dev/fakegpu$i"; done

  [ -s "$DIR/munge/munge.key" ] || dd if=/dev/urandom of="$DIR/munge/munge.key" bs=128 count=1 status=none
  chmod 600 "$DIR/munge/munge.key"
  rm -f "$DIR/munge/munge.socket" "$DIR/munge/munge.socket.lock"
  local munge_opts=(--key-file="$DIR/munge/munge.key" --socket="$DIR/munge/munge.socket" --pid-file="$DIR/munge/munged.pid"
    --log-file="$DIR/munge/munged.log" --seed-file="$DIR/munge/munged.seed" --num-threads=4)
  /usr/sbin/munged "${munge_opts[@]}" 2>/dev/null || /usr/sbin/munged --force "${munge_opts[@]}"
  cp "$DIR/munge/munged.pid" "$DIR/run/munged.pid"

  [ -s "$DIR/etc/jwt_hs256.key" ] || dd if=/dev/urandom of="$DIR/etc/jwt_hs256.key" bs=32 count=1 status=none
  chmod 600 "$DIR/etc/jwt_hs256.key"

  local last list
  last=$(printf '%04d' "$nodes")
  list="gn[0001-$last]"
  ports="[$NODE_PORT0-$((NODE_PORT0 + nodes - 1))]"
  if [ "$nodes" = 1 ]; then list=gn0001; ports=$NODE_PORT0; fi
  cat > "$CONF" <<EOF
# written by scripts/slurm-cluster.sh: $nodes nodes x $GPUS fake GPUs on one host, for Nuri's tests
ClusterName=nuritest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$DIR/munge/munge.socket
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$DIR/etc/jwt_hs256.key
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool/slurmd-%n
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd-%n.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd-%n.log
SlurmctldDebug=info
SlurmdDebug=info
MailProg=/bin/true
ProctrackType=proctrack/pgid
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/log/jobcomp.txt
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
SlurmdParameters=config_overrides
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
GresTypes=gpu
MaxJobCount=50000
MinJobAge=$MIN_JOB_AGE
KillWait=5
InactiveLimit=0
Waittime=0
SlurmdTimeout=10
SlurmctldTimeout=10
NodeName=$list NodeHostname=$list NodeAddr=127.0.0.1 Port=$ports CPUs=64 Boards=1 SocketsPerBoard=2 CoresPerSocket=32 ThreadsPerCore=1 RealMemory=16000 Gres=gpu:$GPUS State=UNKNOWN
$( [ -n "$SCHED_PARAMS" ] && echo "SchedulerParameters=$SCHED_PARAMS" )
# Only Nuri submits here: it chooses the nodes, Slurm runs the job.
PartitionName=nuri Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
  cat > "$DIR/etc/gres.conf" <<EOF
AutoDetect=off
NodeName=$list Name=gpu File=$DIR/dev/fakegpu[0-$((GPUS - 1))]
EOF
  echo "$nodes" > "$DIR/run/nodes"

  start_ctld -i -c
  for i in $(seq 1 "$nodes"); do start_slurmd "$(node_name "$i")"; done
  local idle=0
  for _ in $(seq 1 240); do
    idle=$(sinfo -h -o '%T %D' 2>/dev/null | awk '$1=="idle"{s+=$2} END{print s+0}')
    [ "$idle" -ge "$nodes" ] && break
    sleep 0.5
  done
  [ "$idle" -ge "$nodes" ] || die "only $idle of $nodes nodes came up idle (logs: $DIR/log)"

  chown nobody:nogroup "$DIR/rest"
  SLURM_JWT=daemon nohup /usr/sbin/slurmrestd -f "$CONF" -a rest_auth/jwt -s openapi/v0.0.38 -u nobody "127.0.0.1:$REST_PORT" \
    > "$DIR/log/slurmrestd.log" 2>&1 &
  echo $! > "$DIR/run/slurmrestd.pid"
  for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$REST_PORT") 2>/dev/null && break
    sleep 0.2
  done
  pid_of "$DIR/run/slurmrestd.pid" slurmrestd >/dev/null || { tail -5 "$DIR/log/slurmrestd.log" >&2; die "slurmrestd did not start"; }
  write_env
  say "up: $nodes nodes x $GPUS GPUs, slurmrestd http://127.0.0.1:$REST_PORT (env: $DIR/env)"
}

write_env() {
  cat > "$DIR/env" <<EOF
NURI_SLURM_URL=http://127.0.0.1:$REST_PORT
NURI_SLURM_JWT_KEY=$DIR/etc/jwt_hs256.key
NURI_SLURM_CONF=$CONF
NURI_SLURM_DIR=$DIR
NURI_SLURM_NODES=$(cat "$DIR/run/nodes")
NURI_SLURM_SCRIPT=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
EOF
}

case "$CMD" in
  start) start_all "${2:-4}" ;;
  stop) stop_all; say "stopped" ;;
  status)
    pid_of "$DIR/run/slurmctld.pid" slurmctld >/dev/null && say "slurmctld up" || say "slurmctld down"
    pid_of "$DIR/run/slurmrestd.pid" slurmrestd >/dev/null && say "slurmrestd up" || say "slurmrestd down"
    [ -f "$CONF" ] && sinfo -h -o '%T %D' 2>/dev/null | sed 's/^/[slurm-cluster]   /' || true ;;
  env) [ -f "$DIR/env" ] && cat "$DIR/env" || exit 1 ;;
  kill-node) [ -n "${2:-}" ] || die "kill-node NAME"; stop_pidfiles slurmd "$DIR/run/slurmd-$2.pid" ;;
  start-node) [ -n "${2:-}" ] || die "start-node NAME"; start_slurmd "$2" ;;
  stop-ctld) stop_pidfiles slurmctld "$DIR/run/slurmctld.pid" ;;
  start-ctld) start_ctld ;;
  *) die "usage: $0 start [N] | stop | status | env | kill-node NAME | start-node NAME | stop-ctld | start-ctld" ;;
esac
