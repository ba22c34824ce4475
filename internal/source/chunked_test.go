package source

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/huntql/huntql/internal/column"
)

// testChunkSizes are the chunk sizes tests read with besides the default:
// one line per chunk, a few lines, and lines cut anywhere.
var testChunkSizes = []int{1, 7, 64}

// withChunkSize runs fn with chunkSize set to size.
func withChunkSize(size int, fn func()) {
	saved := chunkSize
	chunkSize = size
	defer func() { chunkSize = saved }()
	fn()
}

// readChunked is readAll with chunkSize set to size.
func readChunked(t testing.TB, set *Set, table string, cols []string,
	size int) (rows []string, err error) {
	t.Helper()
	withChunkSize(size, func() { rows, err = readAll(t, set, table, cols) })
	return rows, err
}

// checkChunkedAgrees reads every table of set sequentially and in chunks
// of each test size, and fails unless they give the same rows and errors.
func checkChunkedAgrees(t testing.TB, set *Set) {
	t.Helper()
	for _, table := range set.Tables() {
		var want []string
		var wantErr error
		withChunkSize(1<<30, func() { want, wantErr = readAll(t, set, table, nil) })
		for _, size := range testChunkSizes {
			got, err := readChunked(t, set, table, nil, size)
			if errString(err) != errString(wantErr) {
				t.Fatalf("%s in chunks of %d: error %v, sequentially %v", table, size, err, wantErr)
			}
			if wantErr == nil && strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("%s in chunks of %d:\n%s\nsequentially:\n%s", table, size,
					strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
	}
}

func TestChunkBoundaries(t *testing.T) {
	row := func(i int) string {
		return `{"Timestamp":"2025-05-07T16:16:30Z","RemotePort":` + strconv.Itoa(i) +
			`,"RemoteUrl":"u` + strconv.Itoa(i) + `","ActionType":"ConnectionSuccess"}`
	}
	var lines []string
	for i := range 20 {
		lines = append(lines, row(i))
	}
	jsonl := strings.Join(lines, "\n") + "\n"
	long := strings.Repeat(jsonl, 51) // longer than Scan reads
	csvHead := "Timestamp,RemotePort,RemoteUrl,ActionType\n"
	var csvRows []string
	for i := range 20 {
		csvRows = append(csvRows, "2025-05-07T16:16:30Z,"+strconv.Itoa(i)+",u"+strconv.Itoa(i)+
			",ConnectionSuccess")
	}
	csvBody := strings.Join(csvRows, "\n") + "\n"
	tests := []struct {
		name, file, data string
		wantErr          string // "" for none
	}{
		{"json lines", "DeviceNetworkEvents.jsonl", jsonl, ""},
		{"json lines without final newline", "DeviceNetworkEvents.jsonl",
			strings.TrimSuffix(jsonl, "\n"), ""},
		{"json crlf", "DeviceNetworkEvents.jsonl", strings.ReplaceAll(jsonl, "\n", "\r\n"), ""},
		{"json byte order mark", "DeviceNetworkEvents.jsonl", "\ufeff" + jsonl, ""},
		{"json empty", "DeviceNetworkEvents.jsonl", "", ""},
		{"json blank lines", "DeviceNetworkEvents.jsonl", "\n\n" + jsonl + "\n\n\n", ""},
		{"json record across lines", "DeviceNetworkEvents.jsonl",
			lines[0] + "\n{\n\"RemotePort\":\n7,\n\"RemoteUrl\":\"x\"}\n" + jsonl, ""},
		{"json array", "DeviceNetworkEvents.json", "[\n" + strings.Join(lines, ",\n") + "\n]\n", ""},
		{"json arrays and lines", "DeviceNetworkEvents.json",
			"[\n" + strings.Join(lines, ",\n") + "\n]\n" + jsonl + "[]\n[\n]\n" +
				"[\n" + strings.Join(lines, ",\n") + "\n]\n", ""},
		{"json array, bad row in a later chunk", "DeviceNetworkEvents.json",
			"[\n" + strings.Repeat(lines[0]+",\n", 1100) + `{"RemotePort":"x"}` + "\n]",
			`DeviceNetworkEvents.json:1102: column RemotePort: expected int, found "x"`},
		{"json array cut after a comma", "DeviceNetworkEvents.json",
			"[\n" + strings.Repeat(lines[0]+",\n", 1100),
			`DeviceNetworkEvents.json:1102: expected row object, found end of input`},
		{"json array cut after an element", "DeviceNetworkEvents.json",
			"[\n" + strings.Repeat(lines[0]+",\n", 1100) + lines[0] + "\n",
			`DeviceNetworkEvents.json:1103: expected ',' or ']', found end of input`},
		{"json array comma first", "DeviceNetworkEvents.json",
			"[" + lines[0] + "\n," + strings.Join(lines, "\n,") + "\n]", ""},
		{"json bad line in a later chunk", "DeviceNetworkEvents.jsonl",
			jsonl + `{"RemotePort":"x"}` + "\n" + jsonl,
			`DeviceNetworkEvents.jsonl:21: column RemotePort: expected int, found "x"`},
		{"json syntax error in a later chunk", "DeviceNetworkEvents.jsonl",
			long + `{"RemotePort":1,}` + "\n" + jsonl,
			`DeviceNetworkEvents.jsonl:1021: expected object key, found '}'`},
		{"json cut short", "DeviceNetworkEvents.jsonl", long + `{"RemotePort":1`,
			`DeviceNetworkEvents.jsonl:1021: expected ',' or '}', found end of input`},
		{"storage blob lines", "x.json", strings.Repeat(
			record("DeviceNetworkEvents", row(1))+"\n", 9) +
			record("DeviceNetworkEvents", `{"RemotePort":"x"}`) + "\n",
			`x.json:10: record 10: column RemotePort: expected int, found "x"`},
		{"csv", "DeviceNetworkEvents.csv", csvHead + csvBody, ""},
		{"csv crlf", "DeviceNetworkEvents.csv",
			strings.ReplaceAll(csvHead+csvBody, "\n", "\r\n"), ""},
		{"csv final cr", "DeviceNetworkEvents.csv", csvHead + csvBody + "2025-05-07T16:16:30Z,1,y,z\r", ""},
		{"csv byte order mark", "DeviceNetworkEvents.csv", "\ufeff" + csvHead + csvBody, ""},
		{"csv empty", "DeviceNetworkEvents.csv", "", ""},
		{"csv header only", "DeviceNetworkEvents.csv", csvHead, ""},
		{"csv blank lines", "DeviceNetworkEvents.csv",
			csvHead + "\n\r\n" + csvBody + "\n\n", ""},
		{"csv quoted newlines", "DeviceNetworkEvents.csv", csvHead + csvBody +
			"2025-05-07T16:16:30Z,1,\"a\nb\r\nc,\"\"d\"\"\n\n\",\"x\"\r\n" + csvBody, ""},
		{"csv quoted header", "DeviceNetworkEvents.csv",
			"\"Timestamp\",\"Remote\nPort\",RemoteUrl,ActionType\n" + csvBody, ""},
		{"csv bad value in a later chunk", "DeviceNetworkEvents.csv",
			csvHead + csvBody + "2025-05-07T16:16:30Z,x,u,a\n" + csvBody,
			`DeviceNetworkEvents.csv:22: column RemotePort: expected int, found "x"`},
		{"csv bad value after quoted newlines", "DeviceNetworkEvents.csv",
			csvHead + "2025-05-07T16:16:30Z,1,\"a\n\nb\",a\n" + csvBody +
				"2025-05-07T16:16:30Z,x,u,a\n",
			`DeviceNetworkEvents.csv:25: column RemotePort: expected int, found "x"`},
		{"csv field count", "DeviceNetworkEvents.csv", csvHead + csvBody + "a,b\n" + csvBody,
			`DeviceNetworkEvents.csv:22: expected 4 fields as in the header, found 2`},
		{"csv bare quote", "DeviceNetworkEvents.csv", csvHead + csvBody + "a,b\"c,d,e\n",
			`DeviceNetworkEvents.csv:22: bare " in non-quoted-field`},
		{"csv unclosed quote", "DeviceNetworkEvents.csv", csvHead + csvBody + "a,\"b,c,d\n" +
			csvBody, `DeviceNetworkEvents.csv:42: extraneous or missing " in quoted-field`},
		{"csv quote after quoted field", "DeviceNetworkEvents.csv",
			csvHead + csvBody + "a,\"b\"c,d,e\n",
			`DeviceNetworkEvents.csv:22: extraneous or missing " in quoted-field`},
		{"csv typed rows", "query_data.csv", "Type,DeviceName\n" + strings.Repeat(
			"DeviceInfo,a\nDeviceNetworkEvents,b\nOther,c\n", 10), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := scanBytes(tt.file, []byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			checkChunkedAgrees(t, set)
			for _, table := range set.Tables() {
				_, err := readChunked(t, set, table, nil, 7)
				if errString(err) != tt.wantErr {
					t.Errorf("%s: error %v, want %s", table, err, tt.wantErr)
				}
			}
		})
	}
}

// TestChunkedFiles reads files on disk, plain and compressed, in chunks.
func TestChunkedFiles(t *testing.T) {
	var b strings.Builder
	for i := range 500 {
		fmt.Fprintf(&b, `{"ReportId":%d,"RemoteUrl":"u%d"}`+"\n", i, i%7)
	}
	var c strings.Builder
	c.WriteString("ReportId,RemoteUrl\r\n")
	for i := range 500 {
		fmt.Fprintf(&c, "%d,\"u\r\n%d\"\r\n", i, i%7)
	}
	dir := writeFiles(t, map[string]string{
		"DeviceNetworkEvents.jsonl":    b.String(),
		"DeviceEvents.jsonl.gz":        b.String(),
		"DeviceProcessEvents.jsonl.gz": b.String() + `{"ReportId":"x"}` + "\n",
		"DeviceFileEvents.csv.gz":      c.String(),
		"DeviceImageLoadEvents.csv.gz": c.String() + "x,y\r\n",
	})
	set, err := Scan([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	checkChunkedAgrees(t, set)
	_, err = readChunked(t, set, "DeviceProcessEvents", nil, 100)
	want := filepath.Join(dir, "DeviceProcessEvents.jsonl.gz") +
		`:501: column ReportId: expected long, found "x"`
	if errString(err) != want {
		t.Errorf("error %v, want %s", err, want)
	}
	_, err = readChunked(t, set, "DeviceImageLoadEvents", nil, 100)
	want = filepath.Join(dir, "DeviceImageLoadEvents.csv.gz") +
		`:1002: column ReportId: expected long, found "x"`
	if errString(err) != want {
		t.Errorf("error %v, want %s", err, want)
	}
}

// TestChunkedStopsEarly checks that an error from the callback ends a
// chunked read at once.
func TestChunkedStopsEarly(t *testing.T) {
	set, err := scanBytes("DeviceNetworkEvents.jsonl", []byte(strings.Repeat(
		`{"ReportId":1}`+"\n", 10000)))
	if err != nil {
		t.Fatal(err)
	}
	stop := fmt.Errorf("stop")
	calls := 0
	withChunkSize(100, func() {
		err = set.Read(context.Background(), "DeviceNetworkEvents", nil,
			func(*column.Batch) error {
				calls++
				return stop
			})
	})
	if err != stop || calls != 1 {
		t.Errorf("error %v after %d calls", err, calls)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	withChunkSize(100, func() {
		err = set.Read(ctx, "DeviceNetworkEvents", nil, func(*column.Batch) error { return nil })
	})
	if err != context.Canceled {
		t.Errorf("error %v from a cancelled read", err)
	}
}

// TestPlainRun checks the word-at-a-time scan against a byte loop, with
// each special byte at each position of strings up to 40 bytes long.
func TestPlainRun(t *testing.T) {
	naive := func(b []byte) int {
		for i, c := range b {
			if c == '"' || c == '\\' || c < 0x20 {
				return i
			}
		}
		return len(b)
	}
	fills := []byte{'a', 0x80, 0xff, 0x21, 0x5d, 0x23, 0x01 + '"'}
	specials := []byte{'"', '\\', 0, 0x1f, '\n'}
	for n := 0; n <= 40; n++ {
		for _, fill := range fills {
			b := []byte(strings.Repeat(string([]byte{fill}), n))
			if got := plainRun(b); got != naive(b) {
				t.Fatalf("%q: %d, want %d", b, got, naive(b))
			}
			for i := range n {
				for _, sp := range specials {
					c := append([]byte(nil), b...)
					c[i] = sp
					if i+1 < n {
						c[i+1] = specials[(i+int(sp))%len(specials)]
					}
					if got := plainRun(c); got != naive(c) {
						t.Fatalf("%q: %d, want %d", c, got, naive(c))
					}
				}
			}
		}
	}
}

// TestChunkedCSVRandom compares chunked and sequential reads of random CSV
// files built from awkward pieces (quotes, doubled quotes, quoted and bare
// newlines, CRLF, lone CRs, empty lines, short rows), reading each column
// alone and all of them.
func TestChunkedCSVRandom(t *testing.T) {
	pieces := []string{"a", "", "1", "2025-05-07T16:16:30Z", "\"q\"", "\"a,b\"", "\"x\"\"y\"",
		"\"l1\nl2\"", "\"c\r\nd\"", "a\rb", "b\"c", "\"e\"f", "\"\"", "x y"}
	header := []string{"RemoteUrl", "RemotePort", "Timestamp", "DeviceName"}
	seed := uint64(1)
	rnd := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
	clean := 0 // reads without an error, lest the pieces make every file bad
	for iter := range 300 {
		var b strings.Builder
		b.WriteString(strings.Join(header, ",") + "\n")
		for range 1 + rnd(12) {
			n := len(header)
			if rnd(30) == 0 {
				n = 1 + rnd(len(header)+1)
			}
			cells := make([]string, n)
			for i := range cells {
				cells[i] = pieces[rnd(len(pieces))]
				if rnd(3) > 0 {
					cells[i] = pieces[rnd(4)] // mostly plain
				}
			}
			b.WriteString(strings.Join(cells, ","))
			switch rnd(6) {
			case 0:
				b.WriteString("\r\n")
			case 1:
				b.WriteString("\n\n")
			default:
				b.WriteString("\n")
			}
		}
		data := b.String()
		if rnd(4) == 0 {
			data = strings.TrimSuffix(data, "\n")
		}
		set, err := scanBytes("DeviceNetworkEvents.csv", []byte(data))
		if err != nil {
			continue
		}
		subsets := [][]string{nil}
		for _, h := range header {
			subsets = append(subsets, []string{h})
		}
		for _, cols := range subsets {
			var want []string
			var wantErr error
			withChunkSize(1<<30, func() {
				want, wantErr = readAll(t, set, "DeviceNetworkEvents", cols)
			})
			if wantErr == nil {
				clean++
			}
			for _, size := range testChunkSizes {
				got, err := readChunked(t, set, "DeviceNetworkEvents", cols, size)
				if errString(err) != errString(wantErr) ||
					wantErr == nil && strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Fatalf("file %d %q, columns %v, chunks of %d:\n%v %q\nsequentially:\n%v %q",
						iter, data, cols, size, err, got, wantErr, want)
				}
			}
		}
	}
	if clean < 100 {
		t.Errorf("only %d reads without an error", clean)
	}
}
