package bench

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Dataset is one scale of generated telemetry, in every input format.
type Dataset struct {
	// Dir holds a folder per file format and DuckDB's database file.
	Dir string
	// Huntql is the path of the huntql binary that generated the data and is measured.
	Huntql string
	// Columns holds each table's columns in file order.
	Columns map[string][]Column
	// Store is huntql's store directory; "" when the binary has no store.
	Store string
}

// Column is a column of a generated table, with its Kusto type.
type Column struct {
	Name, Type string
}

// PrepareOptions say what data to make and where.
type PrepareOptions struct {
	// Dir is the data directory; each scale gets its own folder under it,
	// reused by later runs.
	Dir string
	// Rows is the number of DeviceNetworkEvents rows; DeviceProcessEvents
	// gets a tenth as many, as huntql generate makes by default.
	Rows, Devices int
	// Huntql is the huntql binary.
	Huntql string
	// Self is the benchmark's own binary, run as a DuckDB worker to convert.
	Self string
	// Log receives progress; nil discards it.
	Log io.Writer
}

// Tables lists the generated tables.
var Tables = []string{networkTable, processTable}

// Prepare makes the dataset that opts describe, skipping every file that a
// previous run left complete. Files are written under a temporary name and
// renamed into place, so an interrupted run leaves nothing half-written.
func Prepare(ctx context.Context, opts PrepareOptions) (*Dataset, error) {
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	ds := &Dataset{
		Dir:     filepath.Join(opts.Dir, fmt.Sprintf("rows-%d-devices-%d", opts.Rows, opts.Devices)),
		Huntql:  opts.Huntql,
		Columns: map[string][]Column{},
	}
	if err := ds.checkGenerator(ctx, opts, log); err != nil {
		return nil, err
	}
	for _, in := range []Input{JSONLines, CSV} {
		if ds.complete(in) {
			continue
		}
		fmt.Fprintf(log, "generating %d rows as %s in %s\n", opts.Rows, in, ds.Dir)
		cmd := exec.CommandContext(ctx, opts.Huntql, "generate",
			"--out", filepath.Join(ds.Dir, string(in)), "--format", string(in),
			"--rows", fmt.Sprint(opts.Rows), "--devices", fmt.Sprint(opts.Devices),
			"--tables", strings.Join(Tables, ","))
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("huntql generate: %v\n%s", err, out)
		}
	}
	for _, t := range Tables {
		cols, err := tableColumns(ctx, opts.Huntql, t, ds.File(CSV, t))
		if err != nil {
			return nil, err
		}
		ds.Columns[t] = cols
	}
	if !ds.complete(Parquet) {
		fmt.Fprintf(log, "writing Parquet with DuckDB\n")
		if err := ds.writeParquet(ctx, opts.Self); err != nil {
			return nil, err
		}
	}
	if !ds.complete(Native) {
		fmt.Fprintf(log, "loading DuckDB's native tables\n")
		if err := ds.writeNative(ctx, opts.Self); err != nil {
			return nil, err
		}
	}
	if err := ds.prepareStore(ctx, log); err != nil {
		return nil, err
	}
	return ds, nil
}

// checkGenerator removes the dataset when huntql's generator has changed
// since it was made, so that no input holds other rows than another. It
// knows the generator by a digest of a small sample of its output.
func (ds *Dataset) checkGenerator(ctx context.Context, opts PrepareOptions, log io.Writer) error {
	var sample []byte
	for _, t := range Tables {
		cmd := exec.CommandContext(ctx, opts.Huntql, "generate", "--out", "-", "--tables", t,
			"--rows", "200", "--devices", fmt.Sprint(opts.Devices), "--format", "csv")
		out, err := cmd.Output()
		if err != nil {
			return fmt.Errorf("huntql generate: %w", err)
		}
		sample = append(sample, out...)
	}
	digest := fmt.Sprintf("%x\n", sha256.Sum256(sample))
	stamp := filepath.Join(ds.Dir, "generator.sha256")
	old, err := os.ReadFile(stamp)
	if err == nil && string(old) == digest {
		return nil
	}
	if _, err := os.Stat(ds.Dir); err == nil {
		fmt.Fprintf(log, "the generator has changed: removing %s\n", ds.Dir)
		if err := os.RemoveAll(ds.Dir); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(ds.Dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(stamp, []byte(digest), 0o644)
}

// File returns the file holding table in input in; "" for inputs that
// are not files.
func (ds *Dataset) File(in Input, table string) string {
	switch in {
	case JSONLines, CSV, Parquet:
		return filepath.Join(ds.Dir, string(in), table+"."+string(in))
	case Native:
		return ds.nativeDB()
	}
	return ""
}

func (ds *Dataset) nativeDB() string { return filepath.Join(ds.Dir, "native.duckdb") }

// complete reports whether every table of input in is on disk.
func (ds *Dataset) complete(in Input) bool {
	for _, t := range Tables {
		if _, err := os.Stat(ds.File(in, t)); err != nil {
			return false
		}
	}
	return true
}

// tableColumns reads the column names from the header of the CSV file and
// their Kusto types from huntql's built-in schema.
func tableColumns(ctx context.Context, huntql, table, csvFile string) ([]Column, error) {
	f, err := os.Open(csvFile)
	if err != nil {
		return nil, err
	}
	header, err := csv.NewReader(bufio.NewReader(f)).Read()
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: reading the header: %w", csvFile, err)
	}
	cmd := exec.CommandContext(ctx, huntql, "query", "--format", "csv",
		table+" | getschema | project ColumnName, ColumnType")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("huntql getschema %s: %v\n%s", table, err, stderr.Bytes())
	}
	recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("huntql getschema %s: %w", table, err)
	}
	types := map[string]string{}
	for _, r := range recs[1:] {
		types[r[0]] = r[1]
	}
	cols := make([]Column, len(header))
	for i, name := range header {
		typ, ok := types[name]
		if !ok {
			typ = "string"
		}
		cols[i] = Column{Name: name, Type: typ}
	}
	return cols, nil
}

// duckType maps a Kusto type to the DuckDB type that holds it exactly:
// datetimes keep Kusto's 100 ns ticks in TIMESTAMP_NS, dynamic stays JSON text.
func duckType(kusto string) string {
	switch kusto {
	case "long", "timespan":
		return "BIGINT"
	case "int":
		return "INTEGER"
	case "real", "decimal":
		return "DOUBLE"
	case "bool":
		return "BOOLEAN"
	case "datetime":
		return "TIMESTAMP_NS"
	}
	return "VARCHAR"
}

// Scan returns the DuckDB table expression that reads table from input in,
// with the table's columns typed as huntql types them.
func (ds *Dataset) Scan(in Input, table string) string {
	file := sqlString(ds.File(in, table))
	switch in {
	case Parquet:
		return "read_parquet(" + file + ")"
	case Native:
		return table
	}
	// DuckDB's names ignore case, and Defender has columns that differ only
	// in case (DeviceProcessEvents' LogonId and LogonID): CSV columns go by
	// position, so the second is renamed there; JSON fields go by name, so
	// it is left out. No benchmark query reads them.
	var cols []string
	seen := map[string]bool{}
	for _, c := range ds.Columns[table] {
		name := c.Name
		if seen[strings.ToLower(name)] {
			if in != CSV {
				continue
			}
			name += "_2"
		}
		seen[strings.ToLower(name)] = true
		cols = append(cols, sqlString(name)+": "+sqlString(duckType(c.Type)))
	}
	spec := "{" + strings.Join(cols, ", ") + "}"
	if in == CSV {
		return "read_csv(" + file + ", header = true, auto_detect = false, delim = ',', " +
			"quote = '\"', escape = '\"', columns = " + spec + ")"
	}
	return "read_ndjson(" + file + ", columns = " + spec + ")"
}

func (ds *Dataset) writeParquet(ctx context.Context, self string) error {
	for _, t := range Tables {
		name := ds.File(Parquet, t)
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return err
		}
		tmp := name + ".tmp"
		q := "COPY (SELECT * FROM " + ds.Scan(JSONLines, t) + ") TO " + sqlString(tmp) +
			" (FORMAT parquet, COMPRESSION zstd)"
		if err := duckExec(ctx, self, "", q); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("writing %s: %w", name, err)
		}
		if err := os.Rename(tmp, name); err != nil {
			return err
		}
	}
	return nil
}

func (ds *Dataset) writeNative(ctx context.Context, self string) error {
	name := ds.nativeDB()
	tmp := name + ".tmp"
	os.Remove(tmp)
	var stmts []string
	for _, t := range Tables {
		stmts = append(stmts, "CREATE TABLE "+t+" AS SELECT * FROM "+ds.Scan(Parquet, t))
	}
	stmts = append(stmts, "CHECKPOINT")
	if err := duckExec(ctx, self, tmp, stmts...); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("loading %s: %w", name, err)
	}
	os.Remove(tmp + ".wal")
	return os.Rename(tmp, name)
}

// duckExec runs SQL statements in a DuckDB worker child, over the database
// file db if it is not "". DuckDB runs in a child so that this process
// stays small: a child's peak memory as the kernel reports it is at least
// that of the process that started it.
func duckExec(ctx context.Context, self, db string, stmts ...string) error {
	args := []string{WorkerCommand}
	if db != "" {
		args = append(args, "-db", db, "-write")
	}
	for _, s := range stmts {
		args = append(args, "-exec", s)
	}
	out, err := exec.CommandContext(ctx, self, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v\n%s", err, out)
	}
	return nil
}

// sqlString returns s as a SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
