package functions

import (
	"fmt"
	"math"

	"github.com/huntql/huntql/internal/types"
)

// This file registers the statistical scalar functions beta_cdf, beta_pdf,
// beta_inv and welch_test, and around and assert.

func init() {
	beta := func(name string, f func(x, a, b float64) any) {
		scalar(name, func(_ *Context, args []any) any {
			x, ok1 := asReal(args[0])
			a, ok2 := asReal(args[1])
			b, ok3 := asReal(args[2])
			if args[0] == nil || args[1] == nil || args[2] == nil || !ok1 || !ok2 || !ok3 {
				return nil
			}
			if a <= 0 || a > 10000 || b <= 0 || b > 10000 {
				return math.NaN()
			}
			return f(x, a, b)
		}, "Number, Number, Number -> real")
	}
	beta("beta_cdf", func(x, a, b float64) any {
		if x < 0 || x > 1 {
			return math.NaN()
		}
		return regIncBeta(a, b, x)
	})
	beta("beta_pdf", func(x, a, b float64) any {
		if x < 0 || x > 1 {
			return math.NaN()
		}
		return math.Exp((a-1)*math.Log(x) + (b-1)*math.Log1p(-x) - logBeta(a, b))
	})
	beta("beta_inv", func(p, a, b float64) any {
		if p < 0 || p > 1 {
			return nil
		}
		return invRegIncBeta(a, b, p)
	})
	scalar("welch_test", evalWelch,
		"Number, Number, Number, Number, Number, Number -> real")
	scalar("around", evalAround, "Scalar, Scalar, Scalar -> bool")
	scalar("assert", func(ctx *Context, a []any) any {
		if b, ok := a[0].(bool); ok && b {
			return true
		}
		ctx.Fail(fmt.Errorf("%w: '%s'", ErrAssert, str(a[1])))
		return false
	}, "bool, string -> bool")
}

func logBeta(a, b float64) float64 {
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	return la + lb - lab
}

// regIncBeta is the regularized incomplete beta function I_x(a, b), by
// Lentz's continued fraction.
func regIncBeta(a, b, x float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	if x > (a+1)/(a+b+2) {
		return 1 - regIncBeta(b, a, 1-x)
	}
	front := math.Exp(a*math.Log(x)+b*math.Log1p(-x)-logBeta(a, b)) / a
	const tiny = 1e-300
	f, c, d := 1.0, 1.0, 0.0
	for i := 0; i <= 300; i++ {
		m := float64(i / 2)
		var num float64
		switch {
		case i == 0:
			num = 1
		case i%2 == 0:
			num = m * (b - m) * x / ((a + 2*m - 1) * (a + 2*m))
		default:
			num = -(a + m) * (a + b + m) * x / ((a + 2*m) * (a + 2*m + 1))
		}
		d = 1 + num*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		d = 1 / d
		c = 1 + num/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		cd := c * d
		f *= cd
		if math.Abs(1-cd) < 1e-15 {
			break
		}
	}
	return front * (f - 1)
}

// invRegIncBeta inverts regIncBeta in x by bisection, which converges
// everywhere since I_x is monotonic.
func invRegIncBeta(a, b, p float64) float64 {
	lo, hi := 0.0, 1.0
	for i := 0; i < 200; i++ {
		mid := (lo + hi) / 2
		if regIncBeta(a, b, mid) < p {
			lo = mid
		} else {
			hi = mid
		}
		if hi-lo < 1e-17 {
			break
		}
	}
	return (lo + hi) / 2
}

// evalWelch returns the two-sided p-value of Welch's t-test for two samples
// given by mean, variance and count.
func evalWelch(_ *Context, a []any) any {
	var v [6]float64
	for i := range v {
		x, ok := asReal(a[i])
		if a[i] == nil || !ok {
			return nil
		}
		v[i] = x
	}
	m1, s1, n1, m2, s2, n2 := v[0], v[1], v[2], v[3], v[4], v[5]
	q1, q2 := s1/n1, s2/n2
	t := (m1 - m2) / math.Sqrt(q1+q2)
	df := (q1 + q2) * (q1 + q2) / (q1*q1/(n1-1) + q2*q2/(n2-1))
	if math.IsNaN(t) || math.IsNaN(df) || df <= 0 {
		return math.NaN()
	}
	return regIncBeta(df/2, 0.5, df/(df+t*t))
}

// evalAround reports whether value lies within delta of center (both ends
// included), for numbers, datetimes and timespans.
func evalAround(_ *Context, a []any) any {
	if a[0] == nil || a[1] == nil || a[2] == nil {
		return nil
	}
	switch v := a[0].(type) {
	case types.Date:
		c, ok1 := a[1].(types.Date)
		d, ok2 := a[2].(types.Duration)
		if !ok1 || !ok2 {
			return nil
		}
		return v >= c-types.Date(d) && v <= c+types.Date(d)
	case types.Duration:
		c, ok1 := a[1].(types.Duration)
		d, ok2 := a[2].(types.Duration)
		if !ok1 || !ok2 {
			return nil
		}
		return v >= c-d && v <= c+d
	}
	x, ok1 := asReal(a[0])
	c, ok2 := asReal(a[1])
	d, ok3 := asReal(a[2])
	if !ok1 || !ok2 || !ok3 {
		return nil
	}
	return x >= c-d && x <= c+d
}
