package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs the command with args and returns stdout, stderr and the exit code.
func runCLI(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestCLI(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "DeviceInfo.jsonl")
	rows := `{"Timestamp":"2025-05-07T10:00:00Z","DeviceId":"d1","DeviceName":"wks-1",` +
		`"OSPlatform":"Windows11"}
{"Timestamp":"2025-05-07T11:00:00.1234567Z","DeviceId":"d2","DeviceName":"wks-2",` +
		`"OSPlatform":"Windows10"}
`
	if err := os.WriteFile(data, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	queryFile := filepath.Join(dir, "q.kql")
	query := []byte("DeviceInfo\n| where DeviceNme == 'x'\n")
	if err := os.WriteFile(queryFile, query, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		stdin    string
		args     []string
		code     int
		stdout   string // substring expected in stdout
		stderr   string // substring expected in stderr
		noStdout bool
	}{
		{name: "table", args: []string{"query", "--data", dir,
			"DeviceInfo | project DeviceName, Timestamp | order by DeviceName asc"},
			stdout: "wks-2       2025-05-07T11:00:00.1234567Z"},
		{name: "csv", args: []string{"query", "--data", dir, "--format", "csv",
			"DeviceInfo | project DeviceName, OSPlatform | order by DeviceName asc"},
			stdout: "DeviceName,OSPlatform\r\nwks-1,Windows11\r\nwks-2,Windows10\r\n"},
		{name: "json", args: []string{"query", "--data", dir, "--format", "json",
			"DeviceInfo | where DeviceId == 'd1' | project DeviceId, IsAzureADJoined"},
			stdout: `{"DeviceId":"d1","IsAzureADJoined":null}`},
		{name: "now pins ago", args: []string{"query", "--now", "2025-05-08T00:00:00Z",
			"print ago(1d)"}, stdout: "2025-05-07T00:00:00.0000000Z"},
		{name: "query from stdin", stdin: "print x = 1 + 1", args: []string{"query", "-f", "-"},
			stdout: "2"},
		{name: "render note on stderr, rows unchanged", args: []string{"query", "--format", "csv",
			`print x = 1 | render timechart with (title="Hits", ycolumns=x)`},
			stdout: "x\r\n1\r\n", stderr: "render: timechart (title=Hits, ycolumns=x)\n"},
		{name: "fork prints each table by name", args: []string{"query", "--format", "csv",
			"range x from 1 to 3 step 1 | fork Big=(where x > 2) (count)"},
			stdout: "# Big\nx\r\n3\r\n\n# GenericResult2\nCount\r\n3\r\n"},
		{name: "fork as JSON lines names each row's table", args: []string{"query", "--format",
			"json", "range x from 1 to 3 step 1 | fork Big=(where x > 2) (count)"},
			stdout: `{"$table":"Big","x":3}` + "\n" + `{"$table":"GenericResult2","Count":3}`},
		{name: "query error has position and caret", args: []string{"query", "--data", dir,
			"-f", queryFile}, code: exitQueryError, noStdout: true,
			stderr: "q.kql:2:9: unknown column or name DeviceNme; did you mean DeviceName?\n" +
				"    | where DeviceNme == 'x'\n            ^"},
		{name: "syntax error", args: []string{"query", "print (1"}, code: exitQueryError,
			stderr: "<query>:1:9: expected"},
		{name: "unknown table", args: []string{"query", "DeviceInf | take 1"},
			code: exitQueryError, stderr: "did you mean DeviceInfo?"},
		{name: "bad format", args: []string{"query", "--format", "xml", "print 1"},
			code: exitFailure, stderr: `unknown --format "xml"`},
		{name: "bad now", args: []string{"query", "--now", "yesterday", "print 1"},
			code: exitFailure, stderr: "is not a datetime"},
		{name: "missing data path", args: []string{"query", "--data", filepath.Join(dir, "nope"),
			"print 1"}, code: exitFailure, stderr: "nope"},
		{name: "no query", args: []string{"query"}, code: exitFailure, stderr: "no query"},
		{name: "hunt list", args: []string{"hunt", "list"},
			stdout: "connectivity-failures-by-domain"},
		{name: "unknown hunt", args: []string{"hunt", "nope"}, code: exitFailure,
			stderr: "unknown hunt"},
		{name: "hunt show", args: []string{"hunt", "connectivity-failures-by-domain", "--show"},
			stdout: "DeviceNetworkEvents"},
		{name: "help has example", args: []string{"query", "--help"}, stdout: "Examples:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstderr: %s", code, tt.code, errOut)
			}
			if !strings.Contains(out, tt.stdout) {
				t.Errorf("stdout %q does not contain %q", out, tt.stdout)
			}
			if !strings.Contains(errOut, tt.stderr) {
				t.Errorf("stderr %q does not contain %q", errOut, tt.stderr)
			}
			if tt.noStdout && out != "" {
				t.Errorf("stdout should be empty on error, got %q", out)
			}
			if strings.Contains(errOut, "goroutine ") {
				t.Errorf("stderr shows a panic: %s", errOut)
			}
		})
	}
}

// TestHuntOnExamples runs the flagship hunt over the bundled examples, as
// the README's first command does.
func TestHuntOnExamples(t *testing.T) {
	out, errOut, code := runCLI(t, "", "hunt", "connectivity-failures-by-domain",
		"--data", "../../examples", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) == 0 || lines[0] == "" {
		t.Fatal("the hunt found nothing in examples/")
	}
	for _, l := range lines {
		var row map[string]any
		if err := json.Unmarshal([]byte(l), &row); err != nil {
			t.Fatalf("bad JSON line %q: %v", l, err)
		}
	}
}

func TestInterruptedQuerySaysSo(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	code := runContext(ctx, []string{"query", "--data", filepath.Join("..", "..", "examples"),
		"DeviceNetworkEvents | summarize count() by DeviceId"}, strings.NewReader(""), &out,
		&errOut)
	if code != exitFailure || errOut.String() != "huntql: interrupted\n" {
		t.Errorf("exit %d, stderr %q; expected exit 1 and huntql: interrupted", code,
			errOut.String())
	}
}

func TestGenerateBadFlagsExitOne(t *testing.T) {
	// Exit status 2 means a query error; a bad flag of generate is not one.
	_, errOut, code := runCLI(t, "", "generate", "--rows", "-5", "--out", t.TempDir())
	if code != exitFailure || !strings.Contains(errOut, "bad row count") {
		t.Errorf("exit %d, stderr %q; expected exit 1 and the flag named", code, errOut)
	}
}
