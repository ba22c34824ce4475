package functions

import (
	"math"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/types"
)

// This file registers the aggregates that collect values (make_set,
// make_list, make_bag, take_any), count distinct values (dcount, hll),
// pick rows by an extremum (arg_max, arg_min) and compute percentiles.

// defaultMaxSize is the default and largest maxSize of make_set and
// make_list.
const defaultMaxSize = 1 << 20

// deprecatedMaxSize is the default maxSize of the deprecated makelist and
// makeset.
const deprecatedMaxSize = 128

// maxSizeArg returns the maxSize argument args[i], or def when it is absent.
func maxSizeArg(args []any, i, def int) int {
	if i < len(args) && args[i] != nil {
		if n, ok := asLong(args[i]); ok && n >= 0 && n < defaultMaxSize {
			return int(n)
		}
		return defaultMaxSize
	}
	return def
}

// newCollector builds make_list (set=false) or make_set (set=true). A
// dynamic array argument of make_set contributes its elements. Without a
// maxSize argument at sizeArg, at most def values are kept.
func newCollector(set, keepNulls bool, sizeArg, def int) Accumulator {
	out := []any{}
	seen := map[string]bool{}
	add := func(v any, limit int) {
		if len(out) >= limit {
			return
		}
		if set {
			k := setKey(v)
			if seen[k] {
				return
			}
			seen[k] = true
		}
		out = append(out, v)
	}
	return &accFunc{
		add: func(args []any) {
			v := args[0]
			if v == nil && !keepNulls {
				return
			}
			limit := maxSizeArg(args, sizeArg, def)
			if arr, ok := v.([]any); ok && set {
				for _, e := range arr {
					if e != nil {
						add(e, limit)
					}
				}
				return
			}
			add(v, limit)
		},
		result: func() []any { return []any{out} },
	}
}

func newBagCollector() Accumulator {
	out := types.NewBag()
	return &accFunc{
		add: func(args []any) {
			b, ok := args[0].(*types.Bag)
			if !ok || out.Len() >= maxSizeArg(args, 1, defaultMaxSize) {
				return
			}
			for _, k := range b.Keys() {
				if _, seen := out.Get(k); !seen {
					v, _ := b.Get(k)
					out.Set(k, v)
				}
			}
		},
		result: func() []any { return []any{out} },
	}
}

// newTakeAny keeps the first row whose first argument is not null.
func newTakeAny(n int) Accumulator {
	var got []any
	return &accFunc{
		add: func(args []any) {
			if got != nil {
				return
			}
			for _, v := range args {
				if v != nil {
					got = append([]any{}, args...)
					return
				}
			}
		},
		result: func() []any {
			if got == nil {
				return make([]any, n)
			}
			return got
		},
	}
}

func argTypes(ts []types.Type) ([]types.Type, error) { return append([]types.Type{}, ts...), nil }

func registerCollectors() {
	for _, c := range []struct {
		name      string
		set, null bool
	}{{"make_list", false, false}, {"make_set", true, false}, {"make_list_with_nulls", false, true}} {
		set, null := c.set, c.null
		spec := "Scalar, Integer? -> dynamic"
		if null {
			spec = "Scalar -> dynamic"
		}
		aggregate(c.name, func([]types.Type) Accumulator {
			return newCollector(set, null, 1, defaultMaxSize)
		}, nil, spec)
		if null {
			continue
		}
		aggregate(c.name+"_if", func([]types.Type) Accumulator {
			return withIf(1, newCollector(set, false, 1, defaultMaxSize))
		}, nil, "Scalar, bool, Integer? -> dynamic")
		// The deprecated names keep 128 values unless told otherwise.
		aggregate(map[bool]string{true: "makeset", false: "makelist"}[set],
			func([]types.Type) Accumulator {
				return newCollector(set, false, 1, deprecatedMaxSize)
			}, nil, spec)
	}
	aggregate("make_bag", func([]types.Type) Accumulator { return newBagCollector() }, nil,
		"Dynamic, Integer? -> dynamic")
	aggregate("make_bag_if", func([]types.Type) Accumulator {
		return withIf(1, newBagCollector())
	}, nil, "Dynamic, bool, Integer? -> dynamic")
	take := aggregate("take_any", func(ts []types.Type) Accumulator {
		return newTakeAny(len(ts))
	}, argTypes, "Scalar* -> P0")
	aggAlias("any", take)
	aggregate("take_anyif", func(ts []types.Type) Accumulator {
		return withIf(1, newTakeAny(1))
	}, nil, "Scalar, bool -> P0")
	dcount := aggregate("dcount", func(ts []types.Type) Accumulator {
		return newDcount(1)
	}, nil, "Scalar, NotDynamic? -> long")
	aggregate("dcountif", func(ts []types.Type) Accumulator {
		return withIf(1, newDcount(2))
	}, nil, "Scalar, bool, NotDynamic? -> long")
	aggregate("count_distinct", dcount.New, nil, "NotDynamic -> long")
	aggregate("count_distinctif", func(ts []types.Type) Accumulator {
		return withIf(1, newDcount(-1))
	}, nil, "NotDynamic, bool -> long")
	aggregate("hll", func([]types.Type) Accumulator { return newHLLAgg(1, false) }, nil,
		"NotRealOrBool, Integer? -> dynamic")
	aggregate("hll_if", func([]types.Type) Accumulator {
		return withIf(1, newHLLAgg(1, false))
	}, nil, "NotRealOrBool, bool, Integer? -> dynamic")
	aggregate("hll_merge", func([]types.Type) Accumulator { return newHLLAgg(-1, true) }, nil,
		"Dynamic -> dynamic")
	for _, op := range []string{"and", "or", "xor"} {
		o := op
		// The result has the argument's type: int for int, as Kusto.Language types it.
		aggregate("binary_all_"+o, func(ts []types.Type) Accumulator {
			return newBitAgg(o, ts[0] == types.Int)
		}, nil, "Integer -> P0")
	}
}

// newBitAgg folds integers with a bitwise operator; asInt yields an int.
func newBitAgg(op string, asInt bool) Accumulator {
	var acc int64
	seen := false
	return &accFunc{
		add: func(args []any) {
			x, ok := intValue(args[0])
			if !ok {
				return
			}
			switch {
			case !seen:
				acc = x
			case op == "and":
				acc &= x
			case op == "or":
				acc |= x
			default:
				acc ^= x
			}
			seen = true
		},
		result: func() []any {
			if !seen {
				return []any{nil}
			}
			if asInt {
				return []any{int32(acc)}
			}
			return []any{acc}
		},
	}
}

// registerArgExtremes registers arg_max and arg_min: the row with the
// largest (smallest) first argument, returning it and the further
// arguments. Ties keep the first row seen; null extrema are ignored unless
// all are null, when the first row is returned, as Kusto's documentation
// shows.
func registerArgExtremes() {
	for _, m := range []struct {
		name, old string
		sign      int
	}{{"arg_max", "argmax", 1}, {"arg_min", "argmin", -1}} {
		sign := m.sign
		agg := aggregate(m.name, func(ts []types.Type) Accumulator {
			var best, first []any
			return &accFunc{
				add: func(args []any) {
					v := args[0]
					if v == nil || isNaN(v) {
						if first == nil {
							first = append([]any{}, args...)
						}
						return
					}
					if best == nil || Compare(v, best[0])*sign > 0 {
						best = append(best[:0], args...)
					}
				},
				result: func() []any {
					switch {
					case best != nil:
						return append([]any{}, best...)
					case first != nil:
						// Every extremum was null: the group's first row.
						return first
					}
					return make([]any, len(ts))
				},
			}
		}, argTypes, "Orderable, Scalar* -> P0", "Orderable -> P0")
		aggAlias(m.old, agg)
	}
}

// registerPercentiles registers percentile, percentiles and
// percentiles_array. They are exact (nearest rank over the sorted values)
// where Kusto estimates with a t-digest; for small groups the two agree.
func registerPercentiles() {
	// int promotes to long and decimal to real, as Kusto.Language types them.
	promoted := func(t types.Type) types.Type {
		switch t {
		case types.Int:
			return types.Long
		case types.Decimal:
			return types.Real
		}
		return t
	}
	aggregate("percentile", newPercentiles(false), func(ts []types.Type) ([]types.Type, error) {
		return []types.Type{promoted(ts[0])}, nil
	}, "Scalar, Number -> real")
	aggregate("percentiles", newPercentiles(false), func(ts []types.Type) ([]types.Type, error) {
		out := make([]types.Type, len(ts)-1)
		for i := range out {
			out[i] = promoted(ts[0])
		}
		return out, nil
	}, "Scalar, Number* -> real")
	aggregate("percentiles_array", newPercentiles(true), nil,
		"Scalar, Number* -> dynamic", "Scalar, Dynamic -> dynamic")
}

func newPercentiles(asArray bool) func([]types.Type) Accumulator {
	return func(ts []types.Type) Accumulator {
		var vals []any
		var ps []float64
		return &accFunc{
			add: func(args []any) {
				if ps == nil {
					ps = []float64{}
					for _, p := range args[1:] {
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
				if args[0] != nil && !isNaN(args[0]) {
					vals = append(vals, args[0])
				}
			},
			result: func() []any {
				sort.SliceStable(vals, func(i, j int) bool { return Compare(vals[i], vals[j]) < 0 })
				out := make([]any, len(ps))
				for i, p := range ps {
					out[i] = nearestRank(vals, p)
				}
				if asArray {
					return []any{out}
				}
				if len(out) == 0 {
					return make([]any, max(len(ts)-1, 1))
				}
				return out
			},
		}
	}
}

// nearestRank returns the p-th percentile of sorted values by nearest rank.
func nearestRank(sorted []any, p float64) any {
	n := len(sorted)
	if n == 0 || math.IsNaN(p) {
		return nil
	}
	i := int(math.Ceil(p/100*float64(n))) - 1
	i = max(0, min(i, n-1))
	switch x := sorted[i].(type) {
	case int32:
		return int64(x)
	case decimal.Decimal:
		f, _ := x.Float64()
		return f
	}
	return sorted[i]
}
