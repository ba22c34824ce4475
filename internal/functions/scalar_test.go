package functions

import (
	"github.com/google/uuid"
	"math"
	"testing"
	"time"

	"github.com/huntql/huntql/internal/types"
)

func call(t *testing.T, name string, args ...any) any {
	t.Helper()
	f, ok := LookupScalar(name)
	if !ok {
		t.Fatalf("function %s not registered", name)
	}
	ctx := NewContext(time.Date(2025, 5, 7, 18, 0, 0, 0, time.UTC))
	return f.Eval(ctx, args)
}

func jsonOf(t *testing.T, s string) any {
	v, err := types.ParseJSON(s)
	if err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return v
}

func TestScalarEval(t *testing.T) {
	tests := []struct {
		name string
		fn   string
		args []any
		want any
	}{
		{"substring from 1", "substring", []any{"123456", int64(1)}, "23456"},
		{"substring with length", "substring", []any{"123456", int64(2), int64(2)}, "34"},
		{"substring prefix", "substring", []any{"ABCD", int64(0), int64(2)}, "AB"},
		{"substring negative start", "substring", []any{"123456", int64(-2), int64(2)}, "56"},
		{"substring past end", "substring", []any{"abc", int64(10)}, ""},
		{"substring long length", "substring", []any{"abc", int64(1), int64(100)}, "bc"},
		{"substring unicode", "substring", []any{"äöü", int64(1), int64(1)}, "ö"},
		{"split doc 1", "split", []any{"aa_bb", "_"}, []any{"aa", "bb"}},
		{"split doc index", "split", []any{"aaa_bbb_ccc", "_", int64(1)}, []any{"bbb"}},
		{"split doc empty", "split", []any{"", "_"}, []any{""}},
		{"split doc empty part", "split", []any{"a__b", "_"}, []any{"a", "", "b"}},
		{"split doc multi-char", "split", []any{"aabbcc", "bb"}, []any{"aa", "cc"}},
		{"split index out of range", "split", []any{"a_b", "_", int64(5)}, []any{}},
		{"series_periods_detect refuses a huge num_periods", "series_periods_detect",
			[]any{[]any{int64(1), int64(2)}, 0.0, 10.0, int64(math.MaxInt64)}, nil},
		{"indexof_regex length past the end does not overflow", "indexof_regex",
			[]any{"abcabc", "c", int64(1), int64(math.MaxInt64)}, int64(2)},
		{"indexof doc 1", "indexof", []any{"abcdefg", "cde"}, int64(2)},
		{"indexof doc 2", "indexof", []any{"abcdefg", "cde", int64(1), int64(4)}, int64(2)},
		{"indexof doc 3", "indexof", []any{"abcdefg", "cde", int64(1), int64(2)}, int64(-1)},
		{"indexof doc 4", "indexof", []any{"abcdefg", "cde", int64(3), int64(4)}, int64(-1)},
		{"indexof doc 5", "indexof", []any{"abcdefg", "cde", int64(-5)}, int64(2)},
		{"indexof doc 6", "indexof", []any{int64(1234567), int64(5), int64(1), int64(4)}, int64(4)},
		{"indexof doc 7", "indexof", []any{"abcdefg", "cde", int64(2), int64(-1)}, int64(2)},
		{"indexof doc 8", "indexof",
			[]any{"abcdefgabcdefg", "cde", int64(1), int64(10), int64(2)}, int64(9)},
		{"indexof doc 9", "indexof",
			[]any{"abcdefgabcdefg", "cde", int64(1), int64(-1), int64(3)}, int64(-1)},
		{"indexof bad length", "indexof", []any{"abc", "b", int64(0), int64(-2)}, nil},
		{"strlen", "strlen", []any{"hello"}, int64(5)},
		{"strlen counts code points (its doc)", "strlen", []any{"😀"}, int64(1)},
		{"strlen null dynamic", "strlen", []any{nil}, nil},
		{"strcat mixed", "strcat", []any{"a", int64(1), nil, true}, "a1true"},
		{"strcat_delim", "strcat_delim", []any{"-", "a", int64(2)}, "a-2"},
		{"tolower", "tolower", []any{"ABC"}, "abc"},
		{"toupper", "toupper", []any{"abc"}, "ABC"},
		{"trim regex", "trim", []any{"--", "--abc--"}, "abc"},
		{"trim_start", "trim_start", []any{"[ ]+", "  x "}, "x "},
		{"trim_end", "trim_end", []any{"[ ]+", "  x "}, "  x"},
		{"replace_string", "replace_string", []any{"A magic trick", "magic", "cool"},
			"A cool trick"},
		{"replace_regex group", "replace_regex", []any{"abc123", `([a-z]+)(\d+)`, `\2-\1`},
			"123-abc"},
		{"replace_regex dollar literal", "replace_regex", []any{"a", "a", "$1"}, "$1"},
		{"extract group", "extract", []any{`x=(\d+)`, int64(1), "a x=42 b"}, "42"},
		{"extract no match", "extract", []any{`x=(\d+)`, int64(1), "nothing"}, ""},
		{"extract group out of range", "extract", []any{`x`, int64(2), "x"}, ""},
		{"extract typed", "extract", []any{`(\d+)`, int64(1), "n=7", types.Long}, int64(7)},
		{"extract typed by name", "extract", []any{`(\d+)`, int64(1), "n=7", "real"}, 7.0},
		{"extract typed failure", "extract", []any{`(\w+)`, int64(1), "x", types.Long}, nil},
		{"extract bad regex", "extract", []any{`(`, int64(0), "x"}, ""},
		{"extract_all one group", "extract_all", []any{`(\d)`, "a1b2"}, []any{"1", "2"}},
		{"extract_all two groups", "extract_all", []any{`(\w)(\d)`, "a1b2"},
			[]any{[]any{"a", "1"}, []any{"b", "2"}}},
		{"extract_all no match", "extract_all", []any{`(\d)`, "ab"}, nil},
		{"extract_all named groups", "extract_all",
			[]any{`(?P<first>\w)(?P<middle>\w+)(?P<last>\w)`, []any{"first", int64(2), "last"},
				"82b8be2d-dfa7"}, []any{[]any{"8", "2b8be2", "d"}, []any{"d", "fa", "7"}}},
		{"countof normal", "countof", []any{"aaa", "a"}, int64(3)},
		{"countof overlapping (its doc)", "countof", []any{"aaaa", "aa"}, int64(3)},
		{"countof regex", "countof", []any{"a1b22", `\d+`, "regex"}, int64(2)},
		{"reverse", "reverse", []any{"abc"}, "cba"},
		{"url_decode", "url_decode", []any{"a%20b"}, "a b"},
		{"url_encode", "url_encode", []any{"a b&c"}, "a+b%26c"},
		{"url_encode doc lowercase hex", "url_encode", []any{"https://www.bing.com/hello world"},
			"https%3a%2f%2fwww.bing.com%2fhello+world"},
		{"url_encode_component doc", "url_encode_component",
			[]any{"https://www.bing.com/hello world"}, "https%3a%2f%2fwww.bing.com%2fhello%20world"},
		{"url_encode utf-8 and safe marks", "url_encode", []any{"é~!*()"}, "%c3%a9%7e!*()"},
		{"base64 round", "base64_encode_tostring", []any{"Kusto"}, "S3VzdG8="},
		{"base64 decode", "base64_decode_tostring", []any{"S3VzdG8="}, "Kusto"},
		{"base64 decode invalid", "base64_decode_tostring", []any{"@@"}, nil},
		{"base64 toarray unpadded doc", "base64_decode_toarray",
			[]any{"U3RyaW5n0KHR0tGA0L7Rh9C60LA"}, nil},
		{"hash doc string", "hash", []any{"World"}, int64(1846988464401551951)},
		{"hash doc mod", "hash", []any{"World", int64(100)}, int64(51)},
		{"hash doc datetime", "hash", []any{date("2015-01-01")}, int64(1380966698541616202)},
		{"hash_sha256", "hash_sha256", []any{"World"},
			"78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524"},
		{"hash_md5", "hash_md5", []any{"World"}, "f5a7924e621e84c9280a9a27e1bcb7f6"},
		{"tostring dynamic string unquoted", "tostring", []any{"a"}, "a"},
		{"tostring array", "tostring", []any{jsonOf(t, `[1,"a"]`)}, `[1,"a"]`},
		{"tostring null", "tostring", []any{nil}, ""},
		{"toint string", "toint", []any{"42"}, int32(42)},
		{"toint bad", "toint", []any{"x"}, nil},
		{"tolong real truncates", "tolong", []any{-2.7}, int64(-2)},
		{"tolong datetime ticks", "tolong", []any{types.Date(5)}, int64(5)},
		{"todouble string", "todouble", []any{"1.5"}, 1.5},
		{"tobool string", "tobool", []any{"TRUE"}, true},
		{"tobool number", "tobool", []any{int64(0)}, false},
		{"tobool bad", "tobool", []any{"yes"}, nil},
		{"todatetime iso", "todatetime", []any{"2015-12-31 23:59:59.9"},
			date("2015-12-31T23:59:59.9Z")},
		{"todatetime bad", "todatetime", []any{"nope"}, nil},
		{"totimespan", "totimespan", []any{"0.00:01:00"}, types.Minute},
		{"totimespan unit", "totimespan", []any{"1.5h"}, 90 * types.Minute},
		{"toguid bad", "toguid", []any{"x"}, nil},
		{"toguid hyphens elsewhere doc", "toguid", []any{"0123456789ab-cdef-0123-456789abcdef"},
			uuid.MustParse("01234567-89ab-cdef-0123-456789abcdef")},
		{"toguid digits only doc", "toguid", []any{"0123456789abcdef0123456789abcdef"},
			uuid.MustParse("01234567-89ab-cdef-0123-456789abcdef")},
		{"todatetime month-day-year doc", "todatetime", []any{"12-02-2022"},
			date("2022-12-02T00:00:00Z")},
		{"has_ipv4_prefix doc", "has_ipv4_prefix",
			[]any{"05:04:54 127.0.0.1 GET /favicon.ico 404", "127.0."}, true},
		{"has_ipv4_prefix without dot doc", "has_ipv4_prefix",
			[]any{"05:04:54 127.0.0.1 GET /favicon.ico 404", "127.0"}, false},
		{"has_ipv4_prefix bad address doc", "has_ipv4_prefix",
			[]any{"05:04:54 127.0.0.256 GET /favicon.ico 404", "127.0."}, false},
		{"has_ipv4_prefix undelimited doc", "has_ipv4_prefix",
			[]any{"05:04:54127.0.0.1 GET /favicon.ico 404", "127.0."}, false},
		{"has_ipv4_prefix whole address", "has_ipv4_prefix",
			[]any{"from 10.1.1.115, to", "10.1.1.115"}, true},
		{"has_any_ipv4_prefix doc", "has_any_ipv4_prefix",
			[]any{"05:04:54 127.0.0.1 GET /favicon.ico 404", "127.0"}, false},
		{"parse_json object", "parse_json", []any{`{"a":1}`}, jsonOf(t, `{"a":1}`)},
		{"parse_json not json", "parse_json", []any{"abc"}, "abc"},
		{"parse_json dynamic passes", "parse_json", []any{int64(3)}, int64(3)},
		{"isempty empty", "isempty", []any{""}, true},
		{"isempty null", "isempty", []any{nil}, true},
		{"isempty value", "isempty", []any{int64(0)}, false},
		{"isnotempty", "isnotempty", []any{"a"}, true},
		{"isnull", "isnull", []any{nil}, true},
		{"isnotnull string", "isnotnull", []any{""}, true},
		{"not", "not", []any{true}, false},
		{"not null", "not", []any{nil}, nil},
		{"iff true", "iff", []any{true, int64(1), int64(2)}, int64(1)},
		{"iff null predicate takes else", "iff", []any{nil, int64(1), int64(2)}, int64(2)},
		{"case second", "case", []any{false, "a", true, "b", "c"}, "b"},
		{"case else", "case", []any{false, "a", "c"}, "c"},
		{"coalesce skips null and empty", "coalesce", []any{nil, "", "x"}, "x"},
		{"coalesce all null", "coalesce", []any{nil, nil}, nil},
		{"max_of", "max_of", []any{int64(1), nil, int64(5)}, int64(5)},
		{"min_of", "min_of", []any{int64(3), int64(-1)}, int64(-1)},
		{"gettype long", "gettype", []any{int64(1)}, "long"},
		{"gettype array", "gettype", []any{[]any{}}, "array"},
		{"gettype bag", "gettype", []any{types.NewBag()}, "dictionary"},
		{"gettype null", "gettype", []any{nil}, "null"},
		{"round", "round", []any{2.5}, 3.0},
		{"round precision", "round", []any{2.15, int64(1)}, 2.2},
		{"round negative", "round", []any{-2.5}, -3.0},
		{"abs long", "abs", []any{int64(-3)}, int64(3)},
		{"abs timespan", "abs", []any{-types.Hour}, types.Hour},
		{"sqrt negative null (its doc)", "sqrt", []any{-1.0}, nil},
		{"log10", "log10", []any{int64(100)}, 2.0},
		{"pow", "pow", []any{int64(2), int64(10)}, 1024.0},
		{"isnan", "isnan", []any{math.NaN()}, true},
		{"isfinite inf", "isfinite", []any{math.Inf(1)}, false},
		{"ceiling", "ceiling", []any{1.2}, 2.0},
		{"binary_and", "binary_and", []any{int64(6), int64(3)}, int64(2)},
		{"binary_shift_left", "binary_shift_left", []any{int64(1), int64(4)}, int64(16)},
		{"tohex doc", "tohex", []any{int64(256)}, "100"},
		{"tohex negative doc", "tohex", []any{int64(-256)}, "ffffffffffffff00"},
		{"tohex min length", "tohex", []any{int64(256), int64(8)}, "00000100"},
		{"strrep", "strrep", []any{"ab", int64(3), ","}, "ab,ab,ab"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := call(t, tc.fn, tc.args...)
			if !same(got, tc.want) {
				t.Fatalf("%s(%v) = %#v, want %#v", tc.fn, tc.args, got, tc.want)
			}
		})
	}
}
