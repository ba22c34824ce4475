package functions

import (
	"math"
)

// This file registers the series_fill_* interpolation functions and the
// series_fir and series_iir filters.

// missing reports whether element i of arr is missing: null, or equal to
// the placeholder when one is given.
func missing(arr []any, i int, placeholder any) bool {
	if placeholder == nil {
		return arr[i] == nil
	}
	p, _ := asReal(placeholder)
	x, ok := asReal(arr[i])
	return ok && x == p
}

func init() {
	scalar("series_fill_backward", func(_ *Context, a []any) any {
		arr, ok := a[0].([]any)
		if !ok {
			return nil
		}
		out := append([]any(nil), arr...)
		var next any
		have := false
		for i := len(out) - 1; i >= 0; i-- {
			if missing(arr, i, arg(a, 1)) {
				if have {
					out[i] = next
				}
				continue
			}
			next, have = arr[i], true
		}
		return out
	}, "Dynamic, Number? -> dynamic")
	scalar("series_fill_forward", func(_ *Context, a []any) any {
		arr, ok := a[0].([]any)
		if !ok {
			return nil
		}
		out := append([]any(nil), arr...)
		var prev any
		have := false
		for i := range out {
			if missing(arr, i, arg(a, 1)) {
				if have {
					out[i] = prev
				}
				continue
			}
			prev, have = arr[i], true
		}
		return out
	}, "Dynamic, Number? -> dynamic")
	scalar("series_fill_const", func(_ *Context, a []any) any {
		arr, ok := a[0].([]any)
		if !ok {
			return nil
		}
		var c any = int64(0)
		if len(a) > 1 && a[1] != nil {
			c = a[1]
		}
		out := append([]any(nil), arr...)
		for i := range out {
			if missing(arr, i, arg(a, 2)) {
				out[i] = c
			}
		}
		return out
	}, "Dynamic, Number?, Number? -> dynamic")
	scalar("series_fill_linear", evalFillLinear, "Dynamic, Number?, bool?, Number? -> dynamic")

	scalar("series_fir", func(_ *Context, a []any) any {
		s, ok1 := readSeries(a[0])
		f, ok2 := readSeries(a[1])
		if !ok1 || !ok2 || len(f.Vals) == 0 {
			return nil
		}
		// normalize defaults to true unless the filter has a negative
		// coefficient; asked for with one, the result is null.
		negative := false
		for i, c := range f.Vals {
			negative = negative || (f.Ok[i] && c < 0)
		}
		normalize, center := !negative, false
		if b, ok := arg(a, 2).(bool); ok {
			if b && negative {
				return nil
			}
			normalize = b
		}
		if b, ok := arg(a, 3).(bool); ok {
			center = b
		}
		coef := append([]float64(nil), f.Vals...)
		if normalize {
			sum := 0.0
			for _, c := range coef {
				sum += c
			}
			if sum != 0 {
				for i := range coef {
					coef[i] /= sum
				}
			}
		}
		shift := 0
		if center {
			shift = (len(coef) - 1) / 2
		}
		n := len(s.Vals)
		out := make([]any, n)
		for i := 0; i < n; i++ {
			sum := 0.0
			for j, c := range coef {
				k := i + shift - j
				if k < 0 || k >= n || !s.Ok[k] {
					continue
				}
				sum += c * s.Vals[k]
			}
			out[i] = sum
		}
		return out
	}, "Dynamic, Dynamic, bool?, bool? -> dynamic")
	scalar("series_iir", func(_ *Context, a []any) any {
		s, ok1 := readSeries(a[0])
		num, ok2 := readSeries(a[1])
		den, ok3 := readSeries(a[2])
		if !ok1 || !ok2 || !ok3 || len(den.Vals) == 0 || den.Vals[0] == 0 {
			return nil
		}
		a0 := den.Vals[0]
		n := len(s.Vals)
		y := make([]float64, n)
		out := make([]any, n)
		for i := 0; i < n; i++ {
			sum := 0.0
			for k, b := range num.Vals {
				if i-k >= 0 && s.Ok[i-k] {
					sum += b * s.Vals[i-k]
				}
			}
			for k := 1; k < len(den.Vals); k++ {
				if i-k >= 0 {
					sum -= den.Vals[k] * y[i-k]
				}
			}
			y[i] = sum / a0
			out[i] = y[i]
		}
		return out
	}, "Dynamic, Dynamic, Dynamic -> dynamic")
}

// arg returns argument i, or nil when it was not given.
func arg(a []any, i int) any {
	if i < len(a) {
		return a[i]
	}
	return nil
}

// evalFillLinear interpolates missing elements linearly between their
// neighbours; fill_edges (default true) extends the first and last known
// values to the edges; an array with no known value is filled with the
// constant (default 0). Integer arrays stay integers (truncated).
func evalFillLinear(_ *Context, a []any) any {
	arr, ok := a[0].([]any)
	if !ok {
		return nil
	}
	edges := true
	if b, ok := arg(a, 2).(bool); ok {
		edges = b
	}
	c := 0.0
	if x, ok := asReal(arg(a, 3)); ok && arg(a, 3) != nil {
		c = x
	}
	ph := arg(a, 1)
	n := len(arr)
	vals := make([]float64, n)
	known := make([]bool, n)
	allLong, seen := true, false
	for i, x := range arr {
		if missing(arr, i, ph) {
			continue
		}
		f, ok := asReal(x)
		if !ok {
			continue
		}
		vals[i], known[i], seen = f, true, true
		if _, isLong := asLongExact(x); !isLong {
			allLong = false
		}
	}
	out := make([]any, n)
	if !seen {
		for i := range out {
			out[i] = c
		}
		return out
	}
	elem := func(f float64) any {
		if allLong {
			return int64(f)
		}
		return f
	}
	prev := -1
	for i := 0; i < n; i++ {
		if !known[i] {
			continue
		}
		if prev < 0 {
			for j := 0; j < i; j++ {
				if edges {
					out[j] = elem(vals[i])
				}
			}
		} else {
			for j := prev + 1; j < i; j++ {
				t := float64(j-prev) / float64(i-prev)
				out[j] = elem(vals[prev] + t*(vals[i]-vals[prev]))
			}
		}
		out[i] = arr[i]
		prev = i
	}
	for j := prev + 1; j < n; j++ {
		if edges {
			out[j] = elem(vals[prev])
		}
	}
	return out
}

// finite reports whether x is neither NaN nor infinite.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
