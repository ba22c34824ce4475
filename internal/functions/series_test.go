package functions

import (
	"testing"

	"github.com/huntql/huntql/internal/types"
)

// TestSeriesFunctions checks the series_* functions on edge cases: nulls,
// non-numeric elements, empty arrays, mismatched lengths and non-arrays.
func TestSeriesFunctions(t *testing.T) {
	tests := []struct {
		name string
		fn   string
		args []string // JSON of each argument
		want string   // JSON of the result; "null" for null
	}{
		{"add longs", "series_add", []string{"[1,2,4]", "[4,2,1]"}, "[5,4,5]"},
		{"add real and long", "series_add", []string{"[1.5]", "[1]"}, "[2.5]"},
		{"add mismatched lengths", "series_add", []string{"[1,2,3]", "[1]"}, "[2,null,null]"},
		{"add null element", "series_add", []string{"[1,null]", "[1,1]"}, "[2,null]"},
		{"add string element", "series_add", []string{`["a",1]`, "[1,1]"}, "[null,2]"},
		{"add scalar", "series_add", []string{"[1,2]", "10"}, "[11,12]"},
		{"add scalar first", "series_subtract", []string{"10", "[1,2]"}, "[9,8]"},
		{"add empty", "series_add", []string{"[]", "[]"}, "[]"},
		{"add non-arrays", "series_add", []string{"1", "2"}, "null"},
		{"divide longs is real", "series_divide", []string{"[1,3]", "[2,2]"}, "[0.5,1.5]"},
		{"greater with null", "series_greater", []string{"[1,null]", "[0,0]"}, "[true,null]"},
		{"abs keeps longs", "series_abs", []string{"[-1,2.5,null]"}, "[1,2.5,null]"},
		{"abs of non-array", "series_abs", []string{`"x"`}, "null"},
		{"sign", "series_sign", []string{"[-6,0,8]"}, "[-1,0,1]"},
		{"sum skips nulls", "series_sum", []string{"[1,null,2]"}, "3"},
		{"sum of empty", "series_sum", []string{"[]"}, "0"},
		{"product", "series_product", []string{"[2,3]"}, "6"},
		{"magnitude", "series_magnitude", []string{"[3,4]"}, "5"},
		{"pearson mismatched", "series_pearson_correlation", []string{"[1,2]", "[1]"}, "null"},
		{"pearson empty", "series_pearson_correlation", []string{"[]", "[]"}, "null"},
		{"fill forward leading nulls stay", "series_fill_forward",
			[]string{"[null,1,null]"}, "[null,1,1]"},
		{"fill backward trailing nulls stay", "series_fill_backward",
			[]string{"[null,1,null]"}, "[1,1,null]"},
		{"fill const placeholder", "series_fill_const", []string{"[1,-1,2]", "0", "-1"}, "[1,0,2]"},
		{"fill linear reals", "series_fill_linear", []string{"[1.0,null,3.0]"}, "[1.0,2.0,3.0]"},
		{"fill linear empty", "series_fill_linear", []string{"[]"}, "[]"},
		{"iir running sum", "series_iir", []string{"[1,1,1]", "[1]", "[1,-1]"}, "[1.0,2.0,3.0]"},
		{"iir zero denominator", "series_iir", []string{"[1]", "[1]", "[0]"}, "null"},
		{"fir normalized", "series_fir", []string{"[2,4]", "[1,1]"}, "[1.0,3.0]"},
		{"fir empty filter", "series_fir", []string{"[2,4]", "[]"}, "null"},
		{"fir negative filter is not normalized", "series_fir",
			[]string{"[0,2,2,3]", "[1,-1]"}, "[0.0,2.0,0.0,1.0]"},
		{"fir normalizing a negative filter is null", "series_fir",
			[]string{"[0,2]", "[1,-1]", "true"}, "null"},
		{"fir centered moving average", "series_fir",
			[]string{"[0,0,10,0,0]", "[1,1,1]", "true", "true"}, "[0.0,3.333333333333333," +
				"3.333333333333333,3.333333333333333,0.0]"},
		{"seasonal period 2", "series_seasonal", []string{"[1,5,3,7]", "2"}, "[2.0,6.0,2.0,6.0]"},
		{"seasonal no period", "series_seasonal", []string{"[1,5]", "0"}, "[0.0,0.0]"},
		{"fft of impulse", "series_fft", []string{"[1,0]"}, "[[1.0,1.0],[0.0,0.0]]"},
		{"periods outside [4, n/2] score 0", "series_periods_validate",
			[]string{"[1,2,1,2,1,2,1,2]", "2", "5"}, "[[2,5],[0.0,0.0]]"},
		{"period of a repeating series", "series_periods_validate",
			[]string{"[1,2,3,4,1,2,3,4,1,2,3,4]", "4"}, "[[4],[1.0]]"},
		{"stats of empty", "series_stats", []string{"[]"},
			"[null,null,null,null,null,null,null]"},
		{"stats skip nulls", "series_stats", []string{"[null,3,1]"},
			"[1.0,2,3.0,1,2.0,1.4142135623730951,2.0]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := make([]any, len(tc.args))
			for i, a := range tc.args {
				args[i] = jsonOf(t, a)
			}
			got := types.Format(call(t, tc.fn, args...))
			want := types.Format(jsonOf(t, tc.want))
			if got != want {
				t.Errorf("%s(%v) = %s, want %s", tc.fn, tc.args, got, want)
			}
		})
	}
}

// TestSeriesOutputs checks that every multi-value function names its
// outputs, so that extend can expand it.
func TestSeriesOutputs(t *testing.T) {
	for _, name := range []string{"series_stats", "series_fit_line", "series_fit_2lines",
		"series_fit_poly", "series_decompose", "series_decompose_anomalies",
		"series_decompose_forecast", "series_periods_detect", "series_periods_validate",
		"series_fft", "series_ifft"} {
		if len(Outputs(name)) < 2 {
			t.Errorf("%s has no outputs", name)
		}
		if _, ok := LookupScalar(name); !ok {
			t.Errorf("%s is not registered", name)
		}
	}
}

// TestSeriesOutliersAndDecompose checks Tukey scores and the decomposition
// order the documentation gives: seasonal (median per phase), trend of the
// deseasonalized series, baseline and residual = x - baseline.
func TestSeriesOutliersAndDecompose(t *testing.T) {
	tests := []struct {
		name string
		fn   string
		args []any
		want string
	}{
		{"tukey: 0 between the quartiles, distance in IQRs outside", "series_outliers",
			[]any{jsonOf(t, "[1,2,3,4,5]"), "tukey"}, "[-0.5,0.0,0.0,0.0,0.5]"},
		{"tukey spike", "series_outliers",
			[]any{jsonOf(t, "[1,2,3,4,100]"), "tukey"}, "[-0.5,0.0,0.0,0.0,48.0]"},
		{"null scores 0", "series_outliers", []any{jsonOf(t, "[null,1,1]")}, "[0.0,0.0,0.0]"},
		{"percentile out of range", "series_outliers",
			[]any{jsonOf(t, "[1,2]"), "ctukey", nil, 1.0, 90.0}, "null"},
		{"decompose avg trend, period 2", "series_decompose",
			[]any{jsonOf(t, "[1,3,1,3,1,7]"), int64(2)},
			"[[1.6666666666666665,3.6666666666666665,1.6666666666666665,3.6666666666666665," +
				"1.6666666666666665,3.6666666666666665]," +
				"[1.0,3.0,1.0,3.0,1.0,3.0]," +
				"[0.6666666666666666,0.6666666666666666,0.6666666666666666,0.6666666666666666," +
				"0.6666666666666666,0.6666666666666666]," +
				"[-0.6666666666666665,-0.6666666666666665,-0.6666666666666665," +
				"-0.6666666666666665,-0.6666666666666665,3.3333333333333335]]"},
		{"decompose without seasonality nor trend", "series_decompose",
			[]any{jsonOf(t, "[1,2]"), int64(0), "none"},
			"[[0.0,0.0],[0.0,0.0],[0.0,0.0],[1.0,2.0]]"},
		{"decompose of empty", "series_decompose", []any{jsonOf(t, "[]")}, "[[],[],[],[]]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := types.Format(call(t, tc.fn, tc.args...))
			if want := types.Format(jsonOf(t, tc.want)); got != want {
				t.Errorf("%s = %s, want %s", tc.fn, got, want)
			}
		})
	}
}
