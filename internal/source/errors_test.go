package source

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntql/huntql/internal/column"
)

// readErr scans dir and reads table, returning the first error with the
// directory prefix removed from its message.
func readErr(t *testing.T, dir, table string) (string, error) {
	t.Helper()
	set, err := Scan([]string{dir})
	if err == nil {
		err = set.Read(context.Background(), table, nil, func(*column.Batch) error { return nil })
	}
	if err == nil {
		return "", nil
	}
	return strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""), err
}

func TestDataErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		table string
		want  string
		is    error
	}{
		{"bad int", map[string]string{
			"x.jsonl": record("DeviceNetworkEvents", `{}`) + "\n" +
				record("DeviceNetworkEvents", `{"RemotePort":"abc"}`)},
			"DeviceNetworkEvents",
			`x.jsonl:2: record 2: column RemotePort: expected int, found "abc"`, ErrBadValue},
		{"bad int in rows", map[string]string{
			"DeviceNetworkEvents.json": "[\n{},\n{\n  \"RemotePort\": \"abc\"\n}\n]"},
			"DeviceNetworkEvents",
			`DeviceNetworkEvents.json:4: column RemotePort: expected int, found "abc"`, ErrBadValue},
		{"int out of range", map[string]string{
			"DeviceNetworkEvents.json": `{"RemotePort":3000000000}`},
			"DeviceNetworkEvents",
			`DeviceNetworkEvents.json:1: column RemotePort: expected int, found 3000000000`,
			ErrBadValue},
		{"bad datetime", map[string]string{
			"DeviceNetworkEvents.json": `{"Timestamp":"yesterday"}`},
			"DeviceNetworkEvents",
			`DeviceNetworkEvents.json:1: column Timestamp: expected datetime, found "yesterday"`,
			ErrBadValue},
		{"datetime from number", map[string]string{
			"DeviceNetworkEvents.json": `{"Timestamp":17}`},
			"DeviceNetworkEvents",
			`DeviceNetworkEvents.json:1: column Timestamp: expected datetime, found 17`, ErrBadValue},
		{"object in long column", map[string]string{
			"DeviceNetworkEvents.json": `{"ReportId":{"a":1}}`},
			"DeviceNetworkEvents",
			`DeviceNetworkEvents.json:1: column ReportId: expected long, found object`, ErrBadValue},
		{"bad bool", map[string]string{
			"CloudAppEvents.json": `{"IsAdminOperation":"yes"}`},
			"CloudAppEvents",
			`CloudAppEvents.json:1: column IsAdminOperation: expected bool, found "yes"`,
			ErrBadValue},
		{"bad guid", map[string]string{
			"AIAgentsInfo.json": `{"AIAgentId":"not-a-guid"}`},
			"AIAgentsInfo",
			`AIAgentsInfo.json:1: column AIAgentId: expected guid, found "not-a-guid"`, ErrBadValue},
		{"properties before category", map[string]string{
			"b.json": `{"properties":{"RemotePort":true},"category":"AdvancedHunting-DeviceNetworkEvents"}`},
			"DeviceNetworkEvents",
			`b.json:1: record 1: column RemotePort: expected int, found true`, ErrBadValue},
		{"missing comma", map[string]string{
			"DeviceInfo.json": "[\n{\"DeviceName\":\"a\"}\n{\"DeviceName\":\"b\"}]"},
			"DeviceInfo", `DeviceInfo.json:3: expected ',' or ']' in array, found '{'`, ErrMalformed},
		{"unterminated string", map[string]string{
			"DeviceInfo.jsonl": "{\"DeviceName\":\"a\"}\n{\"DeviceName\":\"b"},
			"DeviceInfo", `DeviceInfo.jsonl:2: expected closing quote, found end of input`,
			ErrMalformed},
		{"truncated array", map[string]string{
			"DeviceInfo.json": "[{\"DeviceName\":\"a\"},"},
			"DeviceInfo", `DeviceInfo.json:1: expected row object, found end of input`, ErrMalformed},
		{"bad literal", map[string]string{
			"DeviceInfo.json": `{"DeviceName":nul}`},
			"DeviceInfo", `DeviceInfo.json:1: expected null, found "nul}"`, ErrMalformed},
		{"bad number", map[string]string{
			"DeviceInfo.json": `{"DeviceName":01}`},
			"DeviceInfo", `DeviceInfo.json:1: expected number, found "01"`, ErrMalformed},
		{"control character", map[string]string{
			"DeviceInfo.json": "{\"DeviceName\":\"a\tb\"}"},
			"DeviceInfo",
			`DeviceInfo.json:1: expected string character, found control byte 0x09`, ErrMalformed},
		{"bad escape", map[string]string{
			"DeviceInfo.json": `{"DeviceName":"a\qb"}`},
			"DeviceInfo", `DeviceInfo.json:1: expected escape sequence, found \q`, ErrMalformed},
		{"row not an object", map[string]string{
			"DeviceInfo.json": `[{"DeviceName":"a"}, 5]`},
			"DeviceInfo", `DeviceInfo.json:1: expected row object, found '5'`, ErrBadRecord},
		{"top level scalar", map[string]string{
			"DeviceInfo.json": "{}\n\"text\""},
			"DeviceInfo", `DeviceInfo.json:2: expected row object or array, found '"'`,
			ErrBadRecord},
		{"top level null", map[string]string{
			"DeviceInfo.json": "null"},
			"DeviceInfo", `DeviceInfo.json:1: expected row object or array, found 'n'`,
			ErrBadRecord},
		{"top level garbage", map[string]string{
			"DeviceInfo.json": "{}\n]"},
			"DeviceInfo", `DeviceInfo.json:2: expected JSON object or array, found ']'`,
			ErrMalformed},
		{"record without category", map[string]string{
			"s.json": record("DeviceInfo", `{}`) + "\n" + `{"time":"x","properties":{}}` + "\n" +
				`{"category":"AdvancedHunting-DeviceInfo","properties":{}}`},
			"DeviceInfo", `s.json:2: record 2: expected a category naming the table, found none`,
			ErrBadRecord},
		{"record without properties", map[string]string{
			"s.json": record("DeviceInfo", `{}`) + "\n" + `{"category":"AdvancedHunting-DeviceInfo"}`},
			"DeviceInfo", `s.json:2: record 2: expected properties holding the row, found none`,
			ErrBadRecord},
		{"properties not an object", map[string]string{
			"s.json": record("DeviceInfo", `[1]`)},
			"DeviceInfo", `s.json:1: record 1: expected properties object, found '['`,
			ErrBadRecord},
		{"message records not an array", map[string]string{
			"m.json": `{"records":{}}`},
			"DeviceInfo", `m.json:1: expected records array, found '{'`, ErrBadRecord},
		{"message without records", map[string]string{
			"m.json": `{"records":[` + record("DeviceInfo", `{}`) + "]}\n{\"other\":1}"},
			"DeviceInfo",
			`m.json:2: record 1: expected a records array in the event hub message, found none`,
			ErrBadRecord},
		{"csv bad quote", map[string]string{
			"DeviceInfo.csv": "DeviceName,OSPlatform\na,b\n\"c\"d,e\n"},
			"DeviceInfo", `DeviceInfo.csv:3: extraneous or missing " in quoted-field`, ErrMalformed},
		{"csv field count", map[string]string{
			"DeviceInfo.csv": "DeviceName,OSPlatform\na,b\nc\n"},
			"DeviceInfo", `DeviceInfo.csv:3: expected 2 fields as in the header, found 1`, ErrMalformed},
		{"csv bad value", map[string]string{
			"DeviceNetworkEvents.csv": "RemoteUrl,RemotePort\nx,1\ny,\"two\nlines\"\n"},
			"DeviceNetworkEvents",
			`DeviceNetworkEvents.csv:3: column RemotePort: expected int, found "two\nlines"`,
			ErrBadValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readErr(t, writeFiles(t, tt.files), tt.table)
			expectDataError(t, got, err, tt.want, tt.is)
		})
	}
}

func TestTruncatedGzip(t *testing.T) {
	tests := []struct {
		name string
		file string
		data string
	}{
		{"json", "DeviceInfo.json", strings.Repeat(`{"DeviceName":"abcdefgh"}`+"\n", 2000)},
		{"csv", "DeviceInfo.csv", "DeviceName\n" + strings.Repeat("abcdefgh\n", 5000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			z := gzipBytes(t, []byte(tt.data))
			path := filepath.Join(dir, tt.file+".gz")
			if err := os.WriteFile(path, z[:len(z)-12], 0o644); err != nil {
				t.Fatal(err)
			}
			msg, err := readErr(t, dir, "DeviceInfo")
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v, expected ErrMalformed", err)
			}
			if !strings.HasPrefix(msg, tt.file+".gz:") || !strings.Contains(msg, "unexpected EOF") {
				t.Errorf("message %q lacks file and cause", msg)
			}
		})
	}
}

func TestReadArgumentErrors(t *testing.T) {
	set, err := Scan([]string{writeFiles(t, map[string]string{"DeviceInfo.json": `{}`})})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		table string
		cols  []string
		want  string
		is    error
	}{
		{"unknown table", "DeviceInfos", nil,
			`unknown table "DeviceInfos" (did you mean "DeviceInfo"?)`, ErrUnknownTable},
		{"unknown column", "DeviceInfo", []string{"DeviceNme"},
			`unknown column "DeviceNme" in table DeviceInfo (did you mean "DeviceName"?)`,
			ErrUnknownColumn},
		{"repeated column", "DeviceInfo", []string{"DeviceName", "DeviceName"},
			`column "DeviceName": expected each column once, found it twice`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := set.Read(context.Background(), tt.table, tt.cols,
				func(*column.Batch) error { return nil })
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got %v, expected %s", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error is not %v", tt.is)
			}
		})
	}
}

func TestCallbackErrorStopsRead(t *testing.T) {
	set, err := Scan([]string{writeFiles(t, map[string]string{"DeviceInfo.json": `{}`})})
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop here")
	err = set.Read(context.Background(), "DeviceInfo", nil, func(*column.Batch) error { return stop })
	if !errors.Is(err, stop) {
		t.Fatalf("got %v, expected the callback's error", err)
	}
}
