package store

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// Snapshot is a store as one committed manifest describes it. Later
// commits do not change what it reads; it is safe for concurrent Reads.
type Snapshot struct {
	dir   string
	m     *Manifest
	stats ReadStats
}

// ReadStats counts what reads of a snapshot read and skipped.
type ReadStats struct {
	Files, FilesSkipped         atomic.Int64
	RowGroups, RowGroupsSkipped atomic.Int64
	Rows                        atomic.Int64 // rows decoded
	// RowsDropped counts the rows of the row groups read that bounds ruled
	// out: they are not handed to the reader.
	RowsDropped atomic.Int64
}

// Open reads the committed state of the store in dir.
func Open(dir string) (*Snapshot, error) {
	m, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	return &Snapshot{dir: dir, m: m}, nil
}

// Dir returns the store's directory.
func (s *Snapshot) Dir() string { return s.dir }

// Manifest returns the snapshot's manifest; callers must not change it.
func (s *Snapshot) Manifest() *Manifest { return s.m }

// Stats returns the counters of the snapshot's reads so far.
func (s *Snapshot) Stats() *ReadStats { return &s.stats }

// Tables returns the names of the tables with columns, sorted.
func (s *Snapshot) Tables() []string { return s.m.tableNames() }

// Schema returns the columns of table, nil when the store lacks it.
func (s *Snapshot) Schema(table string) column.Schema {
	t := s.m.Tables[table]
	if t == nil {
		return nil
	}
	return t.schema()
}

// Read streams the named columns of table (nil: all) to fn.
func (s *Snapshot) Read(ctx context.Context, table string, cols []string,
	fn func(*column.Batch) error,
) error {
	return s.ReadBounded(ctx, table, cols, nil, fn)
}

// ReadBounded is Read skipping the partitions, files and row groups whose
// statistics show that no row satisfies bounds, and the rows of the other
// row groups that fail a bound on a column read (a string column's values,
// a datetime column's range): a row is returned unless the statistics of
// a row group holding only it would skip that row group.
func (s *Snapshot) ReadBounded(ctx context.Context, table string, cols []string,
	bounds []plan.Bound, fn func(*column.Batch) error,
) error {
	t, fields, err := s.tableFields(table, cols)
	if err != nil {
		return err
	}
	return s.readGroups(ctx, t, fields, bounds, fn)
}

// tableFields returns table and the schema of its named columns (nil: all).
func (s *Snapshot) tableFields(table string, cols []string) (*TableState, column.Schema,
	error,
) {
	t := s.m.Tables[table]
	if t == nil {
		return nil, nil, fmt.Errorf("store %s holds no table %s", s.dir, table)
	}
	fields, err := t.fields(table, cols)
	return t, fields, err
}

// fields returns the schema of the named columns of t (nil: all).
func (t *TableState) fields(table string, cols []string) (column.Schema, error) {
	schema := t.schema()
	if cols == nil {
		return schema, nil
	}
	fields := make(column.Schema, len(cols))
	for i, c := range cols {
		j := schema.Index(c)
		if j < 0 {
			return nil, fmt.Errorf("table %s has no column %s", table, c)
		}
		fields[i] = schema[j]
	}
	return fields, nil
}

// fileMayMatch checks a file's manifest statistics against bounds.
func fileMayMatch(t *TableState, f *FileInfo, bounds []plan.Bound) bool {
	for _, b := range bounds {
		if b.Column == t.TimeColumn && (b.Lo != nil || b.Hi != nil) {
			if f.MinTime == 0 && f.MaxTime == 0 {
				return false // no row has a time: none passes a time filter
			}
			if !dateRangeMay(f.MinTime, f.MaxTime, b) {
				return false
			}
		}
		if b.Values != nil {
			if st, ok := f.Stats[b.Column]; ok && !valuesMay(st[0], st[1], b.Values) {
				return false
			}
		}
	}
	return true
}

// dateRangeMay reports whether some value in [lo, hi] may satisfy b.
func dateRangeMay(lo, hi types.Date, b plan.Bound) bool {
	if v, ok := b.Lo.(types.Date); ok {
		if hi < v || hi == v && !b.LoIncl {
			return false
		}
	}
	if v, ok := b.Hi.(types.Date); ok {
		if lo > v || lo == v && !b.HiIncl {
			return false
		}
	}
	return true
}

// intRangeMay reports whether some value in [lo, hi] may satisfy the
// integer bound b.
func intRangeMay(lo, hi int64, b plan.Bound) bool {
	if v, ok := b.Lo.(int64); ok && (hi < v || hi == v && !b.LoIncl) {
		return false
	}
	if v, ok := b.Hi.(int64); ok && (lo > v || lo == v && !b.HiIncl) {
		return false
	}
	return true
}

// valuesMay reports whether any of vals lies in [lo, hi].
func valuesMay(lo, hi string, vals []string) bool {
	return slices.ContainsFunc(vals, func(v string) bool { return v >= lo && v <= hi })
}

// groupMayMatch checks row group g's statistics against bounds.
func (p *pqFile) groupMayMatch(g int, bounds []plan.Bound) bool {
	for _, b := range bounds {
		leaf := p.leaf(b.Column)
		if leaf < 0 {
			continue
		}
		lo, hi, ok := p.bounds(g, leaf)
		if !ok {
			continue
		}
		if b.Values != nil {
			if lo.Kind() == parquet.ByteArray &&
				(!valuesMay(string(lo.ByteArray()), string(hi.ByteArray()), b.Values) ||
					!p.dictMayHold(g, leaf, b.Values)) {
				return false
			}
			continue
		}
		if intBound(b) {
			switch lo.Kind() {
			case parquet.Int64:
				if !intRangeMay(lo.Int64(), hi.Int64(), b) {
					return false
				}
			case parquet.Int32:
				if !intRangeMay(int64(lo.Int32()), int64(hi.Int32()), b) {
					return false
				}
			}
			continue
		}
		if lo.Kind() == parquet.Int64 &&
			!dateRangeMay(nanosToTicks(lo.Int64()), nanosToTicks(hi.Int64()), b) {
			return false
		}
	}
	return true
}

// dictMayHold reports whether string column leaf of row group g may hold
// one of vals: false only when every data page is dictionary encoded and
// no entry of the dictionary is one of vals.
func (p *pqFile) dictMayHold(g, leaf int, vals []string) bool {
	md := &p.pf.Metadata().RowGroups[g].Columns[leaf].MetaData
	if md.DictionaryPageOffset == 0 || len(md.EncodingStats) == 0 {
		return true
	}
	for _, st := range md.EncodingStats {
		if st.PageType != format.DictionaryPage && st.Encoding != format.RLEDictionary &&
			st.Encoding != format.PlainDictionary {
			return true // some values are stored without the dictionary
		}
	}
	pages, ok := p.pf.RowGroups()[g].ColumnChunks()[leaf].Pages().(*parquet.FilePages)
	if !ok {
		return true
	}
	defer pages.Close()
	dict, err := pages.ReadDictionary()
	if err != nil || dict == nil {
		return true
	}
	for i := 0; i < dict.Len(); i++ {
		if slices.Contains(vals, string(dict.Index(int32(i)).ByteArray())) {
			return true
		}
	}
	return false
}

// groupTask is one row group of one file of a read. The planner makes
// tasks in the order of the files and their row groups, a worker decodes
// each, and the reader hands their rows to fn in the planner's order.
type groupTask struct {
	file *openFile // nil for a task that only carries err
	g    int
	done chan struct{} // closed once err or vecs is set
	err  error
	vecs []*column.Vector // nil when the row group was skipped, or no row passed
	n    int
}

// openFile is a file being read, opened by the first task that decodes
// one of its row groups (so that files open on the decoders, in parallel,
// rather than one after another on the planner) and closed when its last
// task is done.
type openFile struct {
	path   string
	fields column.Schema
	once   sync.Once
	pf     *pqFile // set by open
	leaves []int
	err    error
	refs   atomic.Int32 // the planner's and each undecoded task's
}

// open opens the file once; every caller gets the same error.
func (f *openFile) open() error {
	f.once.Do(func() {
		pf, err := openParquet(f.path)
		if err != nil {
			f.err = err
			return
		}
		f.pf, f.leaves = pf, make([]int, len(f.fields))
		for i, fd := range f.fields {
			f.leaves[i] = pf.leaf(fd.Name)
		}
	})
	return f.err
}

func (f *openFile) release() {
	if f.refs.Add(-1) == 0 && f.pf != nil {
		f.pf.Close()
	}
}

// readGroups reads the row groups of t's files that bounds may match,
// decoding them on runtime.GOMAXPROCS(0) goroutines and handing their rows
// to fn in file and row-group order. Read-ahead is bounded: at most about
// twice as many row groups as there are decoders are decoded or being
// decoded ahead of the one fn is given.
func (s *Snapshot) readGroups(ctx context.Context, t *TableState, fields column.Schema,
	bounds []plan.Bound, fn func(*column.Batch) error,
) error {
	ctx, cancel := context.WithCancel(ctx)
	workers := max(runtime.GOMAXPROCS(0), 1)
	// Every task goes to ordered and then, unless already done, to work;
	// the reader (or the drain below) always empties ordered and the
	// decoders always empty work, so no send blocks for good.
	ordered := make(chan *groupTask, 2*workers)
	work := make(chan *groupTask)
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(work)
		defer close(ordered)
		s.planGroups(ctx, t, fields, bounds, ordered, work)
	})
	for range workers {
		wg.Go(func() {
			for task := range work {
				s.decodeGroup(ctx, task, fields, nil, bounds)
			}
		})
	}
	defer func() {
		cancel()
		for range ordered {
		}
		wg.Wait()
	}()
	for task := range ordered {
		<-task.done
		if task.err != nil {
			return task.err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := task.emit(len(fields), fn); err != nil {
			return err
		}
	}
	return nil
}

// emit hands the decoded rows of task to fn in batches of at most
// column.BatchSize rows.
func (task *groupTask) emit(width int, fn func(*column.Batch) error) error {
	if task.vecs == nil {
		return nil
	}
	for lo := 0; lo < task.n; lo += column.BatchSize {
		hi := min(lo+column.BatchSize, task.n)
		b := &column.Batch{N: hi - lo, Cols: make([]*column.Vector, width)}
		for i, v := range task.vecs {
			b.Cols[i] = v.Slice(lo, hi)
		}
		if err := fn(b); err != nil {
			return err
		}
	}
	return nil
}

// planGroups opens the files of t that may match bounds and makes a task
// of each of their row groups, stopping at the first error.
func (s *Snapshot) planGroups(ctx context.Context, t *TableState, fields column.Schema,
	bounds []plan.Bound, ordered, work chan<- *groupTask,
) {
	fail := func(err error) {
		task := &groupTask{err: err, done: make(chan struct{})}
		close(task.done)
		ordered <- task
	}
	for i := range t.Files {
		f := &t.Files[i]
		if err := ctx.Err(); err != nil {
			fail(err)
			return
		}
		of, groups, err := s.planFile(t, f, fields, bounds)
		if err != nil {
			fail(err)
			return
		}
		if of == nil {
			continue
		}
		of.refs.Store(1)
		for g := range groups {
			if err := ctx.Err(); err != nil {
				of.release()
				fail(err)
				return
			}
			of.refs.Add(1)
			task := &groupTask{file: of, g: g, done: make(chan struct{})}
			ordered <- task
			work <- task
		}
		of.release()
	}
}

// planFile counts file f of t in the read statistics and returns it as a
// file to read and the number of its row groups (the manifest's, else the
// file's, which opens it); of is nil when bounds rule the file out.
func (s *Snapshot) planFile(t *TableState, f *FileInfo, fields column.Schema,
	bounds []plan.Bound,
) (of *openFile, groups int, err error) {
	s.stats.Files.Add(1)
	if !fileMayMatch(t, f, bounds) {
		s.stats.FilesSkipped.Add(1)
		return nil, 0, nil
	}
	of = &openFile{path: filepath.Join(s.dir, filepath.FromSlash(f.Path)), fields: fields}
	groups = f.RowGroups
	if groups <= 0 {
		// The manifest does not say: ask the file.
		if err := of.open(); err != nil {
			return nil, 0, err
		}
		groups = len(of.pf.pf.RowGroups())
	}
	return of, groups, nil
}

// decodeGroup reads the columns of a task's row group, unless its
// statistics show that no row satisfies bounds; the fields that codes (nil:
// none) marks come as codes alone where their chunk has a dictionary.
func (s *Snapshot) decodeGroup(ctx context.Context, task *groupTask, fields column.Schema,
	codes []bool, bounds []plan.Bound,
) {
	defer close(task.done)
	defer task.file.release()
	if err := ctx.Err(); err != nil {
		task.err = err
		return
	}
	if err := task.file.open(); err != nil {
		task.err = err
		return
	}
	pf, g := task.file.pf, task.g
	if g >= len(pf.pf.RowGroups()) {
		task.err = fmt.Errorf("%s: the manifest counts more row groups than the file holds",
			task.file.path)
		return
	}
	s.stats.RowGroups.Add(1)
	if !pf.groupMayMatch(g, bounds) {
		s.stats.RowGroupsSkipped.Add(1)
		return
	}
	n := int(pf.pf.RowGroups()[g].NumRows())
	vecs := make([]*column.Vector, len(fields))
	codesOnly := func(i int) bool {
		return codes != nil && codes[i] && fields[i].Type == types.String
	}
	read := func(i int, sel []int, byCode bool) bool {
		var v *column.Vector
		var err error
		if byCode {
			v, err = pf.readCodes(g, task.file.leaves[i], n)
		} else {
			v, err = pf.readRows(g, task.file.leaves[i], fields[i].Type, n, sel)
		}
		if err != nil {
			task.err = fmt.Errorf("%s: column %s: %w", task.file.path, fields[i].Name, err)
			return false
		}
		vecs[i] = v
		return true
	}
	// The columns that bounds apply to come first: the rows that fail them
	// are dropped, and only the rows left are read of the other columns.
	var sel []int
	if rbs := rowBounds(fields, bounds); len(rbs) > 0 {
		for _, rb := range rbs {
			byCode := rb.b.Values != nil || codesOnly(rb.field) // strings: chosen by code
			if vecs[rb.field] == nil && !read(rb.field, nil, byCode) {
				return
			}
			sel = selectRows(sel, n, vecs[rb.field], rb.b)
		}
		s.stats.Rows.Add(int64(n))
		s.stats.RowsDropped.Add(int64(n - len(sel)))
		if len(sel) == 0 {
			return
		}
		if len(sel) == n {
			sel = nil
		}
		for i, v := range vecs {
			switch {
			case v == nil:
			case codesOnly(i):
				vecs[i] = keepCodes(v, sel)
			default:
				vecs[i] = keepRows(v, sel)
			}
		}
	} else {
		s.stats.Rows.Add(int64(n))
	}
	for i, v := range vecs {
		if v != nil {
			continue
		}
		if codesOnly(i) {
			if !read(i, nil, true) {
				return
			}
			vecs[i] = keepCodes(vecs[i], sel)
			continue
		}
		if !read(i, sel, false) {
			return
		}
	}
	if sel != nil {
		n = len(sel)
	}
	task.vecs, task.n = vecs, n
}
