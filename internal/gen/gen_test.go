package gen

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/huntql/huntql/internal/types"
)

// sharedDir returns the reference directory ../shared of the repository,
// or HUNTQL_SHARED.
func sharedDir() string {
	if d := os.Getenv("HUNTQL_SHARED"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared")
}

func TestSchemaMatchesReference(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(sharedDir(), "schema", "advanced-hunting.json"))
	if err != nil {
		t.Skipf("schema reference not found (set HUNTQL_SHARED to the shared directory): %v", err)
	}
	var ref map[string][][2]string
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	for _, table := range Tables {
		t.Run(table, func(t *testing.T) {
			s, _ := Schema(table)
			want := ref[table]
			if len(s) != len(want) {
				t.Fatalf("%d columns, expected %d", len(s), len(want))
			}
			for i, f := range s {
				if f.Name != want[i][0] || f.Type.String() != want[i][1] {
					t.Errorf("column %d is %s %s, expected %s %s", i, f.Name, f.Type,
						want[i][0], want[i][1])
				}
			}
		})
	}
}

func small() Options {
	return Options{Seed: 3, Devices: 60, Rows: 800, ProcessRows: 200,
		Start: time.Date(2025, 5, 7, 12, 0, 0, 0, time.UTC), Span: 30 * time.Hour}
}

func generate(t *testing.T, table string, f Format, opts Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, table, f, opts); err != nil {
		t.Fatalf("Write(%s, %s): %v", table, f, err)
	}
	return b.Bytes()
}

func TestDeterministic(t *testing.T) {
	for _, table := range Tables {
		a := generate(t, table, JSONLines, small())
		b := generate(t, table, JSONLines, small())
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two runs with the same options differ", table)
		}
		o := small()
		o.Batch = 1
		if c := generate(t, table, JSONLines, o); bytes.Equal(a, c) {
			t.Errorf("%s: batch 1 equals batch 0", table)
		}
	}
}

var isoTime = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$`)

// decodeRows parses generated output of any format into row maps, as
// encoding/json or encoding/csv see them.
func decodeRows(t *testing.T, table string, f Format, data []byte) []map[string]any {
	t.Helper()
	var rows []map[string]any
	switch f {
	case JSON:
		if err := json.Unmarshal(data, &rows); err != nil {
			t.Fatalf("not a JSON array: %v", err)
		}
	case JSONLines:
		for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
			var m map[string]any
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("line %d: %v", i+1, err)
			}
			rows = append(rows, m)
		}
	case EventHub:
		dec := json.NewDecoder(bytes.NewReader(data))
		for {
			var msg struct {
				Records []struct {
					Time          string         `json:"time"`
					TenantID      string         `json:"tenantId"`
					OperationName string         `json:"operationName"`
					Category      string         `json:"category"`
					Properties    map[string]any `json:"properties"`
				} `json:"records"`
			}
			if err := dec.Decode(&msg); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("bad event hub message: %v", err)
			}
			for _, r := range msg.Records {
				if r.Category != "AdvancedHunting-"+table || r.OperationName != "Publish" ||
					r.Time != r.Properties["Timestamp"] || len(r.TenantID) != 36 {
					t.Fatalf("bad record envelope %q %q %q %q", r.Time, r.TenantID,
						r.OperationName, r.Category)
				}
				rows = append(rows, r.Properties)
			}
		}
	case CSV:
		recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatalf("bad CSV: %v", err)
		}
		s, _ := Schema(table)
		for i, col := range s {
			if recs[0][i] != col.Name {
				t.Fatalf("header column %d is %q, expected %q", i, recs[0][i], col.Name)
			}
		}
		for _, rec := range recs[1:] {
			m := map[string]any{}
			for i, v := range rec {
				m[s[i].Name] = v
			}
			rows = append(rows, m)
		}
	}
	return rows
}

func TestFormats(t *testing.T) {
	opts := small()
	lo, hi := opts.Start, opts.Start.Add(opts.Span)
	for _, table := range Tables {
		for _, f := range Formats {
			t.Run(table+"/"+string(f), func(t *testing.T) {
				rows := decodeRows(t, table, f, generate(t, table, f, opts))
				want := map[string]int{DeviceNetworkEvents: 800, DeviceProcessEvents: 200,
					DeviceInfo: 120}[table]
				if want != 0 && len(rows) != want {
					t.Errorf("%d rows, expected %d", len(rows), want)
				}
				s, _ := Schema(table)
				for i, row := range rows {
					ts, _ := row["Timestamp"].(string)
					tm, err := time.Parse(time.RFC3339Nano, ts)
					if !isoTime.MatchString(ts) || err != nil || tm.Before(lo) || !tm.Before(hi) {
						t.Fatalf("row %d: Timestamp %q: expected ISO 8601, 7 digits, "+
							"in [%v, %v)", i, ts, lo, hi)
					}
					for k, v := range row {
						j := s.Index(k)
						if j < 0 {
							t.Fatalf("row %d: column %q not in the schema", i, k)
						}
						if f != CSV && !jsonTypeOK(s[j].Type, v) {
							t.Fatalf("row %d: %s = %#v: wrong JSON type for %s", i, k, v, s[j].Type)
						}
					}
				}
			})
		}
	}
}

func jsonTypeOK(t types.Type, v any) bool {
	switch v.(type) {
	case nil:
		return true
	case string:
		return t == types.String || t == types.Datetime
	case float64:
		return t == types.Int || t == types.Long
	case bool:
		return t == types.Bool
	}
	return false
}

// TestNetworkEventsRealism checks the shapes the hunts and examples rely on.
func TestNetworkEventsRealism(t *testing.T) {
	opts := small()
	opts.Rows = 6000
	rows := decodeRows(t, DeviceNetworkEvents, JSONLines,
		generate(t, DeviceNetworkEvents, JSONLines, opts))
	count := map[string]int{}
	devices := map[string]bool{}
	times := map[string]string{}
	for _, r := range rows {
		url, _ := r["RemoteUrl"].(string)
		action := r["ActionType"].(string)
		count[action]++
		devices[r["DeviceId"].(string)] = true
		id := r["DeviceId"].(string)
		if !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(id) {
			t.Fatalf("DeviceId %q: expected 40 hex digits", id)
		}
		switch {
		case url == "":
			count["no url"]++
		case strings.HasPrefix(url, "https://") && strings.Contains(url, "microsoft.com/"):
			count["url"]++
		case strings.Contains(url, ":443") && !strings.Contains(url, "//"):
			count["host:port"]++
		}
		if action == "ConnectionFailed" && strings.Contains(url, "winatp-gw-") {
			count["gateway failures"]++
		}
		if _, ok := r["AdditionalFields"]; !ok {
			count["missing AdditionalFields"]++
		} else if r["AdditionalFields"] == nil {
			count["null AdditionalFields"]++
		} else {
			count["json AdditionalFields"]++
		}
		ts := r["Timestamp"].(string)
		if other, ok := times[ts]; ok && other != id {
			count["ties"]++
		}
		times[ts] = id
	}
	for _, k := range []string{"ConnectionSuccess", "ConnectionFailed", "ConnectionAttempt",
		"InboundConnectionAccepted", "ListeningConnectionCreated", "no url", "url",
		"host:port", "gateway failures", "missing AdditionalFields", "null AdditionalFields",
		"json AdditionalFields", "ties"} {
		if count[k] == 0 {
			t.Errorf("no rows with %s in %d rows", k, len(rows))
		}
	}
	if len(devices) < 55 {
		t.Errorf("%d distinct devices, expected nearly all 60", len(devices))
	}
}

func TestWriteUnknownTable(t *testing.T) {
	err := Write(io.Discard, "DeviceNoSuchEvents", JSON, Options{})
	if err == nil || !strings.Contains(err.Error(), `unknown table "DeviceNoSuchEvents"`) {
		t.Errorf("Write error = %v, expected an unknown table error", err)
	}
}

func TestAppendTime(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"epoch", time.Unix(0, 0), "1970-01-01T00:00:00.0000000Z"},
		{"ticks", time.Date(2025, 5, 7, 16, 16, 30, 224009900, time.UTC),
			"2025-05-07T16:16:30.2240099Z"},
		{"end of day", time.Date(2024, 2, 29, 23, 59, 59, 999999900, time.UTC),
			"2024-02-29T23:59:59.9999999Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := formatTime(tc.in); got != tc.want {
				t.Errorf("formatTime = %s, expected %s", got, tc.want)
			}
			if got := types.DateFromTime(tc.in).String(); got != tc.want {
				t.Errorf("types.Date.String = %s, expected %s", got, tc.want)
			}
		})
	}
}

func TestJSONStringEscaping(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "abc", `"abc"`},
		{"path", `C:\Windows`, `"C:\\Windows"`},
		{"quote", `say "hi"`, `"say \"hi\""`},
		{"control", "a\nb\x01", `"a\nb\u0001"`},
		{"html kept", "<&>", `"<&>"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(appendJSONString(nil, tc.in)); got != tc.want {
				t.Errorf("appendJSONString(%q) = %s, expected %s", tc.in, got, tc.want)
			}
			if got := string(appendJSONBytes(nil, []byte(tc.in))); got != tc.want {
				t.Errorf("appendJSONBytes(%q) = %s, expected %s", tc.in, got, tc.want)
			}
		})
	}
}

func BenchmarkNetworkEvents(b *testing.B) {
	for _, f := range []Format{JSONLines, CSV} {
		b.Run(string(f), func(b *testing.B) {
			opts := Options{Seed: 1, Devices: 5000, Rows: b.N}
			cw := &countWriter{w: io.Discard}
			b.ResetTimer()
			if err := Write(cw, DeviceNetworkEvents, f, opts); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(cw.n / int64(max(b.N, 1)))
		})
	}
}
