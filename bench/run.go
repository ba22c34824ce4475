package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Options say what to measure.
type Options struct {
	// Runs is how many times each query runs on each target.
	Runs int
	// Timeout bounds one run of one query; a target that times out or fails
	// is not run again.
	Timeout time.Duration
	// Queries, Inputs and Engines select the matrix; a target whose engine
	// cannot read its input is left out.
	Queries []Query
	Inputs  []Input
	Engines []Engine
	// Self is the benchmark's own binary, re-executed as the DuckDB worker.
	Self string
	// Log receives progress; nil discards it.
	Log io.Writer
}

// Result is what one target measured for one query.
type Result struct {
	Query  Query
	Target Target
	// Wall and RSS hold one entry per completed run: wall-clock time and
	// peak resident memory in bytes.
	Wall []time.Duration
	RSS  []int64
	// Floor is the most this process had ever held when it started a run:
	// the kernel counts that into the child's peak, so a peak at or below
	// the floor only says the child needed no more.
	Floor int64
	// Output is the result table of the first run, header first.
	Output [][]string
	// Err is why the target stopped, if it did.
	Err error
}

// Targets returns the targets of opts, alternating engines within each input.
func (opts *Options) Targets() []Target {
	var ts []Target
	for _, in := range opts.Inputs {
		for _, e := range opts.Engines {
			if Supports(e, in) {
				ts = append(ts, Target{e, in})
			}
		}
	}
	return ts
}

// Run measures every query on every target of opts over ds. Each round runs
// every query on every target once, starting each round at the next target,
// so that no engine always runs right after the other one has warmed the
// page cache.
func Run(ctx context.Context, ds *Dataset, opts Options) ([]*Result, error) {
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	qdir := filepath.Join(ds.Dir, "queries")
	if err := os.MkdirAll(qdir, 0o755); err != nil {
		return nil, err
	}
	targets := opts.Targets()
	var results []*Result
	byKey := map[string]*Result{}
	for _, q := range opts.Queries {
		for _, t := range targets {
			r := &Result{Query: q, Target: t}
			if t.Input == Store && ds.Store == "" {
				r.Err = ErrNoStore
			}
			results = append(results, r)
			byKey[q.Name+" "+t.String()] = r
		}
	}
	for round := 0; round < opts.Runs; round++ {
		for _, q := range opts.Queries {
			kql := filepath.Join(qdir, q.Name+".kql")
			sqlFile := filepath.Join(qdir, q.Name+".sql")
			if err := os.WriteFile(kql, []byte(q.KQL), 0o644); err != nil {
				return nil, err
			}
			if err := os.WriteFile(sqlFile, []byte(q.SQL), 0o644); err != nil {
				return nil, err
			}
			for i := range targets {
				t := targets[(i+round)%len(targets)]
				r := byKey[q.Name+" "+t.String()]
				if r.Err != nil {
					continue
				}
				var name string
				var args []string
				if t.Engine == Huntql {
					name, args = ds.Huntql, huntqlArgs(ds, t.Input, q, kql)
				} else {
					name = opts.Self
					args = append([]string{WorkerCommand}, workerArgs(ds, t.Input, q, sqlFile)...)
				}
				r.Floor = max(r.Floor, SelfPeak())
				m, err := runChild(ctx, opts.Timeout, name, args)
				if err != nil {
					r.Err = err
					fmt.Fprintf(log, "%-10s %-15s run %d: %v\n", q.Name, t, round+1, err)
					continue
				}
				r.Wall = append(r.Wall, m.wall)
				r.RSS = append(r.RSS, m.rss)
				if r.Output == nil {
					r.Output = m.output
				}
				fmt.Fprintf(log, "%-10s %-15s run %d: %8.3f s %6d MB %d rows\n", q.Name, t,
					round+1, m.wall.Seconds(), m.rss>>20, len(m.output)-1)
			}
		}
	}
	return results, ctx.Err()
}

// ErrNoStore is the error of the store input while huntql has no store.
var ErrNoStore = errors.New("this huntql has no store (huntql query --store): TODO issue 4")

// huntqlArgs returns the arguments that run the KQL file on huntql over
// input in of ds.
func huntqlArgs(ds *Dataset, in Input, q Query, kqlFile string) []string {
	args := []string{"query"}
	if in == Store {
		args = append(args, "--store", ds.Store)
	} else {
		for _, t := range q.Tables {
			args = append(args, "--data", ds.File(in, t))
		}
	}
	return append(args, "-f", kqlFile, "--format", "csv")
}

// measurement is one run of a child process.
type measurement struct {
	wall   time.Duration
	rss    int64
	output [][]string
}

// runChild runs name with args, returning its wall time, peak resident
// memory and the CSV it printed.
func runChild(ctx context.Context, timeout time.Duration, name string,
	args []string) (*measurement, error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if ctx.Err() == context.DeadlineExceeded {
		return nil, fmt.Errorf("timed out after %v", timeout)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v\n%s", filepath.Base(name), err,
			strings.TrimSpace(stderr.String()))
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss * 1024 // kilobytes on Linux
	}
	out, err := parseCSV(stdout.Bytes())
	if err != nil {
		return nil, fmt.Errorf("%s printed bad CSV: %v", filepath.Base(name), err)
	}
	return &measurement{wall: wall, rss: rss, output: out}, nil
}
