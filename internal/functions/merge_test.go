package functions

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/types"
)

// TestMergeMatchesAdd checks every mergeable aggregate: the rows split into
// consecutive runs, each run added to its own accumulator and the runs
// merged in order, give the result of adding all rows to one accumulator.
// Where the merge commutes, runs of rows taken in any order, merged in any
// order, give it too.
func TestMergeMatchesAdd(t *testing.T) {
	L, I, R, S, B, D := types.Long, types.Int, types.Real, types.String, types.Bool, types.Datetime
	rng := rand.New(rand.NewPCG(11, 12))
	long := func() any {
		if rng.IntN(8) == 0 {
			return nil
		}
		return int64(rng.IntN(9) - 3)
	}
	str := func() any { return fmt.Sprintf("v%d", rng.IntN(6)) }
	real := func() any {
		switch rng.IntN(6) {
		case 0:
			return nil
		case 1:
			return 0.0
		}
		return float64(rng.IntN(5)) / 4
	}
	boolean := func() any { return rng.IntN(3) == 0 }
	date := func() any { return types.Date(rng.Int64N(5) * 1_000_000) }
	dec := func() any { return decimal.New(rng.Int64N(100), -1) }
	tests := []struct {
		name     string
		types    []types.Type
		row      func() []any
		commutes bool
	}{
		{"count", nil, func() []any { return nil }, true},
		{"countif", []types.Type{B}, func() []any { return []any{boolean()} }, true},
		{"sum", []types.Type{L}, func() []any { return []any{long()} }, true},
		{"sum", []types.Type{I}, func() []any { return []any{int32(rng.IntN(7))} }, true},
		{"sum", []types.Type{types.Decimal}, func() []any { return []any{dec()} }, true},
		{"sumif", []types.Type{L, B}, func() []any { return []any{long(), boolean()} }, true},
		{"avg", []types.Type{L}, func() []any { return []any{long()} }, true},
		{"avg", []types.Type{types.Timespan},
			func() []any { return []any{types.Duration(rng.IntN(1000))} }, true},
		{"avgif", []types.Type{L, B}, func() []any { return []any{long(), boolean()} }, true},
		{"min", []types.Type{L}, func() []any { return []any{long()} }, true},
		{"max", []types.Type{S}, func() []any { return []any{str()} }, true},
		{"max", []types.Type{R}, func() []any { return []any{real()} }, false},
		{"minif", []types.Type{D, B}, func() []any { return []any{date(), boolean()} }, true},
		{"dcount", []types.Type{S}, func() []any { return []any{str()} }, true},
		{"dcountif", []types.Type{L, B}, func() []any { return []any{long(), boolean()} }, true},
		{"hll", []types.Type{S}, func() []any { return []any{str()} }, true},
		{"binary_all_xor", []types.Type{L}, func() []any { return []any{long()} }, true},
		{"arg_max", []types.Type{L, S}, func() []any { return []any{long(), str()} }, false},
		{"arg_min", []types.Type{R, S, L},
			func() []any { return []any{real(), str(), long()} }, false},
		{"take_any", []types.Type{S, L}, func() []any { return []any{str(), long()} }, false},
		{"take_anyif", []types.Type{L, B}, func() []any { return []any{long(), boolean()} },
			false},
		{"make_set", []types.Type{S}, func() []any { return []any{str()} }, false},
		{"make_set", []types.Type{L, L}, func() []any { return []any{long(), int64(3)} }, false},
		{"make_list", []types.Type{L}, func() []any { return []any{long()} }, false},
		{"make_list", []types.Type{S, L}, func() []any { return []any{str(), int64(4)} }, false},
		{"make_set_if", []types.Type{S, B}, func() []any { return []any{str(), boolean()} },
			false},
		{"make_list_with_nulls", []types.Type{L}, func() []any { return []any{long()} }, false},
		{"percentiles", []types.Type{R, L, L},
			func() []any { return []any{real(), int64(50), int64(90)} }, false},
	}
	for _, tc := range tests {
		agg, ok := LookupAggregate(tc.name)
		if !ok {
			t.Fatalf("no aggregate %s", tc.name)
		}
		if acc := agg.New(tc.types); !CanMerge(acc) || MergeCommutes(acc) != tc.commutes {
			t.Errorf("%s%v: CanMerge %v, MergeCommutes %v", tc.name, tc.types, CanMerge(acc),
				MergeCommutes(acc))
			continue
		}
		for trial := range 20 {
			rows := make([][]any, rng.IntN(60))
			for i := range rows {
				rows[i] = tc.row()
			}
			whole := agg.New(tc.types)
			for _, r := range rows {
				whole.Add(r)
			}
			want := whole.Result()
			var runs []Accumulator
			for lo := 0; lo < len(rows); {
				hi := min(lo+1+rng.IntN(8), len(rows))
				acc := agg.New(tc.types)
				for _, r := range rows[lo:hi] {
					acc.Add(r)
				}
				runs = append(runs, acc)
				lo = hi
			}
			merged := agg.New(tc.types)
			for _, r := range runs {
				merged.(Merger).Merge(r)
			}
			if got := merged.Result(); !reflect.DeepEqual(got, want) {
				t.Errorf("%s%v trial %d: merged %v, want %v", tc.name, tc.types, trial, got,
					want)
			}
			if !tc.commutes {
				continue
			}
			shuffled := append([][]any{}, rows...)
			rng.Shuffle(len(shuffled), func(i, j int) {
				shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
			})
			a, b := agg.New(tc.types), agg.New(tc.types)
			for i, r := range shuffled {
				if i%2 == 0 {
					a.Add(r)
				} else {
					b.Add(r)
				}
			}
			b.(Merger).Merge(a)
			if got := b.Result(); !reflect.DeepEqual(got, want) {
				t.Errorf("%s%v trial %d: shuffled %v, want %v", tc.name, tc.types, trial, got,
					want)
			}
		}
	}
	for _, tc := range []struct {
		name  string
		types []types.Type
	}{{"sum", []types.Type{R}}, {"avg", []types.Type{R}}, {"avg", []types.Type{D}},
		{"stdev", []types.Type{L}}, {"make_bag", []types.Type{types.Dynamic}},
		{"hll_merge", []types.Type{types.Dynamic}}} {
		agg, _ := LookupAggregate(tc.name)
		if CanMerge(agg.New(tc.types)) {
			t.Errorf("%s%v merges, but its result depends on the order of the rows", tc.name,
				tc.types)
		}
	}
}
