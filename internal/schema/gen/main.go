// Command gen compiles the Advanced Hunting and Sentinel table references in
// ../shared/schema into the compact, gzip-compressed table list that package
// schema embeds, so the huntql binary needs no reference files at run time.
//
// Run it through `go generate ./internal/schema`. The shared directory is
// found as ../shared relative to the repository root, or through the
// HUNTQL_SHARED environment variable.
//
// The output is gzip-compressed text, one section per source:
//
//	huntql-schema 1
//	[defender]
//	Table<TAB>Column:type<TAB>Column:type...
//	[sentinel]
//	...
//
// Tables are sorted by name; columns keep their documented order; type names
// are Kusto's canonical ones (double becomes real).
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/huntql/huntql/internal/types"
)

// sources lists the reference files in the order their sections are written.
var sources = []struct{ section, file string }{
	{"defender", "advanced-hunting.json"},
	{"sentinel", "sentinel.json"},
}

func main() {
	out := flag.String("o", "tables.gz", "output file")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "schema/gen:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	dir, err := sharedDir()
	if err != nil {
		return err
	}
	var text bytes.Buffer
	text.WriteString("huntql-schema 1\n")
	for _, src := range sources {
		if err := writeSection(&text, src.section, filepath.Join(dir, "schema", src.file)); err != nil {
			return err
		}
	}
	var z bytes.Buffer
	zw, err := gzip.NewWriterLevel(&z, gzip.BestCompression)
	if err != nil {
		return err
	}
	// The header carries no name or time, so the output depends on the input only.
	if _, err := zw.Write(text.Bytes()); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(out, z.Bytes(), 0o644)
}

// writeSection appends one reference file's tables to text.
func writeSection(text *bytes.Buffer, section, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var tables map[string][][2]string
	if err := json.Unmarshal(data, &tables); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	names := make([]string, 0, len(tables))
	for name := range tables {
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Fprintf(text, "[%s]\n", section)
	for _, name := range names {
		if strings.ContainsAny(name, "\t\n:") {
			return fmt.Errorf("%s: table name %q holds a separator", path, name)
		}
		text.WriteString(name)
		for _, col := range tables[name] {
			t, ok := types.Parse(col[1])
			if !ok {
				return fmt.Errorf("%s: table %s column %s: expected a Kusto type, found %q",
					path, name, col[0], col[1])
			}
			if strings.ContainsAny(col[0], "\t\n:") {
				return fmt.Errorf("%s: column name %q holds a separator", path, col[0])
			}
			fmt.Fprintf(text, "\t%s:%s", col[0], t)
		}
		text.WriteByte('\n')
	}
	return nil
}

// sharedDir returns $HUNTQL_SHARED or ../shared next to the repository root
// (the nearest ancestor directory holding go.mod).
func sharedDir() (string, error) {
	if dir := os.Getenv("HUNTQL_SHARED"); dir != "" {
		return dir, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("expected a go.mod above the working directory, found none")
		}
		dir = parent
	}
}
