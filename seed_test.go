package huntql_test

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/huntql/huntql"
	"github.com/huntql/huntql/internal/types"
)

// sharedDir locates the reference material: $HUNTQL_SHARED, else ../shared.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("HUNTQL_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "shared")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("reference material not found at %s (set HUNTQL_SHARED): %v", dir, err)
	}
	return dir
}

// seedQuery returns the fenced query of the seed document, byte for byte.
func seedQuery(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sharedDir(t), "seed", "connectivity-failures-by-domain.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "```\n")
	if start < 0 {
		t.Fatal("seed document has no fenced query")
	}
	text = text[start+4:]
	end := strings.Index(text, "```")
	if end < 0 {
		t.Fatal("seed document's fenced query is not closed")
	}
	return text[:end]
}

func kqlbenchEngine(t *testing.T) *huntql.Engine {
	t.Helper()
	dir := filepath.Join(sharedDir(t), "data", "kqlbench")
	eng, err := huntql.New(huntql.Options{Data: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

var seedColumns = []huntql.Column{
	{Name: "Domain", Type: types.String},
	{Name: "LastConnectionFailure", Type: types.Datetime},
	{Name: "DeviceName", Type: types.String},
	{Name: "ConnectionFailures", Type: types.Long},
	{Name: "DistinctMachines", Type: types.Long},
}

// TestSeedQueryOnKQLBench runs the seed query unchanged. The lab's devices
// reached every Defender endpoint, so Kusto's answer is an empty table with
// the five result columns.
func TestSeedQueryOnKQLBench(t *testing.T) {
	q := seedQuery(t)
	res, err := kqlbenchEngine(t).Query(context.Background(), "seed.kql", q)
	if err != nil {
		t.Fatal(err)
	}
	assertColumns(t, res.Columns, seedColumns)
	if len(res.Rows) != 0 {
		t.Errorf("got %d rows, want none: %v", len(res.Rows), res.Rows)
	}
}

// TestSeedQueryVariantWithFailingDomain adds a domain the lab did fail to
// reach to the seed's list, and checks the one row against a computation
// over the raw JSON that shares no code with the engine.
func TestSeedQueryVariantWithFailingDomain(t *testing.T) {
	q := seedQuery(t)
	const last = "'ctldl.windowsupdate.com']"
	if !strings.Contains(q, last) {
		t.Fatal("seed query's list no longer ends as expected")
	}
	q = strings.Replace(q, last, "'ctldl.windowsupdate.com', 'google.com']", 1)
	res, err := kqlbenchEngine(t).Query(context.Background(), "variant.kql", q)
	if err != nil {
		t.Fatal(err)
	}
	assertColumns(t, res.Columns, seedColumns)
	want := expectedFailures(t, "google.com")
	if len(res.Rows) != 1 {
		t.Fatalf("got %d rows, want 1: %v", len(res.Rows), res.Rows)
	}
	got := res.Rows[0]
	if got[0] != "google.com" || types.Format(got[1]) != want.last ||
		got[2] != want.device || got[3] != want.count || got[4] != want.distinct {
		t.Errorf("got %v, want %+v", got, want)
	}
}

type failureSummary struct {
	last     string // datetime as Kusto prints it
	device   string
	count    int64
	distinct int64
}

// expectedFailures summarizes the kqlbench ConnectionFailed rows whose
// domain (the URL's host when RemoteUrl has "//", else RemoteUrl) is domain.
func expectedFailures(t *testing.T, domain string) failureSummary {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sharedDir(t), "data", "kqlbench", "DeviceNetworkEvents.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Timestamp  time.Time
		DeviceId   string
		DeviceName string
		ActionType string
		RemoteUrl  string
	}
	if err := json.Unmarshal(b, &rows); err != nil {
		t.Fatal(err)
	}
	var s failureSummary
	var lastT time.Time
	devices := map[string]bool{}
	for _, r := range rows {
		if r.RemoteUrl == "" || r.ActionType != "ConnectionFailed" {
			continue
		}
		d := r.RemoteUrl
		if strings.Contains(d, "//") {
			u, err := url.Parse(d)
			if err != nil {
				continue
			}
			d = u.Hostname()
		}
		if d != domain {
			continue
		}
		s.count++
		devices[r.DeviceId] = true
		if r.Timestamp.After(lastT) {
			lastT, s.device = r.Timestamp, r.DeviceName
		}
	}
	s.distinct = int64(len(devices))
	s.last = lastT.UTC().Format("2006-01-02T15:04:05.0000000Z")
	if s.count == 0 {
		t.Fatalf("the data has no failures to %s; the variant test needs some", domain)
	}
	return s
}

func assertColumns(t *testing.T, got, want []huntql.Column) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("columns %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("column %d is %s:%s, want %s:%s", i, got[i].Name, got[i].Type,
				want[i].Name, want[i].Type)
		}
	}
}
