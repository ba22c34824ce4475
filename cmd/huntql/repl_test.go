package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestReplScript drives the REPL through a non-terminal stdin, as a script.
func TestReplScript(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"DeviceInfo.jsonl": `{"Timestamp":"2025-05-07T10:00:00Z","DeviceId":"d1",` +
			`"DeviceName":"wks-1"}` + "\n" + `{"Timestamp":"2025-05-07T11:00:00Z",` +
			`"DeviceId":"d2","DeviceName":"wks-2"}` + "\n",
		"MyEvents.jsonl": `{"Host":"a","Bytes":1}` + "\n",
	})
	tests := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		stdout   string // expected stdout, exactly
		contains string // substring expected in stdout, when stdout is ""
		stderr   string // substring expected in stderr
	}{
		{name: "blank lines separate queries", args: []string{"--format", "csv"},
			stdin:  "print a = 1\n\n\nprint b = 'x'\n| extend c = strlen(b)\n\n",
			stdout: "a\r\n1\r\nb,c\r\nx,1\r\n"},
		{name: "last query runs at end of input", args: []string{"--format", "csv"},
			stdin: "print a = 1", stdout: "a\r\n1\r\n"},
		{name: "semicolon ends a query", args: []string{"--format", "csv"},
			stdin: "print a = 1;\nprint b = 2;\n", stdout: "a\r\n1\r\nb\r\n2\r\n"},
		{name: "a let statement waits for its query", args: []string{"--format", "csv"},
			stdin:  "let x = 40;\nlet y = 2;\nprint z = x + y;\n",
			stdout: "z\r\n42\r\n"},
		{name: "CRLF input", args: []string{"--format", "csv"},
			stdin: "print a = 1\r\n\r\nprint b = 2\r\n", stdout: "a\r\n1\r\nb\r\n2\r\n"},
		{name: "error shows caret and the session goes on",
			args:  []string{"--format", "csv"},
			stdin: "print (1\n\nprint ok = true\n", code: exitQueryError,
			stdout: "ok\r\ntrue\r\n",
			stderr: "<query>:1:9: expected \")\", found end of query\n    print (1\n            ^\n"},
		{name: "data and now", args: []string{"--data", dir, "--now", "2025-05-08T00:00:00Z",
			"--format", "csv"},
			stdin: "DeviceInfo\n| where Timestamp > ago(1d) and DeviceId == 'd2'\n" +
				"| project DeviceName\n",
			stdout: "DeviceName\r\nwks-2\r\n"},
		{name: "format meta-command", stdin: ".format json\nprint a = 1\n",
			stdout: "{\"a\":1}\n"},
		{name: "bad format meta-command", stdin: ".format xml\n", code: exitFailure,
			stderr: ".format expects one of table, csv or json"},
		{name: "quit stops reading", args: []string{"--format", "csv"},
			stdin: "print a = 1\n\n.quit\nprint b = 2\n", stdout: "a\r\n1\r\n"},
		{name: "schema", stdin: ".schema DeviceInfo\n",
			contains: "Timestamp              datetime\nDeviceId               string\n"},
		{name: "schema from data", args: []string{"--data", dir},
			stdin: ".schema MyEvents\n", stdout: "Host   string\nBytes  long\n"},
		{name: "schema of unknown table", stdin: ".schema DeviceInf\n", code: exitFailure,
			stderr: "unknown table DeviceInf; did you mean DeviceInfo?"},
		{name: "tables lists Defender and counts Sentinel", stdin: ".tables\n",
			contains: "DeviceProcessEvents"},
		{name: "tables with data", args: []string{"--data", dir}, stdin: ".tables\n",
			contains: "With data:\n  DeviceInfo MyEvents\nDefender (built in):\n"},
		{name: "tables by prefix", stdin: ".tables SigninLogs\n", contains: "SigninLogs\n"},
		{name: "help", stdin: ".help\n", contains: ".schema TABLE"},
		{name: "unknown meta-command", stdin: ".show tables\n", code: exitFailure,
			stderr: "unknown command .show; .help lists the commands"},
		{name: "table format shows the row count", stdin: "print a = 1\n",
			contains: "a\n-\n1\n", stderr: "(1 row,"},
		{name: "empty input", stdin: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"repl"}, tt.args...)
			out, errOut, code := runCLI(t, tt.stdin, args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstderr: %s", code, tt.code, errOut)
			}
			if tt.contains == "" && out != tt.stdout {
				t.Errorf("stdout %q, want %q", out, tt.stdout)
			}
			if !strings.Contains(out, tt.contains) {
				t.Errorf("stdout %q does not contain %q", out, tt.contains)
			}
			if !strings.Contains(errOut, tt.stderr) {
				t.Errorf("stderr %q does not contain %q", errOut, tt.stderr)
			}
			if strings.Contains(errOut, "goroutine ") {
				t.Errorf("stderr shows a panic: %s", errOut)
			}
		})
	}
}

func TestEndsWithQuery(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"print 1;", true},
		{"let x = 1;", false},
		{"let x = 1;\nprint x;", true},
		{"let f = (a: long) { a + 1 };", false},
		{"set notruncation;", false},
		{"declare query_parameters(p: long = 1);", false},
		{"print (1;", true}, // a syntax error shows now rather than never
		{"let f = () {\n    let y = 1;", false},
		{"let f = () {\n    let y = 1;\n    y };", false},
		{"let f = () {\n    let y = 1;\n    y };\nprint f();", true},
		{"print x = ```a;", false},
		{"print x = ```a;\nb```;", true},
	}
	for _, tt := range tests {
		if got := endsWithQuery(tt.text); got != tt.want {
			t.Errorf("endsWithQuery(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestCompletion(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"MyEvents.jsonl": `{"Host":"a","Bytes":1}` + "\n"})
	eng, err := newEngine([]string{dir}, "")
	if err != nil {
		t.Fatal(err)
	}
	r := &repl{eng: eng, format: "table"}
	c := &completer{r: r}
	tests := []struct {
		name     string
		pending  []string // lines typed before
		line     string
		want     []string // completions that must be offered (endings)
		notWant  []string
		wordSize int
	}{
		{name: "table at start", line: "DeviceNet", want: []string{"workEvents "},
			wordSize: 9},
		{name: "table from data", line: "MyEv", want: []string{"ents "}, wordSize: 4},
		{name: "operator after pipe", line: "DeviceInfo | summ", want: []string{"arize "},
			wordSize: 4},
		{name: "dashed operator", line: "T | mv-ex", want: []string{"pand "}, wordSize: 5},
		{name: "column of the table in the query", line: "DeviceInfo | where DeviceN",
			want: []string{"ame"}, wordSize: 7},
		{name: "column of a table on an earlier line", pending: []string{"MyEvents"},
			line: "| where By", want: []string{"tes"}, wordSize: 2},
		{name: "function", line: "print strl", want: []string{"en("}, wordSize: 4},
		{name: "plugin after evaluate", line: "T | evaluate bag_un", want: []string{"pack("},
			wordSize: 6},
		{name: "aggregate", line: "T | summarize dcou", want: []string{"nt(", "ntif("},
			wordSize: 4},
		{name: "keyword", line: "DeviceInfo | summarize count() b", want: []string{"y"},
			wordSize: 1},
		{name: "no functions without a prefix", line: "print ", notWant: []string{"strlen("}},
		{name: "meta-command", line: ".sch", want: []string{"ema "}, wordSize: 4},
		{name: "schema takes a table", line: ".schema DeviceIn", want: []string{"fo "},
			wordSize: 8},
		{name: "format takes a format", line: ".format j", want: []string{"son"},
			wordSize: 1},
		{name: "case-sensitive", line: "print STRL", notWant: []string{"en("}, wordSize: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r.pending = tt.pending
			got, n := c.Do([]rune(tt.line), len([]rune(tt.line)))
			var ends []string
			for _, g := range got {
				ends = append(ends, string(g))
			}
			for _, w := range tt.want {
				if !slices.Contains(ends, w) {
					t.Errorf("completions %q lack %q", ends, w)
				}
			}
			for _, w := range tt.notWant {
				if slices.Contains(ends, w) {
					t.Errorf("completions %q hold %q", ends, w)
				}
			}
			if n != tt.wordSize {
				t.Errorf("word size %d, want %d", n, tt.wordSize)
			}
		})
	}
}

func TestHistoryPath(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", filepath.Join(os.TempDir(), "cache"))
	t.Setenv("HOME", os.TempDir())
	if p := historyPath(); !strings.HasSuffix(p, filepath.Join("huntql", "history")) {
		t.Errorf("history path %q", p)
	}
}

// TestReplCancel checks that a cancelled query (as Ctrl-C cancels it) stops
// even when it reads no file, and that the REPL says so and goes on.
func TestReplCancel(t *testing.T) {
	eng, err := newEngine(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut strings.Builder
	r := &repl{eng: eng, format: "csv", stdout: &out, stderr: &errOut}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	r.run(ctx, "range x from 1 to 90000000 step 1 | summarize count() by x % 7")
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("a cancelled query took %s", d)
	}
	if errOut.String() != "huntql: query canceled\n" || out.String() != "" {
		t.Errorf("stdout %q, stderr %q", out.String(), errOut.String())
	}
	r.run(context.Background(), "print a = 1")
	if out.String() != "a\r\n1\r\n" {
		t.Errorf("after a cancelled query: stdout %q", out.String())
	}
}
