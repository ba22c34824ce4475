// Package source reads exported Defender XDR and Sentinel telemetry files
// into column batches, streaming, for the executor.
//
// Scan finds the files under some paths and learns which tables they hold;
// Set.Read then streams one table's rows as column.Batch values in the
// table's schema (or in a requested column order), so the input is never
// held in memory whole. A Set is immutable and safe for concurrent Reads.
//
// Recognized files (any of them may be gzip-compressed; compression is
// detected from the content, and a .gz suffix is ignored when naming):
//
//   - Table.json, Table.jsonl, Table.ndjson: a JSON array of row objects,
//     JSON lines of row objects, or any sequence of either. The table is
//     the file name up to its first dot (DeviceInfo.part2.json holds
//     DeviceInfo), matched case-insensitively against the built-in tables,
//     or the folder of a Log Analytics data export (am-deviceinfo/...).
//   - Defender Streaming API output, whatever the file name: Event Hub
//     messages {"records": [record...]} (one per file or one per line), or
//     Storage blob lines each holding one record {"time", "tenantId",
//     "operationName", "category": "AdvancedHunting-Table", "properties":
//     {row}}. Each record's category names its table; tables may mix.
//     Under a folder named insights-logs-advancedhunting-<table> (the
//     Storage container, .../y=2025/m=05/d=07/h=16/m=00/PT1H.json), a
//     record without a category belongs to that table (see storageTable).
//   - *.avro: Event Hub Capture files, whose events' Body each hold an
//     Event Hub message as above (codecs null, deflate, snappy, zstandard),
//     or one of a Log Analytics data export, whose records are flat rows
//     with a Type naming the table (see rowMessage).
//   - Table.csv: CSV with a header row (RFC 4180 quoting), as Advanced
//     Hunting and Log Analytics export it. A header's time zone suffix,
//     "TimeGenerated [UTC]", is dropped (a [UTC+hh:mm] column is shifted
//     to UTC; [Local Time] is refused) and marks the column datetime.
//     Datetime cells may also read "10/25/2023, 9:43:21.994 AM" or
//     "May 7, 2025 4:16:30 PM". A file named after no table with a Type
//     column (Log Analytics' query_data.csv) takes each row's table from
//     its Type cell when that names a built-in table or a custom log.
//   - Files without an extension are read as Avro when they start with its
//     magic bytes, and as JSON when they start like it.
//
// Files of JSON lines (row objects, Storage blob lines, Event Hub messages
// one per line) and CSV files of a few megabytes or more are parsed in
// parallel chunks on GOMAXPROCS goroutines, compressed ones decompressed
// on one, and handed on in file order; only the requested columns' values
// are converted. The rows, their order and any error are those of a
// sequential read (see forChunks). So are JSON arrays of one row a line;
// what a chunk cannot parse alone (a row spread over lines) is read
// sequentially.
//
// Directories are walked recursively, skipping hidden entries (names
// starting with a dot); other files are listed by Skipped.
//
// A table's schema is its built-in definition (schema.Lookup) followed by
// the columns found in the data but not in that definition (TenantId,
// TimeGenerated and Type in Sentinel exports, say). Such a column takes
// its Sentinel type when Sentinel defines it; otherwise its type is
// inferred from the first 1000 rows of each file (see inferType), and is
// string for CSV. Columns that first appear later in a file are not seen.
//
// Values convert to their column's type as Kusto ingestion does: datetimes
// from ISO 8601 strings, numbers from JSON numbers or numeric strings,
// bools from true/false (any case) or 0/1, and for dynamic columns a JSON
// string holding an object or array is parsed (Defender exports
// AdditionalFields that way). String columns take any value, objects and
// arrays as compact JSON. Null, a missing key, and the empty string for
// non-string columns give null. A value that does not convert is an error
// naming the file, line (and streaming record) and column, wrapping
// ErrBadValue; broken syntax wraps ErrMalformed.
package source

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/schema"
)

// format is a file's container format.
type format uint8

const (
	formatJSON format = iota
	formatCSV
	formatAvro // Event Hub Capture
	// formatSniff: told from the content when read (see Stream); only
	// ReadRecords reads such a file.
	formatSniff
)

// fileInfo is one recognized input file.
type fileInfo struct {
	path   string
	format format
	mode   jsonMode // for formatJSON
	table  string   // the table named by the file name; "" for streaming records
	data   []byte   // the contents, for tests that bypass the file system; nil: read path

	// fallback is the table a Storage container in the path names (see
	// storageTable), for streaming records without a category; "" if none.
	fallback string
}

// noClose is the closer of in-memory contents.
type noClose struct{}

func (noClose) Close() error { return nil }

// open returns the file's contents, decompressed.
func (fi *fileInfo) open() (io.ReadCloser, error) {
	if fi.data != nil {
		return decompress(fi.path, bytes.NewReader(fi.data), noClose{})
	}
	return openFile(fi.path)
}

// table is one table of a Set.
type table struct {
	schema column.Schema
	files  []*fileInfo // in path order
}

// Set is the telemetry found by Scan: its tables, their schemas and files.
type Set struct {
	tables  map[string]*table
	names   []string // sorted
	skipped []string
}

// Scan walks paths (files and directories, recursively), recognizes the
// telemetry files among them and learns which tables they hold. It reads
// the start of each row file (to find extra columns) and the whole of each
// streaming file (whose records may name any table). A path that does not
// exist or a file that is malformed where Scan reads it is an error.
func Scan(paths []string) (*Set, error) {
	s := &Set{tables: map[string]*table{}}
	files, err := s.list(paths)
	if err != nil {
		return nil, err
	}
	if err := s.scan(files); err != nil {
		return nil, err
	}
	return s, nil
}

// scan learns the tables of the files and completes the set.
func (s *Set) scan(files []*fileInfo) error {
	c := newCollector()
	for _, fi := range files {
		c.file = fi
		var err error
		switch fi.format {
		case formatCSV:
			err = scanCSV(fi, c)
		case formatJSON:
			err = scanJSON(fi, c)
		case formatAvro:
			err = scanAvro(fi, c)
		}
		if err != nil {
			return err
		}
	}
	for name, st := range c.tables {
		s.tables[name] = &table{schema: st.schema(), files: st.files}
		s.names = append(s.names, name)
	}
	sort.Strings(s.names)
	return nil
}

// schema returns the built-in definition followed by the extra columns.
func (st *tableStats) schema() column.Schema {
	out, _ := schema.Lookup(st.name)
	sentinel, _ := schema.LookupSentinel(st.name)
	for _, name := range st.extras {
		t := inferType(st.kinds[name])
		if i := sentinel.Index(name); i >= 0 {
			t = sentinel[i].Type
		}
		out = append(out, column.Field{Name: name, Type: t})
	}
	return out
}

// scanJSON learns the tables and extra columns of a JSON file.
func scanJSON(fi *fileInfo, c *collector) error {
	mode, _, err := detectMode(fi) // not starting like JSON: the walk says why
	if err != nil {
		return err
	}
	fi.mode = mode
	if mode == modeRows {
		c.stats(fi.table) // an empty file still names its table
	}
	rc, err := fi.open()
	if err != nil {
		return err
	}
	defer rc.Close()
	f := &jsonFile{path: fi.path, l: newLexer(rc), mode: mode, table: fi.table,
		fallback: fi.fallback}
	return f.walk(c)
}

// list finds the files under paths, classifying each by its name.
func (s *Set) list(paths []string) ([]*fileInfo, error) {
	var files []*fileInfo
	seen := map[string]bool{}
	add := func(path string) error {
		if seen[path] {
			return nil
		}
		seen[path] = true
		fi, err := classify(path)
		if err != nil {
			return err
		}
		if fi == nil {
			s.skipped = append(s.skipped, path)
		} else {
			files = append(files, fi)
		}
		return nil
	}
	for _, root := range paths {
		root = filepath.Clean(root)
		info, err := os.Stat(root)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			if err := add(root); err != nil {
				return nil, err
			}
			continue
		}
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if path != root && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() {
				return nil
			}
			return add(path)
		})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

// classify recognizes a file by its name (and, without an extension, by
// its first byte). It returns nil for a file that is not telemetry.
func classify(path string) (*fileInfo, error) {
	return classifyData(path, nil)
}

// classifyData is classify for a file whose contents may be given (data
// non-nil) instead of read from path.
func classifyData(path string, data []byte) (*fileInfo, error) {
	name := filepath.Base(path)
	if strings.HasSuffix(strings.ToLower(name), ".gz") {
		name = name[:len(name)-3]
	}
	ext := strings.ToLower(filepath.Ext(name))
	stem, _, _ := strings.Cut(name, ".")
	fi := &fileInfo{path: path, table: canonicalTable(stem), data: data}
	if t := storageTable(path); t != "" {
		fi.table, fi.fallback = t, t
	}
	// A Sentinel watchlist is a CSV file named <alias>.watchlist.csv or any
	// CSV file in a directory named watchlists; _GetWatchlist reads it.
	if ext == ".csv" && (strings.HasSuffix(strings.ToLower(name), ".watchlist.csv") ||
		strings.EqualFold(filepath.Base(filepath.Dir(path)), "watchlists")) {
		fi.table = schema.WatchlistTable(stem)
	}
	switch ext {
	case ".json", ".jsonl", ".ndjson":
		fi.format = formatJSON
	case ".csv":
		fi.format = formatCSV
	case ".avro":
		fi.format = formatAvro
	case "":
		if isAvro(fi) {
			fi.format = formatAvro
			break
		}
		fi.format = formatJSON
		if _, ok, err := detectMode(fi); err != nil || !ok {
			return nil, nil // not JSON: not ours
		}
	default:
		return nil, nil
	}
	return fi, nil
}

// Tables returns the names of the tables found, sorted.
func (s *Set) Tables() []string { return append([]string(nil), s.names...) }

// Skipped returns the files found in walked directories that are not
// telemetry (wrong extension, or no extension and not JSON), in walk order.
func (s *Set) Skipped() []string { return append([]string(nil), s.skipped...) }

// Files returns the paths of the files that hold rows of table, in the
// order Read reads them.
func (s *Set) Files(table string) []string {
	t := s.tables[table]
	if t == nil {
		return nil
	}
	out := make([]string, len(t.files))
	for i, f := range t.files {
		out[i] = f.path
	}
	return out
}

// Schema returns the columns of table: the built-in definition followed by
// the extra columns found in the data. It is nil for a table not in the set.
func (s *Set) Schema(table string) column.Schema {
	t := s.tables[table]
	if t == nil {
		return nil
	}
	return append(column.Schema(nil), t.schema...)
}

// Read streams the rows of table to fn in batches of up to
// column.BatchSize rows. cols selects and orders the columns (nil: all,
// in schema order). fn may keep the batches it is given. Read stops at the
// first error, from the data (a *DataError) or from fn, and when ctx is done.
func (s *Set) Read(ctx context.Context, table string, cols []string,
	fn func(*column.Batch) error) error {
	t := s.tables[table]
	if t == nil {
		return fmt.Errorf("%w %q%s", ErrUnknownTable, table, didYouMean(table, s.names))
	}
	fields := t.schema
	if cols != nil {
		fields = make(column.Schema, len(cols))
		for i, name := range cols {
			j := t.schema.Index(name)
			if j < 0 {
				names := make([]string, len(t.schema))
				for k, f := range t.schema {
					names[k] = f.Name
				}
				return fmt.Errorf("%w %q in table %s%s", ErrUnknownColumn, name, table,
					didYouMean(name, names))
			}
			if fields[:i].Index(name) >= 0 {
				return fmt.Errorf("column %q: expected each column once, found it twice", name)
			}
			fields[i] = t.schema[j]
		}
	}
	sk := newSink(ctx, table, fields, fn)
	for _, fi := range t.files {
		if err := ctx.Err(); err != nil {
			return err
		}
		var err error
		switch fi.format {
		case formatCSV:
			err = readCSV(fi, sk)
		case formatJSON:
			err = readJSON(ctx, fi, sk)
		case formatAvro:
			err = readAvro(ctx, fi, sk)
		}
		if err != nil {
			return err
		}
	}
	return sk.flush()
}

// readJSON streams the rows of the sink's table in one JSON file, in
// parallel chunks when it is large.
func readJSON(ctx context.Context, fi *fileInfo, sk *sink) error {
	if bigEnough(fi) {
		return readJSONChunked(ctx, fi, sk)
	}
	return readJSONFrom(ctx, fi, sk, 0, 1, 0, false)
}

// readJSONFrom reads a JSON file sequentially from byte off of its
// decompressed contents, on the given line after the given number of
// streaming records, where a top-level value starts or (inArray) an
// element of the top-level array after a comma.
func readJSONFrom(ctx context.Context, fi *fileInfo, sk *sink, off int64, line,
	record int, inArray bool) error {
	rc, err := reopenAt(fi, off)
	if err != nil {
		return err
	}
	defer rc.Close()
	var l *lexer
	if off == 0 {
		l = newLexer(rc)
	} else {
		l = &lexer{r: rc, buf: make([]byte, lexBufSize), line: line} // no byte order mark
	}
	f := &jsonFile{ctx: ctx, path: fi.path, l: l, mode: fi.mode, table: fi.table,
		record: record, fallback: fi.fallback}
	_, err = f.walkFrom(sk, inArray, true)
	return err
}

// readJSONChunked reads a JSON file in parallel chunks (see forChunks),
// and sequentially from the first chunk that does not parse.
func readJSONChunked(ctx context.Context, fi *fileInfo, sk *sink) error {
	whole, release, mapped := wholeContents(fi)
	var rc io.ReadCloser = noReader{}
	if whole != nil {
		defer release()
	} else {
		var err error
		if rc, err = fi.open(); err != nil {
			return err
		}
	}
	defer rc.Close()
	lines, records := 0, 0
	inArray := false // the state where the next chunk starts
	var failed *chunk
	parse := func(c *chunk) { parseJSONChunk(fi, sk, c) }
	err := forChunks(ctx, rc, whole, splitLines, parse, func(c *chunk) (err error) {
		if mapped {
			defer dropPages(c.data) // parsed, and no batch points into it
		}
		if !c.ok || c.startInArray != inArray {
			failed = c
			return errFallback
		}
		inArray = c.endInArray
		for _, b := range c.batches {
			if err := sk.emit(b); err != nil {
				return err
			}
		}
		lines += c.lines
		records += c.records
		return nil
	})
	if err != errFallback {
		return err
	}
	rc.Close()
	return readJSONFrom(ctx, fi, sk, failed.off, lines+1, records, inArray)
}

// parseJSONChunk parses one chunk of a JSON file into batches, setting
// c.ok when the chunk holds whole values only and no fault.
func parseJSONChunk(fi *fileInfo, sk *sink, c *chunk) {
	l := newBytesLexer(c.data)
	if c.off == 0 && bytes.HasPrefix(c.data, utf8BOM) {
		l.pos = len(utf8BOM)
	}
	f := &jsonFile{path: fi.path, l: l, mode: fi.mode, table: fi.table, fallback: fi.fallback}
	cs := sk.child(len(c.data), func(b *column.Batch) error {
		c.batches = append(c.batches, b)
		return nil
	})
	c.startInArray = c.prev == ','
	end, err := f.walkFrom(cs, c.startInArray, c.last)
	if err != nil || cs.flush() != nil {
		return
	}
	c.ok, c.endInArray, c.lines, c.records = true, end, l.line-1, f.record
}

// utf8BOM is the UTF-8 byte order mark some tools write at a file's start.
var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// didYouMean returns a suggestion suffix for an unknown name, or "".
func didYouMean(name string, candidates []string) string {
	if c := schema.ClosestOf(name, candidates); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	return ""
}

// openFile opens path for reading, decompressing it transparently when it
// starts with the gzip magic number (whatever its name).
func openFile(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	rc, err := decompress(path, f, f)
	if err != nil {
		f.Close()
	}
	return rc, err
}

// decompress returns r, decompressed when it starts with the gzip magic
// number, with c as its closer.
func decompress(path string, r io.Reader, c io.Closer) (io.ReadCloser, error) {
	br := bufio.NewReaderSize(r, 64*1024)
	magic, _ := br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, &DataError{Path: path, Msg: "reading gzip header: " + err.Error(),
				Err: ErrMalformed}
		}
		return readCloser{zr, c}, nil
	}
	return readCloser{br, c}, nil
}

// noReader stands for a stream not read: its contents were had whole.
type noReader struct{}

func (noReader) Read([]byte) (int, error) { return 0, io.EOF }
func (noReader) Close() error             { return nil }

// readCloser reads from one reader and closes the underlying file.
type readCloser struct {
	io.Reader
	c io.Closer
}

func (rc readCloser) Close() error { return rc.c.Close() }

// isGzipError reports whether err is damage found while decompressing.
func isGzipError(err error) bool {
	var corrupt flate.CorruptInputError
	return errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) ||
		errors.As(err, &corrupt)
}
