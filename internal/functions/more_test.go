package functions

import (
	"math"
	"reflect"
	"testing"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/types"
)

// TestMoreScalarEdges covers nulls, empty strings, values of the wrong
// shape and overflow for the array, conversion, encoding and network
// functions, as their docs describe them.
func TestMoreScalarEdges(t *testing.T) {
	arr := func(v ...any) []any {
		if v == nil {
			return []any{}
		}
		return v
	}
	tests := []struct {
		name string
		fn   string
		args []any
		want any
	}{
		{"array_iff not an array", "array_iff", []any{"x", int64(1), int64(2)}, nil},
		{"array_iff empty", "array_iff", []any{arr(), int64(1), int64(2)}, arr()},
		{"array_iff null condition", "array_iff", []any{arr(nil, true), "a", "b"}, arr(nil, "a")},
		{"array_rotate_left null count", "array_rotate_left", []any{arr(int64(1)), nil}, nil},
		{"array_rotate_left empty", "array_rotate_left", []any{arr(), int64(3)}, arr()},
		{"array_rotate_right huge count", "array_rotate_right",
			[]any{arr(int64(1), int64(2), int64(3)), int64(math.MaxInt64)},
			arr(int64(3), int64(1), int64(2))},
		{"array_shift_left past length", "array_shift_left",
			[]any{arr(int64(1), int64(2)), int64(5)}, arr(nil, nil)},
		{"array_shift_left strings fill with empty", "array_shift_left",
			[]any{arr("a", "b"), int64(1)}, arr("b", "")},
		{"array_shift_right min int64", "array_shift_right",
			[]any{arr(int64(1)), int64(math.MinInt64)}, arr(nil)},
		{"array_split past end", "array_split", []any{arr(int64(1), int64(2)), int64(9)},
			arr(arr(int64(1), int64(2)), arr())},
		{"array_split unordered indices", "array_split",
			[]any{arr(int64(1), int64(2), int64(3)), arr(int64(2), int64(1))},
			arr(arr(int64(1), int64(2)), arr(), arr(int64(3)))},
		{"array_split not an array", "array_split", []any{"x", int64(1)}, nil},
		{"jaccard both empty", "jaccard_index", []any{arr(), arr()}, math.NaN()},
		{"jaccard not arrays", "jaccard_index", []any{arr(), "x"}, nil},
		{"has_any_index empty source", "has_any_index", []any{"", arr("a")}, int64(-1)},
		{"has_any_index dynamic source", "has_any_index",
			[]any{arr("x", "needle"), arr("needle")}, int64(0)},
		{"replace_strings empty lookup ignored", "replace_strings",
			[]any{"abc", arr(""), arr("x")}, "abc"},
		{"replace_strings missing rewrite keeps text", "replace_strings",
			[]any{"abc", arr("b"), arr()}, "abc"},
		{"range zero step", "range", []any{int64(1), int64(5), int64(0)}, nil},
		{"range empty", "range", []any{int64(5), int64(1)}, arr()},
		{"range null", "range", []any{nil, int64(1)}, nil},
		{"convert unknown unit", "convert_mass", []any{1.0, "Gram", "Furlong"}, nil},
		{"convert null value", "convert_length", []any{nil, "Meter", "Foot"}, nil},
		{"convert case-insensitive", "convert_length", []any{1.0, "meter", "CENTIMETER"}, 100.0},
		{"convert tilt", "convert_angle", []any{90.0, "Degree", "Tilt"}, 1.0},
		{"format_bytes zero", "format_bytes", []any{int64(0)}, "0 Bytes"},
		{"format_bytes null", "format_bytes", []any{nil}, nil},
		{"format_bytes bad unit", "format_bytes", []any{int64(1), int64(0), "ZB"}, ""},
		{"format_bytes exabytes", "format_bytes", []any{float64(1 << 62)}, "4 EB"},
		{"beta_cdf null", "beta_cdf", []any{nil, 1.0, 1.0}, nil},
		{"beta_cdf uniform", "beta_cdf", []any{0.25, 1.0, 1.0}, 0.25},
		{"beta_inv p 0", "beta_inv", []any{0.0, 2.0, 3.0}, 0.0},
		{"around null", "around", []any{nil, int64(1), int64(1)}, nil},
		{"around edge", "around", []any{int64(2), int64(1), int64(1)}, true},
		{"around outside", "around", []any{2.5, int64(1), int64(1)}, false},
		{"welch equal samples", "welch_test",
			[]any{1.0, 1.0, 10.0, 1.0, 1.0, 10.0}, 1.0},
		{"welch null", "welch_test", []any{nil, 1.0, 10.0, 1.0, 1.0, 10.0}, nil},
		{"base64_decode_toguid short", "base64_decode_toguid", []any{"AAAA"}, nil},
		{"base64_decode_toguid empty", "base64_decode_toguid", []any{""}, nil},
		{"base64_encode_fromguid null", "base64_encode_fromguid", []any{nil}, nil},
		{"gzip empty", "gzip_compress_to_base64_string", []any{""}, ""},
		{"gzip decompress garbage", "gzip_decompress_from_base64_string", []any{"aGVsbG8="}, ""},
		{"gzip with a file name is refused", "gzip_decompress_from_base64_string",
			[]any{"H4sICAAAAAAA/3gudHh0AMpIzcnJBwQAAP//hqYQNgUAAAA="}, ""},
		{"zlib decompress empty", "zlib_decompress_from_base64_string", []any{""}, ""},
		{"punycode empty", "punycode_from_string", []any{""}, ""},
		{"punycode ascii", "punycode_from_string", []any{"abc"}, "abc-"},
		{"punycode decode bad digit", "punycode_to_string", []any{"ab-c!"}, ""},
		{"punycode decode overflow", "punycode_to_string", []any{"99999999999"}, ""},
		{"punycode domain empty label", "punycode_domain_to_string", []any{"a..b"}, ""},
		{"parse_ipv6 empty", "parse_ipv6", []any{""}, ""},
		{"parse_ipv6 bad suffix", "parse_ipv6", []any{"::1/129"}, ""},
		{"parse_ipv6_mask negative", "parse_ipv6_mask", []any{"::1", int64(-1)}, ""},
		{"parse_ipv6_mask null", "parse_ipv6_mask", []any{"::1", nil}, ""},
		{"parse_ipv6_mask zero", "parse_ipv6_mask", []any{"fe80::1", int64(0)},
			"0000:0000:0000:0000:0000:0000:0000:0000"},
		{"cidr list reversed", "ipv4_range_to_cidr_list", []any{"10.0.0.2", "10.0.0.1"}, arr()},
		{"cidr list one", "ipv4_range_to_cidr_list", []any{"10.0.0.1", "10.0.0.1"},
			arr("10.0.0.1/32")},
		{"parse_version empty", "parse_version", []any{""}, nil},
		{"parse_version nine digits", "parse_version", []any{"1.123456789"}, nil},
		{"parse_version max", "parse_version", []any{"99999999.99999999.99999999.99999999"},
			decimal.RequireFromString("99999999999999999999999999999999")},
		{"parse_xml null", "parse_xml", []any{nil}, nil},
		{"parse_xml two roots", "parse_xml", []any{"<a/><b/>"}, nil},
		{"parse_xml text only", "parse_xml", []any{"text"}, nil},
		{"estimate_data_size null", "estimate_data_size", []any{nil}, int64(0)},
		{"estimate_data_size mixed", "estimate_data_size",
			[]any{int32(1), true, uuid.Nil, types.Duration(1)}, int64(4 + 1 + 16 + 8)},
		{"cursor_before_or_at", "cursor_before_or_at", []any{"0"}, true},
		{"percentile_tdigest not a digest", "percentile_tdigest", []any{arr(int64(1)), 50.0}, nil},
		{"rank_tdigest null value", "rank_tdigest",
			[]any{arr(arr(int64(7)), arr(int64(1)), arr(int64(1))), nil}, nil},
		{"tdigest_merge bad digest", "tdigest_merge", []any{"x"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := call(t, tt.fn, tt.args...)
			if f, ok := tt.want.(float64); ok && math.IsNaN(f) {
				if g, ok := got.(float64); !ok || !math.IsNaN(g) {
					t.Errorf("%s = %#v, want NaN", tt.fn, got)
				}
				return
			}
			if f, ok := tt.want.(float64); ok {
				if g, ok := got.(float64); !ok || math.Abs(g-f) > 1e-9 {
					t.Errorf("%s = %#v, want %v", tt.fn, got, f)
				}
				return
			}
			if d, ok := tt.want.(decimal.Decimal); ok {
				if g, ok := got.(decimal.Decimal); !ok || !g.Equal(d) {
					t.Errorf("%s = %v, want %v", tt.fn, got, d)
				}
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s = %#v, want %#v", tt.fn, got, tt.want)
			}
		})
	}
}

// TestMoreAggregates covers empty groups and nulls of the covariance,
// weighted percentile and t-digest aggregates.
func TestMoreAggregates(t *testing.T) {
	run := func(name string, ts []types.Type, rows ...[]any) []any {
		t.Helper()
		a, ok := LookupAggregate(name)
		if !ok {
			t.Fatalf("aggregate %s not registered", name)
		}
		acc := a.New(ts)
		for _, r := range rows {
			acc.Add(r)
		}
		return acc.Result()
	}
	real2 := []types.Type{types.Real, types.Real}
	if got := run("covariance", real2); got[0] != nil {
		t.Errorf("covariance of no rows = %v, want null", got[0])
	}
	if got := run("covariancep", real2, []any{1.0, nil}, []any{2.0, 4.0}); got[0] != 0.0 {
		t.Errorf("covariancep skipping a null = %v, want 0", got[0])
	}
	w := []types.Type{types.Long, types.Long, types.Long}
	if got := run("percentilew", w, []any{int64(5), int64(0), int64(50)}); got[0] != nil {
		t.Errorf("percentilew with zero weight = %v, want null", got[0])
	}
	if got := run("percentilew", w, []any{int32(5), int64(2), int64(50)}); got[0] != int64(5) {
		t.Errorf("percentilew of an int = %#v, want long 5", got[0])
	}
	if got := run("tdigest", []types.Type{types.Long}); got[0] != nil {
		t.Errorf("tdigest of no rows = %v, want null", got[0])
	}
	mixed := run("tdigest", []types.Type{types.Dynamic}, []any{int64(1)}, []any{"x"}, []any{2.5})
	if mixed[0] != nil {
		t.Errorf("tdigest of mixed types = %v, want null", mixed[0])
	}
	// Many distinct values are compressed, and percentiles stay close.
	var rows [][]any
	for i := int64(1); i <= 3*maxCentroids; i++ {
		rows = append(rows, []any{i})
	}
	d := run("tdigest", []types.Type{types.Long}, rows...)[0]
	if n := len(d.([]any)[1].([]any)); n > maxCentroids {
		t.Errorf("digest kept %d centroids, want at most %d", n, maxCentroids)
	}
	p, _ := asReal(call(t, "percentile_tdigest", d, 50.0))
	if math.Abs(p-15000) > 15 {
		t.Errorf("median of 1..30000 from a compressed digest = %v, want about 15000", p)
	}
	b := run("buildschema", []types.Type{types.Dynamic}, []any{nil}, []any{int64(1)})
	if b[0] != "long" {
		t.Errorf("buildschema of a long = %#v, want \"long\"", b[0])
	}
}

// TestMoreAggregatesNeverPanic feeds the new aggregates values of every
// shape, as dynamic columns may hold, and expects no panic.
func TestMoreAggregatesNeverPanic(t *testing.T) {
	bag := types.NewBag()
	bag.Set("k", []any{int64(1), "x", nil})
	odd := []any{nil, int64(-1), int32(3), math.NaN(), math.Inf(1), "", "abc", true,
		types.Date(5), types.Duration(-7), uuid.Nil, decimal.NewFromInt(2), []any{}, bag,
		[]any{[]any{int64(7)}, []any{"x"}, []any{int64(1)}},
		[]any{[]any{int64(12)}, []any{"2020-01-01"}, []any{int64(-3)}}}
	for _, name := range []string{"covariance", "covariancep", "covarianceif", "covariancepif",
		"percentilew", "percentilesw", "percentilesw_array", "buildschema", "tdigest",
		"tdigest_merge", "merge_tdigest"} {
		a, _ := LookupAggregate(name)
		ts := make([]types.Type, a.MinArgs)
		for i := range ts {
			ts[i] = types.Dynamic
		}
		acc := a.New(ts)
		for _, x := range odd {
			for _, y := range odd {
				args := make([]any, len(ts))
				for i := range args {
					args[i] = x
					if i%2 == 1 {
						args[i] = y
					}
				}
				acc.Add(args)
			}
		}
		_ = acc.Result()
	}
}
