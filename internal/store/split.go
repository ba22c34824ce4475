package store

import (
	"context"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
)

// Part reads one row group of a table, streaming its rows that bounds do
// not rule out to fn in batches of at most column.BatchSize rows.
type Part func(ctx context.Context, fn func(*column.Batch) error) error

// Split returns the row groups of table that may hold rows within bounds,
// each as a Part that decodes it on the caller's goroutine, so that the
// engine's workers decode a row group and run the query's operators over it
// while its vectors are still in the cache, with no goroutine between them.
// Read one after the other, in order, the parts give ReadBounded's rows.
// Files skipped by the manifest's statistics are counted at once; a file
// is opened by the first of its parts to run and closed by the last.
// TODO: a query that stops before running every part (take over a
// filter) leaves the files of the parts not run open until the collector
// finalizes them; a long REPL session may hold them a while.
//
// codes, when not nil, holds per column of cols whether the caller takes it
// as dictionary codes alone: a string column stored with a dictionary then
// comes as a codes-only vector (column.Vector.CodesOnly), its strings never
// looked up.
func (s *Snapshot) Split(table string, cols []string, codes []bool, bounds []plan.Bound,
) ([]Part, error) {
	t, fields, err := s.tableFields(table, cols)
	if err != nil {
		return nil, err
	}
	var parts []Part
	for i := range t.Files {
		of, groups, err := s.planFile(t, &t.Files[i], fields, bounds)
		if err != nil {
			return nil, err
		}
		if of == nil {
			continue
		}
		if groups == 0 { // opened to count none
			of.refs.Store(1)
			of.release()
			continue
		}
		of.refs.Store(int32(groups))
		for g := range groups {
			parts = append(parts, func(ctx context.Context, fn func(*column.Batch) error) error {
				task := &groupTask{file: of, g: g, done: make(chan struct{})}
				s.decodeGroup(ctx, task, fields, codes, bounds)
				if task.err != nil {
					return task.err
				}
				return task.emit(len(fields), fn)
			})
		}
	}
	return parts, nil
}
