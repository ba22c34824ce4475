package plugin

import (
	"math"
	"sort"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

func init() {
	Register(&Plugin{Name: "diffpatterns", Bind: bindDiffPatterns, Run: runDiffPatterns})
}

var diffLead = column.Schema{{Name: "SegmentId", Type: types.Long},
	{Name: "CountA", Type: types.Long}, {Name: "CountB", Type: types.Long},
	{Name: "PercentA", Type: types.Real}, {Name: "PercentB", Type: types.Real},
	{Name: "PercentDiffAB", Type: types.Real}}

// diffArgs are diffpatterns's arguments: (SplitColumn, SplitValueA,
// SplitValueB [, WeightColumn, Threshold, MaxDimensions, CustomWildcard,
// ...]), the optional ones '~' for the default.
type diffArgs struct {
	split     int
	a, b      string
	weight    int
	threshold float64
	maxDims   int
	wildcards map[types.Type]any
}

func parseDiffPatterns(b *Binding) (*diffArgs, error) {
	if len(b.Args) < 3 {
		return nil, argErrorf(-1, "expected SplitColumn, SplitValueA, SplitValueB and "+
			"optional WeightColumn, Threshold, MaxDimensions and wildcards, found %d arguments",
			len(b.Args))
	}
	if b.Args[0].Col < 0 {
		return nil, argErrorf(0, "expected the split column of the input")
	}
	p := &diffArgs{split: b.Args[0].Col, weight: -1, threshold: 0.05,
		maxDims: math.MaxInt32, wildcards: map[types.Type]any{}}
	for i := 1; i <= 2; i++ {
		if _, err := stringConst(b, i, "the split value"); err != nil {
			return nil, err
		}
	}
	p.a, _ = b.Args[1].Value.(string)
	p.b, _ = b.Args[2].Value.(string)
	for i := 3; i < len(b.Args); i++ {
		a := b.Args[i]
		if isDefault(a) {
			continue
		}
		switch i {
		case 3:
			if a.Col < 0 || !numeric(a.Type) {
				return nil, argErrorf(i, "expected a numeric weight column of the input, or '~'")
			}
			p.weight = a.Col
		case 4:
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
		case 5:
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

func bindDiffPatterns(b *Binding) (*Bound, error) {
	p, err := parseDiffPatterns(b)
	if err != nil {
		return nil, err
	}
	// The split column describes the sets, not the patterns: the
	// documented outputs leave it out.
	return &Bound{Out: patternSchema(diffLead, b.Input, p.split)}, nil
}

// runDiffPatterns mines the closed patterns frequent (by the threshold) in
// set A or set B, keeps those whose share differs between the sets by at
// least the threshold, and returns a small set of them: the most
// different first, skipping patterns that refine or generalize one
// already chosen.
func runDiffPatterns(r *Run) (*Output, error) {
	p, err := parseDiffPatterns(r.Binding)
	if err != nil {
		return nil, err
	}
	in := r.Input
	var rowsA, rowsB []int
	for i := 0; i < in.N(); i++ {
		switch formatCell(in.Rows.Cols[p.split].Value(i)) {
		case p.a:
			rowsA = append(rowsA, i)
		case p.b:
			rowsB = append(rowsB, i)
		}
	}
	var dims []int
	for c := range in.Schema {
		if c != p.split && c != p.weight {
			dims = append(dims, c)
		}
	}
	weight := rowWeight(in, p.weight)
	all := append(append([]int(nil), rowsA...), rowsB...)
	m := newMiner(in, all, dims, weight)
	inA := make([]bool, len(all))
	var totalA, totalB float64
	for k := range all {
		inA[k] = k < len(rowsA)
		if inA[k] {
			totalA += m.weight[k]
		} else {
			totalB += m.weight[k]
		}
	}
	if totalA == 0 || totalB == 0 {
		return newBuilder(r.Bound.Out).table(), nil
	}
	// Mine over the union with the lower of the two thresholds, then
	// measure each pattern in each set.
	min := p.threshold * math.Min(totalA, totalB)
	type scored struct {
		pt         pattern
		wa, wb     float64
		pa, pb, df float64
	}
	var cands []scored
	for _, pt := range closed(m.frequent(min, p.maxDims)) {
		var wa, wb float64
		for k, row := range m.rows {
			if matchesRow(m, pt.items, row) {
				if inA[k] {
					wa += m.weight[k]
				} else {
					wb += m.weight[k]
				}
			}
		}
		pa, pb := 100*wa/totalA, 100*wb/totalB
		if math.Max(pa, pb) < 100*p.threshold || math.Abs(pa-pb) < 100*p.threshold {
			continue
		}
		cands = append(cands, scored{pt: pt, wa: wa, wb: wb, pa: pa, pb: pb,
			df: math.Abs(pa - pb)})
	}
	sort.SliceStable(cands, func(a, b int) bool { return cands[a].df > cands[b].df })
	var chosen []scored
	for _, c := range cands {
		related := false
		for _, o := range chosen {
			if subset(c.pt.items, o.pt.items) || subset(o.pt.items, c.pt.items) {
				related = true
				break
			}
		}
		if !related {
			chosen = append(chosen, c)
		}
	}
	bld := newBuilder(r.Bound.Out)
	for seg, c := range chosen {
		row := []any{int64(seg), int64(math.Round(c.wa)), int64(math.Round(c.wb)), c.pa, c.pb,
			c.df}
		row = append(row, patternValues(m, c.pt, in.Schema, p.split, p.wildcards)...)
		bld.add(row...)
	}
	return bld.table(), nil
}

// matchesRow reports whether a miner row holds every item.
func matchesRow(m *miner, items []int, row []int) bool {
	for _, it := range items {
		if row[m.items[it].col] != it {
			return false
		}
	}
	return true
}
