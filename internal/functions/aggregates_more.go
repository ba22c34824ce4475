package functions

import (
	"sort"

	"github.com/huntql/huntql/internal/types"
)

// This file registers the covariance aggregates, the weighted percentiles
// (percentilew, percentilesw, percentilesw_array) and buildschema.

func init() {
	for _, name := range []string{"covariance", "covariancep"} {
		population := name == "covariancep"
		agg := aggregate(name, func([]types.Type) Accumulator {
			return newCovariance(population)
		}, nil, "Summable, Summable -> real")
		aggregate(name+"if", func(ts []types.Type) Accumulator {
			return withIf(2, agg.New(ts))
		}, nil, "Summable, Summable, bool -> real")
	}

	promoted := func(t types.Type) types.Type {
		if t == types.Int {
			return types.Long
		}
		return t
	}
	aggregate("percentilew", newWeightedPercentiles(false),
		func(ts []types.Type) ([]types.Type, error) {
			return []types.Type{promoted(ts[0])}, nil
		}, "Scalar, Integer, Number -> real")
	aggregate("percentilesw", newWeightedPercentiles(false),
		func(ts []types.Type) ([]types.Type, error) {
			out := make([]types.Type, len(ts)-2)
			for i := range out {
				out[i] = promoted(ts[0])
			}
			return out, nil
		}, "Scalar, Integer, Number* -> real")
	aggregate("percentilesw_array", newWeightedPercentiles(true), nil,
		"Scalar, Integer, Number* -> dynamic", "Scalar, Integer, DynamicArray -> dynamic")

	aggregate("buildschema", func([]types.Type) Accumulator {
		root := &schemaNode{}
		return &accFunc{
			add:    func(args []any) { root.add(args[0]) },
			result: func() []any { return []any{root.value()} },
		}
	}, nil, "DynamicBag -> dynamic")
}

// newCovariance computes the sample (n-1) or population (n) covariance of
// pairs whose members are both not null, by Welford's update.
func newCovariance(population bool) Accumulator {
	var n, mx, my, c float64
	return &accFunc{
		add: func(args []any) {
			x, ok1 := tdReal64(args[0])
			y, ok2 := tdReal64(args[1])
			if args[0] == nil || args[1] == nil || !ok1 || !ok2 {
				return
			}
			n++
			dx := x - mx
			mx += dx / n
			my += (y - my) / n
			c += dx * (y - my)
		},
		result: func() []any {
			switch {
			case n == 0:
				return []any{nil}
			case population:
				return []any{c / n}
			case n == 1:
				return []any{0.0}
			}
			return []any{c / (n - 1)}
		},
	}
}

// newWeightedPercentiles computes nearest-rank percentiles where each value
// counts as many times as its weight; rows with a null value or a weight
// that is not positive are skipped.
func newWeightedPercentiles(asArray bool) func([]types.Type) Accumulator {
	return func(ts []types.Type) Accumulator {
		var vals []any
		var ws []int64
		var ps []float64
		return &accFunc{
			add: func(args []any) {
				if ps == nil {
					ps = []float64{}
					for _, p := range args[2:] {
						if arr, ok := p.([]any); ok {
							for _, e := range arr {
								f, _ := asReal(e)
								ps = append(ps, f)
							}
							continue
						}
						f, _ := asReal(p)
						ps = append(ps, f)
					}
				}
				w, ok := asLong(args[1])
				if args[0] == nil || isNaN(args[0]) || args[1] == nil || !ok || w <= 0 {
					return
				}
				v := args[0]
				if x, is32 := v.(int32); is32 {
					v = int64(x)
				}
				vals = append(vals, v)
				ws = append(ws, w)
			},
			result: func() []any {
				d := &digest{values: vals, weights: ws}
				sortWeighted(d)
				out := make([]any, len(ps))
				for i, p := range ps {
					out[i] = d.percentile(p)
				}
				if asArray {
					return []any{out}
				}
				if len(out) == 0 {
					return make([]any, max(len(ts)-2, 1))
				}
				return out
			},
		}
	}
}

func sortWeighted(d *digest) {
	idx := make([]int, len(d.values))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool {
		return Compare(d.values[idx[i]], d.values[idx[j]]) < 0
	})
	vals := make([]any, len(idx))
	ws := make([]int64, len(idx))
	for i, k := range idx {
		vals[i], ws[i] = d.values[k], d.weights[k]
	}
	d.values, d.weights = vals, ws
}

// schemaNode is the schema of the values seen at one place: the primitive
// type names and at most one container (bags and arrays alike, an array's
// elements under the key "`indexer`"), in order of first appearance.
type schemaNode struct {
	alts      []any // string type names, and *schemaContainer once
	container *schemaContainer
}

type schemaContainer struct {
	keys   []string
	fields map[string]*schemaNode
}

const schemaIndexer = "`indexer`"

func (s *schemaNode) add(v any) {
	switch x := v.(type) {
	case nil:
		return
	case *types.Bag:
		c := s.ensureContainer()
		for _, k := range x.Keys() {
			e, _ := x.Get(k)
			c.field(k).add(e)
		}
	case []any:
		c := s.ensureContainer()
		f := c.field(schemaIndexer)
		for _, e := range x {
			f.add(e)
		}
	default:
		name := schemaTypeName(v)
		for _, a := range s.alts {
			if a == name {
				return
			}
		}
		s.alts = append(s.alts, name)
	}
}

func (s *schemaNode) ensureContainer() *schemaContainer {
	if s.container == nil {
		s.container = &schemaContainer{fields: map[string]*schemaNode{}}
		s.alts = append(s.alts, s.container)
	}
	return s.container
}

func (c *schemaContainer) field(k string) *schemaNode {
	f, ok := c.fields[k]
	if !ok {
		f = &schemaNode{}
		c.fields[k] = f
		c.keys = append(c.keys, k)
	}
	return f
}

// value renders the schema: one alternative alone, several as an array,
// none as null.
func (s *schemaNode) value() any {
	out := make([]any, 0, len(s.alts))
	for _, a := range s.alts {
		if c, ok := a.(*schemaContainer); ok {
			b := types.NewBag()
			for _, k := range c.keys {
				b.Set(k, c.fields[k].value())
			}
			out = append(out, b)
			continue
		}
		out = append(out, a)
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return out
}

// schemaTypeName names a primitive as buildschema does (real is "double").
func schemaTypeName(v any) string {
	switch v.(type) {
	case float64:
		return "double"
	case int64:
		return "long"
	case int32:
		return "int"
	}
	t := types.TypeOf(v)
	if t == types.Unknown {
		return "string"
	}
	return t.String()
}
