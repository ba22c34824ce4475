package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/huntql/huntql"
)

// The formats of `huntql check` and `huntql functions`.
var reportFormats = []string{"text", "json"}

func newCheckCmd() *cobra.Command {
	var data, files []string
	var storeDir string
	var format string
	cmd := &cobra.Command{
		Use:   "check [flags] (-f FILE... | QUERY)",
		Short: "Parse and type-check KQL queries without running them",
		Long: `Parse and type-check queries against the built-in Defender and Sentinel
schemas (and the tables found under --data) without reading any rows.

Each -f names a query file, a directory (its .kql files, searched
recursively) or - for stdin; -f repeats, so that CI can check a folder of
hunts at once. For each query, check prints its errors on stdout as
file:line:col: message with the source line and a caret, or, when it has
none, its result columns as name:type.

With --format json, each query gives one JSON object on a line of its own:
{"file": "...", "errors": [{"line": L, "col": C, "message": "..."}],
"columns": [["name", "type"], ...]}, with Kusto's type names; errors is []
when there are none and columns is [] when there are errors.

Exit status: 0 when every query checks, 2 when any has errors, 1 when a
file cannot be read (or another error occurs), even if others have errors.`,
		Example: `  huntql check 'DeviceProcessEvents | summarize count() by DeviceId'
  huntql check -f hunts/ -f extra.kql
  huntql check --format json -f - < hunt.kql`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, reportFormats); err != nil {
				return err
			}
			if len(files) > 0 && len(args) > 0 {
				return &exitError{exitFailure, errors.New(
					"huntql: give queries either with -f FILE or as an argument, not both")}
			}
			if len(files) == 0 && len(args) == 0 {
				return &exitError{exitFailure, errors.New(
					"huntql: no query; give one as an argument or with -f FILE (see --help)")}
			}
			if storeDir == "" && len(data) == 0 {
				storeDir = os.Getenv("HUNTQL_STORE")
			}
			eng, err := newEngineWith(data, storeDir, "")
			if err != nil {
				return err
			}
			inputs := []input{{name: "<query>", text: strings.Join(args, "")}}
			if len(files) > 0 {
				inputs, err = readInputs(cmd.InOrStdin(), files)
				if err != nil {
					return err
				}
			}
			return checkAll(cmd, eng, format, inputs)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&data, "data", nil,
		"telemetry file or directory whose tables add to the built-in schemas; repeatable")
	fl.StringVar(&storeDir, "store", "",
		"store `DIR` whose tables add to the built-in schemas (default $HUNTQL_STORE)")
	fl.StringArrayVarP(&files, "file", "f", nil,
		"query file, directory of .kql files, or - for stdin; repeatable")
	fl.StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// input is one query to check: its name in diagnostics and its text, or
// the error met reading it.
type input struct {
	name string
	text string
	err  error
}

// readInputs expands the -f arguments into queries: a directory gives its
// .kql files in lexical order, - gives stdin. A path that cannot be read is
// an input with an error; an argument that names no query at all is an error.
func readInputs(stdin io.Reader, files []string) ([]input, error) {
	var out []input
	for _, f := range files {
		if f == "-" {
			b, err := io.ReadAll(stdin)
			out = append(out, input{name: "<stdin>", text: string(b), err: err})
			continue
		}
		st, err := os.Stat(f)
		if err != nil || !st.IsDir() {
			b, err := os.ReadFile(f)
			out = append(out, input{name: f, text: string(b), err: err})
			continue
		}
		n := len(out)
		err = filepath.WalkDir(f, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() && strings.EqualFold(filepath.Ext(path), ".kql") {
				b, err := os.ReadFile(path)
				out = append(out, input{name: path, text: string(b), err: err})
			}
			return nil
		})
		if err != nil {
			return nil, &exitError{exitFailure, fmt.Errorf("huntql: %w", err)}
		}
		if len(out) == n {
			return nil, &exitError{exitFailure, fmt.Errorf("huntql: no .kql files under %s", f)}
		}
	}
	return out, nil
}

// checkReport is what `check --format json` prints for one query.
type checkReport struct {
	File    string       `json:"file"`
	Errors  []checkError `json:"errors"`
	Columns [][2]string  `json:"columns"`
	err     error        // an error other than in the query, such as I/O
	query   *huntql.QueryError
}

// checkError is one diagnostic in a checkReport.
type checkError struct {
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
}

// check compiles one input into its report.
func check(eng *huntql.Engine, in input) checkReport {
	r := checkReport{File: in.name, Errors: []checkError{}, Columns: [][2]string{}}
	if in.err != nil {
		r.err = in.err
		r.Errors = append(r.Errors, checkError{Message: in.err.Error()})
		return r
	}
	c, err := eng.Compile(in.name, in.text)
	if err != nil {
		var qe *huntql.QueryError
		if !errors.As(err, &qe) {
			r.err = err
			r.Errors = append(r.Errors, checkError{Message: err.Error()})
			return r
		}
		r.query = qe
		for _, d := range qe.Diagnostics() {
			r.Errors = append(r.Errors, checkError{Line: d.Line, Col: d.Col, Message: d.Msg})
		}
		return r
	}
	for _, col := range c.Columns() {
		r.Columns = append(r.Columns, [2]string{col.Name, col.Type.String()})
	}
	return r
}

// checkAll checks every input, prints the reports and returns the exit
// status as an error: exitFailure for an unreadable input, exitQueryError
// for a query with errors.
func checkAll(cmd *cobra.Command, eng *huntql.Engine, format string, inputs []input) error {
	w := cmd.OutOrStdout()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	code := exitOK
	for _, in := range inputs {
		r := check(eng, in)
		switch {
		case r.err != nil:
			code = exitFailure
		case r.query != nil && code == exitOK:
			code = exitQueryError
		}
		if format == "json" {
			if err := enc.Encode(r); err != nil {
				return &exitError{exitFailure, fmt.Errorf("huntql: %w", err)}
			}
			continue
		}
		if r.err != nil {
			fmt.Fprintf(cmd.ErrOrStderr(), "huntql: %v\n", r.err)
			continue
		}
		writeCheckText(w, r, len(inputs) > 1)
	}
	if code != exitOK {
		return &exitError{code: code, err: errors.New("")}
	}
	return nil
}

// writeCheckText prints the report of a query that could be read as text:
// the errors, or the columns, one name:type a line. With named set (several
// inputs), a success is a line "file: ok" before the columns, indented.
func writeCheckText(w io.Writer, r checkReport, named bool) {
	if r.query != nil {
		fmt.Fprint(w, r.query.Error())
		return
	}
	indent := ""
	if named {
		fmt.Fprintf(w, "%s: ok\n", r.File)
		indent = "    "
	}
	for _, c := range r.Columns {
		fmt.Fprintf(w, "%s%s:%s\n", indent, c[0], c[1])
	}
}
