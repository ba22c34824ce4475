package functions

import (
	"math"

	"github.com/huntql/huntql/internal/types"
)

// This file registers the element-wise series_* functions over dynamic
// numeric arrays (as make-series builds them) and the reductions to one
// number. A null or non-numeric element yields a null element.

// series is a numeric array read from a dynamic value: Vals[i] is element i
// as a real, Ok[i] false where it is null or not a number, Long[i] true
// where it is an integer.
type series struct {
	Vals []float64
	Ok   []bool
	Long []bool
}

// readSeries reads v as a numeric array; ok is false when v is not an array.
func readSeries(v any) (series, bool) {
	arr, ok := v.([]any)
	if !ok {
		return series{}, false
	}
	s := series{Vals: make([]float64, len(arr)), Ok: make([]bool, len(arr)),
		Long: make([]bool, len(arr))}
	for i, x := range arr {
		switch n := x.(type) {
		case int64:
			s.Vals[i], s.Ok[i], s.Long[i] = float64(n), true, true
		case int32:
			s.Vals[i], s.Ok[i], s.Long[i] = float64(n), true, true
		case float64:
			s.Vals[i], s.Ok[i] = n, true
		case types.Date:
			s.Vals[i], s.Ok[i] = float64(n), true // ticks, as Kusto computes on them
		case types.Duration:
			s.Vals[i], s.Ok[i] = float64(n), true
		case bool, nil, string:
			// not a number: a missing element
		default:
			if f, ok := asReal(x); ok {
				s.Vals[i], s.Ok[i] = f, true
			}
		}
	}
	return s, true
}

// realElem is a real array element: NaN and infinities stay reals, as in
// Kusto's JSON output of dynamic values.
func realElem(f float64) any { return f }

func init() {
	unary := func(name string, f func(float64) float64, keepLong bool) {
		scalar(name, func(_ *Context, a []any) any {
			s, ok := readSeries(a[0])
			if !ok {
				return nil
			}
			out := make([]any, len(s.Vals))
			for i, x := range s.Vals {
				switch {
				case !s.Ok[i]:
				case keepLong && s.Long[i]:
					out[i] = int64(f(x))
				default:
					out[i] = realElem(f(x))
				}
			}
			return out
		}, "Dynamic -> dynamic")
	}
	unary("series_abs", math.Abs, true)
	unary("series_acos", math.Acos, false)
	unary("series_asin", math.Asin, false)
	unary("series_atan", math.Atan, false)
	unary("series_cos", math.Cos, false)
	unary("series_sin", math.Sin, false)
	unary("series_tan", math.Tan, false)
	unary("series_exp", math.Exp, false)
	unary("series_log", roundedLog, false)
	unary("series_floor", math.Floor, false)
	unary("series_ceiling", math.Ceil, false)
	scalar("series_sign", func(_ *Context, a []any) any {
		s, ok := readSeries(a[0])
		if !ok {
			return nil
		}
		out := make([]any, len(s.Vals))
		for i, x := range s.Vals {
			if !s.Ok[i] {
				continue
			}
			switch {
			case x > 0:
				out[i] = int64(1)
			case x < 0:
				out[i] = int64(-1)
			case x == 0:
				out[i] = int64(0)
			default:
				out[i] = realElem(x)
			}
		}
		return out
	}, "Dynamic -> dynamic")

	arith := func(name string, f func(x, y float64) float64, intOp func(x, y int64) (int64, bool)) {
		scalar(name, func(_ *Context, a []any) any {
			return seriesBinary(a[0], a[1], func(x, y float64, xl, yl bool) any {
				if xl && yl && intOp != nil {
					if v, ok := intOp(int64(x), int64(y)); ok {
						return v
					}
					return nil
				}
				return realElem(f(x, y))
			})
		}, "Dynamic, Dynamic -> dynamic", "Dynamic, Number -> dynamic", "Number, Dynamic -> dynamic")
	}
	arith("series_add", func(x, y float64) float64 { return x + y },
		func(x, y int64) (int64, bool) { return x + y, true })
	arith("series_subtract", func(x, y float64) float64 { return x - y },
		func(x, y int64) (int64, bool) { return x - y, true })
	arith("series_multiply", func(x, y float64) float64 { return x * y },
		func(x, y int64) (int64, bool) { return x * y, true })
	arith("series_divide", func(x, y float64) float64 { return x / y }, nil)
	arith("series_pow", math.Pow, nil)
	cmp := func(name string, f func(x, y float64) bool) {
		scalar(name, func(_ *Context, a []any) any {
			return seriesBinary(a[0], a[1], func(x, y float64, _, _ bool) any { return f(x, y) })
		}, "Dynamic, Dynamic -> dynamic", "Dynamic, Number -> dynamic", "Number, Dynamic -> dynamic")
	}
	cmp("series_equals", func(x, y float64) bool { return x == y })
	cmp("series_not_equals", func(x, y float64) bool { return x != y })
	cmp("series_greater", func(x, y float64) bool { return x > y })
	cmp("series_greater_equals", func(x, y float64) bool { return x >= y })
	cmp("series_less", func(x, y float64) bool { return x < y })
	cmp("series_less_equals", func(x, y float64) bool { return x <= y })

	reduce := func(name string, f func(s series) any) {
		scalar(name, func(_ *Context, a []any) any {
			s, ok := readSeries(a[0])
			if !ok {
				return nil
			}
			return f(s)
		}, "Dynamic -> real")
	}
	reduce("series_sum", func(s series) any {
		sum := 0.0
		for i, x := range s.Vals {
			if s.Ok[i] {
				sum += x
			}
		}
		return sum
	})
	reduce("series_product", func(s series) any {
		p := 1.0
		for i, x := range s.Vals {
			if s.Ok[i] {
				p *= x
			}
		}
		return p
	})
	reduce("series_magnitude", func(s series) any { return magnitude(s) })
	scalar("series_dot_product", func(_ *Context, a []any) any {
		prod, ok := seriesBinary(a[0], a[1], func(x, y float64, _, _ bool) any {
			return x * y
		}).([]any)
		if !ok {
			return nil
		}
		sum := 0.0
		for _, v := range prod {
			if f, ok := v.(float64); ok {
				sum += f
			}
		}
		return sum
	}, "Dynamic, Dynamic -> real", "Dynamic, Number -> real", "Number, Dynamic -> real")
	scalar("series_cosine_similarity", func(_ *Context, a []any) any {
		s1, ok1 := readSeries(a[0])
		s2, ok2 := readSeries(a[1])
		if !ok1 || !ok2 || len(s1.Vals) != len(s2.Vals) {
			return nil
		}
		m1, m2 := magnitude(s1), magnitude(s2)
		if len(a) > 2 && a[2] != nil {
			m1, _ = asReal(a[2])
		}
		if len(a) > 3 && a[3] != nil {
			m2, _ = asReal(a[3])
		}
		dot := 0.0
		for i := range s1.Vals {
			if s1.Ok[i] && s2.Ok[i] {
				dot += s1.Vals[i] * s2.Vals[i]
			}
		}
		return dot / (m1 * m2)
	}, "Dynamic, Dynamic, real?, real? -> real")
	scalar("series_pearson_correlation", func(_ *Context, a []any) any {
		s1, ok1 := readSeries(a[0])
		s2, ok2 := readSeries(a[1])
		if !ok1 || !ok2 || len(s1.Vals) != len(s2.Vals) {
			return nil
		}
		var xs, ys []float64
		for i := range s1.Vals {
			if s1.Ok[i] && s2.Ok[i] {
				xs, ys = append(xs, s1.Vals[i]), append(ys, s2.Vals[i])
			}
		}
		if len(xs) == 0 {
			return nil
		}
		mx, my := mean(xs), mean(ys)
		var sxy, sxx, syy float64
		for i := range xs {
			dx, dy := xs[i]-mx, ys[i]-my
			sxy, sxx, syy = sxy+dx*dy, sxx+dx*dx, syy+dy*dy
		}
		return sxy / math.Sqrt(sxx*syy)
	}, "Dynamic, Dynamic -> real")
}

// seriesBinary applies f element-wise to two arrays, or to an array and a
// number (either side). Elements past the shorter array's end and
// non-numeric elements yield null.
func seriesBinary(a, b any, f func(x, y float64, xl, yl bool) any) any {
	s1, ok1 := readSeries(a)
	s2, ok2 := readSeries(b)
	if !ok1 && !ok2 {
		return nil
	}
	if !ok1 || !ok2 {
		// One side is a scalar: broadcast it.
		v := b
		if !ok1 {
			v = a
		}
		if v == nil {
			return nil
		}
		x, ok := asReal(v)
		if !ok {
			return nil
		}
		_, isLong := asLongExact(v)
		n := len(s1.Vals) + len(s2.Vals)
		sc := series{Vals: make([]float64, n), Ok: make([]bool, n), Long: make([]bool, n)}
		for i := range sc.Vals {
			sc.Vals[i], sc.Ok[i], sc.Long[i] = x, true, isLong
		}
		if !ok1 {
			s1 = sc
		} else {
			s2 = sc
		}
	}
	n := max(len(s1.Vals), len(s2.Vals))
	out := make([]any, n)
	for i := 0; i < n; i++ {
		if i >= len(s1.Vals) || i >= len(s2.Vals) || !s1.Ok[i] || !s2.Ok[i] {
			continue
		}
		out[i] = f(s1.Vals[i], s2.Vals[i], s1.Long[i], s2.Long[i])
	}
	return out
}

// asLongExact reports whether v is an integer value.
func asLongExact(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int32:
		return int64(x), true
	}
	return 0, false
}

func magnitude(s series) float64 {
	sum := 0.0
	for i, x := range s.Vals {
		if s.Ok[i] {
			sum += x * x
		}
	}
	return math.Sqrt(sum)
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// Output is one column of a function that returns several values, such as
// series_stats: Kusto names it <function>_<argument>_<Suffix>.
type Output struct {
	Suffix string
	Type   types.Type
}

var multi = map[string][]Output{}

// Outputs returns the columns of a function that returns several values
// (extend and project expand it), or nil for an ordinary function. Such a
// function's Eval returns a []any with one value per output.
func Outputs(name string) []Output { return multi[name] }

// multiScalar registers a function with several outputs.
func multiScalar(name string, outs []Output, eval func(*Context, []any) any, specs ...string) {
	multi[name] = outs
	scalar(name, eval, specs...)
}

func outs(spec ...any) []Output {
	var o []Output
	for i := 0; i < len(spec); i += 2 {
		o = append(o, Output{Suffix: spec[i].(string), Type: spec[i+1].(types.Type)})
	}
	return o
}

// OutputItem reads output i (its second argument) of a multi-output
// function's tuple (its first); extend and project call it once per
// output column. It is not registered: queries cannot name it.
var OutputItem = &Scalar{
	Name: "output_item", MinArgs: 2, MaxArgs: 2,
	Result: func([]types.Type) (types.Type, error) { return types.Dynamic, nil },
	Eval: safeEval(func(_ *Context, a []any) any {
		vs, ok := a[0].([]any)
		i, ok2 := a[1].(int64)
		if !ok || !ok2 || i < 0 || i >= int64(len(vs)) {
			return nil
		}
		return vs[i]
	}),
}
