#!/usr/bin/env bash
# Soak test (not in CI): the dashboard in monitoring mode against `serve --chaos` at a 1 s
# interval while alerts churn (see below), for $DURATION seconds (default 600). Prints the dashboard's
# resident memory and open file descriptors over time, the growth after warm-up, and panics.
# Needs tmux and a release build: cargo build --release && bash benches/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-600}
WARMUP=${WARMUP:-60}
BIN=${BIN:-target/release/blnk-alerts}
PORT=${PORT:-4199}
KEY=blnk_soak_$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
WORK=$(mktemp -d)
SESSION=blnk-soak-$$

cleanup() {
  tmux kill-session -t "$SESSION" 2>/dev/null || true
  [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null || true
  [ -n "${CHURN:-}" ] && kill "$CHURN" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

BLNK_SERVER_API_KEY=$KEY "$BIN" serve --addr "127.0.0.1:$PORT" --seed demo \
  --chaos latency=0.3:800ms,error=0.05,ratelimit=0.05,malformed=0.05 > "$WORK/server.log" 2>&1 &
SERVER=$!
sleep 1

export BLNK_API_URL=http://127.0.0.1:$PORT BLNK_API_KEY=$KEY HOME=$WORK
# Churn: every second an existing alert changes status and title (so the data set stays about
# the same size and memory growth means a leak), and every 30 s a new alert is flagged.
(
  ids=""
  while [ -z "$ids" ]; do  # chaos may refuse the first tries
    ids=$("$BIN" list --output json 2>/dev/null | grep -o '"anomaly_id": *"[^"]*"' | cut -d'"' -f4 | head -100 || true)
    sleep 1
  done
  statuses=(INVESTIGATING RESOLVED FLAGGED PENDING_REVIEW)
  n=0
  updates=0
  while true; do
    for id in $ids; do
      n=$((n + 1))
      "$BIN" update "$id" --status "${statuses[$((n % 4))]}" --title "soak churn $n" >/dev/null 2>&1 && updates=$((updates + 1))
      echo "$updates" > "$WORK/updates"
      if [ $((n % 30)) -eq 0 ]; then
        "$BIN" flag "bln_$(cat /proc/sys/kernel/random/uuid)" --description "soak churn $n" >/dev/null 2>&1 || true
      fi
      sleep 1
    done
  done
) &
CHURN=$!

tmux new-session -d -s "$SESSION" -x 160 -y 45 \
  "env BLNK_API_URL=$BLNK_API_URL BLNK_API_KEY=$BLNK_API_KEY HOME=$WORK $BIN --read-only --interval 1 2> $WORK/dashboard.err"
sleep 2
PID=$(pgrep -f "^$BIN --read-only --interval 1" | head -1)
[ -n "$PID" ] || { echo "the dashboard did not start"; exit 1; }

echo "seconds rss_kib fds"
start=$(date +%s)
base_rss=""
max_rss=0
while true; do
  now=$(( $(date +%s) - start ))
  [ "$now" -ge "$DURATION" ] && break
  kill -0 "$PID" 2>/dev/null || { echo "the dashboard exited early"; cat "$WORK/dashboard.err"; exit 1; }
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")
  fds=$(ls "/proc/$PID/fd" | wc -l)
  echo "$now $rss $fds"
  if [ "$now" -ge "$WARMUP" ] && [ -z "$base_rss" ]; then base_rss=$rss; base_fds=$fds; fi
  [ "$rss" -gt "$max_rss" ] && max_rss=$rss
  sleep 10
done
final_rss=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")
final_fds=$(ls "/proc/$PID/fd" | wc -l)
alerts=0
for _ in 1 2 3 4 5; do
  alerts=$("$BIN" list --output json 2>/dev/null | grep -c '"anomaly_id"' || true)
  [ "$alerts" -gt 0 ] && break
  sleep 1
done
panics=$(grep -c -i "panicked" "$WORK/dashboard.err" || true)
echo "---"
echo "duration ${DURATION}s, warm-up ${WARMUP}s, alerts at the end: $alerts, updates acknowledged: $(cat "$WORK/updates" 2>/dev/null || echo 0)"
echo "rss after warm-up ${base_rss} KiB, at the end ${final_rss} KiB, peak ${max_rss} KiB"
awk -v a="$base_rss" -v b="$final_rss" 'BEGIN { printf "rss growth after warm-up: %.1f%%\n", (b - a) * 100 / a }'
echo "open fds after warm-up ${base_fds}, at the end ${final_fds}"
echo "panics: $panics"
tmux send-keys -t "$SESSION" q
