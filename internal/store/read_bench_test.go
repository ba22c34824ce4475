package store

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
)

// benchRows returns HUNTQL_BENCH_ROWS, or def.
func benchRows(b *testing.B, def int) int {
	s := os.Getenv("HUNTQL_BENCH_ROWS")
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		b.Fatalf("HUNTQL_BENCH_ROWS=%q: expected a number", s)
	}
	return n
}

// BenchmarkSnapshotReadSeedColumns reads the columns of the seed hunt
// (connectivity-failures-by-domain) from a store of HUNTQL_BENCH_ROWS
// generated DeviceNetworkEvents rows (default 200000), or from the store
// HUNTQL_BENCH_STORE names: every row group, and with the hunt's
// ActionType bound.
//
//	go test -run - -bench SnapshotRead -count 3 ./internal/store
func BenchmarkSnapshotReadSeedColumns(b *testing.B) {
	dir := os.Getenv("HUNTQL_BENCH_STORE")
	if dir == "" {
		rows := benchRows(b, 200000)
		src := b.TempDir()
		generate(b, src, "--devices", "200", "--rows", strconv.Itoa(rows), "--tables",
			"DeviceNetworkEvents")
		dir = filepath.Join(b.TempDir(), "store")
		w, err := OpenWriter(dir, nil)
		if err != nil {
			b.Fatal(err)
		}
		_, err = w.Ingest(context.Background(), []string{src}, IngestOptions{})
		w.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	snap, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	cols := []string{"ActionType", "RemoteUrl", "Timestamp", "DeviceName", "DeviceId"}
	for _, bc := range []struct {
		name   string
		bounds []plan.Bound
	}{
		{"all", nil},
		{"bounded", []plan.Bound{{Column: "ActionType", Values: []string{"ConnectionFailed"}}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			rows0 := snap.Stats().Rows.Load()
			for b.Loop() {
				n = 0
				err := snap.ReadBounded(context.Background(), "DeviceNetworkEvents", cols,
					bc.bounds, func(bt *column.Batch) error { n += bt.N; return nil })
				if err != nil {
					b.Fatal(err)
				}
			}
			if n == 0 {
				b.Fatal("read no rows")
			}
			// Rows of the row groups read, and rows handed on.
			rows := float64(snap.Stats().Rows.Load() - rows0)
			b.ReportMetric(rows/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(n), "rows-out")
		})
	}
}
