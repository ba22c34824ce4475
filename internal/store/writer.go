package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/huntql/huntql/internal/column"
)

// lockName is the file a writer holds locked while the store is open for
// writing; it names the holder.
const lockName = "LOCK"

// quarantineDir holds the committed quarantine files.
const quarantineDir = "quarantine"

// garbageGrace is how long a replaced file is kept for readers of an
// older snapshot before a writer deletes it.
const garbageGrace = 10 * time.Minute

// ErrLocked is returned by OpenWriter when another writer holds the store.
var ErrLocked = errors.New("store is locked by another writer")

// Writer is the one writer of a store. It holds the store's lock until Close.
type Writer struct {
	dir  string
	lock *os.File
	m    *Manifest
	log  *slog.Logger
	// keys caches the record keys of the partitions this writer has
	// touched: table -> day -> key set.
	keys map[string]map[string]map[[16]byte]struct{}
}

// holder is what the lock file says of the writer holding it.
type holder struct {
	PID     int    `json:"pid"`
	Host    string `json:"host"`
	Command string `json:"command"`
	Since   string `json:"since"`
}

// OpenWriter opens the store in dir for writing, creating it when missing.
// It takes the store's lock (failing with ErrLocked, naming the holder,
// when another writer has it) and removes what a crashed writer left:
// temporary files and data files that no committed manifest names.
func OpenWriter(dir string, log *slog.Logger) (*Writer, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	lf, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	held, err := tryLock(lf)
	if err != nil {
		lf.Close()
		return nil, fmt.Errorf("locking %s: %w", lf.Name(), err)
	}
	if held {
		defer lf.Close()
		var h holder
		data, _ := os.ReadFile(lf.Name())
		if json.Unmarshal(data, &h) != nil || h.PID == 0 {
			return nil, fmt.Errorf("%w: %s is held by another process", ErrLocked, lf.Name())
		}
		return nil, fmt.Errorf("%w: %s is held by pid %d on %s since %s (%s); "+
			"wait for it to finish or stop it", ErrLocked, lf.Name(), h.PID, h.Host, h.Since,
			h.Command)
	}
	host, _ := os.Hostname()
	data, _ := json.Marshal(holder{PID: os.Getpid(), Host: host,
		Command: strings.Join(os.Args, " "), Since: time.Now().UTC().Format(time.RFC3339)})
	if err := lf.Truncate(0); err == nil {
		_, _ = lf.WriteAt(append(data, '\n'), 0)
	}
	w := &Writer{dir: dir, lock: lf, log: log,
		keys: map[string]map[string]map[[16]byte]struct{}{}}
	w.m, err = readManifest(dir)
	if errors.Is(err, ErrNoStore) {
		w.m = newManifest()
		err = writeManifest(dir, w.m)
	}
	if err == nil {
		err = w.cleanup()
	}
	if err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// Close releases the lock.
func (w *Writer) Close() error {
	if w.lock == nil {
		return nil
	}
	_ = w.lock.Truncate(0)
	err := w.lock.Close() // closing drops the lock
	w.lock = nil
	return err
}

// Manifest returns the committed manifest; callers must not change it.
func (w *Writer) Manifest() *Manifest { return w.m }

// cleanup removes leftovers of a crash: temporary files, and Parquet and
// quarantine files the manifest does not name (written by a commit that
// never completed). Garbage past its grace period is deleted too.
func (w *Writer) cleanup() error {
	named := map[string]bool{}
	for _, t := range w.m.Tables {
		for _, f := range t.Files {
			named[f.Path] = true
		}
	}
	for _, q := range w.m.Quarantine {
		named[q.Path] = true
	}
	for _, g := range w.m.Garbage {
		named[g.Path] = true
	}
	removed := 0
	err := filepath.WalkDir(w.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(w.dir, path)
		rel = filepath.ToSlash(rel)
		name := d.Name()
		leftover := strings.HasSuffix(name, tmpSuffix) ||
			(strings.HasSuffix(name, ".parquet") || strings.HasPrefix(rel, quarantineDir+"/")) &&
				!named[rel]
		if !leftover {
			return nil
		}
		removed++
		return os.Remove(path)
	})
	if err != nil {
		return err
	}
	if removed > 0 {
		w.log.Info("removed leftovers of an interrupted write", "files", removed)
	}
	now := time.Now().Unix()
	var keep []Garbage
	for _, g := range w.m.Garbage {
		if now-g.Since < int64(garbageGrace/time.Second) {
			keep = append(keep, g)
			continue
		}
		if err := os.Remove(filepath.Join(w.dir, filepath.FromSlash(g.Path))); err != nil &&
			!errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if len(keep) != len(w.m.Garbage) {
		m := w.m.clone()
		m.Garbage = keep
		if err := writeManifest(w.dir, m); err != nil {
			return err
		}
		w.m = m
	}
	return nil
}

// writeParts writes the parts of a commit as Parquet files, several at a
// time, each under a temporary name, synced, then renamed into place; it
// adds them to m's tables.
func (w *Writer) writeParts(m *Manifest, parts []*part) error {
	type result struct {
		rel, tmp string
		wr       *written
		err      error
	}
	res := make([]result, len(parts))
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	for i, p := range parts {
		ts := m.Tables[p.table]
		schema := ts.schema()
		rel := fmt.Sprintf("%s/day=%s/%08d-%03d.parquet", p.table, p.day, m.Seq, i)
		path := filepath.Join(w.dir, filepath.FromSlash(rel))
		if err := w.mkdirs(filepath.Dir(path)); err != nil {
			return err
		}
		timeCol := -1
		if ts.TimeColumn != "" {
			timeCol = schema.Index(ts.TimeColumn)
		}
		// The temporary name starts with a dot, so that other readers of
		// the folders (Spark, DuckDB globs) pass it over.
		tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+tmpSuffix)
		res[i] = result{rel: rel, tmp: tmp}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			res[i].wr, res[i].err = writeParquet(tmp, schema, p.batches, p.keys, timeCol)
		}()
	}
	wg.Wait()
	for _, r := range res {
		if r.err != nil {
			for _, o := range res {
				os.Remove(o.tmp)
			}
			return fmt.Errorf("writing %s: %w", r.rel, r.err)
		}
	}
	for i, r := range res {
		path := filepath.Join(w.dir, filepath.FromSlash(r.rel))
		if err := os.Rename(r.tmp, path); err != nil {
			return err
		}
		if err := syncDir(filepath.Dir(path)); err != nil {
			return err
		}
		p := parts[i]
		fi := FileInfo{Path: r.rel, Day: p.day, Rows: r.wr.rows, RowGroups: r.wr.rowGroups,
			Bytes: r.wr.bytes, Stats: r.wr.stats}
		if r.wr.hasTime {
			fi.MinTime, fi.MaxTime = r.wr.minT, r.wr.maxT
		}
		ts := m.Tables[p.table]
		ts.Files = append(ts.Files, fi)
	}
	return nil
}

// mkdirs creates dir and its missing parents inside the store, syncing
// each parent so that the new entries survive a crash.
func (w *Writer) mkdirs(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if parent := filepath.Dir(dir); parent != w.dir && len(parent) > len(w.dir) {
		if err := w.mkdirs(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return syncDir(filepath.Dir(dir))
}

// part is the rows of one partition in a commit.
type part struct {
	table, day string
	batches    []*column.Batch
	keys       [][16]byte
	rows       int
}

// change is one commit: new files' rows, quarantined records and source
// positions, made visible together.
type change struct {
	parts      []*part
	tables     map[string]*TableState // new or changed table states (without Files)
	quarantine []byte                 // JSON lines
	qRecords   int64
	sources    map[string]*SourceState
	drop       map[string]bool // file paths the commit removes (compact, prune)
	sourceB    map[string]int64
}

// commit makes a change durable and visible: every data file is written
// under a temporary name, synced and renamed; then a new manifest naming
// them replaces the old one atomically. A crash before the manifest's
// rename leaves the old state, whose leftovers the next writer removes.
func (w *Writer) commit(c *change) error {
	m := w.m.clone()
	m.Seq++
	for name, ts := range c.tables {
		old := m.Tables[name]
		cp := *ts
		if old != nil {
			cp.Files = old.Files
			cp.SourceBytes = old.SourceBytes
		}
		m.Tables[name] = &cp
	}
	if err := w.writeParts(m, c.parts); err != nil {
		return err
	}
	for name, n := range c.sourceB {
		m.Tables[name].SourceBytes += n
	}
	if len(c.quarantine) > 0 {
		if err := w.mkdirs(filepath.Join(w.dir, quarantineDir)); err != nil {
			return err
		}
		rel := fmt.Sprintf("%s/%08d.jsonl", quarantineDir, m.Seq)
		if err := writeAtomic(w.dir, filepath.FromSlash(rel), c.quarantine); err != nil {
			return err
		}
		m.Quarantine = append(m.Quarantine, QuarantineFile{Path: rel, Records: c.qRecords})
	}
	for path, st := range c.sources {
		m.Sources[path] = st
	}
	if len(c.drop) > 0 {
		now := time.Now().Unix()
		for _, ts := range m.Tables {
			kept := ts.Files[:0]
			for _, f := range ts.Files {
				if c.drop[f.Path] {
					m.Garbage = append(m.Garbage, Garbage{Path: f.Path, Since: now})
					continue
				}
				kept = append(kept, f)
			}
			ts.Files = kept
		}
	}
	// Garbage past its grace period leaves the manifest now and the disk
	// once the manifest is written, so a long --follow run sheds it too.
	var expired []string
	kept := m.Garbage[:0]
	for _, g := range m.Garbage {
		if time.Now().Unix()-g.Since >= int64(garbageGrace/time.Second) {
			expired = append(expired, g.Path)
		} else {
			kept = append(kept, g)
		}
	}
	m.Garbage = kept
	if err := writeManifest(w.dir, m); err != nil {
		return err
	}
	w.m = m
	for _, rel := range expired {
		_ = os.Remove(filepath.Join(w.dir, filepath.FromSlash(rel))) // else a leftover, later
	}
	return nil
}
