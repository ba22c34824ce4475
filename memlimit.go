package huntql

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dustin/go-humanize"
)

// ErrMemoryLimit is the error (tested with errors.Is) of a query stopped
// because it needed more memory than Options.MaxMemory.
var ErrMemoryLimit = errors.New("memory limit exceeded")

// MemoryLimitError says how much memory a stopped query held and what the
// limit was.
type MemoryLimitError struct {
	Limit int64 // bytes
	Used  int64 // bytes of live heap when the query was stopped
}

func (e *MemoryLimitError) Error() string {
	return fmt.Sprintf("query stopped: it needed more than the memory limit of %s "+
		"(%s in use); narrow it (where, project, summarize before join) or raise "+
		"the limit (--max-memory)", humanize.IBytes(uint64(e.Limit)),
		humanize.IBytes(uint64(e.Used)))
}

func (e *MemoryLimitError) Unwrap() error { return ErrMemoryLimit }

// memWatchInterval is how often a running query's memory is sampled.
const memWatchInterval = 10 * time.Millisecond

// memMu serializes queries that set the process's soft memory limit.
var memMu sync.Mutex

// watchMemory returns a context that is cancelled with a
// *MemoryLimitError when the process's Go heap grows past limit while the
// query runs, and the function that stops watching. The heap is the
// process's, so a query sharing a process with others is charged for theirs.
// The soft limit of the garbage collector is set to the limit meanwhile, so
// that garbage is collected before it counts against the query.
func watchMemory(ctx context.Context, limit int64) (context.Context, func()) {
	if limit <= 0 {
		return ctx, func() {}
	}
	memMu.Lock()
	old := debug.SetMemoryLimit(limit)
	ctx, cancel := context.WithCancelCause(ctx)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(memWatchInterval)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			used := int64(sample[0].Value.Uint64())
			if used <= limit {
				continue
			}
			// Objects not yet swept count until a collection proves them dead.
			runtime.GC()
			metrics.Read(sample)
			if used = int64(sample[0].Value.Uint64()); used > limit {
				cancel(&MemoryLimitError{Limit: limit, Used: used})
				return
			}
		}
	}()
	return ctx, func() {
		close(done)
		wg.Wait()
		cancel(nil)
		debug.SetMemoryLimit(old)
		memMu.Unlock()
	}
}

// memoryLimitOf returns the error a query's context was cancelled with when
// the memory watcher stopped it, else err.
func memoryLimitOf(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var ml *MemoryLimitError
	if cause := context.Cause(ctx); errors.As(cause, &ml) {
		return ml
	}
	return err
}

// DefaultMaxMemory returns three quarters of the memory this process may
// use (the machine's, or its cgroup's limit when lower), or 0 when it
// cannot be told.
func DefaultMaxMemory() int64 {
	total := physicalMemory()
	if cg := cgroupMemoryLimit(); cg > 0 && (total == 0 || cg < total) {
		total = cg
	}
	return total / 4 * 3
}

// physicalMemory reads MemTotal from /proc/meminfo (Linux), or returns 0.
func physicalMemory() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			f := strings.Fields(rest)
			if len(f) == 2 && f[1] == "kB" {
				kb, err := strconv.ParseInt(f[0], 10, 64)
				if err == nil {
					return kb * 1024
				}
			}
		}
	}
	return 0
}

// cgroupMemoryLimit reads a cgroup v2 memory limit, or returns 0.
func cgroupMemoryLimit() int64 {
	b, err := os.ReadFile("/sys/fs/cgroup/memory.max")
	if err != nil {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0 // "max": no limit
	}
	return n
}

// ParseMemory reads a memory size such as 512MB, 2GiB, 1.5G or 1000000
// (bytes); "0" and "none" mean no limit.
func ParseMemory(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "none" || s == "0" {
		return 0, nil
	}
	n, err := humanize.ParseBytes(s)
	if err != nil || n == 0 || n > 1<<62 {
		return 0, fmt.Errorf("%q is not a memory size; expected e.g. 512MB, 2GiB or none", s)
	}
	return int64(n), nil
}
