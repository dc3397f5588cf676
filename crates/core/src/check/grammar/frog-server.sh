# Runs Frog's server for as long as the process that started this script lives.
# Arguments: the frog program, the port, the working folder (Frog leaves debug files there; it
# is removed at the end), then Frog's options. Standard input is the lifeline: a pipe whose
# writing end only the starting process holds, so it reaches end-of-file when that process
# ends, however it ends (even killed), and Frog is then stopped. Prints Frog's process id on the
# first line of standard output; when Frog stops by itself, its last words go to standard error
# and this script exits with Frog's status. The shell's own messages go nowhere: once the
# starting process is gone, writing them to its closed pipe would kill the shell before it
# cleans up.
program=$1 port=$2 dir=$3
shift 3
exec 4>&2 2>/dev/null
cd "$dir" || exit 1
exec 3<&0
"$program" -S "$port" "$@" </dev/null >/dev/null 2>frog.log 3<&- 4>&- &
frog=$!
echo "$frog"
{ read -r _ <&3; kill "$frog"; } 4>&- &
watch=$!
exec 3<&-
wait "$frog"
status=$?
kill "$watch" 2>/dev/null
tail -n 3 frog.log >&4
cd / && rm -rf "$dir"
exit "$status"
