package functions

import (
	"math"
	"testing"

	"github.com/huntql/huntql/internal/types"
)

// TestTypedHashes checks the typed hashes against DistinctHash.
func TestTypedHashes(t *testing.T) {
	for _, s := range []string{"", "a", "1", "DeviceId-0123456789abcdef0123456789abcdef",
		"Müller", string(make([]byte, 70))} {
		if StringHash(s) != DistinctHash(s) {
			t.Errorf("StringHash(%q) differs", s)
		}
	}
	for _, x := range []int64{0, 1, -1, math.MaxInt64, math.MinInt64, 1 << 40} {
		for _, v := range []any{x, int32(x), types.Date(x), types.Duration(x)} {
			if _, ok := v.(int32); ok && int64(int32(x)) != x {
				continue
			}
			if IntHash(x) != DistinctHash(v) {
				t.Errorf("IntHash(%d) differs from the hash of %T", x, v)
			}
		}
	}
}

// TestAddsHashes checks which accumulators take hashes and that AddHash
// gives Add's result.
func TestAddsHashes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		nargs int
		want  bool
	}{
		{"dcount", 1, true}, {"dcount", 2, false}, {"hll", 1, true}, {"hll", 2, false},
		{"hll_merge", 1, false}, {"dcountif", 2, false}, {"count", 0, false},
	} {
		a, _ := LookupAggregate(tc.name)
		ts := make([]types.Type, tc.nargs)
		for i := range ts {
			ts[i] = types.String
		}
		if got := AddsHashes(a.New(ts), tc.nargs); got != tc.want {
			t.Errorf("%s of %d arguments: %v", tc.name, tc.nargs, got)
		}
	}
	for _, name := range []string{"dcount", "hll"} {
		a, _ := LookupAggregate(name)
		byAdd, byHash := a.New([]types.Type{types.String}), a.New([]types.Type{types.String})
		for i := range 40000 { // past the exact set
			s := string(rune('a'+i%26)) + string(rune(i))
			byAdd.Add([]any{s})
			AddHashes([]Accumulator{byHash}, 1, 0, []int32{0}, []uint64{StringHash(s)}, nil)
		}
		byAdd.Add([]any{nil})
		if got, want := types.Format(byHash.Result()[0]), types.Format(byAdd.Result()[0]); got != want {
			t.Errorf("%s: %s by hashes, %s by values", name, got, want)
		}
		empty, null := a.New([]types.Type{types.String}), a.New([]types.Type{types.String})
		null.Add([]any{nil})
		if types.Format(empty.Result()[0]) != types.Format(null.Result()[0]) {
			t.Errorf("%s: a null row changes the result", name)
		}
	}
}

// TestAddsInts checks that min and max take int64s as Add takes values,
// and keep the type of their argument.
func TestAddsInts(t *testing.T) {
	xs := []int64{5, -3, 7, 7, math.MinInt64, math.MaxInt64, 0, -3, 2}
	for _, name := range []string{"min", "max"} {
		for _, typ := range []types.Type{types.Int, types.Long, types.Datetime,
			types.Timespan} {
			a, _ := LookupAggregate(name)
			byAdd, byInt := a.New([]types.Type{typ}), a.New([]types.Type{typ})
			if !AddsInts(byInt, 1) {
				t.Fatalf("%s(%s) does not take ints", name, typ)
			}
			for _, x := range xs {
				if typ == types.Int {
					x = int64(int32(x))
				}
				byAdd.Add([]any{boxInt(x, typ)})
				AddInts([]Accumulator{byInt}, 1, 0, []int32{0}, []int64{x}, nil, typ)
			}
			got, want := byInt.Result()[0], byAdd.Result()[0]
			if got != want {
				t.Errorf("%s(%s): %v (%T), want %v (%T)", name, typ, got, got, want, want)
			}
		}
	}
	for _, name := range []string{"sum", "arg_max", "maxif"} {
		a, _ := LookupAggregate(name)
		if AddsInts(a.New([]types.Type{types.Long, types.Long}), 1) {
			t.Errorf("%s takes ints", name)
		}
	}
}
