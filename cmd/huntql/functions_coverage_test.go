package main

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/huntql/huntql/internal/functions"
)

// catalogPath returns the path of Kusto's catalog of functions, aggregates
// and plugins, in the shared reference material: $HUNTQL_SHARED, else
// ../shared beside the repository.
func catalogPath() string {
	dir := os.Getenv("HUNTQL_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared")
	}
	return filepath.Join(dir, "catalog", "kusto-catalog.json")
}

// knownExtras are names huntql supports that the catalog does not list:
// deprecated aliases that Kusto still accepts (its analyzer types them) and
// special forms that take a tabular argument.
// A name registered that is neither in the catalog nor here is a mistake.
var knownExtras = map[string][]string{
	"scalar": {
		"array_iif",           // array_iff
		"array_sum",           // documented; Kusto.Language types it, its catalog omits it
		"bin_auto",            // documented; reads set query_bin_auto_size
		"extractall",          // extract_all
		"make_string",         // unicode_codepoints_to_string
		"base64_decodestring", // base64_decode_tostring
		"base64_encodestring", // base64_encode_tostring
		"notempty",            // isnotempty
		"notnull",             // isnotnull
		"pack",                // bag_pack
		"pack_dictionary",     // bag_pack
		"parsejson",           // parse_json
		"parseurl",            // parse_url
		"replace",             // replace_regex
		"toobject",            // todynamic
		"toscalar",            // a special form over a tabular expression
		"arraylength",         // array_length
		"columnifexists",      // column_ifexists
		"current_cursor",      // cursor_current
		"datepart",            // datetime_part
		"extentid",            // extent_id
		"parseurlquery",       // parse_urlquery
		"to_utf8",             // unicode_codepoints_from_string
		"totime",              // totimespan
		"weekofyear",          // week_of_year
	},
	"aggregate": {
		"any",             // take_any
		"argmax",          // arg_max
		"argmin",          // arg_min
		"makelist",        // make_list
		"makeset",         // make_set
		"anyif",           // take_anyif
		"cnt",             // count
		"make_dictionary", // make_bag
	},
	"plugin": {
		"schema_merge", // documented plugin the analyzer's catalog lacks
	},
}

// TestFunctionCoverage compares what huntql supports with Kusto's catalog.
// It logs the coverage and the missing names (run with -v), which is work
// in progress and never fails the test, and fails on a supported name that
// Kusto does not know, unless knownExtras explains it.
func TestFunctionCoverage(t *testing.T) {
	catalogPath := catalogPath()
	b, err := os.ReadFile(catalogPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("no Kusto catalog at %s (the shared reference material is not beside "+
			"the repository; set HUNTQL_SHARED), so coverage is not measured", catalogPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	var cat map[string][]struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(b, &cat); err != nil {
		t.Fatalf("%s: %v", catalogPath, err)
	}
	sections := map[string]string{
		"scalar": "functions", "aggregate": "aggregates", "plugin": "plugins",
	}
	for _, kind := range functionKinds {
		entries, ok := cat[sections[kind]]
		if !ok {
			t.Fatalf("%s has no %q section", catalogPath, sections[kind])
		}
		known := map[string]bool{}
		for _, e := range entries {
			known[e.Name] = true
		}
		supported := supportedFunctions(kind)
		has := map[string]bool{}
		for _, name := range supported {
			has[name] = true
			if !known[name] && !slices.Contains(knownExtras[kind], name) {
				t.Errorf("%s %s is registered but Kusto's catalog does not know it; "+
					"fix the name, or add it to knownExtras if Kusto accepts it", kind, name)
			}
		}
		for _, name := range knownExtras[kind] {
			if known[name] {
				t.Errorf("%s %s is in knownExtras but the catalog lists it; "+
					"drop it from knownExtras", kind, name)
			}
		}
		var missing, unavailable []string
		total, covered := 0, 0
		for _, e := range entries {
			// geo_* and ai_* (geospatial and AI services) are out of scope
			// for hunting over exported telemetry.
			if kind == "scalar" && (strings.HasPrefix(e.Name, "geo_") ||
				strings.HasPrefix(e.Name, "ai_")) {
				continue
			}
			total++
			_, refused := functions.Unavailable(e.Name)
			switch {
			case has[e.Name]:
				covered++
			case refused && kind == "scalar":
				// A clear "not available in huntql" error at analysis.
				unavailable = append(unavailable, e.Name)
			default:
				missing = append(missing, e.Name)
			}
		}
		slices.Sort(missing)
		note := ""
		if kind == "scalar" {
			note = " (geo_* and ai_* not counted)"
		}
		t.Logf("%s: %d/%d supported%s; missing %d: %s", kindTitle(kind), covered, total,
			note, len(missing), strings.Join(missing, " "))
		if len(unavailable) > 0 {
			t.Logf("%s reported as not available in huntql (%d): %s", kindTitle(kind),
				len(unavailable), strings.Join(unavailable, " "))
		}
	}
}

func TestFunctionsCommand(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // substring expected in stdout
		stderr string // substring expected in stderr
	}{
		{name: "sections", args: []string{"functions"}, stdout: "Aggregates ("},
		{name: "special functions listed", args: []string{"functions", "--kind", "scalar"},
			stdout: "\ntoscalar\n"},
		{name: "one kind one a line", args: []string{"functions", "--kind", "aggregate"},
			stdout: "\narg_max\n"},
		{name: "json", args: []string{"functions", "--format", "json", "--kind", "plugin"},
			stdout: `{"plugin":[`},
		{name: "bad kind", args: []string{"functions", "--kind", "window"}, code: exitFailure,
			stderr: `unknown --kind "window"; expected scalar, aggregate or plugin`},
		{name: "bad format", args: []string{"functions", "--format", "csv"}, code: exitFailure,
			stderr: "expected text or json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstderr: %s", code, tt.code, errOut)
			}
			if !strings.Contains(out, tt.stdout) {
				t.Errorf("stdout %q does not contain %q", out, tt.stdout)
			}
			if !strings.Contains(errOut, tt.stderr) {
				t.Errorf("stderr %q does not contain %q", errOut, tt.stderr)
			}
		})
	}

	// Every kind is an array in JSON, never null, even with no names.
	out, _, _ := runCLI(t, "", "functions", "--format", "json")
	var all map[string][]string
	if err := json.Unmarshal([]byte(out), &all); err != nil {
		t.Fatal(err)
	}
	for _, k := range functionKinds {
		if all[k] == nil {
			t.Errorf("%s is missing or null in %s", k, out)
		}
	}
}

// TestListedFunctionsAreKnown checks that every scalar function and
// aggregate `huntql functions` lists is one that analysis knows: a call
// with no arguments may be wrong in its arguments, but is never unknown.
func TestListedFunctionsAreKnown(t *testing.T) {
	eng, err := newEngine(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	unknown := func(query string) error {
		_, err := eng.Compile("<query>", query)
		if err != nil && (strings.Contains(err.Error(), "unknown function") ||
			strings.Contains(err.Error(), "expected an aggregate")) {
			return err
		}
		return nil
	}
	for _, name := range supportedFunctions("scalar") {
		// A function such as table() is called where a table goes.
		if err := unknown("print " + name + "()"); err != nil && unknown(name+"()") != nil {
			t.Errorf("scalar function %s is listed but unknown: %v", name, err)
		}
	}
	for _, name := range supportedFunctions("aggregate") {
		if err := unknown("print x = 1 | summarize " + name + "()"); err != nil {
			t.Errorf("aggregate %s is listed but unknown: %v", name, err)
		}
	}
}
