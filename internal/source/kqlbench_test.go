package source

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// kqlbenchDir returns the shared KQLBench data directory, skipping the test
// when it is missing. It is ../shared relative to the repository root, or
// $HUNTQL_SHARED.
func kqlbenchDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("HUNTQL_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared")
	}
	dir = filepath.Join(dir, "data", "kqlbench")
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("shared KQLBench data not found at %s (set HUNTQL_SHARED): %v", dir, err)
	}
	return dir
}

// countRows counts the rows of a JSON array file with encoding/json.
func countRows(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rows []json.RawMessage
	if err := json.Unmarshal(data, &rows); err != nil {
		t.Fatal(err)
	}
	return len(rows)
}

func TestKQLBenchReadsEveryTable(t *testing.T) {
	dir := kqlbenchDir(t)
	set, err := Scan([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"DeviceFileEvents", "DeviceInfo", "DeviceNetworkEvents",
		"DeviceNetworkInfo", "DeviceRegistryEvents"}
	if got := set.Tables(); !equalStrings(got, want) {
		t.Fatalf("tables %v, expected %v", got, want)
	}
	if got := set.Skipped(); len(got) != 1 || filepath.Base(got[0]) != "LICENSE" {
		t.Errorf("skipped %v, expected the LICENSE file", got)
	}
	for _, table := range want {
		t.Run(table, func(t *testing.T) {
			n := 0
			err := set.Read(context.Background(), table, nil, func(b *column.Batch) error {
				n += b.N
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if want := countRows(t, filepath.Join(dir, table+".json")); n != want {
				t.Errorf("read %d rows, encoding/json counts %d", n, want)
			}
			s := set.Schema(table)
			for _, c := range []struct {
				name string
				typ  types.Type
			}{{"TimeGenerated", types.Datetime}, {"TenantId", types.String},
				{"Type", types.String}, {"Timestamp", types.Datetime}} {
				if i := s.Index(c.name); i < 0 || s[i].Type != c.typ {
					t.Errorf("schema column %s: expected %s, found index %d", c.name, c.typ, i)
				}
			}
		})
	}
}

func TestKQLBenchValues(t *testing.T) {
	set, err := Scan([]string{kqlbenchDir(t)})
	if err != nil {
		t.Fatal(err)
	}
	cols := []string{"Timestamp", "RemotePort", "AdditionalFields", "TimeGenerated"}
	var first *column.Batch
	err = set.Read(context.Background(), "DeviceNetworkEvents", cols,
		func(b *column.Batch) error {
			if first == nil {
				first = b
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Cols) != len(cols) {
		t.Fatalf("got %d columns, expected %d", len(first.Cols), len(cols))
	}
	if got := first.Cols[0].Value(0); got != mustDate(t, "2025-05-07T16:16:30.2240099Z") {
		t.Errorf("Timestamp = %v", got)
	}
	if got := first.Cols[1].Value(0); got != int32(443) {
		t.Errorf("RemotePort = %v (%T), expected int 443", got, got)
	}
	if got := first.Cols[2].Value(0); got != "" {
		t.Errorf("AdditionalFields = %q, expected empty", got)
	}
}

func mustDate(t testing.TB, s string) types.Date {
	t.Helper()
	d, ok := types.ParseDatetime(s)
	if !ok {
		t.Fatalf("bad datetime %q", s)
	}
	return d
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// BenchmarkKQLBenchNetworkEvents reads DeviceNetworkEvents.json, all columns.
func BenchmarkKQLBenchNetworkEvents(b *testing.B) {
	path := filepath.Join(kqlbenchDir(b), "DeviceNetworkEvents.json")
	set, err := Scan([]string{path})
	if err != nil {
		b.Fatal(err)
	}
	info, _ := os.Stat(path)
	b.SetBytes(info.Size())
	rows := 0
	for b.Loop() {
		err := set.Read(context.Background(), "DeviceNetworkEvents", nil,
			func(bt *column.Batch) error {
				rows += bt.N
				return nil
			})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkKQLBenchNetworkEventsFewColumns reads three columns only.
func BenchmarkKQLBenchNetworkEventsFewColumns(b *testing.B) {
	path := filepath.Join(kqlbenchDir(b), "DeviceNetworkEvents.json")
	set, err := Scan([]string{path})
	if err != nil {
		b.Fatal(err)
	}
	rows := 0
	cols := []string{"Timestamp", "RemoteUrl", "RemotePort"}
	for b.Loop() {
		err := set.Read(context.Background(), "DeviceNetworkEvents", cols,
			func(bt *column.Batch) error {
				rows += bt.N
				return nil
			})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
