// Command rusage-exec runs a command and reports its resource usage, for
// the benchmark's peak memory figures:
//
//	rusage-exec REPORT-FILE COMMAND [ARG...]
//
// It runs COMMAND with this process's standard streams, then writes to
// REPORT-FILE one line "maxrss_kb utime_us stime_us floor_kb": the child's
// peak resident memory, its user and system CPU time, and this process's
// own peak (VmHWM) when it started the child, which is counted into the
// child's. It exits with the child's status.
//
// It exists because Linux counts into a child's peak memory the peak of
// the process that started it (the child lives in its parent's memory
// until it execs), and the benchmark, with DuckDB linked in, is far larger
// than this small program.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: rusage-exec REPORT-FILE COMMAND [ARG...]")
		os.Exit(2)
	}
	floor := peakKB()
	cmd := exec.Command(os.Args[2], os.Args[3:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		fmt.Fprintf(os.Stderr, "rusage-exec: %v\n", err)
		os.Exit(1)
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if ru == nil {
		ru = &syscall.Rusage{}
	}
	line := fmt.Sprintf("%d %d %d %d\n", ru.Maxrss, cmd.ProcessState.UserTime().Microseconds(),
		cmd.ProcessState.SystemTime().Microseconds(), floor)
	if err := os.WriteFile(os.Args[1], []byte(line), 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "rusage-exec: %v\n", err)
		os.Exit(1)
	}
	os.Exit(cmd.ProcessState.ExitCode())
}

// peakKB returns this process's peak resident memory in kilobytes, the
// high-water mark of its own memory map. getrusage would not do: it also
// counts the peak of whoever started this process.
func peakKB() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(v, "kB")), 10, 64)
			return kb
		}
	}
	return 0
}
