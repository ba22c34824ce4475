package functions

import (
	"math"
	"math/bits"

	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/types"
)

// This file registers the aggregates of summarize. Every aggregate ignores
// null values of its argument. Aggregates ending in "if" take a predicate
// after their value arguments and add a row only when it is true.

// aggregate registers an aggregate. result computes the output types; nil
// means one column typed by the specs.
func aggregate(name string, newAcc func([]types.Type) Accumulator,
	result func([]types.Type) ([]types.Type, error), specs ...string) *Aggregate {
	sigs := make([]signature, len(specs))
	for i, sp := range specs {
		sigs[i] = parseSig(sp)
	}
	check := sigResult(name, sigs)
	lo, hi := argBounds(sigs)
	a := &Aggregate{Name: name, MinArgs: lo, MaxArgs: hi, New: newAcc,
		Result: func(args []types.Type) ([]types.Type, error) {
			t, err := check(args)
			if err != nil {
				return nil, err
			}
			if result != nil {
				return result(args)
			}
			return []types.Type{t}, nil
		}}
	RegisterAggregate(a)
	return a
}

func aggAlias(name string, a *Aggregate) {
	b := *a
	b.Name = name
	RegisterAggregate(&b)
}

// accFunc adapts a pair of closures to Accumulator.
type accFunc struct {
	add    func([]any)
	result func() []any
}

func (a *accFunc) Add(args []any) { a.add(args) }
func (a *accFunc) Result() []any  { return a.result() }

// withIf wraps an accumulator so that rows whose predicate (the argument at
// index pred) is not true are skipped; the predicate is dropped.
func withIf(pred int, inner Accumulator) Accumulator {
	return &ifAcc{pred: pred, inner: inner}
}

// ifAcc is the accumulator withIf returns.
type ifAcc struct {
	pred  int
	inner Accumulator
	rest  []any // the arguments without the predicate; accumulators keep no args slice
}

func (a *ifAcc) Add(args []any) {
	if a.pred >= len(args) {
		return
	}
	if b, ok := ToBool(args[a.pred]); ok && b {
		a.rest = append(a.rest[:0], args[:a.pred]...)
		a.rest = append(a.rest, args[a.pred+1:]...)
		a.inner.Add(a.rest)
	}
}

func (a *ifAcc) Result() []any { return a.inner.Result() }

// Merge merges the inner accumulators.
func (a *ifAcc) Merge(other Accumulator) {
	a.inner.(Merger).Merge(other.(*ifAcc).inner)
}

func (a *ifAcc) canMerge() bool { return CanMerge(a.inner) }

// countAcc is count's accumulator: every row, or the rows whose predicate
// is true.
type countAcc struct {
	n   int64
	all bool
}

func (a *countAcc) Add(args []any) {
	if a.all || len(args) == 0 {
		a.n++
	} else if b, ok := ToBool(args[0]); ok && b {
		a.n++
	}
}

func (a *countAcc) Result() []any { return []any{a.n} }

// Merge adds other's count.
func (a *countAcc) Merge(other Accumulator) { a.n += other.(*countAcc).n }

// dropArg returns types without the one at index i.
func dropArg(ts []types.Type, i int) []types.Type {
	if i >= len(ts) {
		return ts
	}
	out := append([]types.Type{}, ts[:i]...)
	return append(out, ts[i+1:]...)
}

func init() {
	// count(predicate) is the legacy countif; count(x) of any other type
	// counts every row, nulls included, as the summarize documentation
	// shows.
	count := aggregate("count", func(ts []types.Type) Accumulator {
		return &countAcc{all: len(ts) == 0 || ts[0] != types.Bool}
	}, nil, " -> long", "bool -> long", "Scalar -> long")
	RegisterAggregate(&Aggregate{Name: "countif", MinArgs: 1, MaxArgs: 1, New: count.New,
		Result: aggregateResult("countif", "bool -> long")})

	sum := aggregate("sum", newSum, nil, "Summable -> Promoted")
	aggregate("sumif", func(ts []types.Type) Accumulator {
		return withIf(1, sum.New(ts))
	}, nil, "Summable, bool -> Promoted")
	avg := aggregate("avg", newAvg, nil, "Integer -> real", "real -> real",
		"decimal -> decimal", "timespan -> timespan", "datetime -> datetime")
	aggregate("avgif", func(ts []types.Type) Accumulator {
		return withIf(1, avg.New(ts))
	}, nil, "Integer, bool -> real", "real, bool -> real", "decimal, bool -> decimal",
		"timespan, bool -> timespan", "datetime, bool -> datetime")
	for _, mm := range []struct {
		name string
		sign int
	}{{"max", 1}, {"min", -1}} {
		sign := mm.sign
		agg := aggregate(mm.name, func(ts []types.Type) Accumulator { return newExtreme(sign, ts) },
			nil, "Orderable -> P0")
		aggregate(mm.name+"if", func(ts []types.Type) Accumulator {
			return withIf(1, agg.New(ts))
		}, nil, "Orderable, bool -> P0")
	}
	for _, name := range []string{"stdev", "stdevp", "variance", "variancep"} {
		n := name
		agg := aggregate(n, func([]types.Type) Accumulator { return newMoments(n) },
			nil, "Summable -> real")
		if n == "stdevp" {
			continue // Kusto has no stdevpif
		}
		aggregate(n+"if", func(ts []types.Type) Accumulator {
			return withIf(1, agg.New(ts))
		}, nil, "Summable, bool -> real")
	}
	registerCollectors()
	registerArgExtremes()
	registerPercentiles()
}

// aggregateResult types an aggregate with a single spec.
func aggregateResult(name, spec string) func([]types.Type) ([]types.Type, error) {
	check := sigResult(name, []signature{parseSig(spec)})
	return func(args []types.Type) ([]types.Type, error) {
		t, err := check(args)
		if err != nil {
			return nil, err
		}
		return []types.Type{t}, nil
	}
}

// newSum sums numbers (int and long into a long that wraps on overflow,
// reals, decimals) or timespans; no non-null value gives null.
func newSum(ts []types.Type) Accumulator {
	a := &sumAcc{kind: cNone}
	if len(ts) > 0 {
		switch ts[0] {
		case types.Int, types.Long, types.Timespan, types.Datetime, types.Decimal:
			// Wrapping integer and decimal sums do not depend on the order
			// of their additions; real ones do.
			a.mergeable = true
		}
	}
	return a
}

// sumAcc is sum's accumulator.
type sumAcc struct {
	n         int64
	f         float64
	d         decimal.Decimal
	kind      int
	mergeable bool
}

func (a *sumAcc) Add(args []any) {
	c, i, x := class(args[0])
	switch {
	case c == cNone:
		return
	case c == cDec || a.kind == cDec:
		if a.kind != cDec {
			a.d = decimal.NewFromInt(a.n).Add(decimal.NewFromFloat(a.f))
			a.kind = cDec
		}
		if v, ok := toDecimalValue(args[0]).(decimal.Decimal); ok {
			a.d = a.d.Add(v)
		}
	case c == cReal || a.kind == cReal:
		if a.kind != cReal {
			a.f = float64(a.n)
			a.kind = cReal
		}
		if c == cReal {
			a.f += x
		} else {
			a.f += float64(i)
		}
	default:
		a.n += i
		if a.kind == cNone {
			a.kind = c
		}
	}
}

func (a *sumAcc) Result() []any {
	switch a.kind {
	case cInt:
		return []any{a.n}
	case cDur:
		return []any{types.Duration(a.n)}
	case cDate:
		return []any{types.Date(a.n)}
	case cReal:
		return []any{a.f}
	case cDec:
		return []any{a.d}
	}
	return []any{nil}
}

func (a *sumAcc) canMerge() bool { return a.mergeable }

// Merge adds other's sum; both hold integers of one kind or decimals.
func (a *sumAcc) Merge(other Accumulator) {
	o := other.(*sumAcc)
	switch {
	case o.kind == cNone:
	case a.kind == cNone:
		*a = *o
	case a.kind == cDec || o.kind == cDec:
		if a.kind != cDec {
			a.d, a.kind = decimal.NewFromInt(a.n), cDec
		}
		od := o.d
		if o.kind != cDec {
			od = decimal.NewFromInt(o.n)
		}
		a.d = a.d.Add(od)
	default:
		a.n += o.n
	}
}

// newAvg averages numbers (as real), decimals, timespans or datetimes.
// Integers and timespans are summed exactly (in 128 bits) and converted
// once, so that the average does not depend on the order of the rows;
// reals and datetimes keep a floating-point sum.
func newAvg(ts []types.Type) Accumulator {
	a := &avgAcc{kind: cNone}
	if len(ts) > 0 {
		switch ts[0] {
		case types.Int, types.Long, types.Timespan:
			a.exact = true
		case types.Decimal:
			a.mergeable = true
		}
	}
	return a
}

// avgAcc is avg's accumulator.
type avgAcc struct {
	sum       float64
	hi        int64  // with lo, the exact 128-bit sum of integers when exact
	lo        uint64 //
	dsum      decimal.Decimal
	count     int64
	kind      int
	exact     bool
	mergeable bool // a decimal average
}

// addExact adds x to the 128-bit sum.
func (a *avgAcc) addExact(hi int64, lo uint64) {
	s, carry := bits.Add64(a.lo, lo, 0)
	a.lo = s
	a.hi += hi + int64(carry)
}

func (a *avgAcc) Add(args []any) {
	c, i, x := class(args[0])
	switch c {
	case cNone:
		return
	case cDec:
		if v, ok := args[0].(decimal.Decimal); ok {
			a.dsum = a.dsum.Add(v)
		}
	case cReal:
		a.sum += x
	default:
		if a.exact {
			a.addExact(i>>63, uint64(i))
		} else {
			a.sum += float64(i)
		}
	}
	if a.kind == cNone || c == cReal {
		a.kind = c
	}
	a.count++
}

// exactSum returns the 128-bit sum as a float64.
func (a *avgAcc) exactSum() float64 {
	if (a.hi == 0 && a.lo < 1<<63) || (a.hi == -1 && a.lo >= 1<<63) {
		return float64(int64(a.lo))
	}
	return float64(a.hi)*(1<<64) + float64(a.lo)
}

func (a *avgAcc) Result() []any {
	if a.count == 0 {
		return []any{nil}
	}
	sum := a.sum
	if a.exact {
		sum = a.exactSum()
	}
	switch a.kind {
	case cDec:
		return []any{a.dsum.Div(decimal.NewFromInt(a.count))}
	case cDur:
		return []any{types.Duration(math.Round(sum / float64(a.count)))}
	case cDate:
		return []any{types.Date(math.Round(sum / float64(a.count)))}
	}
	return []any{sum / float64(a.count)}
}

func (a *avgAcc) canMerge() bool { return a.exact || a.mergeable }

// Merge adds other's exact or decimal sum and count.
func (a *avgAcc) Merge(other Accumulator) {
	o := other.(*avgAcc)
	if o.count == 0 {
		return
	}
	if a.count == 0 {
		*a = *o
		return
	}
	a.addExact(o.hi, o.lo)
	a.dsum = a.dsum.Add(o.dsum)
	a.count += o.count
}

// newExtreme keeps the largest (sign 1) or smallest (sign -1) value; of
// equal values, the first.
func newExtreme(sign int, ts []types.Type) Accumulator {
	return &extremeAcc{sign: sign, mergeable: len(ts) > 0 && totalOrder(ts[0]),
		commutative: len(ts) > 0 && identicalWhenEqual(ts[0])}
}

// extremeAcc is the accumulator of max and min.
type extremeAcc struct {
	sign        int
	best        any
	mergeable   bool
	commutative bool // equal values are identical
	// isInt is set when best is integer-backed, holding bestInt (for
	// AddInt).
	isInt   bool
	bestInt int64
}

func (a *extremeAcc) Add(args []any) {
	v := args[0]
	if v == nil || isNaN(v) {
		return
	}
	if a.best == nil || Compare(v, a.best)*a.sign > 0 {
		a.best = v
		a.bestInt, a.isInt = intBacked(v)
	}
}

func (a *extremeAcc) Result() []any { return []any{a.best} }

func (a *extremeAcc) canMerge() bool { return a.mergeable }

// Merge keeps other's extremum only if it is strictly better, as Add does.
func (a *extremeAcc) Merge(other Accumulator) {
	if o := other.(*extremeAcc); o.best != nil {
		a.Add([]any{o.best})
	}
}

// newMoments computes the sample or population standard deviation or
// variance with Welford's algorithm; timespans and datetimes count ticks.
func newMoments(name string) Accumulator {
	var n, mean, m2 float64
	return &accFunc{
		add: func(args []any) {
			c, i, x := class(args[0])
			switch c {
			case cNone:
				return
			case cInt, cDur, cDate:
				x = float64(i)
			case cDec:
				x, _ = asReal(args[0])
			}
			n++
			d := x - mean
			mean += d / n
			m2 += d * (x - mean)
		},
		result: func() []any {
			if n == 0 {
				return []any{nil}
			}
			var v float64
			switch name {
			case "stdevp", "variancep":
				v = m2 / n
			default:
				if n < 2 {
					v = 0
				} else {
					v = m2 / (n - 1)
				}
			}
			if name == "stdev" || name == "stdevp" {
				v = math.Sqrt(v)
			}
			return []any{v}
		},
	}
}
