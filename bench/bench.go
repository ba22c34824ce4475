// Package bench measures huntql against DuckDB on hunting queries over
// synthetic Defender telemetry: it generates the data at a given scale in
// every input format, runs each query on each engine and input several
// times, alternating engines, checks that all of them return the same rows,
// and reports median wall time, peak memory and the huntql/DuckDB ratio.
//
// Both engines run as child processes, so that wall time includes start-up
// for both and peak memory is the child's own (its rusage Maxrss): huntql as
// its command-line binary, DuckDB as this benchmark's binary re-executed in
// worker mode (see [WorkerMain]).
//
// It is its own Go module because DuckDB needs cgo, and the main module
// stays pure Go.
package bench

import (
	"fmt"
	"strings"
)

// Input is a kind of input data.
type Input string

// The inputs. huntql reads JSON lines and CSV today; Parquet and DuckDB's
// own table are DuckDB's references; Store is huntql's store of issue 4.
const (
	JSONLines Input = "jsonl"
	CSV       Input = "csv"
	Parquet   Input = "parquet"
	// Native is DuckDB's own table in a database file, loaded from the Parquet files.
	Native Input = "native"
	// Store is huntql's store, built by `huntql ingest` and read by
	// `huntql query --store DIR`, measured when the binary has them.
	Store Input = "store"
)

// Inputs lists every input in report order.
var Inputs = []Input{JSONLines, CSV, Parquet, Native, Store}

// Engine is a query engine under measurement.
type Engine string

// The engines.
const (
	Huntql Engine = "huntql"
	DuckDB Engine = "duckdb"
)

// Target is one engine reading one input.
type Target struct {
	Engine Engine
	Input  Input
}

func (t Target) String() string { return string(t.Engine) + "/" + string(t.Input) }

// Supports reports whether engine e can read input in.
func Supports(e Engine, in Input) bool {
	switch e {
	case Huntql:
		return in == JSONLines || in == CSV || in == Store
	case DuckDB:
		return in == JSONLines || in == CSV || in == Parquet || in == Native
	}
	return false
}

// Baseline returns the DuckDB input that huntql reading in is compared with:
// the same file format, or Parquet for the store, whose columnar pages are
// its nearest equivalent.
func Baseline(in Input) Input {
	if in == Store {
		return Parquet
	}
	return in
}

// ParseInputs parses a comma-separated list of inputs; "all" is every input.
func ParseInputs(s string) ([]Input, error) {
	if s == "all" {
		return Inputs, nil
	}
	var out []Input
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		ok := false
		for _, in := range Inputs {
			if string(in) == f {
				out = append(out, in)
				ok = true
			}
		}
		if !ok {
			return nil, fmt.Errorf("unknown input %q: expected some of jsonl, csv, parquet, "+
				"native, store or all", f)
		}
	}
	return out, nil
}
