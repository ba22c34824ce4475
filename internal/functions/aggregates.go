package functions

import (
	"math"

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
	return &accFunc{
		add: func(args []any) {
			if pred >= len(args) {
				return
			}
			if b, ok := ToBool(args[pred]); ok && b {
				rest := make([]any, 0, len(args)-1)
				rest = append(rest, args[:pred]...)
				rest = append(rest, args[pred+1:]...)
				inner.Add(rest)
			}
		},
		result: inner.Result,
	}
}

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
		n := int64(0)
		all := len(ts) == 0 || ts[0] != types.Bool
		return &accFunc{
			add: func(args []any) {
				if all || len(args) == 0 {
					n++
				} else if b, ok := ToBool(args[0]); ok && b {
					n++
				}
			},
			result: func() []any { return []any{n} },
		}
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
		agg := aggregate(mm.name, func([]types.Type) Accumulator { return newExtreme(sign) },
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
func newSum([]types.Type) Accumulator {
	var (
		n    int64
		f    float64
		d    decimal.Decimal
		kind = cNone
	)
	return &accFunc{
		add: func(args []any) {
			c, i, x := class(args[0])
			switch {
			case c == cNone:
				return
			case c == cDec || kind == cDec:
				if kind != cDec {
					d = decimal.NewFromInt(n).Add(decimal.NewFromFloat(f))
					kind = cDec
				}
				if v, ok := toDecimalValue(args[0]).(decimal.Decimal); ok {
					d = d.Add(v)
				}
			case c == cReal || kind == cReal:
				if kind != cReal {
					f = float64(n)
					kind = cReal
				}
				if c == cReal {
					f += x
				} else {
					f += float64(i)
				}
			default:
				n += i
				if kind == cNone {
					kind = c
				}
			}
		},
		result: func() []any {
			switch kind {
			case cInt:
				return []any{n}
			case cDur:
				return []any{types.Duration(n)}
			case cDate:
				return []any{types.Date(n)}
			case cReal:
				return []any{f}
			case cDec:
				return []any{d}
			}
			return []any{nil}
		},
	}
}

// newAvg averages numbers (as real), decimals, timespans or datetimes.
func newAvg([]types.Type) Accumulator {
	var (
		sum   float64
		dsum  decimal.Decimal
		count int64
		kind  = cNone
	)
	return &accFunc{
		add: func(args []any) {
			c, i, x := class(args[0])
			switch c {
			case cNone:
				return
			case cDec:
				if v, ok := args[0].(decimal.Decimal); ok {
					dsum = dsum.Add(v)
				}
			case cReal:
				sum += x
			default:
				sum += float64(i)
			}
			if kind == cNone || c == cReal {
				kind = c
			}
			count++
		},
		result: func() []any {
			if count == 0 {
				return []any{nil}
			}
			switch kind {
			case cDec:
				return []any{dsum.Div(decimal.NewFromInt(count))}
			case cDur:
				return []any{types.Duration(math.Round(sum / float64(count)))}
			case cDate:
				return []any{types.Date(math.Round(sum / float64(count)))}
			}
			return []any{sum / float64(count)}
		},
	}
}

// newExtreme keeps the largest (sign 1) or smallest (sign -1) value.
func newExtreme(sign int) Accumulator {
	var best any
	return &accFunc{
		add: func(args []any) {
			v := args[0]
			if v == nil || isNaN(v) {
				return
			}
			if best == nil || Compare(v, best)*sign > 0 {
				best = v
			}
		},
		result: func() []any { return []any{best} },
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
