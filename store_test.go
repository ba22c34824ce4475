package huntql_test

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huntql/huntql"
	"github.com/huntql/huntql/internal/gen"
	"github.com/huntql/huntql/internal/hunts"
	"github.com/huntql/huntql/internal/store"
	"github.com/huntql/huntql/internal/types"
)

// storeQueries exercise what a store prunes by: time bounds in every form,
// string equality and in, several filters in a row, and filters that are
// not pushed down.
var storeQueries = []string{
	`DeviceNetworkEvents | where Timestamp > ago(1h) | count`,
	`DeviceNetworkEvents | where Timestamp >= datetime(2025-05-07T17:00:00Z) and ` +
		`Timestamp < datetime(2025-05-07T17:30:00Z) | summarize count() by ActionType`,
	`DeviceNetworkEvents | where Timestamp between (datetime(2025-05-07T16:30:00Z) .. ` +
		`datetime(2025-05-07T16:45:00Z)) | project Timestamp, DeviceName, RemoteIP`,
	`DeviceNetworkEvents | where datetime(2025-05-07T17:00:00Z) > Timestamp | count`,
	`DeviceNetworkEvents | where Timestamp > datetime(2030-01-01) | count`,
	`DeviceNetworkEvents | where Timestamp == datetime(2025-05-07T16:16:30.2240099Z)`,
	`DeviceNetworkEvents | where ActionType == "ConnectionFailed" | where Timestamp > ago(2h)
	 | summarize Failures = count() by DeviceName, RemoteUrl`,
	`DeviceFileEvents | where ActionType in ("FileCreated", "FileModified") | count`,
	`DeviceFileEvents | where ActionType in ("NoSuchAction") | count`,
	`DeviceRegistryEvents | where Timestamp < ago(1h) or ActionType == "RegistryValueSet" | count`,
	`DeviceInfo | summarize arg_max(Timestamp, *) by DeviceId | project DeviceName, OSPlatform`,
	`DeviceNetworkInfo | mv-expand ip = todynamic(IPAddresses) | project DeviceName, ip`,
	`DeviceNetworkEvents | where Timestamp > ago(1d) | join kind=inner (DeviceInfo
	 | where Timestamp > ago(1d) | distinct DeviceId, OSPlatform) on DeviceId | count`,
	`union DeviceNetworkEvents, DeviceFileEvents | where Timestamp > ago(30m)
	 | summarize count() by Type`,
	`DeviceNetworkEvents | where RemotePort == 443 and Timestamp > ago(90m) | take 5 | count`,
}

// TestStoreAnswersAsFiles runs every built-in hunt over the bundled
// examples and over KQLBench's real Defender rows, KQLBench's shared
// community queries and storeQueries, both over the files and over a
// store made from them, and requires equal results.
func TestStoreAnswersAsFiles(t *testing.T) {
	kqlbench := filepath.Join(sharedDir(t), "data", "kqlbench")
	sets := []struct {
		name, data string
		now        time.Time
		queries    map[string]string
	}{
		{"examples", "examples", time.Date(2025, 5, 8, 2, 0, 0, 0, time.UTC), map[string]string{}},
		{"kqlbench", kqlbench, time.Date(2025, 5, 7, 18, 0, 0, 0, time.UTC), map[string]string{}},
	}
	gen := t.TempDir()
	generate(t, gen, "--devices", "20", "--rows", "5000", "--span", "72h")
	sets = append(sets, struct {
		name, data string
		now        time.Time
		queries    map[string]string
	}{"generated", gen, time.Date(2025, 5, 10, 0, 0, 0, 0, time.UTC), map[string]string{
		"last-day": `DeviceNetworkEvents | where Timestamp > ago(1d) | summarize count() by ` +
			`bin(Timestamp, 1h)`,
		"hour": `DeviceNetworkEvents | where Timestamp between (datetime(2025-05-08T06:00:00Z)` +
			` .. datetime(2025-05-08T07:00:00Z)) | summarize count() by ActionType, DeviceName`,
		"day-edge": `DeviceProcessEvents | where Timestamp >= datetime(2025-05-09) and ` +
			`Timestamp < datetime(2025-05-09T00:00:01Z) | project Timestamp, FileName`,
		"info": `DeviceInfo | where Timestamp < ago(2d) | where DeviceName in ("nope", "x")`,
		// One table read by two branches with different filters: each
		// branch's bounds are its own (regression: the first branch's
		// bounds pruned the second's rows).
		"shared-scan-union": `let T = DeviceNetworkEvents; union
			(T | where Timestamp < datetime(2025-05-08)), (T | where Timestamp > ago(12h))
			| count`,
		"shared-scan-join": `let T = DeviceNetworkEvents; T | where Timestamp < ago(2d)
			| join kind=inner (T | where Timestamp > ago(1d) | distinct DeviceId) on DeviceId
			| count`,
	}})
	for _, h := range hunts.List() {
		for _, s := range sets {
			s.queries["hunt:"+h.Name] = h.Query
		}
	}
	for i, q := range storeQueries {
		sets[1].queries[fmt.Sprintf("store-query-%d", i)] = q
	}
	kqlbenchTables := []string{"DeviceFileEvents", "DeviceInfo", "DeviceNetworkEvents",
		"DeviceNetworkInfo", "DeviceRegistryEvents"}
	for _, q := range loadCorpus(t) {
		// The queries that read only tables KQLBench has rows of.
		if len(q.Tables) > 0 && !slices.ContainsFunc(q.Tables, func(t string) bool {
			return !slices.Contains(kqlbenchTables, t)
		}) {
			sets[1].queries["corpus:"+q.ID] = q.Query
		}
	}
	for _, s := range sets {
		t.Run(s.name, func(t *testing.T) {
			dir := t.TempDir()
			w, err := store.OpenWriter(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			sum, err := w.Ingest(context.Background(), []string{s.data}, store.IngestOptions{})
			w.Close()
			if err != nil || sum.Quarantined > 0 {
				t.Fatalf("ingest: %+v, %v", sum, err)
			}
			files, err := huntql.New(huntql.Options{Data: []string{s.data}, Now: s.now})
			if err != nil {
				t.Fatal(err)
			}
			st, err := huntql.New(huntql.Options{Store: dir, Now: s.now})
			if err != nil {
				t.Fatal(err)
			}
			compared := 0
			names := make([]string, 0, len(s.queries))
			for n := range s.queries {
				names = append(names, n)
			}
			slices.Sort(names)
			for _, name := range names {
				if compareStore(t, files, st, name, s.queries[name]) {
					compared++
				}
			}
			stats, _ := st.StoreStats()
			t.Logf("%d queries agree; the store skipped %d of %d files and %d of %d row groups",
				compared, stats.FilesSkipped, stats.Files, stats.RowGroupsSkipped,
				stats.RowGroups)
			if compared < len(hunts.List()) || s.name == "kqlbench" && compared < 60 {
				t.Errorf("only %d queries ran over the files", compared)
			}
			if s.name == "generated" && stats.FilesSkipped == 0 {
				t.Errorf("time filters over 3 days skipped no file")
			}
		})
	}
}

// compareStore runs one query both ways; it reports false for a query
// that fails over the files (a fragment, an unsupported feature).
func compareStore(t *testing.T, files, st *huntql.Engine, name, text string) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	want, err := files.Query(ctx, name, text)
	if err != nil {
		if strings.HasPrefix(name, "corpus:") {
			return false
		}
		t.Errorf("%s over the files: %v", name, err)
		return false
	}
	got, err := st.Query(context.Background(), name, text)
	if err != nil {
		t.Errorf("%s over the store: %v", name, err)
		return true
	}
	if !slices.Equal(got.Columns, want.Columns) {
		t.Errorf("%s: columns %v over the store, %v over the files", name, got.Columns,
			want.Columns)
		return true
	}
	// Without an order, a take may pick other rows: compare counts only.
	lower := strings.ToLower(text)
	if (strings.Contains(lower, "take") || strings.Contains(lower, "limit") ||
		strings.Contains(lower, "sample")) && !strings.Contains(lower, "sort") &&
		!strings.Contains(lower, "order") && !strings.Contains(lower, "top") {
		if len(got.Rows) != len(want.Rows) {
			t.Errorf("%s: %d rows over the store, %d over the files", name, len(got.Rows),
				len(want.Rows))
		}
		return true
	}
	g, w := formatRows(got.Rows), formatRows(want.Rows)
	if !slices.Equal(g, w) {
		i := 0
		for i < len(g) && i < len(w) && g[i] == w[i] {
			i++
		}
		t.Errorf("%s: %d rows over the store, %d over the files; first difference at %d:\n"+
			" store %s\n files %s", name, len(g), len(w), i, at(g, i), at(w, i))
	}
	return true
}

// generate writes synthetic telemetry into dir with the generator's flags.
func generate(t testing.TB, dir string, args ...string) {
	t.Helper()
	var stderr strings.Builder
	if code := gen.Main(append([]string{"--out", dir}, args...), io.Discard, &stderr); code != 0 {
		t.Fatalf("generate %v: %s", args, stderr.String())
	}
}

func at(rows []string, i int) string {
	if i < len(rows) {
		return rows[i]
	}
	return "(none)"
}

// formatRows prints rows as Kusto does, sorted, since neither side
// promises an order the query does not ask for.
func formatRows(rows [][]any) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		parts := make([]string, len(r))
		for j, v := range r {
			parts[j] = types.Format(v)
		}
		out[i] = strings.Join(parts, "|")
	}
	slices.Sort(out)
	return out
}
