package source

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// writeFiles writes name -> content into a new temporary directory; a name
// ending in .gz is compressed.
func writeFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		data := []byte(content)
		if strings.HasSuffix(name, ".gz") {
			data = gzipBytes(t, data)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func gzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// render prints a value for comparison: strings quoted, dynamic values as
// JSON prefixed by "d:", null as "null".
func render(v *column.Vector, i int) string {
	if v.IsNull(i) {
		return "null"
	}
	switch v.Type {
	case types.String:
		return strconv.Quote(v.Str[i])
	case types.Dynamic:
		return "d:" + types.FormatDynamic(v.Any[i])
	}
	return types.Format(v.Value(i))
}

// expectRows scans files, reads cols of table and checks the rows, each
// rendered as "v1|v2|...", against want.
func expectRows(t *testing.T, files map[string]string, table string, cols, want []string) {
	t.Helper()
	set, err := Scan([]string{writeFiles(t, files)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAll(t, set, table, cols)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nexpected\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// expectDataError checks a read's error: its text got (from readErr) is
// want, it is an is error, and it is a *DataError.
func expectDataError(t *testing.T, got string, err error, want string, is error) {
	t.Helper()
	if got != want {
		t.Errorf("got error\n  %s\nexpected\n  %s", got, want)
	}
	if !errors.Is(err, is) {
		t.Errorf("error %v is not %v", err, is)
	}
	var de *DataError
	if !errors.As(err, &de) {
		t.Errorf("error %T is not a *DataError", err)
	}
}

// readAll reads cols of table and renders each row as "v1|v2|...".
func readAll(t testing.TB, set *Set, table string, cols []string) ([]string, error) {
	t.Helper()
	var rows []string
	err := set.Read(context.Background(), table, cols, func(b *column.Batch) error {
		for i := 0; i < b.N; i++ {
			cells := make([]string, len(b.Cols))
			for j, c := range b.Cols {
				if c.Len() != b.N {
					t.Fatalf("column %d has %d rows, batch %d", j, c.Len(), b.N)
				}
				if c.Codes != nil && (len(c.Codes) != b.N || c.Str[i] != c.Dict[c.Codes[i]]) {
					t.Fatalf("column %d row %d: %q is not its dictionary's %d", j, i, c.Str[i],
						c.Codes[i])
				}
				cells[j] = render(c, i)
			}
			rows = append(rows, strings.Join(cells, "|"))
		}
		return nil
	})
	return rows, err
}

var netCols = []string{"Timestamp", "RemotePort", "RemoteUrl", "ReportId"}

const (
	netRow1 = `{"Timestamp":"2025-05-07T16:16:30.2240099Z","RemotePort":443,` +
		`"RemoteUrl":"example.org","ReportId":7}`
	netRow2 = `{"RemoteUrl":"a\"b","Timestamp":"2025-05-07T16:20:00Z","RemotePort":"8080"}`
	netOut1 = `2025-05-07T16:16:30.2240099Z|443|"example.org"|7`
	netOut2 = `2025-05-07T16:20:00.0000000Z|8080|"a\"b"|null`
)

func record(table, props string) string {
	return `{"time":"2025-05-07T16:16:31Z","tenantId":"t1","operationName":"Publish",` +
		`"category":"AdvancedHunting-` + table + `","properties":` + props + `}`
}

func TestFormats(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		table string
		cols  []string
		want  []string
	}{
		{"json array", map[string]string{
			"DeviceNetworkEvents.json": "[\n" + netRow1 + ",\n" + netRow2 + "\n]"},
			"DeviceNetworkEvents", netCols, []string{netOut1, netOut2}},
		{"json lines", map[string]string{
			"DeviceNetworkEvents.jsonl": netRow1 + "\n\n" + netRow2 + "\n"},
			"DeviceNetworkEvents", netCols, []string{netOut1, netOut2}},
		{"ndjson with crlf", map[string]string{
			"DeviceNetworkEvents.ndjson": netRow1 + "\r\n" + netRow2 + "\r\n"},
			"DeviceNetworkEvents", netCols, []string{netOut1, netOut2}},
		{"gzip json", map[string]string{
			"DeviceNetworkEvents.json.gz": "[" + netRow1 + "," + netRow2 + "]"},
			"DeviceNetworkEvents", netCols, []string{netOut1, netOut2}},
		{"gzip content without suffix", map[string]string{
			"DeviceNetworkEvents.json": string(gzipBytes(t, []byte(netRow1)))},
			"DeviceNetworkEvents", netCols, []string{netOut1}},
		{"byte order mark", map[string]string{
			"DeviceNetworkEvents.json": "\ufeff[" + netRow1 + "]"},
			"DeviceNetworkEvents", netCols, []string{netOut1}},
		{"lower-case file name", map[string]string{
			"devicenetworkevents.json": netRow1},
			"DeviceNetworkEvents", netCols, []string{netOut1}},
		{"split over files", map[string]string{
			"a/DeviceNetworkEvents.1.json":  netRow1,
			"b/DeviceNetworkEvents.2.jsonl": netRow2},
			"DeviceNetworkEvents", netCols, []string{netOut1, netOut2}},
		{"event hub message", map[string]string{
			"msg.json": `{"records":[` + record("DeviceNetworkEvents", netRow1) + `,` +
				record("DeviceInfo", `{"DeviceName":"pc"}`) + `,` +
				record("DeviceNetworkEvents", netRow2) + `]}`},
			"DeviceNetworkEvents", netCols, []string{netOut1, netOut2}},
		{"event hub message lines gzip", map[string]string{
			"capture.jsonl.gz": `{"records":[` + record("DeviceNetworkEvents", netRow1) + "]}\n" +
				`{"records":[` + record("DeviceNetworkEvents", netRow2) + "]}\n"},
			"DeviceNetworkEvents", netCols, []string{netOut1, netOut2}},
		{"blob lines", map[string]string{
			"y=2025/m=05/PT1H.json": record("DeviceNetworkEvents", netRow1) + "\n" +
				record("DeviceNetworkEvents", netRow2) + "\n"},
			"DeviceNetworkEvents", netCols, []string{netOut1, netOut2}},
		{"properties before category", map[string]string{
			"blob.json": `{"properties":` + netRow2 +
				`,"category":"AdvancedHunting-DeviceNetworkEvents"}`},
			"DeviceNetworkEvents", netCols, []string{netOut2}},
		{"extensionless json", map[string]string{
			"PT1H": record("DeviceNetworkEvents", netRow1)},
			"DeviceNetworkEvents", netCols, []string{netOut1}},
		{"csv", map[string]string{
			"DeviceNetworkEvents.csv": "Timestamp,RemotePort,RemoteUrl,ReportId\n" +
				"2025-05-07T16:16:30.2240099Z,443,example.org,7\n" +
				"2025-05-07 16:20:00,8080,\"a\"\"b\",\n"},
			"DeviceNetworkEvents", netCols, []string{netOut1, netOut2}},
		{"csv gzip with bom and multi-line cell", map[string]string{
			"DeviceNetworkEvents.csv.gz": "\ufeffRemoteUrl,RemotePort\n\"line1\nline2\",1\n"},
			"DeviceNetworkEvents", []string{"RemoteUrl", "RemotePort"},
			[]string{`"line1\nline2"|1`}},
		{"missing and null columns", map[string]string{
			"DeviceNetworkEvents.json": `[{"RemotePort":null,"RemoteUrl":null},{}]`},
			"DeviceNetworkEvents", netCols,
			[]string{`null|null|""|null`, `null|null|""|null`}},
		{"repeated key keeps last", map[string]string{
			"DeviceNetworkEvents.json": `{"RemotePort":1,"RemoteUrl":"x","RemotePort":2}`},
			"DeviceNetworkEvents", []string{"RemotePort", "RemoteUrl"}, []string{`2|"x"`}},
		{"requested order", map[string]string{
			"DeviceNetworkEvents.json": netRow1},
			"DeviceNetworkEvents", []string{"ReportId", "Timestamp"},
			[]string{`7|2025-05-07T16:16:30.2240099Z`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expectRows(t, tt.files, tt.table, tt.cols, tt.want)
		})
	}
}

func TestConversions(t *testing.T) {
	cols := []string{"IsAdminOperation", "ApplicationId", "ActivityObjects", "AdditionalFields"}
	tests := []struct {
		name string
		row  string
		want string
	}{
		{"json types", `{"IsAdminOperation":true,"ApplicationId":11,` +
			`"ActivityObjects":[{"a":1}],"AdditionalFields":{"k":"v"}}`,
			`true|11|d:[{"a":1}]|d:{"k":"v"}`},
		{"bool strings", `{"IsAdminOperation":"False"}`, `false|null|null|null`},
		{"bool true string", `{"IsAdminOperation":"True"}`, `true|null|null|null`},
		{"bool numbers", `{"IsAdminOperation":1}`, `true|null|null|null`},
		{"bool zero string", `{"IsAdminOperation":"0"}`, `false|null|null|null`},
		{"int from string", `{"ApplicationId":" 42 "}`, `null|42|null|null`},
		{"int from integral real", `{"ApplicationId":4.0}`, `null|4|null|null`},
		{"empty string is null", `{"ApplicationId":"","IsAdminOperation":""}`,
			`null|null|null|null`},
		{"dynamic json string object", `{"AdditionalFields":"{\"Port\":445}"}`,
			`null|null|null|d:{"Port":445}`},
		{"dynamic json string array", `{"AdditionalFields":" [1,2] "}`,
			`null|null|null|d:[1,2]`},
		{"dynamic plain string", `{"AdditionalFields":"hello"}`, `null|null|null|d:"hello"`},
		{"dynamic broken json string", `{"AdditionalFields":"{oops"}`,
			`null|null|null|d:"{oops"`},
		{"dynamic number and bool", `{"ActivityObjects":12.5,"AdditionalFields":false}`,
			`null|null|d:12.5|d:false`},
		{"dynamic key order kept", `{"AdditionalFields":{"z":1,"a":2}}`,
			`null|null|null|d:{"z":1,"a":2}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := Scan([]string{writeFiles(t, map[string]string{"CloudAppEvents.json": tt.row})})
			if err != nil {
				t.Fatal(err)
			}
			got, err := readAll(t, set, "CloudAppEvents", cols)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("got %v, expected %s", got, tt.want)
			}
		})
	}
}

func TestStringColumnTakesAnyValue(t *testing.T) {
	tests := []struct {
		name string
		val  string
		want string
	}{
		{"string", `"x"`, `"x"`},
		{"json text string", `"{\"a\":1}"`, `"{\"a\":1}"`},
		{"object", `{"b": [1, 2.50], "a": null}`, `"{\"b\":[1,2.5],\"a\":null}"`},
		{"number", `12.50`, `"12.50"`},
		{"bool", `true`, `"true"`},
		{"null", `null`, `""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{
				"DeviceNetworkEvents.json": `{"AdditionalFields":` + tt.val + `}`})
			set, err := Scan([]string{dir})
			if err != nil {
				t.Fatal(err)
			}
			got, err := readAll(t, set, "DeviceNetworkEvents", []string{"AdditionalFields"})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("got %v, expected %s", got, tt.want)
			}
		})
	}
}

func TestExtraColumns(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"DeviceInfo.json": `[{"DeviceName":"pc","TimeGenerated":"2025-05-07T16:00:00Z",` +
			`"TenantId":"t","Custom":1,"Mixed":1,"Nested":{"a":1},"Seen":"2025-05-07T16:00:00Z",` +
			`"Flag":true,"Ratio":1,"Nothing":null},` +
			`{"Mixed":"x","Ratio":0.5,"Seen":""}]`,
		"MyTable.csv": "Name,Count\nx,1\n",
	})
	set, err := Scan([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]types.Type{
		"DeviceName": types.String, "TimeGenerated": types.Datetime, "TenantId": types.String,
		"Custom": types.Long, "Mixed": types.String, "Nested": types.Dynamic,
		"Seen": types.Datetime, "Flag": types.Bool, "Ratio": types.Real,
		"Nothing": types.Dynamic,
	}
	s := set.Schema("DeviceInfo")
	for name, typ := range want {
		if i := s.Index(name); i < 0 || s[i].Type != typ {
			t.Errorf("column %s: expected %s, found index %d in %v", name, typ, i, s)
		}
	}
	if i := s.Index("Custom"); i <= s.Index("OSPlatform") {
		t.Errorf("extra column Custom at %d, expected after the built-in columns", i)
	}
	got, err := readAll(t, set, "DeviceInfo", []string{"Mixed", "Ratio", "Seen"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != `"1"|1|2025-05-07T16:00:00.0000000Z,"x"|0.5|null` {
		t.Errorf("got %v", got)
	}
	if s := set.Schema("MyTable"); len(s) != 2 || s[1].Type != types.String {
		t.Errorf("MyTable schema %v, expected two string columns", s)
	}
	if set.Schema("Nope") != nil {
		t.Error("schema of a missing table is not nil")
	}
}

func TestScanWalk(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"DeviceInfo.json":                  `{"DeviceName":"a"}`,
		".hidden/DeviceLogonEvents.json":   `{"DeviceName":"b"}`,
		".DeviceEvents.json":               `{"DeviceName":"c"}`,
		"notes.md":                         "# not data",
		"README":                           "plain text",
		"sub/deeper/DeviceFileEvents.csv":  "DeviceName\nd\n",
		"empty/DeviceImageLoadEvents.json": "",
		"Stream.json":                      record("DeviceProcessEvents", `{}`),
	})
	set, err := Scan([]string{dir, filepath.Join(dir, "DeviceInfo.json")})
	if err != nil {
		t.Fatal(err)
	}
	want := "DeviceFileEvents,DeviceImageLoadEvents,DeviceInfo,DeviceProcessEvents"
	if got := strings.Join(set.Tables(), ","); got != want {
		t.Errorf("tables %s, expected %s", got, want)
	}
	var skipped []string
	for _, p := range set.Skipped() {
		skipped = append(skipped, filepath.Base(p))
	}
	if got := strings.Join(skipped, ","); got != "README,notes.md" {
		t.Errorf("skipped %s", got)
	}
	if got := set.Files("DeviceInfo"); len(got) != 1 {
		t.Errorf("DeviceInfo files %v, expected one", got)
	}
	if rows, err := readAll(t, set, "DeviceImageLoadEvents", []string{"DeviceName"}); err != nil ||
		len(rows) != 0 {
		t.Errorf("empty file: %v, %v", rows, err)
	}
	if _, err := Scan([]string{filepath.Join(dir, "missing")}); err == nil {
		t.Error("expected an error for a missing path")
	}
	hidden, err := Scan([]string{filepath.Join(dir, ".DeviceEvents.json")})
	if err != nil || len(hidden.Tables()) != 1 {
		t.Errorf("a hidden file named explicitly: %v, %v", hidden.Tables(), err)
	}
}

func TestBatches(t *testing.T) {
	var b strings.Builder
	const n = column.BatchSize + 10
	for i := 0; i < n; i++ {
		b.WriteString(`{"ReportId":` + strconv.Itoa(i) + "}\n")
	}
	set, err := Scan([]string{writeFiles(t, map[string]string{"DeviceEvents.jsonl": b.String()})})
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	next := int64(0)
	err = set.Read(context.Background(), "DeviceEvents", []string{"ReportId"},
		func(bt *column.Batch) error {
			sizes = append(sizes, bt.N)
			for i := 0; i < bt.N; i++ {
				if bt.Cols[0].Int[i] != next {
					t.Fatalf("row %d holds %d", next, bt.Cols[0].Int[i])
				}
				next++
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if len(sizes) != 2 || sizes[0] != column.BatchSize || sizes[1] != 10 {
		t.Errorf("batch sizes %v", sizes)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = set.Read(ctx, "DeviceEvents", nil, func(*column.Batch) error { return nil })
	if err == nil {
		t.Error("expected an error from a cancelled context")
	}
}

// TestBufferBoundaries guards the refill paths of the lexer: tokens longer
// than the read buffer, object keys split by a refill before their colon
// (a key slice into the buffer once outlived a refill), escapes cut in
// half. Reading one byte per call must give what a normal read gives.
func TestBufferBoundaries(t *testing.T) {
	long := strings.Repeat("x", 3*lexBufSize/2)
	tests := []struct {
		name string
		data string
	}{
		{"string longer than the buffer", `{"RemoteUrl":"` + long + `","RemotePort":1}`},
		{"escaped string longer than the buffer",
			`{"RemoteUrl":"\"` + long + `\u00e9\ud83d\ude00"}`},
		{"space before colon", "[" + strings.Repeat(`{"RemoteUrl" :"a", "RemotePort"`+
			"\n\t: 2 },", 5000) + "{}]"},
		{"escaped keys", strings.Repeat(`{"Remote\u0055rl":"u","\u0052emotePort":3}`+"\n", 3000)},
		{"dynamic values", strings.Repeat(`{"AdditionalFields":{"k":[1,2.5,"\n",null,true]}}`+"\n",
			3000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := scanBytes("DeviceNetworkEvents.json", []byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := readAll(t, set, "DeviceNetworkEvents", nil)
			if err != nil {
				t.Fatal(err)
			}
			slow, err := readOneByte(t, set, "DeviceNetworkEvents")
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) == 0 || strings.Join(rows, "\n") != strings.Join(slow, "\n") {
				t.Fatalf("one-byte read differs: %d rows vs %d", len(rows), len(slow))
			}
		})
	}
}

// TestExtensionlessNonJSON guards classify: a file without an extension
// that does not start like JSON is skipped, not an error.
func TestExtensionlessNonJSON(t *testing.T) {
	set, err := Scan([]string{writeFiles(t, map[string]string{"LICENSE": "MIT License"})})
	if err != nil || len(set.Tables()) != 0 || len(set.Skipped()) != 1 {
		t.Fatalf("tables %v skipped %v err %v", set.Tables(), set.Skipped(), err)
	}
}

// writeCompactRows writes n compact JSON lines shaped like Defender
// network events and returns the directory.
func writeCompactRows(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	var sb strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, `{"Timestamp":"2025-05-07T16:%02d:%02d.%07dZ","DeviceId":"d%040d",`+
			`"DeviceName":"host-%d.contoso.com","ActionType":"ConnectionSuccess",`+
			`"RemoteIP":"10.1.%d.%d","RemotePort":%d,"RemoteUrl":"www.example%d.com",`+
			`"LocalIP":"10.0.0.4","LocalPort":%d,"Protocol":"Tcp","InitiatingProcessFileName":`+
			`"chrome.exe","InitiatingProcessId":%d,"InitiatingProcessCommandLine":`+
			`"\"chrome.exe\" --type=utility","ReportId":%d,"AdditionalFields":null}`+"\n",
			i/60%60, i%60, i%10_000_000, i%4, i%7, i%250, i%200, 443+i%3, i%100, 50000+i%1000,
			1000+i%50, i)
	}
	path := filepath.Join(dir, "DeviceNetworkEvents.jsonl")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkCompactRows reads compact JSON lines, all 46 columns, to measure
// rows per second on rows of typical export size.
func BenchmarkCompactRows(b *testing.B) {
	const n = 200_000
	set, err := Scan([]string{writeCompactRows(b, n)})
	if err != nil {
		b.Fatal(err)
	}
	for _, cols := range [][]string{nil, {"Timestamp", "RemoteUrl", "RemotePort"}} {
		b.Run(fmt.Sprintf("cols=%d", len(cols)), func(b *testing.B) {
			rows := 0
			for b.Loop() {
				err := set.Read(context.Background(), "DeviceNetworkEvents", cols,
					func(bt *column.Batch) error {
						rows += bt.N
						return nil
					})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
