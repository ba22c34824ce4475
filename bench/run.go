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
	// Launcher is the rusage-exec binary (bench/cmd/rusage-exec) that starts
	// each child and reports its usage; "" starts children directly, which
	// counts this process's own peak into theirs.
	Launcher string
	// CPUs, when positive, binds every child to that many CPUs (through the
	// launcher) and gives DuckDB as many threads; 0 leaves both alone.
	CPUs int
	// Log receives progress; nil discards it.
	Log io.Writer
}

// Result is what one target measured for one query.
type Result struct {
	Query  Query
	Target Target
	// Wall, CPU and RSS hold one entry per completed run: wall-clock time,
	// user plus system CPU time, and peak resident memory in bytes. CPU time
	// is less disturbed than wall time by other work on the machine.
	Wall, CPU []time.Duration
	RSS       []int64
	// Floor is the most the starting process had ever held when it started
	// a run: the kernel counts that into the child's peak, so a peak at or
	// below the floor only says the child needed no more.
	Floor int64
	// Output is the result table of the first run, header first.
	Output [][]string
	// Changed says how a later run's result differed from the first's; "" if none did.
	Changed string
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

// Run measures every query on every target of opts over ds. The targets
// are taken a comparison group at a time (see groupOf: an input, the store
// with the Parquet files it is compared with), each group running all its
// rounds before the next, so that both engines of a comparison read with
// the page cache in the same state rather than after another group's
// files (20 GB of JSON lines at 10M rows) have evicted theirs. Each round
// runs every query on every target of the group once, starting each round
// at the next target, so that no engine always runs right after the other
// one has warmed the cache.
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
	for _, targets := range groupTargets(targets) {
		if err := runGroup(ctx, ds, opts, log, qdir, targets, byKey); err != nil {
			return nil, err
		}
	}
	return results, ctx.Err()
}

// groupTargets splits targets by comparison group, in order of first
// appearance.
func groupTargets(targets []Target) [][]Target {
	var groups [][]Target
	at := map[Input]int{}
	for _, t := range targets {
		g := groupOf(t.Input)
		i, ok := at[g]
		if !ok {
			i = len(groups)
			at[g] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], t)
	}
	return groups
}

// groupOf returns the comparison group of an input: the input its ratio is
// taken against (Parquet for the store), DuckDB's own table with Parquet.
func groupOf(in Input) Input {
	if in == Native {
		return Parquet
	}
	return Baseline(in)
}

// runGroup runs opts.Runs rounds of every query on targets.
func runGroup(ctx context.Context, ds *Dataset, opts Options, log io.Writer, qdir string,
	targets []Target, byKey map[string]*Result,
) error {
	for round := 0; round < opts.Runs; round++ {
		for _, q := range opts.Queries {
			kql := filepath.Join(qdir, q.Name+".kql")
			sqlFile := filepath.Join(qdir, q.Name+".sql")
			if err := os.WriteFile(kql, []byte(q.KQL), 0o644); err != nil {
				return err
			}
			if err := os.WriteFile(sqlFile, []byte(q.SQL), 0o644); err != nil {
				return err
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
					if opts.CPUs > 0 {
						args = append(args, "-threads", fmt.Sprint(opts.CPUs))
					}
				}
				var launcher []string
				if opts.Launcher != "" {
					launcher = []string{opts.Launcher}
					if opts.CPUs > 0 {
						launcher = append(launcher, "-cpus", fmt.Sprint(opts.CPUs))
					}
				}
				m, err := runChild(ctx, opts.Timeout, launcher, name, args)
				if err != nil {
					r.Err = err
					fmt.Fprintf(log, "%-10s %-15s run %d: %v\n", q.Name, t, round+1, err)
					continue
				}
				r.Wall = append(r.Wall, m.wall)
				r.CPU = append(r.CPU, m.cpu)
				r.RSS = append(r.RSS, m.rss)
				r.Floor = max(r.Floor, m.floor)
				if r.Output == nil {
					r.Output = m.output
				} else if d := compareTables(q, r.Output, m.output); d != "" && r.Changed == "" {
					r.Changed = fmt.Sprintf("run %d: %s", round+1, d)
				}
				fmt.Fprintf(log, "%-10s %-15s run %d: %8.3f s %8.3f s cpu %6d MB %d rows\n",
					q.Name, t, round+1, m.wall.Seconds(), m.cpu.Seconds(), m.rss>>20,
					len(m.output)-1)
			}
		}
	}
	return ctx.Err()
}

// ErrNoStore is the error of the store input while huntql has no store.
var ErrNoStore = errors.New("this huntql has no store: its query command takes no --store")

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
	cpu    time.Duration
	rss    int64
	floor  int64
	output [][]string
}

// runChild runs name with args, returning its wall time, CPU time, peak
// resident memory and the CSV it printed. With a launcher (its path and
// flags), the launcher starts it and reports its usage.
func runChild(ctx context.Context, timeout time.Duration, launcher []string, name string,
	args []string) (*measurement, error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	var report string
	if launcher != nil {
		f, err := os.CreateTemp("", "huntql-bench-rusage-*")
		if err != nil {
			return nil, err
		}
		report = f.Name()
		f.Close()
		defer os.Remove(report)
		args = append(append(launcher[1:len(launcher):len(launcher)], report, name), args...)
		name = launcher[0]
	}
	floor := SelfPeak()
	cmd := exec.CommandContext(ctx, name, args...)
	// A group of its own, so that a time-out ends the launcher's child too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
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
	m := &measurement{wall: wall, floor: floor}
	if launcher != nil {
		b, err := os.ReadFile(report)
		if err != nil {
			return nil, err
		}
		var rssKB, userUS, sysUS, floorKB int64
		if _, err := fmt.Sscan(string(b), &rssKB, &userUS, &sysUS, &floorKB); err != nil {
			return nil, fmt.Errorf("bad report from %s: %q", filepath.Base(launcher[0]), b)
		}
		m.rss, m.floor = rssKB*1024, floorKB*1024
		m.cpu = time.Duration(userUS+sysUS) * time.Microsecond
	} else {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			m.rss = ru.Maxrss * 1024 // kilobytes on Linux
		}
		m.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if m.output, err = parseCSV(stdout.Bytes()); err != nil {
		return nil, fmt.Errorf("%s printed bad CSV: %v", filepath.Base(name), err)
	}
	return m, nil
}
