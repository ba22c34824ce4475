package store

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
)

func TestSplitPartsGiveTheBoundedReadsRows(t *testing.T) {
	snap := smallGroupStore(t, 6000, 300)
	cols := []string{"Timestamp", "DeviceName", "ActionType", "RemoteUrl", "RemotePort"}
	for _, tc := range []struct {
		name   string
		bounds []plan.Bound
	}{
		{"none", nil},
		{"values", []plan.Bound{{Column: "ActionType", Values: []string{"ConnectionFailed"}}}},
		{"port", []plan.Bound{{Column: "RemotePort", Lo: int64(443), Hi: int64(443),
			LoIncl: true, HiIncl: true}}},
		{"no-value", []plan.Bound{{Column: "ActionType", Values: []string{"Nope"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want []string
			err := snap.ReadBounded(context.Background(), "DeviceNetworkEvents", cols,
				tc.bounds, func(b *column.Batch) error {
					want = append(want, batchRows(b)...)
					return nil
				})
			if err != nil {
				t.Fatal(err)
			}
			fds := openFiles()
			parts, err := snap.Split("DeviceNetworkEvents", cols, nil, tc.bounds)
			if err != nil {
				t.Fatal(err)
			}
			if tc.bounds == nil && len(parts) < 20 {
				t.Fatalf("%d parts: expected one per row group of 300 rows", len(parts))
			}
			// The parts run concurrently, each keeping its own rows, and
			// are put back in order afterwards.
			got := make([][]string, len(parts))
			var wg sync.WaitGroup
			errs := make([]error, len(parts))
			for i, p := range parts {
				wg.Go(func() {
					errs[i] = p(context.Background(), func(b *column.Batch) error {
						if b.N > column.BatchSize {
							t.Errorf("batch of %d rows", b.N)
						}
						got[i] = append(got[i], batchRows(b)...)
						return nil
					})
				})
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			if all := slices.Concat(got...); !slices.Equal(all, want) {
				t.Errorf("%d rows from the parts, %d from ReadBounded", len(all), len(want))
			}
			if after := openFiles(); after != fds {
				t.Errorf("%d files open after the parts ran, %d before", after, fds)
			}
		})
	}
}

func TestSplitNamesAMissingTableOrColumn(t *testing.T) {
	snap := smallGroupStore(t, 600, 300)
	if _, err := snap.Split("Nope", nil, nil, nil); err == nil {
		t.Error("no error for a table the store lacks")
	}
	if _, err := snap.Split("DeviceNetworkEvents", []string{"Nope"}, nil, nil); err == nil {
		t.Error("no error for a column the table lacks")
	}
}
