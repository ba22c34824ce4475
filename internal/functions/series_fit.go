package functions

import (
	"math"
	"sort"
	"strings"

	"github.com/huntql/huntql/internal/types"
)

// This file registers the series statistics and regression functions:
// series_stats(_dynamic), series_fit_line(_dynamic),
// series_fit_2lines(_dynamic) and series_fit_poly.

var statsOutputs = outs("min", types.Real, "min_idx", types.Long, "max", types.Real,
	"max_idx", types.Long, "avg", types.Real, "stdev", types.Real, "variance", types.Real)

var lineOutputs = outs("rsquare", types.Real, "slope", types.Real, "variance", types.Real,
	"rvariance", types.Real, "interception", types.Real, "line_fit", types.Dynamic)

var twoLinesOutputs = outs("rsquare", types.Real, "split_idx", types.Long,
	"variance", types.Real, "rvariance", types.Real, "line_fit", types.Dynamic,
	"right_rsquare", types.Real, "right_slope", types.Real, "right_interception", types.Real,
	"right_variance", types.Real, "right_rvariance", types.Real,
	"left_rsquare", types.Real, "left_slope", types.Real, "left_interception", types.Real,
	"left_variance", types.Real, "left_rvariance", types.Real)

var polyOutputs = outs("rsquare", types.Real, "coefficients", types.Dynamic,
	"variance", types.Real, "rvariance", types.Real, "poly_fit", types.Dynamic)

func init() {
	multiScalar("series_stats", statsOutputs, func(_ *Context, a []any) any {
		st, ok := seriesStats(a)
		if !ok {
			return nil
		}
		return st[:7]
	}, "Dynamic, bool? -> dynamic")
	scalar("series_stats_dynamic", func(_ *Context, a []any) any {
		st, ok := seriesStats(a)
		if !ok {
			return nil
		}
		bag := types.NewBag()
		for i, o := range statsOutputs {
			bag.Set(o.Suffix, st[i])
		}
		bag.Set("sum", st[7])
		bag.Set("len", st[8])
		return bag
	}, "Dynamic, bool? -> dynamic")
	multiScalar("series_fit_line", lineOutputs, func(_ *Context, a []any) any {
		return fitLineValues(a[0])
	}, "Dynamic -> dynamic")
	scalar("series_fit_line_dynamic", func(_ *Context, a []any) any {
		return asBag(lineOutputs, fitLineValues(a[0]))
	}, "Dynamic -> dynamic")
	multiScalar("series_fit_2lines", twoLinesOutputs, func(_ *Context, a []any) any {
		return fit2LinesValues(a[0])
	}, "Dynamic -> dynamic")
	scalar("series_fit_2lines_dynamic", func(_ *Context, a []any) any {
		return nestSides(asBag(twoLinesOutputs, fit2LinesValues(a[0])))
	}, "Dynamic -> dynamic")
	multiScalar("series_fit_poly", polyOutputs, evalFitPoly, "Dynamic, Dynamic?, int? -> dynamic")
}

// asBag turns a multi-output tuple into a property bag named by outs.
func asBag(o []Output, vals any) any {
	vs, ok := vals.([]any)
	if !ok {
		return nil
	}
	bag := types.NewBag()
	for i, x := range o {
		bag.Set(x.Suffix, vs[i])
	}
	return bag
}

// nestSides moves the right_ and left_ fields of a series_fit_2lines bag
// into bags named right and left, as the doc of series_fit_2lines_dynamic
// names them (right.rsquare, left.slope).
func nestSides(v any) any {
	bag, ok := v.(*types.Bag)
	if !ok {
		return v
	}
	out := types.NewBag()
	sides := map[string]*types.Bag{"right": types.NewBag(), "left": types.NewBag()}
	for _, k := range bag.Keys() {
		val, _ := bag.Get(k)
		side, field, found := strings.Cut(k, "_")
		if sub, isSide := sides[side]; found && isSide {
			sub.Set(field, val)
			if _, set := out.Get(side); !set {
				out.Set(side, sub)
			}
			continue
		}
		out.Set(k, val)
	}
	return out
}

// seriesStats computes min, min_idx, max, max_idx, avg, stdev, variance
// (sample), sum and len over the numeric elements; with ignore_nonfinite
// NaN and infinities are skipped too.
func seriesStats(a []any) ([]any, bool) {
	s, ok := readSeries(a[0])
	if !ok {
		return nil, false
	}
	ignore, _ := arg(a, 1).(bool)
	var xs []float64
	minI, maxI := -1, -1
	for i, x := range s.Vals {
		if !s.Ok[i] || (ignore && !finite(x)) {
			continue
		}
		if minI < 0 || x < s.Vals[minI] {
			minI = i
		}
		if maxI < 0 || x > s.Vals[maxI] {
			maxI = i
		}
		xs = append(xs, x)
	}
	out := make([]any, 9)
	out[8] = int64(len(xs))
	if len(xs) == 0 {
		return out, true
	}
	avg := mean(xs)
	out[0], out[1] = s.Vals[minI], int64(minI)
	out[2], out[3] = s.Vals[maxI], int64(maxI)
	out[4] = avg
	v := sampleVariance(xs, avg)
	out[5], out[6] = math.Sqrt(v), v
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	out[7] = sum
	return out, true
}

func sampleVariance(xs []float64, avg float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	ss := 0.0
	for _, x := range xs {
		ss += (x - avg) * (x - avg)
	}
	return ss / float64(len(xs)-1)
}

// lineFit is a least-squares line over points (x, y).
type lineFit struct {
	slope, icept, rsquare, variance, rvariance float64
}

func fitLine(xs, ys []float64) lineFit {
	n := float64(len(xs))
	if n == 0 {
		return lineFit{math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()}
	}
	mx, my := mean(xs), mean(ys)
	var sxy, sxx, syy float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
		syy += (ys[i] - my) * (ys[i] - my)
	}
	f := lineFit{}
	if sxx != 0 {
		f.slope = sxy / sxx
	}
	f.icept = my - f.slope*mx
	var sres float64
	for i := range xs {
		r := ys[i] - (f.icept + f.slope*xs[i])
		sres += r * r
	}
	f.rsquare = 1
	if syy != 0 {
		f.rsquare = 1 - sres/syy
	}
	if n > 1 {
		f.variance, f.rvariance = syy/(n-1), sres/(n-1)
	}
	return f
}

// points returns the numeric elements of v as (x, y) with x = 1..n by
// position; ok is false when v is not an array.
func points(v any) (xs, ys []float64, n int, ok bool) {
	s, ok := readSeries(v)
	if !ok {
		return nil, nil, 0, false
	}
	for i, y := range s.Vals {
		if s.Ok[i] {
			xs, ys = append(xs, float64(i+1)), append(ys, y)
		}
	}
	return xs, ys, len(s.Vals), true
}

func fitLineValues(v any) any {
	xs, ys, n, ok := points(v)
	if !ok {
		return nil
	}
	f := fitLine(xs, ys)
	fit := make([]any, n)
	for i := range fit {
		fit[i] = f.icept + f.slope*float64(i+1)
	}
	return []any{f.rsquare, f.slope, f.variance, f.rvariance, f.icept, fit}
}

// fit2LinesValues splits the series where two lines fit best (the least
// total squared residual), each side with at least two points.
func fit2LinesValues(v any) any {
	xs, ys, n, ok := points(v)
	if !ok {
		return nil
	}
	best, bestK := math.Inf(1), -1
	for k := 2; k <= len(xs)-2; k++ {
		l, r := fitLine(xs[:k], ys[:k]), fitLine(xs[k:], ys[k:])
		sres := residual(l, xs[:k], ys[:k]) + residual(r, xs[k:], ys[k:])
		if sres < best {
			best, bestK = sres, k
		}
	}
	if bestK < 0 {
		f := fitLine(xs, ys)
		fit := make([]any, n)
		for i := range fit {
			fit[i] = f.icept + f.slope*float64(i+1)
		}
		return []any{f.rsquare, int64(-1), f.variance, f.rvariance, fit,
			f.rsquare, f.slope, f.icept, f.variance, f.rvariance,
			f.rsquare, f.slope, f.icept, f.variance, f.rvariance}
	}
	l, r := fitLine(xs[:bestK], ys[:bestK]), fitLine(xs[bestK:], ys[bestK:])
	split := xs[bestK] - 1 // index in the input of the first right point
	fit := make([]any, n)
	for i := range fit {
		x := float64(i + 1)
		if float64(i) < split {
			fit[i] = l.icept + l.slope*x
		} else {
			fit[i] = r.icept + r.slope*x
		}
	}
	all := fitLine(xs, ys)
	my := mean(ys)
	var syy float64
	for _, y := range ys {
		syy += (y - my) * (y - my)
	}
	rsq := 1.0
	if syy != 0 {
		rsq = 1 - best/syy
	}
	rvar := 0.0
	if len(ys) > 1 {
		rvar = best / float64(len(ys)-1)
	}
	return []any{rsq, int64(split), all.variance, rvar, fit,
		r.rsquare, r.slope, r.icept, r.variance, r.rvariance,
		l.rsquare, l.slope, l.icept, l.variance, l.rvariance}
}

func residual(f lineFit, xs, ys []float64) float64 {
	s := 0.0
	for i := range xs {
		r := ys[i] - (f.icept + f.slope*xs[i])
		s += r * r
	}
	return s
}

// evalFitPoly fits a polynomial of the given degree (default 1) to y over
// x (default 1..n) by least squares; coefficients run from the highest
// power down.
func evalFitPoly(_ *Context, a []any) any {
	ys0, ok := readSeries(a[0])
	if !ok {
		return nil
	}
	degree := 1
	if d, ok := asLong(arg(a, 2)); ok && arg(a, 2) != nil {
		degree = int(d)
	}
	if degree < 1 || degree > 16 {
		return nil
	}
	n := len(ys0.Vals)
	xAll := make([]float64, n)
	xOk := make([]bool, n)
	for i := range xAll {
		xAll[i], xOk[i] = float64(i+1), true
	}
	if xs0, ok := readSeries(arg(a, 1)); ok {
		if len(xs0.Vals) != n {
			return nil
		}
		xAll, xOk = xs0.Vals, xs0.Ok
	}
	var xs, ys []float64
	for i := range ys0.Vals {
		if ys0.Ok[i] && xOk[i] {
			xs, ys = append(xs, xAll[i]), append(ys, ys0.Vals[i])
		}
	}
	m := degree + 1
	if len(xs) < m {
		return nil
	}
	// Normal equations (X^T X) c = X^T y, solved by Gaussian elimination.
	mat := make([][]float64, m)
	for r := range mat {
		mat[r] = make([]float64, m+1)
		for c := 0; c < m; c++ {
			for i := range xs {
				mat[r][c] += math.Pow(xs[i], float64(r+c))
			}
		}
		for i := range xs {
			mat[r][m] += math.Pow(xs[i], float64(r)) * ys[i]
		}
	}
	coef, ok := solve(mat)
	if !ok {
		return nil
	}
	eval := func(x float64) float64 {
		s := 0.0
		for p := m - 1; p >= 0; p-- {
			s = s*x + coef[p]
		}
		return s
	}
	my := mean(ys)
	var syy, sres float64
	for i := range xs {
		syy += (ys[i] - my) * (ys[i] - my)
		r := ys[i] - eval(xs[i])
		sres += r * r
	}
	rsq := 1.0
	if syy != 0 {
		rsq = 1 - sres/syy
	}
	k := float64(len(xs) - 1)
	cs := make([]any, m)
	for p := 0; p < m; p++ {
		cs[p] = coef[m-1-p]
	}
	fit := make([]any, n)
	for i := range fit {
		fit[i] = eval(xAll[i])
	}
	return []any{rsq, cs, syy / k, sres / k, fit}
}

// solve solves an augmented linear system by Gaussian elimination with
// partial pivoting.
func solve(m [][]float64) ([]float64, bool) {
	n := len(m)
	for c := 0; c < n; c++ {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		if m[p][c] == 0 {
			return nil, false
		}
		m[c], m[p] = m[p], m[c]
		for r := c + 1; r < n; r++ {
			f := m[r][c] / m[c][c]
			for k := c; k <= n; k++ {
				m[r][k] -= f * m[c][k]
			}
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		s := m[r][n]
		for k := r + 1; k < n; k++ {
			s -= m[r][k] * x[k]
		}
		x[r] = s / m[r][r]
	}
	return x, true
}

// median returns the median of xs (which it sorts), NaN when empty.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	sort.Float64s(xs)
	h := len(xs) / 2
	if len(xs)%2 == 1 {
		return xs[h]
	}
	return (xs[h-1] + xs[h]) / 2
}
