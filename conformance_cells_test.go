package huntql_test

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/huntql/huntql/internal/types"
)

// This file holds how the conformance test compares a result value with a
// documentation cell.

// cleanCell undoes the markup of a documentation cell: backticks, <br>
// line breaks and &nbsp;.
func cleanCell(s string) string {
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, "<br>", "")
	s = strings.ReplaceAll(s, "&nbsp;", "")
	s = strings.ReplaceAll(s, "&lt;", "<")
	s = strings.ReplaceAll(s, "&gt;", ">")
	s = strings.ReplaceAll(s, "&amp;", "&")
	s = strings.ReplaceAll(s, `\|`, "|")
	if len(s) >= 2 && s[0] == '`' && s[len(s)-1] == '`' {
		s = s[1 : len(s)-1]
	}
	return strings.TrimSpace(s)
}

// cellEqual compares a result value of type t with a documented cell,
// allowing for how people write tables but not for different values.
func cellEqual(t types.Type, v any, cell string) bool {
	raw := cell
	cell = cleanCell(cell)
	if cell == "" || cell == "null" || cell == "(null)" {
		if v == nil {
			return true
		}
		if s, ok := v.(string); ok {
			return s == "" || s == "null" && cell == "null"
		}
		return false
	}
	if v == nil {
		return false
	}
	switch t {
	case types.Bool:
		b, ok := v.(bool)
		// Some pages print booleans as 1 and 0.
		return ok && (strings.EqualFold(cell, strconv.FormatBool(b)) ||
			cell == "1" && b || cell == "0" && !b)
	case types.Int, types.Long, types.Real, types.Decimal:
		return numberEqual(v, cell)
	case types.Datetime:
		d, ok := v.(types.Date)
		return ok && datetimeEqual(d, cell)
	case types.Timespan:
		d, ok := v.(types.Duration)
		return ok && timespanEqual(d, cell)
	case types.Guid:
		return strings.EqualFold(types.Format(v), cell)
	case types.String:
		s, _ := v.(string)
		if s == cell || s == strings.TrimSpace(raw) {
			return true
		}
		// Some pages show a string as a JSON string literal.
		var quoted string
		if strings.HasPrefix(cell, `"`) && json.Unmarshal([]byte(cell), &quoted) == nil &&
			quoted == s {
			return true
		}
		// Markdown tables cannot show line breaks, runs of spaces or
		// autolinks faithfully: compare the words.
		text := strings.ReplaceAll(strings.TrimSpace(raw), "<br>", "\n")
		if strings.HasPrefix(text, "<http") && strings.HasSuffix(text, ">") {
			text = text[1 : len(text)-1]
		}
		return strings.Join(strings.Fields(s), " ") == strings.Join(strings.Fields(text), " ")
	case types.Dynamic:
		return dynamicEqual(v, cell)
	}
	return types.Format(v) == cell
}

// numberEqual compares a number with its printed form: exactly for
// integers, within a relative 1e-6 or the cell's printed precision for
// reals and decimals.
func numberEqual(v any, cell string) bool {
	var f float64
	exact := false
	switch x := v.(type) {
	case int32:
		f, exact = float64(x), true
		if n, err := strconv.ParseInt(cell, 10, 64); err == nil {
			return n == int64(x)
		}
	case int64:
		f, exact = float64(x), true
		if n, err := strconv.ParseInt(cell, 10, 64); err == nil {
			return n == x
		}
	case float64:
		f = x
	default:
		var err error
		if f, err = strconv.ParseFloat(types.Format(v), 64); err != nil {
			return false
		}
	}
	want, ok := parseDocReal(cell)
	if !ok {
		return false
	}
	return realClose(f, want, cell, exact)
}

func parseDocReal(cell string) (float64, bool) {
	switch cell {
	case "NaN", "nan":
		return math.NaN(), true
	case "Infinity", "inf", "+Infinity":
		return math.Inf(1), true
	case "-Infinity", "-inf":
		return math.Inf(-1), true
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(cell, ",", ""), 64)
	return f, err == nil
}

// realClose reports whether got matches want as printed in cell.
func realClose(got, want float64, cell string, exact bool) bool {
	if math.IsNaN(got) || math.IsNaN(want) {
		return math.IsNaN(got) && math.IsNaN(want)
	}
	if math.IsInf(got, 0) || math.IsInf(want, 0) {
		return got == want
	}
	if got == want {
		return true
	}
	if exact {
		return false
	}
	if math.Abs(got-want) <= 1e-6*math.Max(math.Abs(got), math.Abs(want)) {
		return true
	}
	// A cell printed with k decimals stands for any value that rounds to it.
	if i := strings.IndexByte(cell, '.'); i >= 0 && !strings.ContainsAny(cell, "eE") {
		k := len(cell) - i - 1
		return math.Abs(got-want) <= 0.5*math.Pow(10, -float64(k))*(1+1e-9)
	}
	return false
}

// docDatetimeLayouts are the spellings of datetimes in documentation tables
// that types.ParseDatetime does not accept.
var docDatetimeLayouts = []string{
	"2006-01-02T15:04:05.9999999",
	"2006-01-02T15:04:05.9999999Z",
	"1/2/2006 3:04:05.9999999 PM",
	"1/2/2006, 3:04:05.9999999 PM",
}

// datetimeEqual compares a datetime with its printed form. A cell with
// fewer fraction digits than seven stands for the value rounded or
// truncated to its precision.
func datetimeEqual(d types.Date, cell string) bool {
	want, ok := types.ParseDatetime(cell)
	if !ok {
		for _, layout := range docDatetimeLayouts {
			if tm, err := time.Parse(layout, cell); err == nil {
				want, ok = types.DateFromTime(tm), true
				break
			}
		}
	}
	if !ok {
		return false
	}
	return ticksClose(int64(d), int64(want), fractionDigits(cell))
}

func timespanEqual(d types.Duration, cell string) bool {
	want, ok := types.ParseTimespan(cell)
	if !ok {
		return false
	}
	return ticksClose(int64(d), int64(want), fractionDigits(cell))
}

// fractionDigits counts the digits after the seconds' decimal point of a
// datetime or timespan cell (7 when it has no clock part, to compare
// exactly).
func fractionDigits(cell string) int {
	c := strings.TrimSuffix(strings.TrimSuffix(cell, "Z"), " PM")
	c = strings.TrimSuffix(c, " AM")
	i := strings.LastIndexByte(c, ':')
	if i < 0 {
		return 7
	}
	j := strings.IndexByte(c[i:], '.')
	if j < 0 {
		return 0
	}
	n := 0
	for _, r := range c[i+j+1:] {
		if r < '0' || r > '9' {
			break
		}
		n++
	}
	return n
}

// ticksClose compares tick counts at a precision of digits fraction digits
// of a second.
func ticksClose(got, want int64, digits int) bool {
	if got == want {
		return true
	}
	if digits >= 7 {
		return false
	}
	unit := int64(math.Pow10(7 - digits))
	diff := got - want
	if diff < 0 {
		diff = -diff
	}
	return diff < unit
}

// dynamicEqual compares a dynamic value with its printed form: by JSON
// value when the cell is JSON, else as the text of a scalar.
func dynamicEqual(v any, cell string) bool {
	gotJSON := types.FormatDynamic(v)
	var got any
	if err := json.Unmarshal([]byte(gotJSON), &got); err != nil {
		return gotJSON == cell
	}
	want, err := decodeDocJSON(cell)
	if err != nil && !strings.Contains(cell, `"`) && strings.ContainsAny(cell, "[{") {
		// Some pages quote strings in JSON with single quotes.
		want, err = decodeDocJSON(strings.ReplaceAll(cell, "'", `"`))
	}
	if err != nil && strings.Contains(cell, `"{`) {
		// Some pages wrap a nested bag in quotes without escaping the
		// quotes inside it ("Query Parameters":"{"k1":"v1"}"), which
		// no JSON string can contain: the bag is meant.
		nested := strings.NewReplacer(`"{`, "{", `}"`, "}").Replace(cell)
		want, err = decodeDocJSON(nested)
	}
	if arr, ok := got.([]any); ok && err != nil {
		if m := elidedRE.FindStringIndex(cell); m != nil {
			// A page shortens a long array to its first and last
			// elements around an ellipsis.
			return elidedArrayEqual(arr, cell[:m[0]]+"]", "["+cell[m[1]:])
		}
	}
	if err != nil {
		if arr, ok := got.([]any); ok && strings.HasPrefix(cell, "[") &&
			strings.HasSuffix(cell, "]") {
			return bareArrayEqual(arr, cell[1:len(cell)-1])
		}
		// Not JSON: a bare string or a scalar printed without quotes.
		if s, ok := got.(string); ok {
			return s == cell
		}
		return types.Format(v) == cell
	}
	return jsonEqual(got, want)
}

// elidedRE finds the ellipsis standing for the middle elements of an array
// cell: [1,2,3,.....,99].
var elidedRE = regexp.MustCompile(`,\s*\.{3,}\s*,`)

// elidedArrayEqual compares an array with the head and tail a page shows
// of it; at least one element must have been left out between them.
func elidedArrayEqual(got []any, head, tail string) bool {
	h, err1 := decodeDocJSON(head)
	t, err2 := decodeDocJSON(tail)
	hs, ok1 := h.([]any)
	ts, ok2 := t.([]any)
	if err1 != nil || err2 != nil || !ok1 || !ok2 || len(got) <= len(hs)+len(ts) {
		return false
	}
	return jsonEqual(got[:len(hs)], hs) && jsonEqual(got[len(got)-len(ts):], ts)
}

// decodeDocJSON decodes a cell keeping numbers as printed, so that they
// compare at the precision the page shows.
func decodeDocJSON(cell string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(cell))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data")
	}
	return v, nil
}

// bareArrayEqual compares an array with a page's array of unquoted
// elements, such as [yes, no, yes].
func bareArrayEqual(got []any, inner string) bool {
	var parts []string
	if strings.TrimSpace(inner) != "" {
		parts = strings.Split(inner, ",")
	}
	if len(parts) != len(got) {
		return false
	}
	for i, p := range parts {
		p = strings.TrimSpace(p)
		switch g := got[i].(type) {
		case string:
			if g != p {
				return false
			}
		default:
			b, _ := json.Marshal(g)
			if string(b) != p {
				return false
			}
		}
	}
	return true
}

// jsonEqual compares decoded JSON values: bags by key regardless of order,
// numbers at the precision the page prints them, a datetime string in
// another spelling by value.
func jsonEqual(got, want any) bool {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok || !jsonEqual(gv, wv) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !jsonEqual(g[i], w[i]) {
				return false
			}
		}
		return true
	case json.Number:
		g, ok := got.(float64)
		wf, err := w.Float64()
		return ok && err == nil && realClose(g, wf, w.String(), false)
	case string:
		g, ok := got.(string)
		if !ok {
			return false
		}
		if g == w {
			return true
		}
		// Datetimes inside dynamic values print in several spellings.
		if gd, ok := types.ParseDatetime(g); ok && strings.Contains(g, ":") {
			return datetimeEqual(gd, w)
		}
		return false
	default:
		return got == want
	}
}

// compact shortens s to one line of at most n bytes.
func compact(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n] + "..."
	}
	return s
}

// TestCellEqual pins how lenient the conformance comparison is: the
// spellings pages use pass, different values do not.
func TestCellEqual(t *testing.T) {
	date := func(s string) types.Date { d, _ := types.ParseDatetime(s); return d }
	bag, _ := types.ParseJSON(`{"a":1,"b":[1.5,"x"]}`)
	nested, _ := types.ParseJSON(`{"q":{"k":"v"}}`)
	tests := []struct {
		name string
		typ  types.Type
		v    any
		cell string
		want bool
	}{
		{"null as empty", types.Long, nil, "", true},
		{"null spelled", types.Real, nil, "null", true},
		{"value is not null", types.Long, int64(0), "", false},
		{"empty string", types.String, "", "", true},
		{"long exact", types.Long, int64(10), "10", true},
		{"long differs", types.Long, int64(10), "11", false},
		{"long is not rounded", types.Long, int64(9223372036854775807), "9223372036854775806", false},
		{"real at printed precision", types.Real, 0.54030230586813977, "0.540302305868140", true},
		{"real relative", types.Real, 1234567.891, "1234567.89", true},
		{"real differs", types.Real, 833.0, "850", false},
		{"real rounded cell", types.Real, 2.2090496998585441e-05, "2.20904969985854E-05", true},
		{"nan", types.Real, math.NaN(), "NaN", true},
		{"bool case", types.Bool, true, "True", true},
		{"bool as digit", types.Bool, false, "0", true},
		{"bool differs", types.Bool, false, "true", false},
		{"datetime spaced", types.Datetime, date("2017-01-02"), "2017-01-02 00:00:00.0000000", true},
		{"datetime iso", types.Datetime, date("2017-01-02"), "2017-01-02T00:00:00Z", true},
		{"datetime differs", types.Datetime, date("2017-01-02"), "2017-01-03T00:00:00Z", false},
		{"datetime fraction rounds", types.Datetime, date("2017-01-02T00:00:00.1234567Z"),
			"2017-01-02T00:00:00.123Z", true},
		{"timespan", types.Timespan, types.Day + 2*types.Hour, "1.02:00:00", true},
		{"timespan differs", types.Timespan, types.Hour, "00:00:01", false},
		{"dynamic bag any order", types.Dynamic, bag, `{"b": [1.5, "x"], "a": 1}`, true},
		{"dynamic broken lines", types.Dynamic, bag, "{<br>\"a\": 1,<br>\"b\": [1.5,\"x\"]}", true},
		{"dynamic differs", types.Dynamic, bag, `{"a": 2, "b": [1.5, "x"]}`, false},
		{"dynamic array order matters", types.Dynamic, []any{int64(1), int64(2)}, "[2,1]", false},
		{"dynamic bare array", types.Dynamic, []any{"yes", "no"}, "[yes, no]", true},
		{"dynamic elided array", types.Dynamic, []any{int64(1), int64(2), int64(3), int64(4)},
			"[1,2,.....,4]", true},
		{"dynamic elided array differs", types.Dynamic,
			[]any{int64(1), int64(2), int64(3), int64(4)}, "[1,3,...,4]", false},
		{"dynamic elided array nothing left out", types.Dynamic,
			[]any{int64(1), int64(2), int64(4)}, "[1,2,...,4]", false},
		{"dynamic quoted nested bag meant", types.Dynamic, nested,
			`{"q":"{"k":"v"}"}`, true},
		{"dynamic quoted nested bag differs", types.Dynamic, nested,
			`{"q":"{"k":"w"}"}`, false},
		{"string words", types.String, "a\nb", "a<br>b", true},
		{"string differs", types.String, "ab", "a b", false},
		{"string backticks", types.String, "x", "`x`", true},
		{"string json literal", types.String, "x", `"x"`, true},
		{"guid case", types.Guid, mustUUID(t, "74be27de-1e4e-49d9-b579-fe0b331d3642"),
			"74BE27DE-1E4E-49D9-B579-FE0B331D3642", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := cellEqual(tc.typ, tc.v, tc.cell); got != tc.want {
				t.Errorf("cellEqual(%s, %v, %q) = %v, want %v", tc.typ, tc.v, tc.cell, got, tc.want)
			}
		})
	}
}

// TestEmptyTableRow pins which documented rows stand for an empty table.
func TestEmptyTableRow(t *testing.T) {
	tests := []struct {
		name    string
		rows    [][]string
		columns int
		want    bool
	}{
		{"one empty cell under two columns", [][]string{{""}}, 2, true},
		{"empty value of the only column", [][]string{{""}}, 1, false},
		{"a value", [][]string{{"x"}}, 2, false},
		{"two rows", [][]string{{""}, {""}}, 2, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := emptyTableRow(tc.rows, tc.columns); got != tc.want {
				t.Errorf("emptyTableRow(%q, %d) = %v, want %v", tc.rows, tc.columns, got, tc.want)
			}
		})
	}
}

func mustUUID(t *testing.T, s string) uuid.UUID {
	t.Helper()
	u, err := uuid.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
