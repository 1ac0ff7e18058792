#!/usr/bin/env bash
# A single-node SLURM cluster on this machine, for trying the cluster path and for CI.
#
#   sudo tests/slurm/cluster.sh start    # munged, slurmctld, slurmd; waits until `srun hostname` works
#   tests/slurm/cluster.sh status        # exit 0 when all three daemons run and the node answers
#   sudo tests/slurm/cluster.sh stop     # cancels its jobs, stops only the daemons it started
#
# Needs the Debian/Ubuntu packages slurm-wlm and munge, and root (slurmd runs jobs as their user).
# Everything it writes (config, munge key and socket, state, logs, PIDs) is under $STATE_DIR,
# except one link, /etc/slurm/slurm.conf -> $STATE_DIR/slurm.conf, made only where no SLURM config
# is there and removed by stop: inside a job the executor plugin's `srun` drops SLURM_CONF from
# its environment, so the default path is the only one every SLURM command finds. Its own ports
# and munge socket keep it apart from other daemons.
# start and stop are idempotent: start on a running cluster only checks it; stop on a stopped one
# does nothing.
set -euo pipefail

STATE_DIR=${DEALERDETECT_SLURM_STATE:-/tmp/dealerdetect-slurm}
CTLD_PORT=${DEALERDETECT_SLURM_CTLD_PORT:-16817}
SLURMD_PORT=${DEALERDETECT_SLURM_SLURMD_PORT:-16818}
START_TIMEOUT=${DEALERDETECT_SLURM_START_TIMEOUT:-90}
CONF=$STATE_DIR/slurm.conf
ETC_CONF=/etc/slurm/slurm.conf
DAEMONS=(munged slurmctld slurmd)

say() { printf 'cluster.sh: %s\n' "$*" >&2; }
die() {
	say "$*"
	exit 1
}

# PID of a daemon we started, if it is still that daemon (a PID file can outlive its process
# and the number be reused: check the command name too).
alive_pid() {
	local name=$1 pid
	[[ -f $STATE_DIR/$name.pid ]] || return 1
	pid=$(<"$STATE_DIR/$name.pid")
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	[[ -r /proc/$pid/comm && $(</proc/"$pid"/comm) == "$name" ]] || return 1
	echo "$pid"
}

node_answers() {
	SLURM_CONF=$CONF timeout 20 srun --quiet --time=1 --ntasks=1 hostname >/dev/null 2>&1
}

write_config() {
	local host cpus avail_kb mem_mb
	host=$(hostname -s)
	cpus=$(nproc)
	avail_kb=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
	# A bit under what is free now: the machine is shared, and slurmd drains a node that has
	# less memory than slurm.conf claims.
	mem_mb=$((avail_kb * 9 / 10 / 1024))
	mkdir -p "$STATE_DIR"/{ctld,spool,munge}
	chmod 0755 "$STATE_DIR" "$STATE_DIR/munge"
	sed -e "s|@HOST@|$host|g" -e "s|@CPUS@|$cpus|g" -e "s|@MEM_MB@|$mem_mb|g" \
		-e "s|@STATE@|$STATE_DIR|g" -e "s|@CTLD_PORT@|$CTLD_PORT|g" \
		-e "s|@SLURMD_PORT@|$SLURMD_PORT|g" \
		"$(dirname "$0")/slurm.conf.in" >"$CONF"
	chmod 0644 "$CONF"
	if [[ -L $ETC_CONF && $(readlink "$ETC_CONF") == "$CONF" ]]; then
		: # ours, from an earlier start
	elif [[ -e $ETC_CONF || -L $ETC_CONF ]]; then
		die "$ETC_CONF exists and is not ours: this machine has a SLURM of its own; use that"
	else
		mkdir -p "$(dirname "$ETC_CONF")"
		ln -s "$CONF" "$ETC_CONF"
	fi
	say "node $host: $cpus CPUs, $mem_mb MB (config $CONF)"
}

# Start one daemon in the foreground of its own session, so that its PID is the one we record.
launch() {
	local name=$1
	shift
	setsid "$@" >>"$STATE_DIR/$name.out" 2>&1 </dev/null &
	echo $! >"$STATE_DIR/$name.pid"
}

start() {
	local running=0 name
	for name in "${DAEMONS[@]}"; do
		alive_pid "$name" >/dev/null && running=$((running + 1))
	done
	if ((running == ${#DAEMONS[@]})) && node_answers; then
		say "already running ($CONF)"
		return 0
	fi
	((running == 0)) || {
		say "partly running: stopping what is left first"
		stop
	}
	[[ $(id -u) == 0 ]] || die "start needs root (slurmd runs each job as its user)"
	for cmd in munged mungekey slurmctld slurmd srun; do
		command -v "$cmd" >/dev/null ||
			die "$cmd not found: apt-get install -y slurm-wlm munge"
	done
	write_config
	if [[ ! -s $STATE_DIR/munge/munge.key ]]; then
		mungekey --create --keyfile="$STATE_DIR/munge/munge.key"
	fi
	chmod 0400 "$STATE_DIR/munge/munge.key"
	launch munged munged --foreground --force \
		--socket="$STATE_DIR/munge/munge.socket" \
		--key-file="$STATE_DIR/munge/munge.key" \
		--pid-file="$STATE_DIR/munge/munged.pid" \
		--seed-file="$STATE_DIR/munge/munged.seed" \
		--log-file="$STATE_DIR/munged.log"
	# -c: start clean; jobs and node states of an earlier run are gone with it.
	launch slurmctld slurmctld -D -c -f "$CONF"
	launch slurmd slurmd -D -f "$CONF"
	local waited=0
	until node_answers; do
		for name in "${DAEMONS[@]}"; do
			alive_pid "$name" >/dev/null || {
				tail -n 20 "$STATE_DIR/$name.out" "$STATE_DIR/$name.log" 2>/dev/null >&2 || true
				stop
				die "$name exited during start-up (logs above, and in $STATE_DIR)"
			}
		done
		if ((waited >= START_TIMEOUT)); then
			SLURM_CONF=$CONF sinfo -N -l >&2 || true
			stop
			die "no answer from 'srun hostname' after ${START_TIMEOUT}s (logs in $STATE_DIR)"
		fi
		sleep 2
		waited=$((waited + 2))
	done
	say "up after ${waited}s (config $CONF, linked from $ETC_CONF)"
}

stop() {
	local name pid n
	# Jobs first, while the controller can still cancel them, so no slurmstepd is left behind.
	if alive_pid slurmctld >/dev/null; then
		SLURM_CONF=$CONF timeout 20 scancel --full --quiet --user="$(id -un)" 2>/dev/null || true
		for _ in $(seq 1 15); do
			n=$(SLURM_CONF=$CONF timeout 10 squeue --noheader --states=RUNNING,COMPLETING,PENDING \
				2>/dev/null | wc -l) || n=0
			((n == 0)) && break
			sleep 1
		done
	fi
	for name in slurmd slurmctld munged; do
		pid=$(alive_pid "$name") || {
			rm -f "$STATE_DIR/$name.pid"
			continue
		}
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 1 20); do
			alive_pid "$name" >/dev/null || break
			sleep 0.5
		done
		if alive_pid "$name" >/dev/null; then
			say "$name ($pid) ignored TERM: KILL"
			kill -KILL "$pid" 2>/dev/null || true
		fi
		rm -f "$STATE_DIR/$name.pid"
		say "stopped $name ($pid)"
	done
	if [[ -L $ETC_CONF && $(readlink "$ETC_CONF") == "$CONF" ]]; then
		rm -f "$ETC_CONF"
	fi
}

status() {
	local name pid rc=0
	for name in "${DAEMONS[@]}"; do
		if pid=$(alive_pid "$name"); then
			echo "$name: running (pid $pid)"
		else
			echo "$name: not running"
			rc=3
		fi
	done
	if ((rc == 0)); then
		SLURM_CONF=$CONF sinfo || rc=3
	fi
	return "$rc"
}

case ${1:-} in
start) start ;;
stop) stop ;;
status) status ;;
*) die "usage: $0 start|stop|status" ;;
esac
