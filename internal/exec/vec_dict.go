package exec

import (
	"strings"
	"sync"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// Dictionary evaluation. An expression that reads one string column and
// nothing volatile has one value per distinct string, so over a vector
// that carries its dictionary (column.Vector.Dict and Codes) it is computed
// once per dictionary value the rows use and gathered by code. Results are
// kept per dictionary, keyed by the identity of its slice: the batches cut
// from one Parquet row group share their dictionary, so each value is
// computed once per row group. A string result is itself dictionary
// encoded (the distinct results and one code per row), so that the next
// expression over it is computed once per distinct result in turn.
//
// A dictionary's contents must not change while its slice is in use; the
// cache keeps the slice alive, so an identity is never reused for another
// dictionary while cached.

// soleColumn returns the one column e reads when e can be computed per
// dictionary value: a string column, nothing volatile, no subquery. A
// dynamic result (parse_json of a low-cardinality column) is shared by the
// rows of one dictionary value: dynamic values are never changed in place
// (the functions that edit a bag or an array, bag_set_key, bag_remove_keys
// and the like, copy it first), as rows gathered by a filter or a join
// already share them.
func soleColumn(e plan.Expr) (int, bool) {
	if e.Type() == types.Unknown || !pure(e) {
		return -1, false
	}
	col := -1
	ok := eachColRef(e, func(c *plan.ColRef) bool {
		if c.T != types.String || col >= 0 && col != c.Index {
			return false
		}
		col = c.Index
		return true
	})
	return col, ok && col >= 0
}

// eachColRef calls fn on every column reference in e, and reports whether
// fn accepted them all and e calls only known functions that are not
// volatile.
func eachColRef(e plan.Expr, fn func(*plan.ColRef) bool) bool {
	ok := true
	var walk func(e plan.Expr)
	walk = func(e plan.Expr) {
		switch e := e.(type) {
		case *plan.ColRef:
			if !fn(e) {
				ok = false
			}
		case *plan.Call:
			if e.Fn == nil || e.Fn.Volatile {
				ok = false
			}
			for _, a := range e.Args {
				walk(a)
			}
		case *plan.Binary:
			walk(e.L)
			walk(e.R)
		case *plan.In:
			walk(e.X)
			for _, l := range e.List {
				walk(l)
			}
		case *plan.Between:
			walk(e.X)
			walk(e.Lo)
			walk(e.Hi)
		case *plan.Member:
			walk(e.X)
		case *plan.Index:
			walk(e.X)
			walk(e.Idx)
		case *plan.Neg:
			walk(e.X)
		}
	}
	walk(e)
	return ok
}

// dictCacheMax bounds the dictionaries whose results one expression keeps.
const dictCacheMax = 16

type dictKey struct {
	first *string
	n     int
}

// dictCache holds one expression's results per dictionary. It is safe for
// concurrent use.
type dictCache struct {
	mu sync.Mutex
	m  map[dictKey]*dictEntry
	// seen holds the results by value across dictionaries: each row group
	// has a dictionary of its own, mostly of the same values, so a value is
	// computed once per run rather than once per row group.
	seen seenValues
}

// seenValues holds an expression's results per distinct value, the values
// of all the dictionaries seen, up to memoMax values (then it is dropped
// for good, leaving the results per dictionary).
type seenValues struct {
	mu    sync.Mutex
	off   bool
	index map[string]int32
	vals  []string
	entry *dictEntry
}

// lookup sets, for each j, the result for the value vals[j] of the entry
// e at code codes[j], computing those not seen yet; false when the values
// are too many to keep, and then nothing is set.
func (g *seenValues) lookup(x *compiled, b *column.Batch, e *dictEntry, codes []int32,
	vals []string,
) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.off {
		return false
	}
	if g.index == nil {
		g.index = map[string]int32{}
	}
	ids := make([]int32, len(vals))
	for j, s := range vals {
		id, ok := g.index[s]
		if !ok {
			id = int32(len(g.vals))
			g.vals = append(g.vals, s)
			g.index[s] = id
		}
		ids[j] = id
	}
	if len(g.vals) > memoMax {
		g.off, g.index, g.vals, g.entry = true, nil, nil, nil
		return false
	}
	if g.entry == nil {
		g.entry = newDictEntry(g.vals, x.t)
	} else {
		g.entry.grow(g.vals)
	}
	if !g.entry.fill(x, b, ids) {
		return false
	}
	for j, k := range codes {
		id := ids[j]
		if x.t == types.String {
			e.setString(k, g.entry.out[g.entry.remap[id]])
		} else {
			setFrom(e.res, int(k), g.entry.res, int(id))
		}
	}
	return true
}

// dictEntry holds the results over one dictionary, filled in lazily: only
// the values some batch uses are computed.
type dictEntry struct {
	mu   sync.Mutex
	dict []string
	done []bool
	// res holds a non-string result per dictionary code.
	res *column.Vector
	// A string result per code is out[remap[code]]; out holds each
	// distinct result once, in the order first computed.
	remap []int32
	out   []string
	index map[string]int32
	// seen, when set, holds the results by value across dictionaries.
	seen *seenValues
}

func (c *dictCache) entry(dict []string, t types.Type) *dictEntry {
	k := dictKey{&dict[0], len(dict)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[k]; ok {
		return e
	}
	if c.m == nil || len(c.m) >= dictCacheMax {
		c.m = map[dictKey]*dictEntry{}
	}
	e := newDictEntry(dict, t)
	e.seen = &c.seen
	c.m[k] = e
	return e
}

func newDictEntry(dict []string, t types.Type) *dictEntry {
	n := len(dict)
	e := &dictEntry{dict: dict, done: make([]bool, n)}
	if t == types.String {
		e.remap = make([]int32, n)
		e.index = map[string]int32{}
	} else {
		e.res = sized(t, n)
	}
	return e
}

// grow extends the entry to the values of dict, which begins with the
// entry's dictionary.
func (e *dictEntry) grow(dict []string) {
	add := len(dict) - len(e.dict)
	e.dict = dict
	if add <= 0 {
		return
	}
	e.done = append(e.done, make([]bool, add)...)
	if e.remap != nil {
		e.remap = append(e.remap, make([]int32, add)...)
		return
	}
	v := e.res
	if v.Nulls != nil {
		v.Nulls = append(v.Nulls, make([]bool, add)...)
	}
	switch {
	case v.Bool != nil:
		v.Bool = append(v.Bool, make([]bool, add)...)
	case v.Int != nil:
		v.Int = append(v.Int, make([]int64, add)...)
	case v.Real != nil:
		v.Real = append(v.Real, make([]float64, add)...)
	default:
		v.Any = append(v.Any, make([]any, add)...)
	}
}

// sized returns a vector of n zero rows of type t (not a string).
func sized(t types.Type, n int) *column.Vector {
	v := &column.Vector{Type: t}
	switch t {
	case types.Bool:
		v.Bool = make([]bool, n)
	case types.Int, types.Long, types.Datetime, types.Timespan:
		v.Int = make([]int64, n)
	case types.Real:
		v.Real = make([]float64, n)
	default:
		v.Any = make([]any, n)
	}
	return v
}

// eval computes expression c over b, whose column c.one is v, through v's
// dictionary; nil when it cannot.
func (c *dictCache) eval(x *compiled, b *column.Batch, v *column.Vector) *column.Vector {
	if v.Type != types.String || v.Nulls != nil || len(v.Dict) == 0 || len(v.Codes) != b.N {
		return nil
	}
	e := c.entry(v.Dict, x.t)
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.result(x, b, v.Codes)
}

// result computes x over the rows of b whose column x.one holds the
// dictionary values codes.
func (e *dictEntry) result(x *compiled, b *column.Batch, codes []int32) *column.Vector {
	if !e.fill(x, b, codes) {
		return nil
	}
	if x.t == types.String {
		out := make([]int32, b.N)
		strs := make([]string, b.N)
		for i, k := range codes {
			id := e.remap[k]
			out[i] = id
			strs[i] = e.out[id]
		}
		n := len(e.out)
		return &column.Vector{Type: types.String, Str: strs, Dict: e.out[:n:n], Codes: out}
	}
	return gatherCodes(e.res, codes)
}

// fill computes the results of the codes not computed yet.
func (e *dictEntry) fill(x *compiled, b *column.Batch, codes []int32) bool {
	var missing []int32
	for _, k := range codes {
		if !e.done[k] {
			e.done[k] = true
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return true
	}
	vals := make([]string, len(missing))
	for j, k := range missing {
		vals[j] = e.dict[k]
	}
	if e.seen != nil && e.seen.lookup(x, b, e, missing, vals) {
		return true
	}
	mb := &column.Batch{Cols: make([]*column.Vector, len(b.Cols)), N: len(missing)}
	mb.Cols[x.one] = &column.Vector{Type: types.String, Str: vals}
	r := x.evalDirect(mb)
	if r.Type != x.t || r.Len() != len(missing) || x.t == types.String && r.Nulls != nil {
		for _, k := range missing {
			e.done[k] = false
		}
		return false
	}
	if x.t == types.String {
		for j, k := range missing {
			e.setString(k, r.Str[j])
		}
		return true
	}
	for j, k := range missing {
		setFrom(e.res, int(k), r, j)
	}
	return true
}

// setString sets the string result of code k to s.
func (e *dictEntry) setString(k int32, s string) {
	id, ok := e.index[s]
	if !ok {
		id = int32(len(e.out))
		e.out = append(e.out, s)
		e.index[s] = id
	}
	e.remap[k] = id
}

// setFrom copies row j of src into row i of dst, of the same type.
func setFrom(dst *column.Vector, i int, src *column.Vector, j int) {
	if src.Nulls != nil && src.Nulls[j] {
		if dst.Nulls == nil {
			dst.Nulls = make([]bool, dst.Len())
		}
		dst.Nulls[i] = true
	}
	switch {
	case dst.Bool != nil:
		dst.Bool[i] = src.Bool[j]
	case dst.Int != nil:
		dst.Int[i] = src.Int[j]
	case dst.Real != nil:
		dst.Real[i] = src.Real[j]
	case dst.Any != nil:
		dst.Any[i] = src.Any[j]
	}
}

// gatherCodes returns the rows of v at the given codes.
func gatherCodes(v *column.Vector, codes []int32) *column.Vector {
	out := &column.Vector{Type: v.Type}
	if v.Nulls != nil {
		out.Nulls = make([]bool, len(codes))
		for j, k := range codes {
			out.Nulls[j] = v.Nulls[k]
		}
	}
	switch {
	case v.Bool != nil:
		out.Bool = make([]bool, len(codes))
		for j, k := range codes {
			out.Bool[j] = v.Bool[k]
		}
	case v.Int != nil:
		out.Int = make([]int64, len(codes))
		for j, k := range codes {
			out.Int[j] = v.Int[k]
		}
	case v.Real != nil:
		out.Real = make([]float64, len(codes))
		for j, k := range codes {
			out.Real[j] = v.Real[k]
		}
	default:
		out.Any = make([]any, len(codes))
		for j, k := range codes {
			out.Any[j] = v.Any[k]
		}
	}
	return out
}

// Memos. An expression computed row by row over one string column without
// a dictionary builds the dictionary itself: a memo maps each distinct
// string seen to a code and keeps the results per code, across batches, so
// that an expensive expression (parse_url, extract, case over them) runs
// once per distinct value. A column whose values are mostly distinct turns
// the memo off; a memo that grows past memoMax values starts over.

const (
	memoMax   = 1 << 16
	memoProbe = 4 * column.BatchSize // rows seen before judging the memo
)

type memo struct {
	mu    sync.Mutex
	off   bool
	index map[string]int32
	vals  []string
	entry *dictEntry
	rows  int
}

// eval computes x over b, whose column x.one is v, through the memo; nil
// when it cannot or should not.
func (m *memo) eval(x *compiled, b *column.Batch, v *column.Vector) *column.Vector {
	if v.Type != types.String || v.Nulls != nil || len(v.Str) != b.N || b.N == 0 {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.off {
		return nil
	}
	if m.index == nil || len(m.vals) > memoMax {
		m.index, m.vals, m.entry = map[string]int32{}, nil, nil
	}
	codes := make([]int32, b.N)
	for i, s := range v.Str {
		k, ok := m.index[s]
		if !ok {
			k = int32(len(m.vals))
			m.vals = append(m.vals, s)
			m.index[s] = k
		}
		codes[i] = k
	}
	m.rows += b.N
	if m.rows >= memoProbe && m.rows < memoProbe+b.N && len(m.vals) > m.rows/2 {
		// mostly distinct: the row function alone is cheaper
		m.off, m.index, m.vals, m.entry = true, nil, nil, nil
		return nil
	}
	if m.entry == nil {
		m.entry = newDictEntry(m.vals, x.t)
	} else {
		m.entry.grow(m.vals)
	}
	return m.entry.result(x, b, codes)
}

// costly reports whether e's kernel costs more per row than a memo's
// lookup: term and substring matching, has_any and regular expressions.
func costly(e plan.Expr) bool {
	switch e := e.(type) {
	case *plan.Binary:
		op := strings.TrimPrefix(e.Op, "!")
		return strings.HasPrefix(op, "has") || strings.HasPrefix(op, "contains") ||
			op == "matches regex"
	case *plan.In:
		return e.Op == "has_any" || e.Op == "has_all"
	}
	return false
}

// testEncodeDicts, set by tests only, dictionary-encodes the string columns
// of the batches that filters and projections read, so that every query
// can be run with and without dictionaries.
var testEncodeDicts func(*column.Batch) *column.Batch
