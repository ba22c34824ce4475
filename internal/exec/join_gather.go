package exec

import (
	"slices"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// isIdentity reports whether idx is 0, 1, ..., n-1.
func isIdentity(idx []int, n int) bool {
	if len(idx) != n {
		return false
	}
	for j, i := range idx {
		if i != j {
			return false
		}
	}
	return true
}

// gatherOrNull returns the rows of v at idx, a null where an index is
// negative (for strings, the empty string, as AppendNull makes it).
func gatherOrNull(v *column.Vector, idx []int) *column.Vector {
	out := &column.Vector{Type: v.Type}
	n := len(idx)
	if v.Type == types.String && v.Codes != nil && !slices.Contains(idx, -1) {
		return v.Gather(idx) // keeping the dictionary
	}
	if v.Type == types.String {
		out.Str = make([]string, n)
		for j, i := range idx {
			if i >= 0 {
				out.Str[j] = v.Str[i]
			}
		}
		if v.Nulls != nil {
			out.Nulls = make([]bool, n)
			for j, i := range idx {
				out.Nulls[j] = i >= 0 && v.Nulls[i]
			}
		}
		return out
	}
	out.Nulls = make([]bool, n)
	if v.Nulls != nil {
		for j, i := range idx {
			out.Nulls[j] = i < 0 || v.Nulls[i]
		}
	} else {
		for j, i := range idx {
			out.Nulls[j] = i < 0
		}
	}
	switch v.Type {
	case types.Bool:
		out.Bool = make([]bool, n)
		for j, i := range idx {
			if i >= 0 {
				out.Bool[j] = v.Bool[i]
			}
		}
	case types.Int, types.Long, types.Datetime, types.Timespan:
		out.Int = make([]int64, n)
		for j, i := range idx {
			if i >= 0 {
				out.Int[j] = v.Int[i]
			}
		}
	case types.Real:
		out.Real = make([]float64, n)
		for j, i := range idx {
			if i >= 0 {
				out.Real[j] = v.Real[i]
			}
		}
	default:
		out.Any = make([]any, n)
		zero := nullAny(v.Type)
		for j, i := range idx {
			if i >= 0 {
				out.Any[j] = v.Any[i]
			} else {
				out.Any[j] = zero
			}
		}
	}
	return out
}

// nullAny is the value a null row of an any-backed vector of type t holds,
// as column.Vector.AppendNull stores it.
func nullAny(t types.Type) any {
	switch t {
	case types.Decimal:
		return decimal.Decimal{}
	case types.Guid:
		return uuid.UUID{}
	}
	return nil
}

// nullVector returns n nulls of type t; it may share read-only storage.
func nullVector(t types.Type, n int) *column.Vector {
	if n <= column.BatchSize {
		return column.Null(t, n)
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = -1
	}
	return gatherOrNull(&column.Vector{Type: t}, idx)
}

// concatVectors concatenates vectors of one type t into a new vector.
func concatVectors(t types.Type, vs []*column.Vector) *column.Vector {
	n, nulls := 0, false
	for _, v := range vs {
		n += v.Len()
		nulls = nulls || v.Nulls != nil
	}
	out := &column.Vector{Type: t}
	if nulls {
		out.Nulls = make([]bool, 0, n)
		for _, v := range vs {
			if v.Nulls != nil {
				out.Nulls = append(out.Nulls, v.Nulls...)
			} else {
				out.Nulls = append(out.Nulls, make([]bool, v.Len())...)
			}
		}
	}
	switch t {
	case types.Bool:
		out.Bool = make([]bool, 0, n)
		for _, v := range vs {
			out.Bool = append(out.Bool, v.Bool...)
		}
	case types.Int, types.Long, types.Datetime, types.Timespan:
		out.Int = make([]int64, 0, n)
		for _, v := range vs {
			out.Int = append(out.Int, v.Int...)
		}
	case types.Real:
		out.Real = make([]float64, 0, n)
		for _, v := range vs {
			out.Real = append(out.Real, v.Real...)
		}
	case types.String:
		out.Str = make([]string, 0, n)
		for _, v := range vs {
			out.Str = append(out.Str, v.Strings()...) // a codes-only vector too
		}
	default:
		out.Any = make([]any, 0, n)
		for _, v := range vs {
			out.Any = append(out.Any, v.Any...)
		}
	}
	return out
}

// withDicts returns b with the string columns cols whose values repeat
// dictionary-encoded: a join's built right side, whose columns the probe
// gathers into its output, so that what groups or computes over them after
// the join does so once per value (codeMemo, dictCache) rather than per
// row. b itself is not changed.
func withDicts(b *column.Batch, cols []int) *column.Batch {
	var out *column.Batch
	for _, c := range cols {
		v := b.Cols[c]
		if v.Type != types.String || v.Codes != nil || v.Nulls != nil || len(v.Str) < 64 {
			continue
		}
		dict, codes := encodeDict(v.Str)
		if dict == nil {
			continue
		}
		if out == nil {
			out = &column.Batch{N: b.N, Cols: slices.Clone(b.Cols)}
		}
		out.Cols[c] = &column.Vector{Type: types.String, Str: v.Str, Dict: dict, Codes: codes}
	}
	if out == nil {
		return b
	}
	return out
}

// encodeDict returns the distinct values of strs and each row's index
// among them; nil when more than half the rows are distinct.
func encodeDict(strs []string) (dict []string, codes []int32) {
	index := map[string]int32{}
	codes = make([]int32, len(strs))
	for i, s := range strs {
		c, ok := index[s]
		if !ok {
			if len(dict) >= len(strs)/2 {
				return nil, nil
			}
			c = int32(len(dict))
			index[s] = c
			dict = append(dict, s)
		}
		codes[i] = c
	}
	return dict, codes
}

// concatBatches materializes batches of schema s as one batch of
// concatenated vectors; a single batch is returned as it is.
func concatBatches(s column.Schema, bs []*column.Batch) *column.Batch {
	switch len(bs) {
	case 0:
		return column.NewBatch(s, 0)
	case 1:
		return bs[0]
	}
	out := &column.Batch{Cols: make([]*column.Vector, len(bs[0].Cols))}
	vs := make([]*column.Vector, len(bs))
	for c := range out.Cols {
		for i, b := range bs {
			vs[i] = b.Cols[c].Slice(0, b.N)
		}
		out.Cols[c] = concatVectors(bs[0].Cols[c].Type, vs)
	}
	for _, b := range bs {
		out.N += b.N
	}
	return out
}
