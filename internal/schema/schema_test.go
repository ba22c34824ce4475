package schema

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// sharedDir returns $HUNTQL_SHARED or ../shared relative to the repository
// root, skipping the test when it is missing.
func sharedDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("HUNTQL_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared")
	}
	if _, err := os.Stat(filepath.Join(dir, "schema")); err != nil {
		t.Skipf("shared reference directory not found at %s (set HUNTQL_SHARED): %v", dir, err)
	}
	return dir
}

// readReference decodes one reference file: {table: [[column, type]]}.
func readReference(t *testing.T, file string) map[string][][2]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sharedDir(t), "schema", file))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string][][2]string
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestEveryReferenceColumnIsBuiltIn(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		tables int
		lookup func(string) (column.Schema, bool)
	}{
		{"defender", "advanced-hunting.json", 62, LookupDefender},
		{"sentinel", "sentinel.json", 925, LookupSentinel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref := readReference(t, tt.file)
			if len(ref) != tt.tables {
				t.Errorf("reference holds %d tables, expected %d", len(ref), tt.tables)
			}
			for table, cols := range ref {
				s, ok := tt.lookup(table)
				if !ok {
					t.Errorf("table %s missing", table)
					continue
				}
				if len(s) != len(cols) {
					t.Errorf("table %s: %d columns, expected %d", table, len(s), len(cols))
					continue
				}
				for i, c := range cols {
					want, _ := types.Parse(c[1])
					if s[i].Name != c[0] || s[i].Type != want {
						t.Errorf("table %s column %d: got %s:%s, expected %s:%s",
							table, i, s[i].Name, s[i].Type, c[0], want)
					}
				}
			}
		})
	}
}

func TestLookupViews(t *testing.T) {
	tests := []struct {
		name   string
		lookup func(string) (column.Schema, bool)
		table  string
		column string
		want   types.Type // Unknown: column absent
	}{
		{"defender wins", Lookup, "DeviceNetworkEvents", "AdditionalFields", types.String},
		{"defender has no TimeGenerated", Lookup, "DeviceNetworkEvents", "TimeGenerated",
			types.Unknown},
		{"sentinel dynamic", LookupSentinel, "DeviceNetworkEvents", "AdditionalFields",
			types.Dynamic},
		{"merged keeps defender type", LookupMerged, "DeviceNetworkEvents", "AdditionalFields",
			types.String},
		{"merged adds TimeGenerated", LookupMerged, "DeviceNetworkEvents", "TimeGenerated",
			types.Datetime},
		{"merged adds TenantId", LookupMerged, "DeviceProcessEvents", "TenantId", types.String},
		{"merged keeps defender-only", LookupMerged, "DeviceNetworkEvents", "LogonID",
			types.Long},
		{"sentinel-only table", Lookup, "SigninLogs", "TimeGenerated", types.Datetime},
		{"defender-only table", Lookup, "DeviceTvmSoftwareInventory", "Timestamp", types.Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := tt.lookup(tt.table)
			if !ok {
				t.Fatalf("table %s not found", tt.table)
			}
			got := types.Unknown
			if i := s.Index(tt.column); i >= 0 {
				got = s[i].Type
			}
			if got != tt.want {
				t.Errorf("%s.%s: got %s, expected %s", tt.table, tt.column, got, tt.want)
			}
		})
	}
}

func TestMergedHasDefenderColumnsFirst(t *testing.T) {
	d, _ := Lookup("DeviceNetworkEvents")
	m, _ := LookupMerged("DeviceNetworkEvents")
	for i, f := range d {
		if m[i] != f {
			t.Fatalf("merged column %d is %v, expected %v", i, m[i], f)
		}
	}
	if len(m) <= len(d) {
		t.Fatalf("merged has %d columns, expected more than %d", len(m), len(d))
	}
}

func TestTables(t *testing.T) {
	names := Tables()
	seen := map[string]bool{}
	for i, n := range names {
		if i > 0 && names[i-1] >= n {
			t.Fatalf("tables not sorted at %d: %s >= %s", i, names[i-1], n)
		}
		seen[n] = true
	}
	for _, n := range append(DefenderTables(), SentinelTables()...) {
		if !seen[n] {
			t.Errorf("Tables lacks %s", n)
		}
	}
	if len(DefenderTables()) != 62 {
		t.Errorf("got %d Defender tables, expected 62", len(DefenderTables()))
	}
	if _, ok := Lookup("NoSuchTable"); ok {
		t.Error("NoSuchTable found")
	}
	if got, ok := Canonical("devicenetworkevents"); !ok || got != "DeviceNetworkEvents" {
		t.Errorf("Canonical: got %q %v", got, ok)
	}
}

func TestLookupReturnsCopy(t *testing.T) {
	s, _ := Lookup("DeviceInfo")
	s[0].Name = "Changed"
	again, _ := Lookup("DeviceInfo")
	if again[0].Name == "Changed" {
		t.Fatal("Lookup shares its result with the catalog")
	}
}

func TestClosest(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"missing letter", "DeviceNetworkEvent", "DeviceNetworkEvents"},
		{"case only", "devicenetworkevents", "DeviceNetworkEvents"},
		{"typo", "DeviceProcesEvents", "DeviceProcessEvents"},
		{"transposition", "DeviceLgoonEvents", "DeviceLogonEvents"},
		{"nothing close", "Zebra", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Closest(tt.in); got != tt.want {
				t.Errorf("Closest(%q) = %q, expected %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestClosestOf(t *testing.T) {
	cols := []string{"RemoteIP", "RemotePort", "RemoteUrl", "LocalIP"}
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"one edit", "RemotePrt", "RemotePort"},
		{"case", "remoteip", "RemoteIP"},
		{"tie goes to first", "RemoteXXX", "RemoteIP"},
		{"short name", "LocalIPs", "LocalIP"},
		{"far", "Timestamp", ""},
		{"cut short", "Remo", "RemoteIP"},
		{"cut short, shortest", "Local", "LocalIP"},
		{"too short to be cut", "Lo", ""},
		{"no candidates", "x", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cols
			if tt.name == "no candidates" {
				c = nil
			}
			if got := ClosestOf(tt.in, c); got != tt.want {
				t.Errorf("ClosestOf(%q) = %q, expected %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDecodeRejectsBadData(t *testing.T) {
	if _, err := decode([]byte("not gzip")); err == nil {
		t.Fatal("expected an error for non-gzip data")
	}
}
