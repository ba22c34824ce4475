package plugin

import (
	"math"

	"github.com/huntql/huntql/internal/types"
)

func init() {
	Register(&Plugin{Name: "autocluster", Bind: bindAutocluster, Run: runAutocluster})
}

// autoclusterMinShare is the share of the rows that a pattern must newly
// cover to be reported, and autoclusterMinSupport the share a candidate
// pattern must cover at all.
const (
	autoclusterMinShare   = 0.05
	autoclusterMinSupport = 0.01
)

// autoclusterArgs are autocluster's arguments: (SizeWeight, WeightColumn,
// NumSeeds, CustomWildcard, ...), each optional and '~' for the default.
type autoclusterArgs struct {
	sizeWeight float64
	weight     int
	seeds      int
	wildcards  map[types.Type]any
}

func parseAutocluster(b *Binding) (*autoclusterArgs, error) {
	p := &autoclusterArgs{sizeWeight: 0.5, weight: -1, seeds: 25, wildcards: map[types.Type]any{}}
	for i, a := range b.Args {
		if a.Name != "" {
			return nil, argErrorf(i, "autocluster takes its arguments by position")
		}
		if isDefault(a) {
			continue
		}
		switch i {
		case 0:
			if !a.Const || !numeric(a.Type) {
				return nil, argErrorf(i, "expected a constant SizeWeight from 0 to 1")
			}
			if a.Known {
				w, _ := toFloat(a.Value)
				if w < 0 || w > 1 {
					return nil, argErrorf(i, "SizeWeight must be from 0 to 1, found %v", w)
				}
				p.sizeWeight = w
			}
		case 1:
			if a.Col < 0 || (a.Type != types.Int && a.Type != types.Long) {
				return nil, argErrorf(i, "expected an integer weight column of the input, or '~'")
			}
			p.weight = a.Col
		case 2:
			n, known, err := constCount(b, i)
			if err != nil {
				return nil, err
			}
			if known {
				p.seeds = int(n)
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

func bindAutocluster(b *Binding) (*Bound, error) {
	if _, err := parseAutocluster(b); err != nil {
		return nil, err
	}
	return &Bound{Out: patternSchema(basketLead, b.Input, -1)}, nil
}

// runAutocluster reduces the rows to a few patterns. Kusto's algorithm
// (Seed-Expand) is not published in full; huntql scores each closed
// frequent pattern by the weighted geometric mean the documentation gives,
// coverage^SizeWeight * (fixed columns / columns)^(1-SizeWeight), with the
// coverage counted over the rows no chosen pattern covers yet, and
// chooses greedily until no pattern newly covers 5% of the rows.
// TODO: NumSeeds is checked but unused; results can differ from Kusto's.
func runAutocluster(r *Run) (*Output, error) {
	p, err := parseAutocluster(r.Binding)
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
	bld := newBuilder(r.Bound.Out)
	if total == 0 || len(dims) == 0 {
		return bld.table(), nil
	}
	cands := closed(m.frequent(autoclusterMinSupport*total, len(dims)))
	covered := make([]bool, len(m.rows))
	used := make([]bool, len(cands))
	for seg := 0; ; seg++ {
		best, bestScore, bestFresh := -1, -1.0, 0.0
		for k, c := range cands {
			if used[k] {
				continue
			}
			var fresh float64
			for i, row := range m.rows {
				if !covered[i] && matchesRow(m, c.items, row) {
					fresh += m.weight[i]
				}
			}
			if fresh < autoclusterMinShare*total {
				continue
			}
			info := float64(len(c.items)) / float64(len(dims))
			score := math.Pow(fresh/total, p.sizeWeight) * math.Pow(info, 1-p.sizeWeight)
			if score > bestScore {
				best, bestScore, bestFresh = k, score, fresh
			}
		}
		if best < 0 || bestFresh == 0 {
			break
		}
		used[best] = true
		c := cands[best]
		for i, row := range m.rows {
			if matchesRow(m, c.items, row) {
				covered[i] = true
			}
		}
		row := []any{int64(seg), int64(math.Round(c.weight)), 100 * c.weight / total}
		bld.add(append(row, patternValues(m, c, in.Schema, -1, p.wildcards)...)...)
	}
	return bld.table(), nil
}
