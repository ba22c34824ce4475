package bench

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// TestMain lets the test binary serve as its own DuckDB worker, as the
// benchmark command does.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == WorkerCommand {
		os.Exit(WorkerMain(os.Args[2:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestQueriesAgree runs every benchmark query once on every engine and
// input over a small generated dataset and requires the same rows from all:
// the SQL must stay equivalent to the KQL.
func TestQueriesAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("builds huntql and generates data")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	huntql := filepath.Join(dir, "huntql")
	build := exec.Command("go", "build", "-o", huntql, "./cmd/huntql")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building huntql: %v\n%s", err, out)
	}
	launcher := filepath.Join(dir, "rusage-exec")
	build = exec.Command("go", "build", "-o", launcher, "./cmd/rusage-exec")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building rusage-exec: %v\n%s", err, out)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ds, err := Prepare(ctx, PrepareOptions{Dir: dir, Rows: 5000, Devices: 200,
		Huntql: huntql, Self: self})
	if err != nil {
		t.Fatal(err)
	}
	qs, err := Queries(root)
	if err != nil {
		t.Fatal(err)
	}
	results, err := Run(ctx, ds, Options{Runs: 1, Timeout: time.Minute, Queries: qs,
		Inputs: Inputs, Engines: []Engine{Huntql, DuckDB}, Self: self, Launcher: launcher})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		switch {
		case r.Target.Input == Store && r.Err == ErrNoStore:
		case r.Err != nil:
			t.Errorf("%s on %s: %v", r.Query.Name, r.Target, r.Err)
		case len(r.Output) < 2:
			t.Errorf("%s on %s: no rows: the query tests nothing", r.Query.Name, r.Target)
		case r.RSS[0] <= 0 || r.CPU[0] <= 0 || r.RSS[0] <= r.Floor:
			t.Errorf("%s on %s: peak %d bytes over a floor of %d, cpu %v: want a peak above "+
				"the launcher's own", r.Query.Name, r.Target, r.RSS[0], r.Floor, r.CPU[0])
		}
	}
	for _, m := range Check(results) {
		t.Error(m)
	}
}

func TestGroupTargetsKeepsEachComparisonTogether(t *testing.T) {
	opts := Options{Inputs: Inputs, Engines: []Engine{Huntql, DuckDB}}
	var got [][]string
	for _, g := range groupTargets(opts.Targets()) {
		var names []string
		for _, tg := range g {
			names = append(names, tg.String())
		}
		got = append(got, names)
	}
	want := [][]string{
		{"huntql/jsonl", "duckdb/jsonl"},
		{"huntql/csv", "duckdb/csv"},
		{"duckdb/parquet", "duckdb/native", "huntql/store"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("groups %v, expected %v", got, want)
	}
}
