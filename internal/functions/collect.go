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
	a := &collectorAcc{set: set, keepNulls: keepNulls, sizeArg: sizeArg, def: def, out: []any{},
		limit: -1}
	if set {
		a.seen = map[string]bool{}
	}
	return a
}

// collectorAcc is the accumulator of make_list and make_set.
type collectorAcc struct {
	set, keepNulls bool
	sizeArg, def   int
	out            []any
	seen           map[string]bool // make_set: the keys of out
	limit          int             // the maxSize of the last row, -1 before any
}

func (a *collectorAcc) add(v any) {
	if len(a.out) >= a.limit {
		return
	}
	if a.set {
		k := setKey(v)
		if a.seen[k] {
			return
		}
		a.seen[k] = true
	}
	a.out = append(a.out, v)
}

func (a *collectorAcc) Add(args []any) {
	v := args[0]
	if v == nil && !a.keepNulls {
		return
	}
	a.limit = maxSizeArg(args, a.sizeArg, a.def)
	if arr, ok := v.([]any); ok && a.set {
		for _, e := range arr {
			if e != nil {
				a.add(e)
			}
		}
		return
	}
	a.add(v)
}

func (a *collectorAcc) Result() []any { return []any{a.out} }

// Merge appends other's values (for a set, those not seen yet) up to the
// maxSize; the executor merges only where maxSize is the same for every
// row.
func (a *collectorAcc) Merge(other Accumulator) {
	o := other.(*collectorAcc)
	if o.limit < 0 {
		return
	}
	a.limit = o.limit
	for _, v := range o.out {
		a.add(v)
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
func newTakeAny(n int) Accumulator { return &takeAnyAcc{n: n} }

// takeAnyAcc is take_any's accumulator.
type takeAnyAcc struct {
	n   int
	got []any
}

func (a *takeAnyAcc) Add(args []any) {
	if a.got != nil {
		return
	}
	for _, v := range args {
		if v != nil {
			a.got = append([]any{}, args...)
			return
		}
	}
}

func (a *takeAnyAcc) Result() []any {
	if a.got == nil {
		return make([]any, a.n)
	}
	return a.got
}

// Merge takes other's row if the receiver has none.
func (a *takeAnyAcc) Merge(other Accumulator) {
	if a.got == nil {
		a.got = other.(*takeAnyAcc).got
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
func newBitAgg(op string, asInt bool) Accumulator { return &bitAcc{op: op, asInt: asInt} }

// bitAcc is the accumulator of binary_all_and, _or and _xor.
type bitAcc struct {
	op          string
	asInt, seen bool
	acc         int64
}

func (a *bitAcc) fold(x int64) {
	switch {
	case !a.seen:
		a.acc = x
	case a.op == "and":
		a.acc &= x
	case a.op == "or":
		a.acc |= x
	default:
		a.acc ^= x
	}
	a.seen = true
}

func (a *bitAcc) Add(args []any) {
	if x, ok := intValue(args[0]); ok {
		a.fold(x)
	}
}

func (a *bitAcc) Result() []any {
	if !a.seen {
		return []any{nil}
	}
	if a.asInt {
		return []any{int32(a.acc)}
	}
	return []any{a.acc}
}

// Merge folds other's result in: the operators are associative.
func (a *bitAcc) Merge(other Accumulator) {
	if o := other.(*bitAcc); o.seen {
		a.fold(o.acc)
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
			return &argExtremeAcc{sign: sign, n: len(ts),
				mergeable: len(ts) > 0 && totalOrder(ts[0])}
		}, argTypes, "Orderable, Scalar* -> P0", "Orderable -> P0")
		aggAlias(m.old, agg)
	}
}

// argExtremeAcc is the accumulator of arg_max and arg_min.
type argExtremeAcc struct {
	sign, n     int
	best, first []any
	mergeable   bool
}

func (a *argExtremeAcc) Add(args []any) {
	v := args[0]
	if v == nil || isNaN(v) {
		if a.first == nil {
			a.first = append([]any{}, args...)
		}
		return
	}
	if a.best == nil || Compare(v, a.best[0])*a.sign > 0 {
		a.best = append(a.best[:0], args...)
	}
}

func (a *argExtremeAcc) Result() []any {
	switch {
	case a.best != nil:
		return append([]any{}, a.best...)
	case a.first != nil:
		// Every extremum was null: the group's first row.
		return a.first
	}
	return make([]any, a.n)
}

func (a *argExtremeAcc) canMerge() bool { return a.mergeable }

// Merge keeps other's row only if its extremum is strictly better, and
// other's first row only if the receiver has none: a tie keeps the earlier
// row, as Add does.
func (a *argExtremeAcc) Merge(other Accumulator) {
	o := other.(*argExtremeAcc)
	if a.first == nil {
		a.first = o.first
	}
	if o.best != nil && (a.best == nil || Compare(o.best[0], a.best[0])*a.sign > 0) {
		a.best = o.best
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
		return &percentilesAcc{asArray: asArray, n: len(ts)}
	}
}

// percentilesAcc is the accumulator of percentile, percentiles and
// percentiles_array: it keeps the values, sorted (stably) at the end.
type percentilesAcc struct {
	asArray bool
	n       int // the argument count
	vals    []any
	ps      []float64
}

func (a *percentilesAcc) Add(args []any) {
	if a.ps == nil {
		a.ps = []float64{}
		for _, p := range args[1:] {
			if arr, ok := p.([]any); ok {
				for _, e := range arr {
					f, _ := asReal(e)
					a.ps = append(a.ps, f)
				}
				continue
			}
			f, _ := asReal(p)
			a.ps = append(a.ps, f)
		}
	}
	if args[0] != nil && !isNaN(args[0]) {
		a.vals = append(a.vals, args[0])
	}
}

func (a *percentilesAcc) Result() []any {
	vals := a.vals
	sort.SliceStable(vals, func(i, j int) bool { return Compare(vals[i], vals[j]) < 0 })
	out := make([]any, len(a.ps))
	for i, p := range a.ps {
		out[i] = nearestRank(vals, p)
	}
	if a.asArray {
		return []any{out}
	}
	if len(out) == 0 {
		return make([]any, max(a.n-1, 1))
	}
	return out
}

// Merge appends other's values: the stable sort then orders them as if
// they had been added one by one. The executor merges only where the
// percentages are constant.
func (a *percentilesAcc) Merge(other Accumulator) {
	o := other.(*percentilesAcc)
	if a.ps == nil {
		a.ps = o.ps
	}
	a.vals = append(a.vals, o.vals...)
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
