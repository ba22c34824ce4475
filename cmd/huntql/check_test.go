package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeFiles writes name → content under dir, creating folders.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"hunts/good.kql":     "DeviceInfo\n| summarize count() by DeviceId\n",
		"hunts/sub/bad.kql":  "DeviceInfo\n| where DeviceNme == 'x'\n",
		"hunts/notes.txt":    "not a query",
		"empty/readme.md":    "",
		"data/MyTable.jsonl": `{"Host":"a","Bytes":1}` + "\n",
	})
	hunts := filepath.Join(dir, "hunts")
	bad := filepath.Join(hunts, "sub", "bad.kql")
	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stdout string // substring expected in stdout
		stderr string // substring expected in stderr
	}{
		{name: "columns", args: []string{"check", "DeviceInfo | summarize count() by DeviceId"},
			stdout: "DeviceId:string\ncount_:long\n"},
		{name: "sentinel table", args: []string{"check", "SigninLogs | project UserPrincipalName"},
			stdout: "UserPrincipalName:string\n"},
		{name: "error with caret", args: []string{"check", "-f", bad}, code: exitQueryError,
			stdout: "bad.kql:2:9: unknown column or name DeviceNme; did you mean DeviceName?\n" +
				"    | where DeviceNme == 'x'\n            ^\n"},
		{name: "syntax error", args: []string{"check", "print (1"}, code: exitQueryError,
			stdout: "<query>:1:9: expected"},
		// A function without parameters that names itself stops at the
		// inlining depth instead of overflowing the stack.
		{name: "self-naming function", args: []string{"check", "let f = () { f() }; f()"},
			code: exitQueryError, stdout: "function f expands recursively"},
		{name: "self-naming view", args: []string{"check",
			"let T = view () { union T, DeviceInfo }; T"},
			code: exitQueryError, stdout: "function T expands recursively"},
		{name: "self-calling tabular function", args: []string{"check",
			"let T = (n:long) { T(n) }; T(1)"},
			code: exitQueryError, stdout: "function T expands recursively"},
		{name: "stdin", stdin: "print x = 1.5", args: []string{"check", "-f", "-"},
			stdout: "x:real\n"},
		{name: "data adds tables", args: []string{"check", "--data", filepath.Join(dir, "data"),
			"MyTable | project Host"}, stdout: "Host:string\n"},
		{name: "unknown table without data", args: []string{"check", "MyTable | project Host"},
			code: exitQueryError, stdout: "MyTable"},
		{name: "folder checks each kql file", args: []string{"check", "-f", hunts},
			code:   exitQueryError,
			stdout: "good.kql: ok\n    DeviceId:string\n    count_:long\n"},
		{name: "folder reports the failing file", args: []string{"check", "-f", hunts},
			code: exitQueryError, stdout: "bad.kql:2:9: unknown column"},
		{name: "several files all good", args: []string{"check",
			"-f", filepath.Join(hunts, "good.kql"), "-f", filepath.Join(hunts, "good.kql")},
			stdout: "good.kql: ok\n"},
		{name: "missing file", args: []string{"check", "-f", filepath.Join(dir, "nope.kql")},
			code: exitFailure, stderr: "nope.kql"},
		{name: "missing file wins over query errors", args: []string{"check",
			"-f", bad, "-f", filepath.Join(dir, "nope.kql")}, code: exitFailure},
		{name: "folder without kql files", args: []string{"check", "-f",
			filepath.Join(dir, "empty")}, code: exitFailure, stderr: "no .kql files"},
		{name: "no query", args: []string{"check"}, code: exitFailure, stderr: "no query"},
		{name: "file and argument", args: []string{"check", "-f", bad, "print 1"},
			code: exitFailure, stderr: "not both"},
		{name: "bad format", args: []string{"check", "--format", "csv", "print 1"},
			code: exitFailure, stderr: `unknown --format "csv"; expected text or json`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			if !strings.Contains(out, tt.stdout) {
				t.Errorf("stdout %q does not contain %q", out, tt.stdout)
			}
			if !strings.Contains(errOut, tt.stderr) {
				t.Errorf("stderr %q does not contain %q", errOut, tt.stderr)
			}
		})
	}
}

// TestCheckJSON pins the JSON report: errors and columns are arrays, never
// null, and types use Kusto's names.
func TestCheckJSON(t *testing.T) {
	type report struct {
		File   string `json:"file"`
		Errors []struct {
			Line    int    `json:"line"`
			Col     int    `json:"col"`
			Message string `json:"message"`
		} `json:"errors"`
		Columns [][]string `json:"columns"`
	}
	decode := func(t *testing.T, out string) []report {
		t.Helper()
		var rs []report
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			if !strings.Contains(line, `"errors":[`) || !strings.Contains(line, `"columns":[`) {
				t.Errorf("errors or columns is not an array: %s", line)
			}
			var r report
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatalf("bad JSON line %q: %v", line, err)
			}
			rs = append(rs, r)
		}
		return rs
	}

	out, _, code := runCLI(t, "", "check", "--format", "json",
		"print s = 'a', n = 1, r = 1.0, d = now(), t = 1h, b = true, g = guid(null), "+
			"x = dynamic([1]), i = toint(1), m = decimal(1)")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	rs := decode(t, out)
	want := [][]string{{"s", "string"}, {"n", "long"}, {"r", "real"}, {"d", "datetime"},
		{"t", "timespan"}, {"b", "bool"}, {"g", "guid"}, {"x", "dynamic"}, {"i", "int"},
		{"m", "decimal"}}
	if len(rs) != 1 || len(rs[0].Errors) != 0 || !reflect.DeepEqual(rs[0].Columns, want) {
		t.Errorf("got %+v, want columns %v and no errors", rs, want)
	}

	out, _, code = runCLI(t, "", "check", "--format", "json", "-f", "-")
	if code != exitQueryError {
		t.Errorf("empty stdin: exit %d, want %d", code, exitQueryError)
	}
	rs = decode(t, out)
	if len(rs) != 1 || rs[0].File != "<stdin>" || len(rs[0].Errors) == 0 ||
		rs[0].Errors[0].Line != 1 || rs[0].Columns == nil || len(rs[0].Columns) != 0 {
		t.Errorf("empty stdin: got %+v", rs)
	}

	out, _, code = runCLI(t, "", "check", "--format", "json", "-f", "-",
		"-f", filepath.Join(t.TempDir(), "nope.kql"))
	rs = decode(t, out)
	if code != exitFailure || len(rs) != 2 || len(rs[1].Errors) != 1 ||
		!strings.Contains(rs[1].Errors[0].Message, "nope.kql") {
		t.Errorf("missing file: exit %d, got %+v", code, rs)
	}

	out, _, code = runCLI(t, "", "check", "--format", "json",
		"DeviceInfo\n| where DeviceNme == 'x'")
	rs = decode(t, out)
	if code != exitQueryError || len(rs) != 1 || len(rs[0].Errors) != 1 ||
		rs[0].Errors[0].Line != 2 || rs[0].Errors[0].Col != 9 ||
		!strings.Contains(rs[0].Errors[0].Message, "DeviceNme") {
		t.Errorf("exit %d, got %+v", code, rs)
	}
}
