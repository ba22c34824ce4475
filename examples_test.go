package huntql_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/huntql/huntql"
	"github.com/huntql/huntql/internal/hunts"
	"github.com/huntql/huntql/internal/types"
)

// domainRow is one expected row of the connectivity-failures-by-domain hunt.
type domainRow struct {
	Domain   string
	Last     time.Time
	Names    map[string]bool // DeviceName of every row at Last: any one is right
	Failures int64
	Devices  int64
}

// TestExamplesConnectivityByDomain runs the connectivity-failures-by-domain
// hunt over examples/ through the engine and checks its result against one
// computed here in plain Go from the decoded files, without the engine.
//
// The hunt keeps failed connections (ActionType ConnectionFailed) with a
// non-empty RemoteUrl, reduces URLs containing "//" to their host, keeps the
// Defender endpoints listed in the hunt, and per endpoint reports the latest
// failure and the DeviceName of that row, the number of failures and the
// number of distinct DeviceIds, ordered by that number, descending.
//
// Ties: if several rows share the latest Timestamp of an endpoint, arg_max
// may return any of them, so any of their DeviceNames is accepted (the
// committed sample has no such tie). Rows with equal DistinctMachines may
// come in any order, so each run of equal counts is compared as a set.
func TestExamplesConnectivityByDomain(t *testing.T) {
	h, ok := hunts.Get("connectivity-failures-by-domain")
	if !ok {
		t.Fatal("hunt connectivity-failures-by-domain is missing from the library")
	}
	endpoints := huntEndpoints(t, h.Query)
	rows := readNetworkEvents(t, "examples")
	want := expectedByDomain(t, rows, endpoints)
	if len(want) < 5 {
		t.Fatalf("examples/ yield %d endpoint rows: expected a sample with at least 5", len(want))
	}

	eng, err := huntql.New(huntql.Options{Data: []string{"examples"}})
	if err != nil {
		t.Fatalf("huntql.New: %v", err)
	}
	res, err := eng.Query(context.Background(), h.Name, h.Query)
	if errors.Is(err, huntql.ErrNotImplemented) {
		t.Skip("engine not implemented yet; expected result computed over", len(rows),
			"rows:", len(want), "endpoints")
	}
	if err != nil {
		t.Fatalf("running the hunt: %v", err)
	}
	checkColumns(t, res.Columns)
	got := make([]domainRow, len(res.Rows))
	for i, r := range res.Rows {
		got[i] = resultRow(t, i, r)
	}
	compareByDomain(t, got, want)
}

// huntEndpoints returns the quoted names in the hunt's dynamic([...]) list.
func huntEndpoints(t *testing.T, query string) map[string]bool {
	t.Helper()
	list := regexp.MustCompile(`(?s)dynamic\(\[(.*?)\]\)`).FindStringSubmatch(query)
	if list == nil {
		t.Fatal("hunt query has no dynamic([...]) endpoint list")
	}
	out := map[string]bool{}
	for _, m := range regexp.MustCompile(`"([^"]+)"`).FindAllStringSubmatch(list[1], -1) {
		out[m[1]] = true
	}
	return out
}

// readNetworkEvents decodes every DeviceNetworkEvents row under dir: JSON
// lines, JSON arrays, CSV files named for the table, and Event Hub
// messages of any file name.
func readNetworkEvents(t *testing.T, dir string) []map[string]any {
	t.Helper()
	var rows []map[string]any
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		name := filepath.Base(path)
		table, _, _ := strings.Cut(name, ".")
		trimmed := bytes.TrimSpace(data)
		switch {
		case strings.HasSuffix(name, ".md"):
		case bytes.HasPrefix(trimmed, []byte(`{"records"`)):
			rows = append(rows, eventHubRows(t, path, data)...)
		case table != "DeviceNetworkEvents":
		case strings.HasSuffix(name, ".csv"):
			rows = append(rows, csvRows(t, path, data)...)
		case bytes.HasPrefix(trimmed, []byte("[")):
			var rs []map[string]any
			if err := json.Unmarshal(data, &rs); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			rows = append(rows, rs...)
		default:
			sc := bufio.NewScanner(bytes.NewReader(data))
			sc.Buffer(nil, 1<<20)
			for n := 1; sc.Scan(); n++ {
				var r map[string]any
				if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
					t.Fatalf("%s:%d: %v", path, n, err)
				}
				rows = append(rows, r)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func eventHubRows(t *testing.T, path string, data []byte) []map[string]any {
	var rows []map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var msg struct {
			Records []struct {
				Category   string         `json:"category"`
				Properties map[string]any `json:"properties"`
			} `json:"records"`
		}
		if err := dec.Decode(&msg); err == io.EOF {
			return rows
		} else if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, r := range msg.Records {
			if r.Category == "AdvancedHunting-DeviceNetworkEvents" {
				rows = append(rows, r.Properties)
			}
		}
	}
}

func csvRows(t *testing.T, path string, data []byte) []map[string]any {
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("%s: %v", path, err)
	}
	var rows []map[string]any
	for _, rec := range recs[1:] {
		r := map[string]any{}
		for i, v := range rec {
			r[recs[0][i]] = v
		}
		rows = append(rows, r)
	}
	return rows
}

// urlHost returns the host of a URL: what follows "//" up to the first
// "/", "?" or "#", without user info or port.
func urlHost(u string) string {
	_, rest, _ := strings.Cut(u, "//")
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndex(rest, "@"); i >= 0 {
		rest = rest[i+1:]
	}
	if i := strings.LastIndex(rest, ":"); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

func expectedByDomain(t *testing.T, rows []map[string]any,
	endpoints map[string]bool) []domainRow {
	t.Helper()
	groups := map[string]*domainRow{}
	devices := map[string]map[string]bool{}
	for _, r := range rows {
		url, _ := r["RemoteUrl"].(string)
		if r["ActionType"] != "ConnectionFailed" || url == "" {
			continue
		}
		domain := url
		if strings.Contains(url, "//") {
			domain = urlHost(url)
		}
		if !endpoints[domain] {
			continue
		}
		ts, err := time.Parse(time.RFC3339Nano, r["Timestamp"].(string))
		if err != nil {
			t.Fatalf("bad Timestamp: %v", err)
		}
		name, _ := r["DeviceName"].(string)
		g := groups[domain]
		if g == nil {
			g = &domainRow{Domain: domain, Last: ts, Names: map[string]bool{}}
			groups[domain] = g
			devices[domain] = map[string]bool{}
		}
		switch {
		case ts.After(g.Last):
			g.Last, g.Names = ts, map[string]bool{name: true}
		case ts.Equal(g.Last):
			g.Names[name] = true
		}
		g.Failures++
		devices[domain][r["DeviceId"].(string)] = true
	}
	var out []domainRow
	for d, g := range groups {
		g.Devices = int64(len(devices[d]))
		if len(g.Names) > 1 {
			t.Logf("%s: %d devices tie on the latest failure", d, len(g.Names))
		}
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Devices != out[j].Devices {
			return out[i].Devices > out[j].Devices
		}
		return out[i].Domain < out[j].Domain
	})
	return out
}

func checkColumns(t *testing.T, cols []huntql.Column) {
	t.Helper()
	want := []huntql.Column{
		{Name: "Domain", Type: types.String},
		{Name: "LastConnectionFailure", Type: types.Datetime},
		{Name: "DeviceName", Type: types.String},
		{Name: "ConnectionFailures", Type: types.Long},
		{Name: "DistinctMachines", Type: types.Long},
	}
	if fmt.Sprint(cols) != fmt.Sprint(want) {
		t.Fatalf("result columns %v, expected %v", cols, want)
	}
}

func resultRow(t *testing.T, i int, r []any) domainRow {
	t.Helper()
	domain, ok1 := r[0].(string)
	last, ok2 := r[1].(types.Date)
	name, ok3 := r[2].(string)
	failures, ok4 := r[3].(int64)
	devices, ok5 := r[4].(int64)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
		t.Fatalf("result row %d = %#v: expected string, types.Date, string, int64, int64", i, r)
	}
	return domainRow{Domain: domain, Last: last.Time(), Names: map[string]bool{name: true},
		Failures: failures, Devices: devices}
}

func compareByDomain(t *testing.T, got, want []domainRow) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d result rows, expected %d", len(got), len(want))
	}
	for i := 1; i < len(got); i++ {
		if got[i].Devices > got[i-1].Devices {
			t.Errorf("row %d: DistinctMachines %d after %d: expected descending order",
				i, got[i].Devices, got[i-1].Devices)
		}
	}
	// Rows of equal DistinctMachines form runs; compare each run as a set.
	byDomain := map[string]domainRow{}
	for _, w := range want {
		byDomain[w.Domain] = w
	}
	for i, g := range got {
		if i < len(want) && g.Devices != want[i].Devices {
			t.Errorf("row %d: DistinctMachines %d, expected %d at this position",
				i, g.Devices, want[i].Devices)
		}
		w, ok := byDomain[g.Domain]
		if !ok {
			t.Errorf("row %d: unexpected Domain %q", i, g.Domain)
			continue
		}
		delete(byDomain, g.Domain)
		var name string
		for n := range g.Names {
			name = n
		}
		if !g.Last.Equal(w.Last) || !w.Names[name] || g.Failures != w.Failures ||
			g.Devices != w.Devices {
			t.Errorf("row %d (%s): got last %v on %q, %d failures, %d devices; "+
				"expected last %v on one of %v, %d failures, %d devices", i, g.Domain,
				g.Last, name, g.Failures, g.Devices, w.Last, keys(w.Names), w.Failures, w.Devices)
		}
	}
	for d := range byDomain {
		t.Errorf("missing result row for Domain %q", d)
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
