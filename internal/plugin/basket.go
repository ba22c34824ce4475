package plugin

import (
	"fmt"
	"math"
	"sort"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

func init() {
	Register(&Plugin{Name: "basket", Bind: bindBasket, Run: runBasket})
}

// maxBasketCandidates bounds the candidate patterns basket counts per level.
const maxBasketCandidates = 200_000

// basketArgs are basket's arguments: (Threshold, WeightColumn,
// MaxDimensions, CustomWildcard, ...), each optional and '~' for the
// default.
type basketArgs struct {
	threshold float64
	weight    int // input column of the weights, -1 for none
	maxDims   int
	wildcards map[types.Type]any
}

// isDefault reports whether argument i is the tilde that asks for the
// default.
func isDefault(a Arg) bool {
	s, ok := a.Value.(string)
	return a.Type == types.String && a.Known && ok && s == "~"
}

func parseBasket(b *Binding) (*basketArgs, error) {
	p := &basketArgs{threshold: 0.05, weight: -1, maxDims: 5, wildcards: map[types.Type]any{}}
	for i, a := range b.Args {
		if a.Name != "" {
			return nil, argErrorf(i, "basket takes its arguments by position")
		}
		if isDefault(a) {
			continue
		}
		switch i {
		case 0:
			if !a.Const || !numeric(a.Type) {
				return nil, argErrorf(i, "expected a constant threshold from 0.015 to 1")
			}
			if a.Known {
				t, _ := toFloat(a.Value)
				if t < 0.015 || t > 1 {
					return nil, argErrorf(i, "the threshold must be from 0.015 to 1, found %v", t)
				}
				p.threshold = t
			}
		case 1:
			if a.Col < 0 || !numeric(a.Type) {
				return nil, argErrorf(i, "expected a numeric weight column of the input, or '~'")
			}
			p.weight = a.Col
		case 2:
			n, known, err := constCount(b, i)
			if err != nil {
				return nil, err
			}
			if known {
				p.maxDims = int(n)
			}
		default:
			if !a.Const {
				return nil, argErrorf(i, "expected a constant wildcard value")
			}
			p.wildcards[a.Type] = a.Value
		}
	}
	return p, nil
}

// patternSchema is the output of the pattern-mining plugins: the given
// leading columns, then the input's columns (except those dropped).
func patternSchema(lead column.Schema, in column.Schema, drop int) column.Schema {
	out := append(column.Schema(nil), lead...)
	for i, f := range in {
		if i != drop {
			out = append(out, f)
		}
	}
	return out
}

var basketLead = column.Schema{{Name: "SegmentId", Type: types.Long},
	{Name: "Count", Type: types.Long}, {Name: "Percent", Type: types.Real}}

func bindBasket(b *Binding) (*Bound, error) {
	if _, err := parseBasket(b); err != nil {
		return nil, err
	}
	return &Bound{Out: patternSchema(basketLead, b.Input, -1)}, nil
}

// item is one column value of a pattern.
type item struct {
	col int
	key string
	val any
}

// pattern is a set of items of distinct columns, sorted by column, with
// its weight.
type pattern struct {
	items  []int // indexes into the item list
	weight float64
}

// miner finds the frequent patterns of a set of rows.
type miner struct {
	items  []item
	rows   [][]int // per row, the frequent item of each column or -1
	weight []float64
}

// newMiner learns the values of the dimension columns of rows.
func newMiner(in *Table, rows []int, dims []int, weightOf func(int) float64) *miner {
	m := &miner{}
	index := map[string]int{}
	for _, i := range rows {
		r := make([]int, len(in.Schema))
		for c := range r {
			r[c] = -1
		}
		for _, c := range dims {
			v := in.Rows.Cols[c].Value(i)
			if v == nil || v == "" || in.Schema[c].Type == types.Dynamic {
				continue
			}
			k := fmt.Sprintf("%d\x00%s", c, idKey(v))
			id, ok := index[k]
			if !ok {
				id = len(m.items)
				index[k] = id
				m.items = append(m.items, item{col: c, key: k, val: v})
			}
			r[c] = id
		}
		m.rows = append(m.rows, r)
		m.weight = append(m.weight, weightOf(i))
	}
	return m
}

// support returns the weight of the rows matching every item of p.
func (m *miner) support(items []int) float64 {
	var w float64
	for r, row := range m.rows {
		ok := true
		for _, it := range items {
			if row[m.items[it].col] != it {
				ok = false
				break
			}
		}
		if ok {
			w += m.weight[r]
		}
	}
	return w
}

// frequent returns the patterns of up to maxDims items whose weight is at
// least min, level by level (Apriori).
func (m *miner) frequent(min float64, maxDims int) []pattern {
	var all, level []pattern
	single := make([]float64, len(m.items))
	for r, row := range m.rows {
		for _, it := range row {
			if it >= 0 {
				single[it] += m.weight[r]
			}
		}
	}
	for it, w := range single {
		if w >= min {
			level = append(level, pattern{items: []int{it}, weight: w})
		}
	}
	for size := 1; len(level) > 0; size++ {
		sort.Slice(level, func(a, b int) bool { return lessItems(m, level[a].items, level[b].items) })
		all = append(all, level...)
		if size >= maxDims {
			break
		}
		var next []pattern
		for a := 0; a < len(level) && len(next) < maxBasketCandidates; a++ {
			for b := a + 1; b < len(level); b++ {
				pa, pb := level[a].items, level[b].items
				if !samePrefix(pa, pb) {
					break
				}
				ia, ib := pa[len(pa)-1], pb[len(pb)-1]
				if m.items[ia].col == m.items[ib].col {
					continue
				}
				cand := append(append([]int(nil), pa...), ib)
				if w := m.support(cand); w >= min {
					next = append(next, pattern{items: cand, weight: w})
				}
			}
		}
		level = next
	}
	return all
}

// lessItems orders item lists by column then value, so that Apriori joins
// lists sharing all but the last item.
func lessItems(m *miner, a, b []int) bool {
	for k := range a {
		if a[k] != b[k] {
			ca, cb := m.items[a[k]].col, m.items[b[k]].col
			if ca != cb {
				return ca < cb
			}
			return m.items[a[k]].key < m.items[b[k]].key
		}
	}
	return false
}

func samePrefix(a, b []int) bool {
	for k := 0; k < len(a)-1; k++ {
		if a[k] != b[k] {
			return false
		}
	}
	return true
}

// closed keeps the patterns no frequent one-item-larger pattern matches
// with the same weight: the others say nothing more.
func closed(pats []pattern) []pattern {
	var out []pattern
	for _, p := range pats {
		dominated := false
		for _, q := range pats {
			if len(q.items) == len(p.items)+1 && q.weight == p.weight && subset(p.items, q.items) {
				dominated = true
				break
			}
		}
		if !dominated {
			out = append(out, p)
		}
	}
	return out
}

func subset(a, b []int) bool {
	for _, x := range a {
		found := false
		for _, y := range b {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// wildcard returns the value that marks an unrestricted column of type t.
func wildcard(custom map[types.Type]any, t types.Type) any {
	if v, ok := custom[t]; ok {
		return v
	}
	if t == types.String {
		return ""
	}
	return nil
}

// runBasket returns the closed frequent patterns whose share of the rows
// (or of the weights) reaches the threshold, most frequent first.
func runBasket(r *Run) (*Output, error) {
	p, err := parseBasket(r.Binding)
	if err != nil {
		return nil, err
	}
	in := r.Input
	rows := make([]int, in.N())
	for i := range rows {
		rows[i] = i
	}
	var dims []int
	for c := range in.Schema {
		if c != p.weight {
			dims = append(dims, c)
		}
	}
	m := newMiner(in, rows, dims, rowWeight(in, p.weight))
	var total float64
	for _, w := range m.weight {
		total += w
	}
	pats := closed(m.frequent(p.threshold*total, p.maxDims))
	sort.SliceStable(pats, func(a, b int) bool { return pats[a].weight > pats[b].weight })
	bld := newBuilder(r.Bound.Out)
	for seg, pt := range pats {
		row := []any{int64(seg), int64(math.Round(pt.weight)), 100 * pt.weight / total}
		row = append(row, patternValues(m, pt, in.Schema, -1, p.wildcards)...)
		bld.add(row...)
	}
	return bld.table(), nil
}

// rowWeight returns the weight of each input row: its weight column, or 1.
func rowWeight(in *Table, col int) func(int) float64 {
	return func(i int) float64 {
		if col < 0 {
			return 1
		}
		w, ok := toFloat(in.Rows.Cols[col].Value(i))
		if !ok {
			return 0
		}
		return w
	}
}

// patternValues returns the input columns (but drop) of a pattern row:
// the pattern's value, or the wildcard.
func patternValues(m *miner, pt pattern, schema column.Schema, drop int,
	custom map[types.Type]any,
) []any {
	var out []any
	for c, f := range schema {
		if c == drop {
			continue
		}
		v := wildcard(custom, f.Type)
		for _, it := range pt.items {
			if m.items[it].col == c {
				v = m.items[it].val
			}
		}
		out = append(out, v)
	}
	return out
}
