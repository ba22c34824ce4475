package store

import (
	"context"
	"fmt"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
)

// Split returns the files of table that may hold rows within bounds, each
// as a function that reads its rows as ReadBounded does, so that a caller
// may read them concurrently: read one after the other, in order, they
// give ReadBounded's rows.
func (s *Snapshot) Split(table string, cols []string, bounds []plan.Bound) (
	[]func(ctx context.Context, fn func(*column.Batch) error) error, error,
) {
	t := s.m.Tables[table]
	if t == nil {
		return nil, fmt.Errorf("store %s holds no table %s", s.dir, table)
	}
	schema := t.schema()
	fields := schema
	if cols != nil {
		fields = make(column.Schema, len(cols))
		for i, c := range cols {
			j := schema.Index(c)
			if j < 0 {
				return nil, fmt.Errorf("table %s has no column %s", table, c)
			}
			fields[i] = schema[j]
		}
	}
	var parts []func(ctx context.Context, fn func(*column.Batch) error) error
	for i := range t.Files {
		f := &t.Files[i]
		if !fileMayMatch(t, f, bounds) {
			s.stats.Files.Add(1)
			s.stats.FilesSkipped.Add(1)
			continue
		}
		parts = append(parts, func(ctx context.Context, fn func(*column.Batch) error) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			s.stats.Files.Add(1) // counted when read, as ReadBounded does
			return s.readFile(ctx, f, fields, bounds, fn)
		})
	}
	return parts, nil
}
