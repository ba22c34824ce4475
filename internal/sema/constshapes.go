package sema

import (
	"fmt"

	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// shapeReq says that argument pos of a function, when it is a constant
// dynamic value other than null, must be an array (or a property bag, when
// bag is set); with repeat, so must every later dynamic argument.
type shapeReq struct {
	pos         int
	bag, repeat bool
}

// constShapes lists the array, bag, set and series functions whose dynamic
// parameters Kusto.Language declares as a dynamic array or bag in every
// overload (from its catalog). Kusto rejects a constant of another shape.
var constShapes = map[string][]shapeReq{
	"array_concat":               {{0, false, true}},
	"array_iff":                  {{0, false, false}},
	"array_index_of":             {{0, false, false}},
	"array_length":               {{0, false, false}},
	"array_reverse":              {{0, false, false}},
	"array_rotate_left":          {{0, false, false}},
	"array_rotate_right":         {{0, false, false}},
	"array_shift_left":           {{0, false, false}},
	"array_shift_right":          {{0, false, false}},
	"array_slice":                {{0, false, false}},
	"array_sort_asc":             {{0, false, true}},
	"array_sort_desc":            {{0, false, true}},
	"array_split":                {{0, false, false}},
	"array_strcat":               {{0, false, false}},
	"bag_has_key":                {{0, true, false}},
	"bag_keys":                   {{0, true, false}},
	"bag_merge":                  {{0, true, true}},
	"bag_remove_keys":            {{0, true, false}, {1, false, false}},
	"bag_set_key":                {{0, true, false}},
	"bag_zip":                    {{0, false, false}, {1, false, false}},
	"series_abs":                 {{0, false, false}},
	"series_acos":                {{0, false, false}},
	"series_asin":                {{0, false, false}},
	"series_atan":                {{0, false, false}},
	"series_ceiling":             {{0, false, false}},
	"series_cos":                 {{0, false, false}},
	"series_cosine_similarity":   {{0, false, false}, {1, false, false}},
	"series_decompose":           {{0, false, false}},
	"series_decompose_anomalies": {{0, false, false}},
	"series_decompose_forecast":  {{0, false, false}},
	"series_exp":                 {{0, false, false}},
	"series_fft":                 {{0, false, false}, {1, false, false}},
	"series_fill_backward":       {{0, false, false}},
	"series_fill_const":          {{0, false, false}},
	"series_fill_forward":        {{0, false, false}},
	"series_fill_linear":         {{0, false, false}},
	"series_fir":                 {{0, false, false}, {1, false, false}},
	"series_fit_2lines":          {{0, false, false}},
	"series_fit_2lines_dynamic":  {{0, false, false}},
	"series_fit_line":            {{0, false, false}},
	"series_fit_line_dynamic":    {{0, false, false}},
	"series_fit_poly":            {{0, false, false}, {1, false, false}},
	"series_floor":               {{0, false, false}},
	"series_ifft":                {{0, false, false}, {1, false, false}},
	"series_iir":                 {{0, false, false}, {1, false, false}, {2, false, false}},
	"series_log":                 {{0, false, false}},
	"series_magnitude":           {{0, false, false}},
	"series_outliers":            {{0, false, false}},
	"series_pearson_correlation": {{0, false, false}, {1, false, false}},
	"series_periods_detect":      {{0, false, false}},
	"series_periods_validate":    {{0, false, false}},
	"series_product":             {{0, false, false}},
	"series_seasonal":            {{0, false, false}},
	"series_sign":                {{0, false, false}},
	"series_sin":                 {{0, false, false}},
	"series_stats":               {{0, false, false}},
	"series_stats_dynamic":       {{0, false, false}},
	"series_sum":                 {{0, false, false}},
	"series_tan":                 {{0, false, false}},
	"set_difference":             {{0, false, true}},
	"set_equals":                 {{0, false, false}, {1, false, false}},
	"set_has_element":            {{0, false, false}},
	"set_intersect":              {{0, false, true}},
	"set_union":                  {{0, false, true}},
	"strcat_array":               {{0, false, false}},
	"zip":                        {{0, false, true}},
}

// checkConstShapes reports a constant dynamic argument of the wrong shape:
// array_length(dynamic({"a": 1})) is an error, as in Kusto.
func (a *analyzer) checkConstShapes(name string, e *syntax.CallExpr, args []plan.Expr) bool {
	reqs, ok := constShapes[name]
	if !ok {
		return true
	}
	for i, arg := range args {
		req, applies := shapeAt(reqs, i)
		c, isConst := arg.(*plan.Const)
		if !applies || !isConst || c.T != types.Dynamic || c.Value == nil {
			continue
		}
		switch c.Value.(type) {
		case []any:
			if !req.bag {
				continue
			}
		case *types.Bag:
			if req.bag {
				continue
			}
		}
		want := "a dynamic array"
		if req.bag {
			want = "a dynamic property bag"
		}
		a.errorf(e.Args[i], "%s() argument %d: expected %s, found %s", name, i+1, want,
			dynamicShape(c.Value))
		return false
	}
	return true
}

// shapeAt returns the requirement on argument i, if any.
func shapeAt(reqs []shapeReq, i int) (shapeReq, bool) {
	for _, r := range reqs {
		if r.pos == i || r.repeat && i > r.pos {
			return r, true
		}
	}
	return shapeReq{}, false
}

// dynamicShape describes a dynamic value in a message.
func dynamicShape(v any) string {
	switch v.(type) {
	case []any:
		return "an array"
	case *types.Bag:
		return "a property bag"
	case string:
		return "a string"
	case bool:
		return "a bool"
	}
	return fmt.Sprintf("a %s", types.TypeOf(v))
}
