package gen

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMainFlags(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"help", []string{"-h"}, 0, "usage: huntql generate"},
		{"no out", []string{"--rows", "5"}, 2, "missing --out"},
		{"bad format", []string{"--out", "x", "--format", "xml"}, 2, `unknown format "xml"`},
		{"bad table", []string{"--out", "x", "--tables", "Foo"}, 2, `unknown table "Foo"`},
		{"bad start", []string{"--out", "x", "--start", "yesterday"}, 2, "bad --start"},
		{"bad devices", []string{"--out", "x", "--devices", "0"}, 2, "bad --devices 0"},
		{"stdout needs one table", []string{"--out", "-"}, 2, "exactly one"},
		{"stray argument", []string{"--out", "x", "extra"}, 2, `unexpected argument "extra"`},
		{"unknown flag", []string{"--colour"}, 2, "flag provided but not defined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(tc.args, &stdout, &stderr)
			if code != tc.code || !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("Main(%q) = %d, stderr %q; expected %d and %q", tc.args, code,
					stderr.String(), tc.code, tc.stderr)
			}
		})
	}
}

func TestMainWritesFiles(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := []string{"--out", dir, "--devices", "20", "--rows", "100", "--format", "csv", "--gzip"}
	if code := Main(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, table := range Tables {
		name := filepath.Join(dir, table+".csv.gz")
		if !strings.Contains(stdout.String(), name) {
			t.Errorf("stdout %q does not list %s", stdout.String(), name)
		}
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		data, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := generate(t, table, CSV, Options{Seed: 1, Devices: 20, Rows: 100})
		if !bytes.Equal(data, want) {
			t.Errorf("%s: content differs from Write with the same options", name)
		}
	}
}

func TestMainStdout(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"--out", "-", "--tables", "DeviceInfo", "--devices", "7", "--format", "json"}
	if code := Main(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if rows := decodeRows(t, DeviceInfo, JSON, stdout.Bytes()); len(rows) != 7 {
		t.Errorf("%d rows, expected 7", len(rows))
	}
}

func TestMainZeroRows(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"--out", "-", "--tables", "DeviceNetworkEvents", "--rows", "0",
		"--format", "json"}
	if code := Main(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if got := stdout.String(); got != "[\n]\n" && got != "]\n" && got != "[]\n" {
		t.Errorf("zero rows wrote %q, expected an empty JSON array", got)
	}
}
