package store

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// TableInfo describes one table of a store.
type TableInfo struct {
	Name             string
	Rows             int64
	Files, RowGroups int
	Days             int
	// MinTime and MaxTime bound the time column; zero when no row has one.
	MinTime, MaxTime types.Date
	Bytes            int64 // Parquet bytes on disk
	SourceBytes      int64 // source text of the rows stored
}

// Info describes a store.
type Info struct {
	Tables      []TableInfo
	Sources     int   // source files known
	Quarantined int64 // records in the quarantine
	Commits     int64
}

// Info summarizes the snapshot.
func (s *Snapshot) Info() Info {
	in := Info{Sources: len(s.m.Sources), Commits: s.m.Seq}
	for _, q := range s.m.Quarantine {
		in.Quarantined += q.Records
	}
	for _, name := range s.m.tableNames() {
		t := s.m.Tables[name]
		ti := TableInfo{Name: name, Files: len(t.Files), SourceBytes: t.SourceBytes}
		days := map[string]bool{}
		for _, f := range t.Files {
			ti.Rows += f.Rows
			ti.Bytes += f.Bytes
			ti.RowGroups += f.RowGroups
			days[f.Day] = true
			if f.MinTime == 0 && f.MaxTime == 0 {
				continue
			}
			if ti.MinTime == 0 || f.MinTime < ti.MinTime {
				ti.MinTime = f.MinTime
			}
			if f.MaxTime > ti.MaxTime {
				ti.MaxTime = f.MaxTime
			}
		}
		ti.Days = len(days)
		in.Tables = append(in.Tables, ti)
	}
	return in
}

// Prune drops the files whose rows are all older than cutoff (by the time
// column; rows without a time are kept), in one commit. It returns the
// files and rows dropped.
func (w *Writer) Prune(cutoff types.Date) (files int, rows int64, err error) {
	drop := map[string]bool{}
	for _, t := range w.m.Tables {
		for _, f := range t.Files {
			if (f.MinTime != 0 || f.MaxTime != 0) && f.MaxTime < cutoff {
				drop[f.Path] = true
				files++
				rows += f.Rows
			}
		}
	}
	if files == 0 {
		return 0, 0, nil
	}
	w.keys = map[string]map[string]map[[16]byte]struct{}{}
	return files, rows, w.commit(&change{drop: drop})
}

// compactMaxRows bounds the rows compact merges into one file.
const compactMaxRows = 8 << 20

// Compact merges the files of each partition into as few as hold at most
// compactMaxRows rows each, in one commit: the merged files are written
// and named in a new manifest with the old ones dropped. It returns how
// many files it replaced and wrote.
func (w *Writer) Compact() (replaced, written int, err error) {
	c := &change{drop: map[string]bool{}}
	for _, name := range w.m.tableNames() {
		t := w.m.Tables[name]
		schema := t.schema()
		byDay := map[string][]FileInfo{}
		var days []string
		for _, f := range t.Files {
			if byDay[f.Day] == nil {
				days = append(days, f.Day)
			}
			byDay[f.Day] = append(byDay[f.Day], f)
		}
		for _, day := range days {
			group := byDay[day]
			for len(group) > 1 {
				var take []FileInfo
				var rows int64
				for len(group) > 0 && (len(take) == 0 || rows+group[0].Rows <= compactMaxRows) {
					take = append(take, group[0])
					rows += group[0].Rows
					group = group[1:]
				}
				if len(take) < 2 {
					continue
				}
				p := &part{table: name, day: day}
				for _, f := range take {
					if err := w.readAll(f.Path, schema, p); err != nil {
						return 0, 0, err
					}
					c.drop[f.Path] = true
				}
				c.parts = append(c.parts, p)
				replaced += len(take)
				written++
			}
		}
	}
	if written == 0 {
		return 0, 0, nil
	}
	return replaced, written, w.commit(c)
}

// readAll appends every row of a file, with its key, to p.
// TODO: stream row groups into the merged file; compact now holds up to
// compactMaxRows rows of a partition in memory.
func (w *Writer) readAll(rel string, schema column.Schema, p *part) error {
	pf, err := openParquet(filepath.Join(w.dir, filepath.FromSlash(rel)))
	if err != nil {
		return err
	}
	defer pf.Close()
	keyLeaf := pf.leaf(keyColumn)
	for g, rg := range pf.pf.RowGroups() {
		n := int(rg.NumRows())
		b := &column.Batch{N: n, Cols: make([]*column.Vector, len(schema))}
		for i, f := range schema {
			v, err := pf.readColumn(g, pf.leaf(f.Name), f.Type, n)
			if err != nil {
				return fmt.Errorf("%s: column %s: %w", rel, f.Name, err)
			}
			b.Cols[i] = v
		}
		keys, err := pf.readColumn(g, keyLeaf, types.String, n)
		if err != nil || keyLeaf < 0 {
			return fmt.Errorf("%s: reading record keys: %v", rel, err)
		}
		for _, k := range keys.Str {
			var key [16]byte
			copy(key[:], k)
			p.keys = append(p.keys, key)
		}
		p.batches = append(p.batches, b)
		p.rows += n
	}
	return nil
}

// Cutoff returns the time before which Prune drops rows: now minus age.
func Cutoff(now time.Time, age time.Duration) types.Date {
	return types.DateFromTime(now.Add(-age))
}
