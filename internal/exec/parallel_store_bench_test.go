package exec

import (
	"context"
	"os"
	"testing"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/schema"
	"github.com/huntql/huntql/internal/sema"
	"github.com/huntql/huntql/internal/store"
	"github.com/huntql/huntql/internal/syntax"
)

// storeSource reads a store as the facade does.
type storeSource struct{ snap *store.Snapshot }

func (s storeSource) Read(ctx context.Context, table string, cols []string,
	fn func(*column.Batch) error,
) error {
	return s.snap.Read(ctx, table, cols, fn)
}

func (s storeSource) ReadBounded(ctx context.Context, table string, cols []string,
	bounds []plan.Bound, fn func(*column.Batch) error,
) error {
	return s.snap.ReadBounded(ctx, table, cols, bounds, fn)
}

// Split splits a table into its row groups, as the facade does.
func (s storeSource) Split(_ context.Context, table string, cols []string, codes []bool,
	bounds []plan.Bound,
) ([]Part, bool, error) {
	groups, err := s.snap.Split(table, cols, codes, bounds)
	parts := make([]Part, len(groups))
	for i, g := range groups {
		parts[i] = Part(g)
	}
	return parts, true, err
}

// storeCatalog takes a table's columns from the store, else the schema.
type storeCatalog struct{ snap *store.Snapshot }

func (c storeCatalog) Table(name string) (column.Schema, bool) {
	if s := c.snap.Schema(name); s != nil {
		return s, true
	}
	return schema.Lookup(name)
}

func (c storeCatalog) Tables() []string { return c.snap.Tables() }

// storeQueries are the queries of the benchmark against DuckDB
// (bench/queries.go) that benchQueries lacks; they read both tables.
var storeQueries = []struct{ name, query string }{
	{"bench-mv-expand", `DeviceNetworkEvents
		| where isnotempty(AdditionalFields)
		| mv-expand Field = parse_json(AdditionalFields)
		| extend Key = tostring(bag_keys(Field)[0])
		| extend Value = tostring(Field[Key])
		| summarize Rows = count() by ActionType, Key, Value`},
	{"bench-distinct", `DeviceNetworkEvents | where RemotePort == 443
		| distinct DeviceId, DeviceName`},
	{"bench-dcount", `DeviceNetworkEvents
		| summarize Devices = dcount(DeviceId), Connections = count()
			by RemoteIPType, ActionType`},
	{"bench-join", `let Spawned = DeviceProcessEvents
		| where InitiatingProcessFileName in~ ("explorer.exe", "cmd.exe", "powershell.exe",
			"winword.exe")
		| project DeviceId, InitiatingProcessId = ProcessId, ProcessFileName = FileName
		| distinct DeviceId, InitiatingProcessId, ProcessFileName;
		DeviceNetworkEvents
		| where RemoteIPType == "Public"
		| join kind=inner Spawned on DeviceId, InitiatingProcessId
		| summarize Connections = count(), FirstSeen = min(Timestamp), LastSeen = max(Timestamp)
			by DeviceName, ProcessFileName`},
}

// BenchmarkStore runs the benchmark queries over the store in
// $HUNTQL_BENCH_STORE (made by huntql ingest), with as many workers as
// GOMAXPROCS: compare -cpu 1,2.
func BenchmarkStore(b *testing.B) {
	dir := os.Getenv("HUNTQL_BENCH_STORE")
	if dir == "" {
		b.Skip("HUNTQL_BENCH_STORE names no store")
	}
	snap, err := store.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range append(benchQueries, storeQueries...) {
		script, err := syntax.Parse(syntax.NewSource("q", q.query))
		if err != nil {
			b.Fatal(err)
		}
		query, err := sema.Analyze(script, storeCatalog{snap})
		if err != nil {
			b.Fatal(err)
		}
		n := plan.Prune(query.Result())
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				_, err := Run(context.Background(), n,
					Options{Source: storeSource{snap}, Context: &functions.Context{}})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
