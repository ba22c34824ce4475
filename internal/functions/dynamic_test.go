package functions

import (
	"testing"

	"github.com/huntql/huntql/internal/types"
)

func TestDynamicEval(t *testing.T) {
	j := func(s string) any { return jsonOf(t, s) }
	tests := []struct {
		name string
		fn   string
		args []any
		want string // compact JSON of the result; "" for null
	}{
		{"array_length", "array_length", []any{j(`[1,2,3]`)}, "3"},
		{"array_length of bag", "array_length", []any{j(`{"a":1}`)}, ""},
		{"bag_keys", "bag_keys", []any{j(`{"a":1,"b":2}`)}, `["a","b"]`},
		{"bag_pack", "bag_pack", []any{"k", int64(1), "s", "x"}, `{"k":1,"s":"x"}`},
		{"pack alias", "pack", []any{"k", nil}, `{"k":null}`},
		{"pack_array", "pack_array", []any{int64(1), "a", nil}, `[1,"a",null]`},
		{"array_concat", "array_concat", []any{j(`[1]`), j(`[2,3]`)}, `[1,2,3]`},
		{"array_slice doc", "array_slice", []any{j(`[1,2,3]`), int64(1), int64(2)}, `[2,3]`},
		{"array_slice negative", "array_slice", []any{j(`[1,2,3,4]`), int64(-2), int64(-1)},
			`[3,4]`},
		{"array_slice empty", "array_slice", []any{j(`[1,2]`), int64(5), int64(9)}, `[]`},
		{"array_index_of", "array_index_of", []any{j(`["a","b"]`), "b"}, "1"},
		{"array_index_of missing", "array_index_of", []any{j(`[1]`), int64(2)}, "-1"},
		{"set_union", "set_union", []any{j(`[1,2,2]`), j(`[2,3]`)}, `[1,2,3]`},
		{"set_intersect", "set_intersect", []any{j(`[1,2,3]`), j(`[3,2,9]`)}, `[2,3]`},
		{"set_difference", "set_difference", []any{j(`[1,2,3]`), j(`[2]`)}, `[1,3]`},
		{"set_has_element", "set_has_element", []any{j(`["x"]`), "x"}, "true"},
		{"bag_merge first wins", "bag_merge", []any{j(`{"a":1}`), j(`{"a":2,"b":3}`)},
			`{"a":1,"b":3}`},
		{"bag_remove_keys", "bag_remove_keys", []any{j(`{"a":1,"b":2}`), j(`["a"]`)}, `{"b":2}`},
		{"bag_remove_keys jsonpath doc", "bag_remove_keys",
			[]any{j(`{"key1":123,"key2":{"prop1":"abc","prop2":"xyz"},"key3":[100,200]}`),
				j(`["$.key2.prop1","key3"]`)}, `{"key1":123,"key2":{"prop2":"xyz"}}`},
		{"bag_set_key", "bag_set_key", []any{j(`{"key1":1,"key3":"abc"}`), "key3", int64(3)},
			`{"key1":1,"key3":3}`},
		{"bag_set_key jsonpath creates bags doc", "bag_set_key",
			[]any{j(`{"key1":123}`), "$.key2.prop1", "abc"}, `{"key1":123,"key2":{"prop1":"abc"}}`},
		{"bag_set_key bracket path", "bag_set_key", []any{j(`{"a":{"b":1}}`), "$['a']['b']", int64(2)},
			`{"a":{"b":2}}`},
		{"pack_all ignores null and empty", "pack_all",
			[]any{true, "a", "x", "b", nil, "c", ""}, `{"a":"x"}`},
		{"pack_all keeps all", "pack_all", []any{false, "a", "x", "b", nil}, `{"a":"x","b":null}`},
		{"zip", "zip", []any{j(`[1,2]`), j(`["a"]`)}, `[[1,"a"],[2,null]]`},
		{"array_sort_asc nulls last", "array_sort_asc", []any{j(`[3,null,1]`)}, `[1,3,null]`},
		{"array_sort_desc", "array_sort_desc", []any{j(`["a","c","b"]`)}, `["c","b","a"]`},
		{"array_sort_desc nulls doc", "array_sort_desc",
			[]any{j(`[null,"blue","yellow","green",null]`)}, `["yellow","green","blue",null,null]`},
		{"array_sort_asc several arrays", "array_sort_asc",
			[]any{j(`[3,1,2]`), j(`["c","a","b"]`), j(`[1]`)}, `[[1,2,3],["a","b","c"],null]`},
		{"array_sort_asc nulls first", "array_sort_asc", []any{j(`[3,null,1]`), false},
			`[null,1,3]`},
		{"strcat_array", "strcat_array", []any{j(`[1,"a"]`), "-"}, `"1-a"`},
		{"dynamic_to_json", "dynamic_to_json", []any{j(`{"a":[1]}`)}, `"{\"a\":[1]}"`},
		{"dynamic_to_json sorts keys", "dynamic_to_json",
			[]any{j(`{"b":{"d":1,"c":2},"a":[{"z":1,"y":2}]}`)},
			`"{\"a\":[{\"y\":2,\"z\":1}],\"b\":{\"c\":2,\"d\":1}}"`},
		{"parse_url doc", "parse_url",
			[]any{"scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment"},
			`{"Scheme":"scheme","Host":"host","Port":"1234","Path":"/this/is/a/path",` +
				`"Username":"username","Password":"password",` +
				`"Query Parameters":{"k1":"v1","k2":"v2"},"Fragment":"fragment"}`},
		{"parse_url relative", "parse_url", []any{"bing.com"}, `{}`},
		{"parse_urlquery doc", "parse_urlquery", []any{"k1=v1&k2=v2&k3=v3"},
			`{"Query Parameters":{"k1":"v1","k2":"v2","k3":"v3"}}`},
		{"parse_path windows doc", "parse_path", []any{`C:\temp\file.txt`},
			`{"Scheme":"","RootPath":"C:","DirectoryPath":"C:\\temp","DirectoryName":"temp",` +
				`"Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}`},
		{"parse_path url doc", "parse_path", []any{"file://C:/temp/file.txt:some.exe"},
			`{"Scheme":"file","RootPath":"C:","DirectoryPath":"C:/temp","DirectoryName":"temp",` +
				`"Filename":"file.txt","Extension":"txt","AlternateDataStreamName":"some.exe"}`},
		{"parse_path unix doc", "parse_path", []any{"/usr/lib/temp/file.txt"},
			`{"Scheme":"","RootPath":"","DirectoryPath":"/usr/lib/temp","DirectoryName":"temp",` +
				`"Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}`},
		{"parse_command_line doc", "parse_command_line",
			[]any{`echo "hello world!"`, "windows"}, `["echo","hello world!"]`},
		{"parse_command_line escapes", "parse_command_line",
			[]any{`a\\"b c" d\"e`, "windows"}, `["a\\b c","d\"e"]`},
		{"extract_json", "extract_json", []any{"$.a[1].b", `{"a":[0,{"b":"x"}]}`}, `"x"`},
		{"extract_json missing", "extract_json", []any{"$.z", `{"a":1}`}, `""`},
		{"ipv4_is_private", "ipv4_is_private", []any{"10.1.2.3"}, "true"},
		{"ipv4_is_private public", "ipv4_is_private", []any{"8.8.8.8"}, "false"},
		{"ipv4_is_private invalid", "ipv4_is_private", []any{"x"}, ""},
		{"ipv4_is_in_range", "ipv4_is_in_range", []any{"192.168.1.6", "192.168.1.1/24"}, "true"},
		{"parse_ipv4", "parse_ipv4", []any{"127.0.0.1"}, "2130706433"},
		{"parse_ipv4 mask", "parse_ipv4", []any{"192.1.168.1/16"}, "3221291008"},
		{"ipv4_compare", "ipv4_compare", []any{"192.168.1.1", "192.168.1.255", int64(24)}, "0"},
		{"ipv4_compare less", "ipv4_compare", []any{"192.168.1.1", "192.168.1.2"}, "-1"},
		{"has_ipv4", "has_ipv4", []any{"from 10.0.0.1:80", "10.0.0.1"}, "true"},
		{"has_ipv4 not inside number", "has_ipv4", []any{"110.0.0.1", "10.0.0.1"}, "false"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := call(t, tc.fn, tc.args...)
			text := ""
			if got != nil {
				text = string(types.AppendJSON(nil, got))
			}
			if text != tc.want {
				t.Fatalf("%s(%v) = %s, want %s", tc.fn, tc.args, text, tc.want)
			}
		})
	}
}
