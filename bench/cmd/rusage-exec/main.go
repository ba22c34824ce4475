// Command rusage-exec runs a command and reports its resource usage, for
// the benchmark's peak memory figures:
//
//	rusage-exec [-cpus N] REPORT-FILE COMMAND [ARG...]
//
// It runs COMMAND with this process's standard streams (with -cpus, bound
// to the first N CPUs), then writes to
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
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

func main() {
	args := os.Args[1:]
	cpus := 0
	if len(args) > 1 && args[0] == "-cpus" {
		cpus, _ = strconv.Atoi(args[1])
		args = args[2:]
	}
	if len(args) < 2 || cpus < 0 || cpus > 1024 {
		fmt.Fprintln(os.Stderr, "usage: rusage-exec [-cpus N] REPORT-FILE COMMAND [ARG...]")
		os.Exit(2)
	}
	if cpus > 0 {
		if err := bindThread(cpus); err != nil {
			fmt.Fprintf(os.Stderr, "rusage-exec: binding to %d CPUs: %v\n", cpus, err)
			os.Exit(1)
		}
	}
	floor := peakKB()
	cmd := exec.Command(args[1], args[2:]...)
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
	if err := os.WriteFile(args[0], []byte(line), 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "rusage-exec: %v\n", err)
		os.Exit(1)
	}
	os.Exit(cmd.ProcessState.ExitCode())
}

// bindThread binds the calling thread to CPUs 0 to n-1 and keeps this
// goroutine on it, so that the child it starts inherits the binding.
func bindThread(n int) error {
	runtime.LockOSThread()
	var mask [1024 / 64]uint64
	for i := 0; i < n; i++ {
		mask[i/64] |= 1 << (i % 64)
	}
	_, _, errno := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, 0,
		uintptr(len(mask)*8), uintptr(unsafe.Pointer(&mask[0])))
	if errno != 0 {
		return errno
	}
	return nil
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
