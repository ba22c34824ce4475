package functions

import (
	"math"
	"math/cmplx"
	"sort"

	"github.com/huntql/huntql/internal/types"
)

// This file registers the seasonal analysis functions: series_seasonal,
// series_outliers, series_decompose(_anomalies, _forecast),
// series_periods_detect/validate and series_fft/ifft.

var decomposeOutputs = outs("baseline", types.Dynamic, "seasonal", types.Dynamic,
	"trend", types.Dynamic, "residual", types.Dynamic)

func init() {
	scalar("series_seasonal", func(_ *Context, a []any) any {
		s, ok := readSeries(a[0])
		if !ok {
			return nil
		}
		p := int64(-1)
		if v, ok := asLong(arg(a, 1)); ok && arg(a, 1) != nil {
			p = v
		}
		seas := seasonal(s, resolvePeriod(s, p, 0.6))
		return reals(seas)
	}, "Dynamic, Integer? -> dynamic")
	scalar("series_outliers", func(_ *Context, a []any) any {
		s, ok := readSeries(a[0])
		if !ok {
			return nil
		}
		kind, _ := arg(a, 1).(string)
		lo, hi := 10.0, 90.0
		if kind == "tukey" {
			lo, hi = 25, 75
		}
		if kind != "tukey" {
			// Only ctukey takes a custom quantile range, within [2, 98].
			if v, ok := asReal(arg(a, 3)); ok && arg(a, 3) != nil {
				lo = v
			}
			if v, ok := asReal(arg(a, 4)); ok && arg(a, 4) != nil {
				hi = v
			}
			if !(lo >= 2 && hi <= 98 && lo < hi) { // NaN fails too
				return nil
			}
		}
		if v, ok := asReal(arg(a, 2)); ok && arg(a, 2) != nil {
			for i, x := range s.Vals {
				if s.Ok[i] && x == v {
					s.Ok[i] = false
				}
			}
		}
		return reals(outlierScores(s, lo, hi))
	}, "Dynamic, string?, Number?, Number?, Number? -> dynamic")
	multiScalar("series_decompose", decomposeOutputs, func(_ *Context, a []any) any {
		s, ok := readSeries(a[0])
		if !ok {
			return nil
		}
		d := decompose(s, periodArg(a, 1), trendArg(a, 2, "avg"), testPoints(a, 3),
			thresholdArg(a, 4))
		return []any{reals(d.baseline), reals(d.seasonal), reals(d.trend), reals(d.residual)}
	}, "Dynamic, Integer?, string?, Integer?, Number? -> dynamic")
	multiScalar("series_decompose_forecast", decomposeOutputs, func(_ *Context, a []any) any {
		s, ok := readSeries(a[0])
		if !ok {
			return nil
		}
		d := decompose(s, periodArg(a, 2), trendArg(a, 3, "avg"), testPoints(a, 1),
			thresholdArg(a, 4))
		return []any{reals(d.baseline), reals(d.seasonal), reals(d.trend), reals(d.residual)}
	}, "Dynamic, Integer, Integer?, string?, Number? -> dynamic")
	multiScalar("series_decompose_anomalies", outs("ad_flag", types.Dynamic,
		"ad_score", types.Dynamic, "baseline", types.Dynamic), func(_ *Context, a []any) any {
		s, ok := readSeries(a[0])
		if !ok {
			return nil
		}
		threshold := 1.5
		if v, ok := asReal(arg(a, 1)); ok && arg(a, 1) != nil {
			threshold = v
		}
		d := decompose(s, periodArg(a, 2), trendArg(a, 3, "avg"), testPoints(a, 4),
			thresholdArg(a, 6))
		res := series{Vals: d.residual, Ok: make([]bool, len(d.residual))}
		for i, x := range d.residual {
			res.Ok[i] = !math.IsNaN(x)
		}
		lo, hi := 10.0, 90.0
		if m, _ := arg(a, 5).(string); m == "tukey" {
			lo, hi = 25, 75
		}
		scores := outlierScores(res, lo, hi)
		flags := make([]any, len(scores))
		for i, sc := range scores {
			switch {
			case sc > threshold:
				flags[i] = int64(1)
			case sc < -threshold:
				flags[i] = int64(-1)
			default:
				flags[i] = int64(0)
			}
		}
		return []any{flags, reals(scores), reals(d.baseline)}
	}, "Dynamic, Number?, Integer?, string?, Integer?, string?, Number? -> dynamic")
	multiScalar("series_periods_detect", outs("periods", types.Dynamic, "scores", types.Dynamic),
		func(_ *Context, a []any) any {
			s, ok := readSeries(a[0])
			lo, ok1 := asReal(a[1])
			hi, ok2 := asReal(a[2])
			num, ok3 := asLong(a[3])
			// The result arrays have num elements, zeros past the periods
			// found; a num past maxDetectPeriods (far more periods than any
			// series has) is refused rather than allocated.
			if !ok || !ok1 || !ok2 || !ok3 || num < 0 || num > maxDetectPeriods {
				return nil
			}
			ps, scores := detectPeriods(s, lo, hi, int(num))
			return []any{ps, scores}
		}, "Dynamic, Number, Number, long -> dynamic")
	multiScalar("series_periods_validate", outs("periods", types.Dynamic, "scores", types.Dynamic),
		func(_ *Context, a []any) any {
			s, ok := readSeries(a[0])
			if !ok {
				return nil
			}
			var ps, scores []any
			for _, v := range a[1:] {
				p, ok := asReal(v)
				if !ok {
					return nil
				}
				ps = append(ps, p)
				// Periods outside [4, n/2] score 0, as documented.
				score := 0.0
				if p >= 4 && p <= float64(len(s.Vals))/2 {
					score = max(0, math.Min(1, autocorr(s, int(math.Round(p)))))
				}
				scores = append(scores, score)
			}
			return []any{ps, scores}
		}, "Dynamic, Number* -> dynamic")
	fft := func(name string, inverse bool) {
		multiScalar(name, outs("real", types.Dynamic, "imag", types.Dynamic),
			func(_ *Context, a []any) any {
				re, ok := readSeries(a[0])
				if !ok {
					return nil
				}
				xs := make([]complex128, len(re.Vals))
				for i, x := range re.Vals {
					if re.Ok[i] {
						xs[i] = complex(x, 0)
					}
				}
				if im, ok := readSeries(arg(a, 1)); ok {
					if len(im.Vals) != len(xs) {
						return nil
					}
					for i, y := range im.Vals {
						if im.Ok[i] {
							xs[i] += complex(0, y)
						}
					}
				}
				out := dft(xs, inverse)
				rs, is := make([]any, len(out)), make([]any, len(out))
				for i, c := range out {
					rs[i], is[i] = real(c), imag(c)
				}
				return []any{rs, is}
			}, "Dynamic, Dynamic? -> dynamic")
	}
	fft("series_fft", false)
	fft("series_ifft", true)
}

func reals(xs []float64) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		if !math.IsNaN(x) {
			out[i] = x
		}
	}
	return out
}

func periodArg(a []any, i int) int64 {
	if v, ok := asLong(arg(a, i)); ok && arg(a, i) != nil {
		return v
	}
	return -1
}

func trendArg(a []any, i int, def string) string {
	if s, ok := arg(a, i).(string); ok && s != "" {
		return s
	}
	return def
}

func testPoints(a []any, i int) int {
	if v, ok := asLong(arg(a, i)); ok && arg(a, i) != nil && v > 0 {
		return int(v)
	}
	return 0
}

func thresholdArg(a []any, i int) float64 {
	if v, ok := asReal(arg(a, i)); ok && arg(a, i) != nil {
		return v
	}
	return 0.6
}

// resolvePeriod returns p, or the most significant period detected (score
// at least threshold) when p is negative; 0 means no seasonality.
func resolvePeriod(s series, p int64, threshold float64) int {
	if p >= 0 {
		return int(p)
	}
	ps, scores := detectPeriods(s, 4, float64(len(s.Vals))/2, 1)
	if len(ps) == 0 {
		return 0
	}
	if sc, _ := scores[0].(float64); sc >= threshold {
		if v, ok := asReal(ps[0]); ok {
			return int(v)
		}
	}
	return 0
}

// seasonal is the median of the elements of each phase of period p
// (zeros without a period).
func seasonal(s series, p int) []float64 {
	n := len(s.Vals)
	out := make([]float64, n)
	if p <= 1 {
		return out
	}
	// Phases past the series' end are empty, so a longer period is the
	// same as the series' length (and must not allocate a phase per unit).
	p = min(p, n)
	med := make([]float64, p)
	for ph := 0; ph < p; ph++ {
		var xs []float64
		for i := ph; i < n; i += p {
			if s.Ok[i] {
				xs = append(xs, s.Vals[i])
			}
		}
		med[ph] = median(xs)
		if math.IsNaN(med[ph]) {
			med[ph] = 0
		}
	}
	for i := range out {
		out[i] = med[i%p]
	}
	return out
}

type decomposition struct {
	baseline, seasonal, trend, residual []float64
}

// decompose splits s into seasonal, trend and residual components as the
// series_decompose documentation describes: the seasonal part is the
// median per phase, the trend the average ("avg") or the least-squares
// line ("linefit") of the deseasonalized series, or zero ("none"). The
// last testPoints elements are left out of the fit and extrapolated.
func decompose(s series, period int64, trend string, test int, threshold float64) decomposition {
	n := len(s.Vals)
	train := s
	if test > 0 && test < n {
		train = series{Vals: s.Vals[:n-test], Ok: s.Ok[:n-test]}
	}
	p := resolvePeriod(train, period, threshold)
	seasTrain := seasonal(train, p)
	seas := make([]float64, n)
	for i := range seas {
		// A phase the training points never reach (a period longer than
		// them) has no seasonal value.
		if p > 1 && i%p < len(seasTrain) {
			seas[i] = seasTrain[i%p]
		}
	}
	tr := make([]float64, n)
	switch trend {
	case "avg":
		var xs []float64
		for i, x := range train.Vals {
			if train.Ok[i] {
				xs = append(xs, x-seas[i])
			}
		}
		m := mean(xs)
		for i := range tr {
			tr[i] = m
		}
	case "linefit":
		var xs, ys []float64
		for i, x := range train.Vals {
			if train.Ok[i] {
				xs, ys = append(xs, float64(i+1)), append(ys, x-seas[i])
			}
		}
		f := fitLine(xs, ys)
		for i := range tr {
			tr[i] = f.icept + f.slope*float64(i+1)
		}
	}
	d := decomposition{seasonal: seas, trend: tr, baseline: make([]float64, n),
		residual: make([]float64, n)}
	for i := range d.baseline {
		d.baseline[i] = seas[i] + tr[i]
		if s.Ok[i] {
			d.residual[i] = s.Vals[i] - d.baseline[i]
		} else {
			d.residual[i] = math.NaN()
		}
	}
	return d
}

// outlierScores scores each element with Tukey's fences over the lo and hi
// percentiles: 0 inside [Plo, Phi], else the distance beyond the fence in
// units of Phi - Plo (negative below).
func outlierScores(s series, lo, hi float64) []float64 {
	var xs []float64
	for i, x := range s.Vals {
		if s.Ok[i] {
			xs = append(xs, x)
		}
	}
	out := make([]float64, len(s.Vals))
	if len(xs) == 0 {
		return out
	}
	sort.Float64s(xs)
	ql, qh := percentileOf(xs, lo), percentileOf(xs, hi)
	iqr := qh - ql
	for i, x := range s.Vals {
		switch {
		case !s.Ok[i] || iqr == 0:
		case x > qh:
			out[i] = (x - qh) / iqr
		case x < ql:
			out[i] = (x - ql) / iqr
		}
	}
	return out
}

// percentileOf interpolates the p-th percentile of sorted xs.
func percentileOf(xs []float64, p float64) float64 {
	pos := p / 100 * float64(len(xs)-1)
	i := int(math.Floor(pos))
	if i >= len(xs)-1 {
		return xs[len(xs)-1]
	}
	return xs[i] + (pos-float64(i))*(xs[i+1]-xs[i])
}

// autocorr is the autocorrelation of s at lag p, over the pairs of
// numeric elements.
func autocorr(s series, p int) float64 {
	n := len(s.Vals)
	if p <= 0 || p >= n {
		return 0
	}
	var xs []float64
	for i, x := range s.Vals {
		if s.Ok[i] {
			xs = append(xs, x)
		}
	}
	m := mean(xs)
	var num, den float64
	for i := 0; i < n; i++ {
		if !s.Ok[i] {
			continue
		}
		den += (s.Vals[i] - m) * (s.Vals[i] - m)
		if i+p < n && s.Ok[i+p] {
			num += (s.Vals[i] - m) * (s.Vals[i+p] - m)
		}
	}
	if den == 0 {
		return 0
	}
	return num / den * float64(n) / float64(n-p)
}

// maxDetectPeriods bounds series_periods_detect's num_periods.
const maxDetectPeriods = 1 << 16

// detectPeriods finds up to num periods in [lo, hi] (of at least 4 points
// and at most half the series): candidates are the peaks of the
// periodogram, each refined to the neighbouring integer period with the
// best autocorrelation, which is its score. Strongest first; the result is
// padded with zero periods and scores.
func detectPeriods(s series, lo, hi float64, num int) ([]any, []any) {
	n := len(s.Vals)
	first, last := max(4, int(math.Ceil(lo))), min(int(math.Floor(hi)), n/2)
	ps, scores := make([]any, num), make([]any, num)
	for i := range ps {
		ps[i], scores[i] = 0.0, 0.0
	}
	if first > last || n < 8 {
		return ps, scores
	}
	xs := make([]complex128, n)
	var vals []float64
	for i, x := range s.Vals {
		if s.Ok[i] {
			vals = append(vals, x)
		}
	}
	m := mean(vals)
	for i, x := range s.Vals {
		if s.Ok[i] {
			xs[i] = complex(x-m, 0)
		}
	}
	spec := dft(xs, false)
	power := make([]float64, n/2+2)
	for k := 1; k <= n/2; k++ {
		power[k] = cmplx.Abs(spec[k]) * cmplx.Abs(spec[k])
	}
	maxPower := 0.0
	for k := 1; k <= n/2; k++ {
		maxPower = math.Max(maxPower, power[k])
	}
	type cand struct {
		p     int
		score float64
	}
	var cs []cand
	seen := map[int]bool{}
	for k := 1; k <= n/2; k++ {
		if power[k] < maxPower/4 || power[k] < power[k-1] || power[k] < power[k+1] {
			continue
		}
		base := int(math.Round(float64(n) / float64(k)))
		best, bestScore := 0, 0.0
		for p := base - 1; p <= base+1; p++ {
			if p < first || p > last {
				continue
			}
			if r := autocorr(s, p); r > bestScore {
				best, bestScore = p, r
			}
		}
		if best > 0 && !seen[best] {
			seen[best] = true
			cs = append(cs, cand{best, math.Min(bestScore, 1)})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].score > cs[j].score })
	for i := 0; i < num && i < len(cs); i++ {
		ps[i], scores[i] = float64(cs[i].p), cs[i].score
	}
	return ps, scores
}

// dft computes the discrete Fourier transform of xs (the inverse, scaled
// by 1/n, when inverse), by radix-2 FFT when the length is a power of two.
func dft(xs []complex128, inverse bool) []complex128 {
	n := len(xs)
	sign := -1.0
	if inverse {
		sign = 1
	}
	var out []complex128
	if n > 0 && n&(n-1) == 0 {
		out = fftRadix2(xs, sign)
	} else {
		out = make([]complex128, n)
		for k := 0; k < n; k++ {
			var sum complex128
			for t := 0; t < n; t++ {
				angle := sign * 2 * math.Pi * float64(k*t%n) / float64(n)
				sum += xs[t] * cmplx.Exp(complex(0, angle))
			}
			out[k] = sum
		}
	}
	if inverse {
		for i := range out {
			out[i] /= complex(float64(n), 0)
		}
	}
	return out
}

func fftRadix2(xs []complex128, sign float64) []complex128 {
	n := len(xs)
	if n == 1 {
		return []complex128{xs[0]}
	}
	even, odd := make([]complex128, n/2), make([]complex128, n/2)
	for i := 0; i < n/2; i++ {
		even[i], odd[i] = xs[2*i], xs[2*i+1]
	}
	e, o := fftRadix2(even, sign), fftRadix2(odd, sign)
	out := make([]complex128, n)
	for k := 0; k < n/2; k++ {
		t := cmplx.Exp(complex(0, sign*2*math.Pi*float64(k)/float64(n))) * o[k]
		out[k], out[k+n/2] = e[k]+t, e[k]-t
	}
	return out
}
