package hunts

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func TestLibrary(t *testing.T) {
	hs := List()
	if len(hs) < 4 {
		t.Fatalf("List() returned %d hunts, expected at least 4", len(hs))
	}
	seen := map[string]bool{}
	for _, h := range hs {
		if seen[h.Name] {
			t.Errorf("duplicate hunt name %q", h.Name)
		}
		seen[h.Name] = true
		if !regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`).MatchString(h.Name) {
			t.Errorf("hunt name %q: expected lowercase words joined by dashes", h.Name)
		}
		if strings.Contains(h.Title, "\n") || len(h.Title) > 80 {
			t.Errorf("%s: title %q: expected one line of at most 80 characters", h.Name, h.Title)
		}
		for _, tab := range h.Tables {
			if !regexp.MustCompile(`\b` + tab + `\b`).MatchString(queryBody(h.Query)) {
				t.Errorf("%s: header lists table %s, which the query does not read", h.Name, tab)
			}
		}
		got, ok := Get(h.Name)
		if !ok || !reflect.DeepEqual(got, h) {
			t.Errorf("Get(%q) = %v, %v: expected the hunt List returned", h.Name, got.Name, ok)
		}
	}
	for _, want := range []string{"connectivity-failures-by-domain",
		"connectivity-failures-by-device"} {
		if !seen[want] {
			t.Errorf("hunt %q missing from the library", want)
		}
	}
	if _, ok := Get("no-such-hunt"); ok {
		t.Errorf("Get(no-such-hunt) found a hunt")
	}
	if n := Names(); len(n) != len(hs) || n[0] != hs[0].Name {
		t.Errorf("Names() = %v: expected the names of List()", n)
	}
}

// queryBody drops the header comment lines.
func queryBody(q string) string {
	var b strings.Builder
	for _, line := range strings.Split(q, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "//") {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

func TestDomainHuntMetadata(t *testing.T) {
	h, ok := Get("connectivity-failures-by-domain")
	if !ok {
		t.Fatal("connectivity-failures-by-domain missing")
	}
	if !reflect.DeepEqual(h.Tables, []string{"DeviceNetworkEvents"}) {
		t.Errorf("Tables = %v, expected [DeviceNetworkEvents]", h.Tables)
	}
	if !reflect.DeepEqual(h.Mitre, []string{"T1562.001"}) {
		t.Errorf("Mitre = %v, expected [T1562.001]", h.Mitre)
	}
	for _, want := range []string{"parse_url(RemoteUrl).Host", "arg_max(Timestamp, DeviceName)",
		"dcount(DeviceId)", "count()", "order by DistinctMachines desc", " in ("} {
		if !strings.Contains(h.Query, want) {
			t.Errorf("query lacks %q", want)
		}
	}
	if !strings.Contains(h.Description, "RemoteUrl holds a bare host name") {
		t.Errorf("description continuation lines were not joined: %q", h.Description)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, text string
		want       Hunt
		err        string
	}{
		{
			name: "full",
			text: "// title: T\n// description: a\n//   b\n// mitre: T1059.001 (x), T1105\n" +
				"// tables: A, B\nA | take 1\n",
			want: Hunt{Title: "T", Description: "a b", Mitre: []string{"T1059.001", "T1105"},
				MitreNotes: "T1059.001 (x), T1105", Tables: []string{"A", "B"}},
		},
		{
			name: "no mitre",
			text: "// title: T\n// description: d\n// tables: A\nA\n",
			want: Hunt{Title: "T", Description: "d", Tables: []string{"A"}},
		},
		{
			name: "header ends at first query line",
			text: "// title: T\n// description: d\n// tables: A\nA\n// title: other\n",
			want: Hunt{Title: "T", Description: "d", Tables: []string{"A"}},
		},
		{name: "missing title", text: "// description: d\n// tables: A\nA",
			err: "missing `// title:`"},
		{name: "missing tables", text: "// title: t\n// description: d\nA",
			err: "missing `// tables:`"},
		{name: "unknown key", text: "// author: me\nA", err: "expected a header line"},
		{name: "duplicate key", text: "// title: a\n// title: b\nA", err: "duplicate header key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse("x", tc.text)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Parse error = %v, expected one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tc.want.Name, tc.want.Query = "x", tc.text
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Parse = %+v\nexpected %+v", got, tc.want)
			}
		})
	}
}

// TestTablesExist checks every table a hunt names against the
// Advanced Hunting schema in ../shared.
func TestTablesExist(t *testing.T) {
	dir := os.Getenv("HUNTQL_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared")
	}
	b, err := os.ReadFile(filepath.Join(dir, "schema", "advanced-hunting.json"))
	if err != nil {
		t.Skipf("schema reference not found (set HUNTQL_SHARED to the shared directory): %v", err)
	}
	var schema map[string][][2]string
	if err := json.Unmarshal(b, &schema); err != nil {
		t.Fatal(err)
	}
	for _, h := range List() {
		for _, tab := range h.Tables {
			if _, ok := schema[tab]; !ok {
				t.Errorf("%s: table %s is not an Advanced Hunting table", h.Name, tab)
			}
		}
	}
}
