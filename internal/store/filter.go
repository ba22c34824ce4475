package store

import (
	"math"
	"slices"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// rowBound is a bound that the rows of a read column are checked against:
// a row passes when a row group holding only that row would not be
// skipped by its statistics, so dropping the others changes no result of
// the filters the bounds come from.
type rowBound struct {
	field int // index in the fields read
	b     plan.Bound
}

// rowBounds returns the bounds that apply to fields read, by type: string
// values and datetime ranges.
func rowBounds(fields column.Schema, bounds []plan.Bound) []rowBound {
	var out []rowBound
	for _, b := range bounds {
		i := fields.Index(b.Column)
		if i < 0 {
			continue
		}
		switch t := fields[i].Type; {
		case b.Values != nil && t == types.String:
			out = append(out, rowBound{i, b})
		case b.Values == nil && (b.Lo != nil || b.Hi != nil) && t == types.Datetime:
			out = append(out, rowBound{i, b})
		case b.Values == nil && (b.Lo != nil || b.Hi != nil) &&
			(t == types.Long || t == types.Int) && intBound(b):
			out = append(out, rowBound{i, b})
		}
	}
	return out
}

// intBound reports whether b bounds an integer column: its Lo and Hi are
// int64 or nil.
func intBound(b plan.Bound) bool {
	_, lo := b.Lo.(int64)
	_, hi := b.Hi.(int64)
	return (lo || b.Lo == nil) && (hi || b.Hi == nil) && (lo || hi)
}

// selectRows returns the rows of sel (ascending; nil: every one of the n
// rows of v) that pass b, reusing sel. v may hold only codes (readCodes).
// Each kind of bound has its own loop over the column's slice: this runs
// over every row of every row group a bounded query reads.
func selectRows(sel []int, n int, v *column.Vector, b plan.Bound) []int {
	switch {
	case b.Values != nil && v.Codes != nil:
		ok := make([]bool, len(v.Dict))
		for i, s := range v.Dict {
			ok[i] = slices.Contains(b.Values, s)
		}
		return selectCodes(sel, n, v.Codes, ok)
	case b.Values != nil:
		return selectBy(sel, n, func(i int) bool { return slices.Contains(b.Values, v.Str[i]) })
	}
	lo, hi, ok := intRange(b)
	if !ok {
		return []int{} // no integer passes (not nil, which means every row)
	}
	if v.Nulls == nil {
		return selectInts(sel, n, v.Int, lo, hi)
	}
	nulls, xs := v.Nulls, v.Int
	return selectBy(sel, n, func(i int) bool { return !nulls[i] && xs[i] >= lo && xs[i] <= hi })
}

// intRange returns the closed range of int64 values (integers, or datetime
// ticks) that b admits; ok is false when it admits none.
func intRange(b plan.Bound) (lo, hi int64, ok bool) {
	lo, hi = math.MinInt64, math.MaxInt64
	if x, has := boundInt(b.Lo); has {
		if !b.LoIncl {
			if x == math.MaxInt64 {
				return 0, 0, false
			}
			x++
		}
		lo = x
	}
	if x, has := boundInt(b.Hi); has {
		if !b.HiIncl {
			if x == math.MinInt64 {
				return 0, 0, false
			}
			x--
		}
		hi = x
	}
	return lo, hi, lo <= hi
}

// boundInt returns an end of a bound as int64, for integers and datetimes.
func boundInt(x any) (int64, bool) {
	switch x := x.(type) {
	case int64:
		return x, true
	case types.Date:
		return int64(x), true
	}
	return 0, false
}

// selectInts is selectRows for a column without nulls and a closed range.
func selectInts(sel []int, n int, xs []int64, lo, hi int64) []int {
	if sel == nil {
		out := make([]int, 0, n)
		for i, x := range xs[:n] {
			if x >= lo && x <= hi {
				out = append(out, i)
			}
		}
		return out
	}
	out := sel[:0]
	for _, i := range sel {
		if x := xs[i]; x >= lo && x <= hi {
			out = append(out, i)
		}
	}
	return out
}

// selectCodes is selectRows for a dictionary-encoded column: a row passes
// when ok holds for its code.
func selectCodes(sel []int, n int, codes []int32, ok []bool) []int {
	if sel == nil {
		out := make([]int, 0, n)
		for i, c := range codes[:n] {
			if ok[c] {
				out = append(out, i)
			}
		}
		return out
	}
	out := sel[:0]
	for _, i := range sel {
		if ok[codes[i]] {
			out = append(out, i)
		}
	}
	return out
}

// selectBy returns the rows of sel (nil: 0 to n-1) that pass.
func selectBy(sel []int, n int, pass func(i int) bool) []int {
	if sel == nil {
		out := make([]int, 0, n)
		for i := range n {
			if pass(i) {
				out = append(out, i)
			}
		}
		return out
	}
	out := sel[:0]
	for _, i := range sel {
		if pass(i) {
			out = append(out, i)
		}
	}
	return out
}
