package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/gen"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/source"
	"github.com/huntql/huntql/internal/types"
)

// kqlbenchDir returns the shared KQLBench data, skipping when missing.
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

// reader is what both a source.Set and a Snapshot offer.
type reader interface {
	Schema(table string) column.Schema
	Read(ctx context.Context, table string, cols []string, fn func(*column.Batch) error) error
}

// rowsOf returns the rows of table as formatted lines (columns sorted by
// name, so schemas in another order compare equal), sorted.
func rowsOf(t *testing.T, r reader, table string) []string {
	t.Helper()
	s := r.Schema(table)
	names := make([]string, len(s))
	for i, f := range s {
		names[i] = f.Name
	}
	slices.Sort(names)
	var out []string
	err := r.Read(context.Background(), table, names, func(b *column.Batch) error {
		for i := 0; i < b.N; i++ {
			var sb strings.Builder
			for j, v := range b.Cols {
				sb.WriteString(names[j])
				sb.WriteByte('=')
				x := v.Value(i)
				if x == nil {
					sb.WriteString("<null>")
				} else {
					sb.WriteString(types.TypeOf(x).String())
					sb.WriteByte(':')
					sb.WriteString(types.Format(x))
				}
				sb.WriteByte('|')
			}
			out = append(out, sb.String())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// ingestAll ingests paths into a new or existing store in dir.
func ingestAll(t *testing.T, dir string, paths ...string) *Summary {
	t.Helper()
	w, err := OpenWriter(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	sum, err := w.Ingest(context.Background(), paths, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != sum.Stored+sum.Duplicate+sum.Quarantined {
		t.Errorf("read %d != stored %d + duplicate %d + quarantined %d", sum.Read, sum.Stored,
			sum.Duplicate, sum.Quarantined)
	}
	return sum
}

// sameContents checks that the store holds exactly the rows of the files.
func sameContents(t *testing.T, dir string, paths ...string) {
	t.Helper()
	set, err := source.Scan(paths)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := snap.Tables(), set.Tables(); !slices.Equal(got, want) {
		t.Fatalf("tables %v, expected %v", got, want)
	}
	for _, table := range set.Tables() {
		got, want := rowsOf(t, snap, table), rowsOf(t, set, table)
		if len(got) != len(want) {
			t.Errorf("%s: %d rows, expected %d", table, len(got), len(want))
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: row differs:\n got %s\nwant %s", table, got[i], want[i])
				break
			}
		}
	}
}

func TestKQLBenchRoundTrip(t *testing.T) {
	src := kqlbenchDir(t)
	dir := t.TempDir()
	sum := ingestAll(t, dir, src)
	if sum.Quarantined != 0 || sum.Duplicate != 0 {
		t.Errorf("summary %+v: expected no quarantined or duplicate records", sum)
	}
	sameContents(t, dir, src)
	again := ingestAll(t, dir, src)
	if again.Read != 0 || again.Unchanged != again.Files {
		t.Errorf("re-ingest read %d records, %d of %d files unchanged; expected nothing read",
			again.Read, again.Unchanged, again.Files)
	}
	sameContents(t, dir, src)
}

func TestTimeBoundsSkipRowGroups(t *testing.T) {
	defer func(n int) { rowGroupRows = n }(rowGroupRows)
	rowGroupRows = 500
	src := t.TempDir()
	generate(t, src, "--devices", "10", "--rows", "6000", "--span", "24h", "--tables",
		"DeviceNetworkEvents")
	dir := t.TempDir()
	ingestAll(t, dir, src)
	snap, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	lo := types.DateFromTime(gen.DefaultStart.Add(6 * time.Hour))
	hi := types.DateFromTime(gen.DefaultStart.Add(7 * time.Hour))
	bounds := []plan.Bound{{Column: "Timestamp", Lo: lo, Hi: hi, LoIncl: true}}
	in, all := 0, 0
	err = snap.ReadBounded(context.Background(), "DeviceNetworkEvents", []string{"Timestamp"},
		bounds, func(b *column.Batch) error {
			for i := 0; i < b.N; i++ {
				all++
				if d := types.Date(b.Cols[0].Int[i]); d >= lo && d <= hi {
					in++
				}
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	set, _ := source.Scan([]string{src})
	set.Read(context.Background(), "DeviceNetworkEvents", []string{"Timestamp"},
		func(b *column.Batch) error {
			for i := 0; i < b.N; i++ {
				if d := types.Date(b.Cols[0].Int[i]); d >= lo && d <= hi {
					want++
				}
			}
			return nil
		})
	st := snap.Stats()
	if in != want || st.RowGroupsSkipped.Load() == 0 || all >= 6000 {
		t.Errorf("read %d rows, %d in range (expected %d); skipped %d of %d row groups",
			all, in, want, st.RowGroupsSkipped.Load(), st.RowGroups.Load())
	}
}

func TestStringEqualitySkipsByStatisticsAndDictionary(t *testing.T) {
	src := t.TempDir()
	generate(t, src, "--devices", "10", "--rows", "3000", "--tables", "DeviceNetworkEvents")
	dir := t.TempDir()
	ingestAll(t, dir, src)
	snap, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Within the column's min and max, so only the dictionary rules it out.
	var name string
	snap.Read(context.Background(), "DeviceNetworkEvents", []string{"DeviceName"},
		func(b *column.Batch) error {
			name = b.Cols[0].Str[0] + "-x"
			return errStopTest
		})
	read := 0
	bounds := []plan.Bound{{Column: "DeviceName", Values: []string{name}}}
	err = snap.ReadBounded(context.Background(), "DeviceNetworkEvents", []string{"DeviceName"},
		bounds, func(b *column.Batch) error { read += b.N; return nil })
	if err != nil && err != errStopTest {
		t.Fatal(err)
	}
	st := snap.Stats()
	if read != 0 || st.RowGroupsSkipped.Load() == 0 {
		t.Errorf("read %d rows for DeviceName == %q; skipped %d of %d row groups", read, name,
			st.RowGroupsSkipped.Load(), st.RowGroups.Load())
	}
}

var errStopTest = errors.New("stop")
