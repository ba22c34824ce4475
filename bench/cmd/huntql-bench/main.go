// Command huntql-bench measures huntql against DuckDB on hunting queries
// over generated Defender telemetry and prints a Markdown table of median
// wall times, peak memory and huntql/DuckDB ratios. Run it from anywhere
// inside the huntql checkout:
//
//	go run ./bench/cmd/huntql-bench -rows 1000000 -runs 3
//
// With the first argument duckdb-worker it runs one DuckDB query instead;
// the benchmark starts itself that way to measure DuckDB in a child process.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/huntql/huntql/bench"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == bench.WorkerCommand {
		os.Exit(bench.WorkerMain(os.Args[2:], os.Stdout, os.Stderr))
	}
	os.Exit(run())
}

func run() int {
	rows := flag.Int("rows", 200_000, "DeviceNetworkEvents rows to generate")
	devices := flag.Int("devices", 1000, "devices in the generated fleet")
	runs := flag.Int("runs", 3, "runs of each query on each engine and input")
	dataDir := flag.String("data", "",
		"data `dir`ectory, kept between runs (default bench/data in the checkout)")
	huntql := flag.String("huntql", "",
		"huntql `binary` to measure (default: built from the checkout)")
	queries := flag.String("queries", "all", "comma-separated `names` of queries to run")
	inputs := flag.String("inputs", "all",
		"comma-separated `inputs`: jsonl, csv, parquet, native, store")
	engines := flag.String("engines", "huntql,duckdb", "comma-separated `engines`")
	timeout := flag.Duration("timeout", 10*time.Minute, "limit for one run of one query")
	cpus := flag.Int("cpus", 0,
		"bind each engine to this many CPUs and give DuckDB as many threads (default: all)")
	out := flag.String("out", "", "also write the table to this `file`")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	fail := func(err error) int {
		fmt.Fprintf(os.Stderr, "huntql-bench: %v\n", err)
		return 1
	}
	root, err := findRoot()
	if err != nil {
		return fail(err)
	}
	if *dataDir == "" {
		*dataDir = filepath.Join(root, "bench", "data")
	}
	if *huntql == "" {
		*huntql = filepath.Join(*dataDir, "bin", "huntql")
		fmt.Fprintf(os.Stderr, "building %s\n", *huntql)
		cmd := exec.CommandContext(ctx, "go", "build", "-o", *huntql, "./cmd/huntql")
		cmd.Dir = root
		if b, err := cmd.CombinedOutput(); err != nil {
			return fail(fmt.Errorf("building huntql: %v\n%s", err, b))
		}
	}
	launcher := filepath.Join(*dataDir, "bin", "rusage-exec")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", launcher, "./cmd/rusage-exec")
	cmd.Dir = filepath.Join(root, "bench")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fail(fmt.Errorf("building rusage-exec: %v\n%s", err, b))
	}
	self, err := os.Executable()
	if err != nil {
		return fail(err)
	}
	opts := bench.Options{Runs: *runs, Timeout: *timeout, Self: self, Launcher: launcher,
		CPUs: *cpus, Log: os.Stderr}
	all, err := bench.Queries(root)
	if err != nil {
		return fail(err)
	}
	if opts.Queries, err = pickQueries(all, *queries); err != nil {
		return fail(err)
	}
	if opts.Inputs, err = bench.ParseInputs(*inputs); err != nil {
		return fail(err)
	}
	for _, e := range strings.Split(*engines, ",") {
		switch e := bench.Engine(strings.TrimSpace(e)); e {
		case bench.Huntql, bench.DuckDB:
			opts.Engines = append(opts.Engines, e)
		default:
			return fail(fmt.Errorf("unknown engine %q: expected huntql or duckdb", e))
		}
	}

	ds, err := bench.Prepare(ctx, bench.PrepareOptions{Dir: *dataDir, Rows: *rows,
		Devices: *devices, Huntql: *huntql, Self: self, Log: os.Stderr})
	if err != nil {
		return fail(err)
	}
	results, err := bench.Run(ctx, ds, opts)
	if err != nil {
		return fail(err)
	}
	mismatches := bench.Check(results)
	var table bytes.Buffer
	n := runtime.NumCPU()
	if *cpus > 0 {
		n = min(n, *cpus)
	}
	fmt.Fprintf(&table, "%d DeviceNetworkEvents rows, %d devices, %d CPUs; "+
		"median wall time of %d runs, largest peak RSS\n\n", *rows, *devices, n, *runs)
	bench.WriteTable(&table, results, mismatches)
	os.Stdout.Write(table.Bytes())
	if *out != "" {
		if err := os.WriteFile(*out, table.Bytes(), 0o644); err != nil {
			return fail(err)
		}
	}
	status := 0
	for _, m := range mismatches {
		fmt.Fprintf(os.Stderr, "MISMATCH %s\n", m)
		status = 1
	}
	for _, r := range results {
		if r.Err != nil && !errors.Is(r.Err, bench.ErrNoStore) {
			fmt.Fprintf(os.Stderr, "FAILED %s on %s: %v\n", r.Query.Name, r.Target, r.Err)
			status = 1
		}
	}
	return status
}

func pickQueries(all []bench.Query, names string) ([]bench.Query, error) {
	if names == "all" {
		return all, nil
	}
	var out []bench.Query
	for _, n := range strings.Split(names, ",") {
		found := false
		for _, q := range all {
			if q.Name == strings.TrimSpace(n) {
				out = append(out, q)
				found = true
			}
		}
		if !found {
			var known []string
			for _, q := range all {
				known = append(known, q.Name)
			}
			return nil, fmt.Errorf("unknown query %q: expected some of %s", n,
				strings.Join(known, ", "))
		}
	}
	return out, nil
}

// findRoot returns the huntql checkout holding the working directory: the
// nearest parent with the main module's go.mod.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.HasPrefix(b, []byte("module github.com/huntql/huntql\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the huntql checkout: run from its directory")
		}
		dir = parent
	}
}
