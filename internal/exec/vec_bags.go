package exec

import (
	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// Shared bags. Rows often hold the very same property bag: parse_json is
// computed once per dictionary value, and mv-expand gives the rows of one
// bag the same one-key bags. Dynamic values are never changed in place, so
// an expression over a dynamic column (and at most one string column
// besides) has one result per distinct (bag, string) pair, and within a
// batch it is computed once per pair and gathered.

// bagColumns returns the dynamic column e reads and the string column it
// also reads (-1 for none), when e reads no other column and nothing
// volatile.
func bagColumns(e plan.Expr) (dyn, str int, ok bool) {
	if !pure(e) {
		return -1, -1, false
	}
	dyn, str = -1, -1
	ok = eachColRef(e, func(c *plan.ColRef) bool {
		switch {
		case c.T == types.Dynamic && (dyn < 0 || dyn == c.Index):
			dyn = c.Index
		case c.T == types.String && (str < 0 || str == c.Index):
			str = c.Index
		default:
			return false
		}
		return true
	})
	return dyn, str, ok && dyn >= 0
}

// bagKey is what a row's result depends on.
type bagKey struct {
	bag *types.Bag
	s   string
}

// evalBags computes c over b once per distinct (bag, string) pair of the
// rows whose dynamic value is a bag; nil when the batch does not suit or
// repeats too little to gain.
func (c *compiled) evalBags(b *column.Batch) *column.Vector {
	v := b.Cols[c.bagDyn]
	if v == nil || len(v.Any) < b.N || b.N < 2 {
		return nil
	}
	var sv *column.Vector
	if c.bagStr >= 0 {
		if sv = b.Cols[c.bagStr]; sv == nil || len(sv.Str) < b.N || sv.Nulls != nil {
			return nil
		}
	}
	seen := make(map[bagKey]int, 64)
	src := make([]int, b.N) // per row, the computed row it takes
	rows := make([]int, 0, 64)
	for i, x := range v.Any[:b.N] {
		if bag, isBag := x.(*types.Bag); isBag && (v.Nulls == nil || !v.Nulls[i]) {
			k := bagKey{bag: bag}
			if sv != nil {
				k.s = sv.Str[i]
			}
			if j, ok := seen[k]; ok {
				src[i] = j
				continue
			}
			seen[k] = len(rows)
		}
		src[i] = len(rows)
		rows = append(rows, i)
	}
	if 2*len(rows) > b.N {
		return nil
	}
	mb := &column.Batch{Cols: make([]*column.Vector, len(b.Cols)), N: len(rows)}
	mb.Cols[c.bagDyn] = v.Gather(rows)
	if sv != nil {
		mb.Cols[c.bagStr] = sv.Gather(rows)
	}
	r := c.evalDirect(mb)
	if r.Type != c.t || r.Len() != len(rows) {
		return nil
	}
	return r.Gather(src)
}
