package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hamba/avro/v2/ocf"

	"github.com/huntql/huntql/internal/gen"
)

// exportsDir holds the export examples of internal/source.
var exportsDir = filepath.Join("..", "source", "testdata", "exports")

// writeTree writes files (relative path to contents) under a new folder.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, text := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// readFile returns a file's contents.
func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// quarantineOf returns the quarantined records of the store in dir.
func quarantineOf(t *testing.T, dir string) []quarantined {
	t.Helper()
	var out []quarantined
	for _, line := range quarantineText(t, dir) {
		var e quarantined
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

// TestLogAnalyticsCSVIngestsAsDataReadsIt guards against ingest reading a
// Log Analytics export's "Timestamp [UTC]" headers and "5/7/2025, 4:16:30
// PM" times as plain strings (every Timestamp null), and storing a
// query_data.csv as a table of that name instead of by its Type cells.
func TestLogAnalyticsCSVIngestsAsDataReadsIt(t *testing.T) {
	export := readFile(t, filepath.Join(exportsDir, "loganalytics", "query_data.csv"))
	// A typed export long enough that a column is first filled after the
	// rows Scan samples: Scan gives the table every column any row fills.
	var long strings.Builder
	long.WriteString("\"TimeGenerated [UTC]\",\"Timestamp [UTC]\",DeviceId,ReportId,ActionType," +
		"Late,Type\n")
	for i := range 3500 {
		late := ""
		if i == 3400 {
			late = "x"
		}
		fmt.Fprintf(&long, "\"5/7/2025, %d:%02d:%02d.5 AM\",\"10/25/2023, 9:43:21.%03d PM\","+
			"d%d,%d,A,%s,%s\n", 1+i%12, i%60, i%59, i%1000, i%7, i, late,
			[]string{"DeviceNetworkEvents", "DeviceInfo", "MyApp_CL"}[i%3])
	}
	tests := []struct {
		name  string
		files map[string]string
	}{
		{"export named after no table", map[string]string{"la/query_data.csv": export}},
		{"export named after its table", map[string]string{
			"la/DeviceNetworkEvents.csv": export}},
		{"gzip export", map[string]string{"la/query_data.csv.gz": gzipText(t, export)}},
		{"long typed export", map[string]string{"query_data.csv": long.String()}},
		{"other time zones", map[string]string{"DeviceInfo.csv": "\"Timestamp [UTC+02:00]\"," +
			"\"TimeGenerated [UTC-5]\",DeviceId,ReportId\n" +
			"\"5/7/2025, 6:16:30 PM\",\"5/7/2025, 11:16:30 AM\",d1,1\n,,d2,2\n"}},
		{"advanced hunting export", map[string]string{"DeviceNetworkEvents.csv": readFile(t,
			filepath.Join(exportsDir, "advancedhunting", "DeviceNetworkEvents.csv"))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := writeTree(t, tt.files)
			dir := t.TempDir()
			if sum := ingestAll(t, dir, src); sum.Quarantined != 0 || sum.Stored == 0 {
				t.Errorf("summary %+v: expected every record stored", sum)
			}
			sameContents(t, dir, src)
		})
	}
	t.Run("in several commits", func(t *testing.T) {
		src := writeTree(t, map[string]string{"query_data.csv": long.String()})
		dir := t.TempDir()
		ingestWith(t, dir, IngestOptions{CommitBytes: 4096}, src)
		sameContents(t, dir, src)
	})
}

// TestLocalTimeCSVIsRefusedClearly expects a CSV export in the exporter's
// local time, whose offset the file does not say, quarantined as a whole
// with the reason, as --data refuses it.
func TestLocalTimeCSVIsRefusedClearly(t *testing.T) {
	src := writeTree(t, map[string]string{"query_data.csv": "\"TimeGenerated [Local Time]\"," +
		"Type\n\"5/7/2025, 6:16:30 PM\",DeviceInfo\n"})
	dir := t.TempDir()
	sum := ingestAll(t, dir, src)
	q := quarantineOf(t, dir)
	if sum.Stored != 0 || len(q) != 1 || !strings.Contains(q[0].Reason,
		`expected times in UTC ([UTC] or [UTC+hh:mm]), found "[Local Time]"`) ||
		q[0].Raw != `"TimeGenerated [Local Time]",Type` {
		t.Errorf("summary %+v, quarantine %+v: expected the file refused for its local times",
			sum, q)
	}
}

// gzipText returns text gzip-compressed.
func gzipText(t *testing.T, text string) string {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(text)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// ingestWith ingests paths with opts, checking that the counts add up.
func ingestWith(t *testing.T, dir string, opts IngestOptions, paths ...string) *Summary {
	t.Helper()
	w, err := OpenWriter(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	sum, err := w.Ingest(context.Background(), paths, opts)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != sum.Stored+sum.Duplicate+sum.Quarantined {
		t.Errorf("read %d != stored %d + duplicate %d + quarantined %d", sum.Read, sum.Stored,
			sum.Duplicate, sum.Quarantined)
	}
	return sum
}

// TestStorageContainerNamesTheTable guards against ingest quarantining a
// Storage blob line without a category ("expected a category naming the
// table") that --data reads as a row of the table its container
// (insights-logs-advancedhunting-<table>, or a Log Analytics data export's
// am-<table>) names.
func TestStorageContainerNamesTheTable(t *testing.T) {
	blob := func(cat string, i int) string {
		if cat != "" {
			cat = `"category":"` + cat + `",`
		}
		return fmt.Sprintf(`{"time":"2025-05-07T16:%02d:00Z","tenantId":"t",`+
			`"operationName":"Publish",%s"properties":{"Timestamp":"2025-05-07T16:%02d:00Z",`+
			`"DeviceId":"d%d","ReportId":%d,"ActionType":"ConnectionSuccess",`+
			`"RemotePort":%d}}`+"\n", i, cat, i, i, i, 80+i)
	}
	const layout = "/tenantId=t/y=2025/m=05/d=07/h=16/m=00/PT1H.json"
	tests := []struct {
		name  string
		files map[string]string
	}{
		{"the example export", nil},
		{"first line without a category", map[string]string{
			"insights-logs-advancedhunting-devicenetworkevents" + layout: blob("", 1) +
				blob("AdvancedHunting-DeviceNetworkEvents", 2) + blob("", 3) +
				blob("AdvancedHunting-DeviceInfo", 4)}},
		{"gzip blob", map[string]string{
			"insights-logs-advancedhunting-deviceinfo" + layout + ".gz": gzipText(t,
				blob("", 1)+blob("", 2))}},
		{"log analytics data export", map[string]string{
			"am-devicenetworkevents/WorkspaceResourceId=/subscriptions/s/y=2025/m=05/d=07/" +
				"h=16/m=00/PT05M.json": `{"TenantId":"t","TimeGenerated":` +
				`"2025-05-07T16:16:31Z","Timestamp":"2025-05-07T16:16:30Z","DeviceId":"d1",` +
				`"ReportId":1,"ActionType":"A","Type":"DeviceNetworkEvents"}` + "\n",
			"am-deviceinfo/y=2025/m=05/d=07/h=16/m=00/PT05M.json": blob("", 5)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := filepath.Join(exportsDir, "storage")
			if tt.files != nil {
				src = writeTree(t, tt.files)
			}
			dir := t.TempDir()
			if sum := ingestAll(t, dir, src); sum.Quarantined != 0 || sum.Stored == 0 {
				t.Errorf("summary %+v: expected every record stored; quarantined %+v", sum,
					quarantineOf(t, dir))
			}
			sameContents(t, dir, src)
		})
	}
}

// TestStdinFormatIsToldFromItsContent guards against ingest reading stdin
// as JSON lines whatever it holds (a CSV stream quarantined as one
// record): stdin is sniffed as files are named, or --format says it.
func TestStdinFormatIsToldFromItsContent(t *testing.T) {
	opts := gen.Options{Devices: 5, Rows: 300, ProcessRows: 100, RecordsPerMessage: 16}
	generated := func(table string, f gen.Format) string {
		var b bytes.Buffer
		if err := gen.Write(&b, table, f, opts); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	csv := generated(gen.DeviceInfo, gen.CSV)
	export := readFile(t, filepath.Join(exportsDir, "loganalytics", "query_data.csv"))
	tests := []struct {
		name, table, format string
		stdin               string
		file                string // the same contents as a file, as --data reads it
	}{
		{"csv", "DeviceInfo", "", csv, "DeviceInfo.csv"},
		{"gzip csv", "DeviceInfo", "", gzipText(t, csv), "DeviceInfo.csv.gz"},
		{"csv said", "DeviceInfo", "csv", csv, "DeviceInfo.csv"},
		{"log analytics export without a table", "", "auto", export, "query_data.csv"},
		{"json array", "DeviceNetworkEvents", "",
			generated(gen.DeviceNetworkEvents, gen.JSON), "DeviceNetworkEvents.json"},
		{"json lines", "DeviceNetworkEvents", "",
			generated(gen.DeviceNetworkEvents, gen.JSONLines), "DeviceNetworkEvents.jsonl"},
		{"event hub messages", "", "",
			generated(gen.DeviceNetworkEvents, gen.EventHub), "hub.json"},
		{"avro capture", "", "", captureFile(t, ocf.Deflate, 4, hubMessages(t)[:9]...),
			"00.avro"},
		{"avro said, gzip", "", "avro", gzipText(t, captureFile(t, ocf.Null, 4,
			hubMessages(t)[:5]...)), "00.avro.gz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			sum := ingestWith(t, dir, IngestOptions{Stdin: strings.NewReader(tt.stdin),
				Table: tt.table, Format: tt.format}, "-")
			if sum.Quarantined != 0 || sum.Stored == 0 || !sum.Stdin {
				t.Errorf("summary %+v: expected every record stored", sum)
			}
			sameContents(t, dir, writeTree(t, map[string]string{tt.file: tt.stdin}))
		})
	}
	w, err := OpenWriter(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	_, err = w.Ingest(context.Background(), []string{"-"}, IngestOptions{
		Stdin: strings.NewReader(csv), Format: "parquet"})
	if err == nil || err.Error() != `unknown format "parquet"; expected one of auto, json, `+
		`csv, avro` {
		t.Errorf("got %v, expected an unknown format refused", err)
	}
}

// TestCSVFaultsKeepTheirText guards against quarantined CSV parse errors
// with empty raw text: each keeps the text of its row as written.
func TestCSVFaultsKeepTheirText(t *testing.T) {
	src := writeTree(t, map[string]string{"DeviceInfo.csv": "DeviceId,ReportId,DeviceName\n" +
		"d1,1,\"pc \"\"one\"\"\"\n" +
		"d2,2,pc \"two\"\n" + // a bare quote
		"d3,3\n" + // too few cells
		"d4,4,\"pc\nfour\"\r\n" +
		"d5,x\"y,5\n"})
	dir := t.TempDir()
	sum := ingestAll(t, dir, src)
	q := quarantineOf(t, dir)
	want := []string{`d2,2,pc "two"`, `d3,3`, `d5,x"y,5`}
	if sum.Stored != 2 || len(q) != len(want) {
		t.Fatalf("summary %+v, quarantine %+v: expected 2 rows stored, 3 quarantined", sum, q)
	}
	lines := []int{3, 4, 7}
	for i, e := range q {
		if e.Raw != want[i] || e.Line != lines[i] {
			t.Errorf("quarantined line %d %q, expected line %d %q", e.Line, e.Raw, lines[i],
				want[i])
		}
	}
}

// TestResumeReadsOnlyWhatIsNew guards against a resumed ingest reading a
// grown JSON lines file from its start (and counting those bytes in its
// throughput): it seeks past what was read, reading only the file's head
// again (to tell how it holds its rows).
func TestResumeReadsOnlyWhatIsNew(t *testing.T) {
	src := t.TempDir()
	generate(t, src, "--devices", "5", "--rows", "20000", "--tables", "DeviceNetworkEvents")
	path := filepath.Join(src, "DeviceNetworkEvents.jsonl")
	data := []byte(readFile(t, path))
	cut := bytes.IndexByte(data[len(data)*9/10:], '\n') + len(data)*9/10 + 1
	if err := os.WriteFile(path, data[:cut], 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	first := ingestAll(t, dir, src)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	second := ingestAll(t, dir, src)
	if first.Read+second.Read != 20000 || second.Duplicate != 0 ||
		second.Bytes > int64(len(data)-cut)+512<<10 || second.Bytes < int64(len(data)-cut) {
		t.Errorf("read %d then %d records (%d duplicates), the second time %d bytes; "+
			"expected 20000 in all, and %d new bytes read with the head", first.Read,
			second.Read, second.Duplicate, second.Bytes, len(data)-cut)
	}
	sameContents(t, dir, src)
}
