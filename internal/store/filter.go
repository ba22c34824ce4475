package store

import (
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
func selectRows(sel []int, n int, v *column.Vector, b plan.Bound) []int {
	var pass func(i int) bool
	switch {
	case b.Values != nil && v.Codes != nil:
		ok := make([]bool, len(v.Dict))
		for i, s := range v.Dict {
			ok[i] = slices.Contains(b.Values, s)
		}
		codes := v.Codes
		pass = func(i int) bool { return ok[codes[i]] }
	case b.Values != nil:
		pass = func(i int) bool { return slices.Contains(b.Values, v.Str[i]) }
	case intBound(b):
		lo, hasLo := b.Lo.(int64)
		hi, hasHi := b.Hi.(int64)
		pass = func(i int) bool {
			if v.IsNull(i) {
				return false // a null passes no comparison
			}
			x := v.Int[i]
			return !(hasLo && (x < lo || x == lo && !b.LoIncl) ||
				hasHi && (x > hi || x == hi && !b.HiIncl))
		}
	default:
		lo, hasLo := b.Lo.(types.Date)
		hi, hasHi := b.Hi.(types.Date)
		pass = func(i int) bool {
			if v.IsNull(i) {
				return false // a null time passes no comparison
			}
			d := types.Date(v.Int[i])
			return !(hasLo && (d < lo || d == lo && !b.LoIncl) ||
				hasHi && (d > hi || d == hi && !b.HiIncl))
		}
	}
	if sel == nil {
		for i := range n {
			if pass(i) {
				sel = append(sel, i)
			}
		}
		if sel == nil {
			sel = []int{}
		}
		return sel
	}
	out := sel[:0]
	for _, i := range sel {
		if pass(i) {
			out = append(out, i)
		}
	}
	return out
}
