package exec

import (
	"reflect"
	"testing"

	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

func TestParseKvExtract(t *testing.T) {
	tests := []struct {
		name string
		n    plan.ParseKv
		in   string
		want [][2]string
	}{
		{"empty text", plan.ParseKv{PairDelim: ",", KvDelim: ":"}, "", nil},
		{"pair without delimiter is skipped", plan.ParseKv{PairDelim: ";", KvDelim: "="},
			"junk;a=1", [][2]string{{"a", "1"}}},
		{"unterminated quote runs to the end",
			plan.ParseKv{PairDelim: " ", KvDelim: "=", Quotes: []string{`"`}},
			`a="x y`, [][2]string{{"a", "x y"}}},
		{"escape outside quotes is kept",
			plan.ParseKv{PairDelim: " ", KvDelim: "=", Escapes: []string{`\`}},
			`a=x\y`, [][2]string{{"a", `x\y`}}},
		{"greedy value up to the next key",
			plan.ParseKv{PairDelim: " ", KvDelim: "=", Greedy: true},
			"a=1 2 b=3", [][2]string{{"a", "1 2"}, {"b", "3"}}},
		{"multi-character delimiters", plan.ParseKv{PairDelim: "||", KvDelim: "=>"},
			"a=>1||b=>2", [][2]string{{"a", "1"}, {"b", "2"}}},
		{"undelimited takes the token after a wanted key", plan.ParseKv{},
			"x-1 a: 2, b=3", [][2]string{{"a", "2"}, {"b", "3"}}},
		{"undelimited key at the end has no value", plan.ParseKv{}, "b=3 a", [][2]string{{"b", "3"}}},
		{"regex pairs", plan.ParseKv{Regex: `(\w+)=(\w+)`}, "a=1, b=2",
			[][2]string{{"a", "1"}, {"b", "2"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := tc.n
			n.Keys = []string{"a", "b"}
			n.X = &plan.Const{T: types.String, Value: ""}
			op, err := (&runner{}).parseKv(&n, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got [][2]string
			op.(*parseKvOp).extract(tc.in, func(k, v string) { got = append(got, [2]string{k, v}) })
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestReducePatterns(t *testing.T) {
	tests := []struct {
		name      string
		vals      []string
		threshold float64
		extra     string
		want      []reduceGroup
	}{
		{"no rows", nil, 0.1, "", nil},
		{"empty strings go to others", []string{"", ""}, 0.1, "",
			[]reduceGroup{{pattern: "others", count: 2}}},
		{"identical values form one pattern", []string{"a b", "a b"}, 0.1, "",
			[]reduceGroup{{pattern: "a b", representative: "a b", count: 2}}},
		{"numbers are wildcards", []string{"id 1", "id 2", "id 3"}, 0.1, "",
			[]reduceGroup{{pattern: "id *", representative: "id 1", count: 3}}},
		{"extra separators are dropped", []string{"fooZ1", "fooZ2"}, 0.1, "Z",
			[]reduceGroup{{pattern: "foo*", representative: "fooZ1", count: 2}}},
		{"rare patterns go to others", []string{"x 1", "x 2", "y"}, 0.5, "",
			[]reduceGroup{{pattern: "x *", representative: "x 1", count: 2},
				{pattern: "others", count: 1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, rows := reducePatterns(tc.vals, tc.threshold, tc.extra)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
			if len(rows) != len(tc.vals) {
				t.Errorf("got %d row groups for %d values", len(rows), len(tc.vals))
			}
		})
	}
}

func TestCastElement(t *testing.T) {
	tests := []struct {
		v    any
		t    types.Type
		want any
	}{
		{int64(5), types.Long, int64(5)},
		{"5", types.Long, nil}, // cast only: no parsing
		{true, types.Long, nil},
		{int64(5), types.Real, 5.0},
		{"x", types.Bool, nil},
		{true, types.Bool, true},
		{nil, types.Long, nil},
		{"s", types.String, "s"},
		{[]any{int64(1)}, types.Dynamic, []any{int64(1)}},
	}
	for _, tc := range tests {
		if got := castElement(tc.v, tc.t); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("castElement(%#v, %s) = %#v, want %#v", tc.v, tc.t, got, tc.want)
		}
	}
}

func TestConvertText(t *testing.T) {
	tests := []struct {
		text string
		t    types.Type
		want any
		ok   bool
	}{
		{"", types.String, "", true},
		{" 42 ", types.Long, int64(42), true},
		{"", types.Long, nil, false},
		{"x", types.Long, nil, false},
		{"99999999999999999999", types.Long, nil, false},
		{"1.5", types.Real, 1.5, true},
		{"true", types.Bool, true, true},
	}
	for _, tc := range tests {
		got, ok := convertText(tc.text, tc.t)
		if ok != tc.ok || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("convertText(%q, %s) = %#v, %v; want %#v, %v",
				tc.text, tc.t, got, ok, tc.want, tc.ok)
		}
	}
}
