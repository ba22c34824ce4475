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
		}
	}
	return out
}

// selectRows narrows sel (the rows that pass so far, in order) to the rows
// of v that pass b.
func selectRows(sel []int, v *column.Vector, b plan.Bound) []int {
	out := sel[:0]
	if b.Values != nil {
		if v.Codes != nil {
			pass := make([]bool, len(v.Dict))
			for i, s := range v.Dict {
				pass[i] = slices.Contains(b.Values, s)
			}
			for _, i := range sel {
				if pass[v.Codes[i]] {
					out = append(out, i)
				}
			}
			return out
		}
		for _, i := range sel {
			if slices.Contains(b.Values, v.Str[i]) {
				out = append(out, i)
			}
		}
		return out
	}
	lo, hasLo := b.Lo.(types.Date)
	hi, hasHi := b.Hi.(types.Date)
	for _, i := range sel {
		if v.IsNull(i) {
			continue // a null time passes no comparison
		}
		d := types.Date(v.Int[i])
		if hasLo && (d < lo || d == lo && !b.LoIncl) || hasHi && (d > hi || d == hi && !b.HiIncl) {
			continue
		}
		out = append(out, i)
	}
	return out
}
