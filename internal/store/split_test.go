package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/gen"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// TestSplitReadsWhatReadBoundedReads checks that the parts of a table, read
// in order, give ReadBounded's rows in ReadBounded's order.
func TestSplitReadsWhatReadBoundedReads(t *testing.T) {
	src := t.TempDir()
	generate(t, src, "--devices", "10", "--rows", "3000", "--span", "72h", "--tables",
		"DeviceNetworkEvents")
	dir := t.TempDir()
	ingestAll(t, dir, src)
	snap, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	lo := types.DateFromTime(gen.DefaultStart.Add(30 * time.Hour))
	cols := []string{"Timestamp", "DeviceId", "RemotePort"}
	for _, bounds := range [][]plan.Bound{nil, {{Column: "Timestamp", Lo: lo, LoIncl: true}}} {
		var want, got []any
		collect := func(out *[]any) func(*column.Batch) error {
			return func(b *column.Batch) error {
				for i := range b.N {
					for _, v := range b.Cols {
						*out = append(*out, v.Value(i))
					}
				}
				return nil
			}
		}
		err := snap.ReadBounded(context.Background(), "DeviceNetworkEvents", cols, bounds,
			collect(&want))
		if err != nil {
			t.Fatal(err)
		}
		parts, err := snap.Split("DeviceNetworkEvents", cols, bounds)
		if err != nil {
			t.Fatal(err)
		}
		if len(parts) < 2 {
			t.Errorf("bounds %v: %d parts, want several (one per day)", bounds, len(parts))
		}
		for _, p := range parts {
			if err := p(context.Background(), collect(&got)); err != nil {
				t.Fatal(err)
			}
		}
		if len(want) == 0 || !reflect.DeepEqual(got, want) {
			t.Errorf("bounds %v: parts read %d values, ReadBounded %d", bounds, len(got),
				len(want))
		}
	}
	if _, err := snap.Split("NoSuchTable", nil, nil); err == nil {
		t.Error("split of a missing table: no error")
	}
}
