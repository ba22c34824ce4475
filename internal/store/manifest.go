package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// manifestName is the file naming the committed state of a store.
const manifestName = "manifest.json"

// formatVersion is the manifest layout this code writes and reads.
const formatVersion = 1

// Manifest is the committed state of a store: its tables and their files,
// the sources read into it and the quarantine. Whatever it does not name
// is not part of the store.
type Manifest struct {
	Version int `json:"version"`
	// Seq counts commits; file names carry the commit that wrote them.
	Seq        int64                   `json:"seq"`
	Tables     map[string]*TableState  `json:"tables"`
	Sources    map[string]*SourceState `json:"sources"`
	Quarantine []QuarantineFile        `json:"quarantine,omitempty"`
	// Garbage lists files no longer named by the tables (replaced by
	// compact, dropped by prune), kept a while for readers of an older
	// snapshot and deleted by a later writer.
	Garbage []Garbage `json:"garbage,omitempty"`
}

// TableState is one table of a store.
type TableState struct {
	// Columns is the table's schema; later commits only append columns.
	Columns []ColumnDef `json:"columns"`
	// TimeColumn is the datetime column partitioning the table ("" when none).
	TimeColumn string `json:"time_column,omitempty"`
	// Key lists the columns whose values identify a record for dropping
	// repeats; empty means the whole record.
	Key []string `json:"key,omitempty"`
	// SourceBytes counts the source text of the records stored.
	SourceBytes int64      `json:"source_bytes"`
	Files       []FileInfo `json:"files"`
}

// ColumnDef is a column of a table.
type ColumnDef struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// FileInfo is one committed Parquet file.
type FileInfo struct {
	// Path is relative to the store, with forward slashes.
	Path string `json:"path"`
	// Day is the partition: the UTC day of the time column (2025-05-07),
	// or "none" for rows without a time.
	Day       string `json:"day"`
	Rows      int64  `json:"rows"`
	RowGroups int    `json:"row_groups"`
	Bytes     int64  `json:"bytes"`
	// MinTime and MaxTime bound the time column (100 ns ticks); both zero
	// when no row has a time.
	MinTime types.Date `json:"min_time,omitempty"`
	MaxTime types.Date `json:"max_time,omitempty"`
	// Stats bounds the string columns whose bounds are short.
	Stats map[string][2]string `json:"stats,omitempty"`
}

// SourceState is what is known of a source file: its identity when last
// read and how far it was read.
type SourceState struct {
	Size    int64 `json:"size"`
	ModTime int64 `json:"mtime_ns"`
	// Head is the SHA-256 of the first HeadLen bytes, hex.
	Head    string `json:"head"`
	HeadLen int    `json:"head_len"`
	// Offset, Line and Units are a source.Position: where reading resumes.
	Offset int64 `json:"offset"`
	Line   int   `json:"line"`
	Units  int64 `json:"units"`
	// Done says the file was read to its end at Size.
	Done bool `json:"done"`
}

// QuarantineFile is one committed quarantine file (JSON lines).
type QuarantineFile struct {
	Path    string `json:"path"`
	Records int64  `json:"records"`
}

// Garbage is a file to delete once no reader can need it.
type Garbage struct {
	Path  string `json:"path"`
	Since int64  `json:"since_unix"`
}

func newManifest() *Manifest {
	return &Manifest{Version: formatVersion, Tables: map[string]*TableState{},
		Sources: map[string]*SourceState{}}
}

// schema returns the table's columns as a column schema.
func (t *TableState) schema() column.Schema {
	out := make(column.Schema, len(t.Columns))
	for i, c := range t.Columns {
		typ, _ := types.Parse(c.Type)
		out[i] = column.Field{Name: c.Name, Type: typ}
	}
	return out
}

// ErrNoStore is returned when a directory holds no store.
var ErrNoStore = errors.New("no store")

// readManifest reads the manifest of the store in dir.
func readManifest(dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, manifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w in %s (no %s); ingest some data first", ErrNoStore, dir,
			manifestName)
	}
	if err != nil {
		return nil, err
	}
	m := newManifest()
	if err := json.Unmarshal(data, m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, manifestName), err)
	}
	if m.Version != formatVersion {
		return nil, fmt.Errorf("%s: expected format version %d, found %d",
			filepath.Join(dir, manifestName), formatVersion, m.Version)
	}
	if m.Tables == nil {
		m.Tables = map[string]*TableState{}
	}
	if m.Sources == nil {
		m.Sources = map[string]*SourceState{}
	}
	return m, nil
}

// writeManifest replaces the manifest atomically: written to a temporary
// file, synced, renamed over the old one, and the directory synced.
func writeManifest(dir string, m *Manifest) error {
	data, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	return writeAtomic(dir, manifestName, data)
}

// writeAtomic writes data to dir/name through a synced temporary file
// renamed into place, then syncs the directory.
func writeAtomic(dir, name string, data []byte) error {
	tmp := filepath.Join(dir, name+tmpSuffix)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return err
	}
	return syncDir(filepath.Join(dir, filepath.Dir(name)))
}

// tmpSuffix marks files being written; any found when a writer opens are
// leftovers of a crash.
const tmpSuffix = ".tmp"

// syncDir syncs a directory, making renames and creations in it durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

// tableNames returns the manifest's table names, sorted.
func (m *Manifest) tableNames() []string {
	names := make([]string, 0, len(m.Tables))
	for n := range m.Tables {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// clone returns a deep copy for a new commit to change.
func (m *Manifest) clone() *Manifest {
	data, err := json.Marshal(m)
	if err != nil {
		panic(err) // the manifest is plain data
	}
	c := newManifest()
	if err := json.Unmarshal(data, c); err != nil {
		panic(err)
	}
	return c
}
