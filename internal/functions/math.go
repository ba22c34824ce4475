package functions

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/types"
)

// This file registers the mathematical and bitwise functions.

func init() {
	real1 := func(name string, f func(float64) float64) {
		scalar(name, func(_ *Context, a []any) any {
			x, ok := asReal(a[0])
			if !ok || a[0] == nil {
				return nil
			}
			return f(x)
		}, "Number -> real")
	}
	// The docs of sqrt and the logarithms give null for a negative argument,
	// those of asin and acos for one outside [-1, 1], where Go gives NaN.
	nonNegative := func(x float64) bool { return !(x < 0) }
	unit := func(x float64) bool { return !(x < -1 || x > 1) }
	realOrNull := func(name string, f func(float64) float64, ok func(float64) bool) {
		scalar(name, func(_ *Context, a []any) any {
			x, isReal := asReal(a[0])
			if !isReal || a[0] == nil || !ok(x) {
				return nil
			}
			return f(x)
		}, "Number -> real")
	}
	realOrNull("sqrt", math.Sqrt, nonNegative)
	real1("exp", math.Exp)
	real1("exp2", math.Exp2)
	real1("exp10", func(x float64) float64 { return math.Pow(10, x) })
	realOrNull("log", math.Log, nonNegative)
	realOrNull("log2", math.Log2, nonNegative)
	realOrNull("log10", math.Log10, nonNegative)
	real1("sin", math.Sin)
	real1("cos", math.Cos)
	real1("tan", correctTan)
	realOrNull("asin", math.Asin, unit)
	realOrNull("acos", math.Acos, unit)
	real1("atan", math.Atan)
	// cot is 1/tan in double arithmetic: the docs' cot(1) is 0.64209261593433065,
	// 1 over the rounded tan(1), not the rounded cotangent (...3307).
	real1("cot", func(x float64) float64 { return 1 / correctTan(x) })
	real1("degrees", func(x float64) float64 { return x * 180 / math.Pi })
	real1("radians", func(x float64) float64 { return x * math.Pi / 180 })
	real1("gamma", math.Gamma)
	real1("loggamma", func(x float64) float64 { v, _ := math.Lgamma(x); return v })
	real1("erf", math.Erf)
	real1("erfc", math.Erfc)
	real1("sign", func(x float64) float64 {
		switch {
		case x > 0:
			return 1
		case x < 0:
			return -1
		}
		return x
	})
	scalar("pi", func(_ *Context, _ []any) any { return math.Pi }, " -> real")
	scalar("pow", func(_ *Context, a []any) any {
		x, ok1 := asReal(a[0])
		y, ok2 := asReal(a[1])
		if !ok1 || !ok2 {
			return nil
		}
		return math.Pow(x, y)
	}, "Number, Number -> real")
	scalar("atan2", func(_ *Context, a []any) any {
		y, ok1 := asReal(a[0])
		x, ok2 := asReal(a[1])
		if !ok1 || !ok2 {
			return nil
		}
		return math.Atan2(y, x)
	}, "Number, Number -> real")
	realPred := func(name string, f func(float64) bool) {
		scalar(name, func(_ *Context, a []any) any {
			x, ok := asReal(a[0])
			if !ok {
				return nil
			}
			return f(x)
		}, "real -> bool")
	}
	realPred("isnan", math.IsNaN)
	realPred("isinf", func(x float64) bool { return math.IsInf(x, 0) })
	realPred("isfinite", func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) })
	scalar("abs", evalAbs, "Integer -> long", "Number -> P0", "timespan -> timespan")
	scalar("round", evalRound, "Number, long? -> P0")
	scalar("ceiling", func(_ *Context, a []any) any {
		return roundWith(a[0], math.Ceil)
	}, "Number -> P0")
	scalar("rand", func(_ *Context, a []any) any {
		if len(a) > 0 && a[0] != nil {
			n, ok := asLong(a[0])
			if !ok || n <= 0 {
				return nil
			}
			return float64(rand.Int64N(n))
		}
		return rand.Float64()
	}, "Integer? -> real").Volatile = true
	bit2 := func(name string, f func(x, y int64) int64) {
		scalar(name, func(_ *Context, a []any) any {
			x, ok1 := intValue(a[0])
			y, ok2 := intValue(a[1])
			if !ok1 || !ok2 {
				return nil
			}
			return f(x, y)
		}, "Integer, Integer -> long")
	}
	bit2("binary_and", func(x, y int64) int64 { return x & y })
	bit2("binary_or", func(x, y int64) int64 { return x | y })
	bit2("binary_xor", func(x, y int64) int64 { return x ^ y })
	// The shifts are value << (shift % 64) and value >> (shift % 64); a
	// negative shift gives null (their docs).
	shift := func(name string, f func(x int64, y uint64) int64) {
		scalar(name, func(_ *Context, a []any) any {
			x, ok1 := intValue(a[0])
			y, ok2 := intValue(a[1])
			if !ok1 || !ok2 || y < 0 {
				return nil
			}
			return f(x, uint64(y)%64)
		}, "Integer, Integer -> long")
	}
	shift("binary_shift_left", func(x int64, y uint64) int64 { return x << y })
	shift("binary_shift_right", func(x int64, y uint64) int64 { return x >> y })
	// tohex writes an int's two's complement in 32 bits and a long's in 64
	// (tohex(toint(-256)) is ffffff00); minLength pads with zeros up to 16
	// characters, "values greater than 16 are truncated to 16" (its doc).
	scalar("tohex", func(_ *Context, a []any) any {
		x, ok := intValue(a[0])
		if !ok {
			return nil
		}
		u := uint64(x)
		if i, isInt := a[0].(int32); isInt {
			u = uint64(uint32(i))
		}
		h := strconv.FormatUint(u, 16)
		if len(a) > 1 && a[1] != nil {
			if n, ok := asLong(a[1]); ok && n > int64(len(h)) {
				h = strings.Repeat("0", int(min(n, 16))-len(h)) + h
			}
		}
		return h
	}, "Integer, Integer? -> string")
	scalar("binary_not", func(_ *Context, a []any) any {
		x, ok := intValue(a[0])
		if !ok {
			return nil
		}
		return ^x
	}, "Integer -> long")
	scalar("bitset_count_ones", func(_ *Context, a []any) any {
		x, ok := intValue(a[0])
		if !ok {
			return nil
		}
		n := int64(0)
		for u := uint64(x); u != 0; u &= u - 1 {
			n++
		}
		return n
	}, "Integer -> long")
}

func evalAbs(_ *Context, a []any) any {
	switch x := a[0].(type) {
	case int32:
		return int64(math.Abs(float64(x)))
	case int64:
		if x < 0 {
			return -x
		}
		return x
	case float64:
		return math.Abs(x)
	case decimal.Decimal:
		return x.Abs()
	case types.Duration:
		if x < 0 {
			return -x
		}
		return x
	}
	return nil
}

// evalRound rounds half away from zero to the given number of decimal
// digits (0 by default); integers are returned unchanged unless the
// precision is negative.
func evalRound(_ *Context, a []any) any {
	prec := int64(0)
	if len(a) > 1 {
		// A null precision is a null argument: null in, null out (it
		// was read as the default 0).
		p, ok := asLong(a[1])
		if !ok {
			return nil
		}
		prec = p
	}
	scale := math.Pow(10, float64(prec))
	switch x := a[0].(type) {
	case int32, int64:
		if prec >= 0 {
			return x
		}
		n, _ := intValue(x)
		r := int64(0)
		if scale != 0 {
			r = int64(math.Round(float64(n)*scale) / scale)
		}
		if _, is32 := x.(int32); is32 {
			return int32(r)
		}
		return r
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return x
		}
		return math.Round(x*scale) / scale
	case decimal.Decimal:
		// Kusto's decimal holds at most 38 digits; clamping keeps an absurd
		// precision from building a power of ten of billions of digits.
		return x.Round(int32(max(-64, min(prec, 64))))
	}
	return nil
}

// roundWith applies f to a number, keeping its type.
func roundWith(v any, f func(float64) float64) any {
	switch x := v.(type) {
	case int32, int64:
		return x
	case float64:
		return f(x)
	case decimal.Decimal:
		fl, _ := x.Float64()
		return decimal.NewFromFloat(f(fl))
	}
	return nil
}

// piText is π to 110 digits, enough to reduce any |x| below 2^30 exactly
// enough for a correctly rounded tangent.
const piText = "3.14159265358979323846264338327950288419716939937510" +
	"58209749445923078164062862089986280348253421170679821480865"

// correctTan returns tan(x) rounded correctly from a 256-bit evaluation.
// Kusto's Math.Tan is the C runtime's, which rounds correctly where Go's
// math.Tan can be an ulp off (math.Tan(1) is 1.557407724654902, the nearest
// double to tan(1) is 1.5574077246549023, and the docs' cot(1) follows from
// the latter). Beyond 2^30 and for NaN it falls back to math.Tan.
func correctTan(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.Abs(x) > 1<<30 {
		return math.Tan(x)
	}
	const prec = 256
	pi, _, _ := big.ParseFloat(piText, 10, prec, big.ToNearestEven)
	r := new(big.Float).SetPrec(prec).SetFloat64(x)
	k := new(big.Float).SetPrec(prec).SetFloat64(math.Round(x / math.Pi))
	r.Sub(r, k.Mul(k, pi)) // tan has period π; |r| is about π/2 at most
	r2 := new(big.Float).SetPrec(prec).Mul(r, r)
	r2.Neg(r2)
	sin, cos := sumSeries(r, r2, 1), sumSeries(big.NewFloat(1).SetPrec(prec), r2, 0)
	f, _ := new(big.Float).SetPrec(prec).Quo(sin, cos).Float64()
	return f
}

// sumSeries sums the Taylor series of sin (first = r, n0 = 1) or cos
// (first = 1, n0 = 0): each term is the last times -r² / ((n+1)(n+2)).
func sumSeries(first, negR2 *big.Float, n0 int64) *big.Float {
	prec := first.Prec()
	sum := new(big.Float).SetPrec(prec).Set(first)
	term := new(big.Float).SetPrec(prec).Set(first)
	div := new(big.Float).SetPrec(prec)
	for n := n0; n < 400; n += 2 {
		term.Mul(term, negR2)
		term.Quo(term, div.SetInt64((n+1)*(n+2)))
		if term.Sign() == 0 || term.MantExp(nil)-sum.MantExp(nil) < -int(prec) {
			break
		}
		sum.Add(sum, term)
	}
	return sum
}
