package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/source"
	"github.com/huntql/huntql/internal/types"
)

// headLen is how many leading bytes identify a source file, with its size
// and modification time.
const headLen = 4096

// defaultCommitBytes is how much source text an ingest reads between commits.
// Each commit writes a file per day: larger commits make fewer files of
// larger row groups, which queries read with less overhead per row (at 10M
// rows, 86 files instead of 294 and 10% to 30% less time per query), for
// an ingest peak of about 1.8 GB (10M rows, 22.7 GB of JSON lines).
const defaultCommitBytes = 256 << 20

// IngestOptions configure Writer.Ingest.
type IngestOptions struct {
	// Stdin is read for the source "-".
	Stdin io.Reader
	// Table names the table of rows read from stdin (streaming records
	// name their own).
	Table string
	// Format is stdin's format (json, csv or avro); "" or auto tells it
	// from the content (see source.Stream).
	Format string
	// CommitBytes is how many source bytes are read between commits; 0
	// means 64 MiB.
	CommitBytes int64
	// Progress, when set, is called as the ingest goes.
	Progress func(Progress)
}

// Progress is how far an ingest has got.
type Progress struct {
	Bytes, TotalBytes int64 // source bytes read, of all the sources' sizes
	Read              int64 // records read
	File              string
}

// Summary counts what an ingest did. Read = Stored + Duplicate + Quarantined.
type Summary struct {
	Files     int  // source files read or found unchanged
	Unchanged int  // of which unchanged since an earlier ingest, and skipped
	Stdin     bool // whether stdin was read too
	Skipped   []string
	// Read counts the records read; a stretch of input that could not be
	// read as records counts as one.
	Read, Stored, Duplicate, Quarantined int64
	Bytes                                int64 // source bytes read (not those skipped)
	Commits                              int
	// IncompleteLines and IncompleteBlocks count the sources that ended
	// inside a unit (a JSON line without its newline, an Avro block cut
	// short), which is left for the next run.
	IncompleteLines, IncompleteBlocks int
}

// quarantined is one line of a quarantine file.
type quarantined struct {
	Source string `json:"source"`
	Line   int    `json:"line,omitempty"`
	Reason string `json:"reason"`
	Raw    string `json:"raw"`
}

// ingest is the state of one Ingest.
type ingest struct {
	w       *Writer
	ctx     context.Context
	opts    IngestOptions
	sum     Summary
	total   int64
	done    int64 // bytes of finished files
	pending pendingBatch
}

// pendingBatch is what has been read since the last commit.
type pendingBatch struct {
	order   []string // tables in order of first appearance
	recs    map[string][]pendingRec
	faults  []quarantined
	sources map[string]*SourceState
	bytes   int64
}

type pendingRec struct {
	rec  *source.Record
	name string // the source, for errors and quarantine
	nth  int    // index of the record among its file's records of its table in this batch
}

func (p *pendingBatch) reset() {
	*p = pendingBatch{recs: map[string][]pendingRec{}, sources: map[string]*SourceState{}}
}

// Ingest reads the sources (files, directories walked recursively, or "-"
// for opts.Stdin) into the store. Each source file's identity and read
// position are committed with its records, so a repeated ingest adds
// nothing and a grown file adds only what was appended; records already
// stored (by their table's key) are dropped as duplicates; records that
// cannot be read or converted go to the quarantine.
func (w *Writer) Ingest(ctx context.Context, sources []string, opts IngestOptions,
) (*Summary, error) {
	if opts.CommitBytes <= 0 {
		opts.CommitBytes = defaultCommitBytes
	}
	in := &ingest{w: w, ctx: ctx, opts: opts}
	in.pending.reset()
	if _, err := source.Stream(opts.Table, opts.Format); err != nil {
		return &in.sum, err
	}
	var paths []string
	stdin := false
	for _, s := range sources {
		if s == "-" {
			stdin = true
			continue
		}
		paths = append(paths, s)
	}
	var files []source.File
	if len(paths) > 0 {
		var err error
		files, in.sum.Skipped, err = source.List(paths)
		if err != nil {
			return &in.sum, err
		}
	}
	files = in.outsideStore(files)
	for _, f := range files {
		if info, err := os.Stat(f.Path()); err == nil {
			in.total += info.Size()
		}
	}
	err := in.all(files, stdin)
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// Interrupted between two units of input: what was read is whole,
		// so keep it.
		in.ctx = context.WithoutCancel(ctx)
		if ferr := in.flush(); ferr != nil {
			return &in.sum, ferr
		}
		return &in.sum, err
	}
	if err == nil {
		err = in.flush()
	}
	return &in.sum, err
}

// all reads the files, then stdin when asked.
func (in *ingest) all(files []source.File, stdin bool) error {
	for _, f := range files {
		if err := in.file(f); err != nil {
			return err
		}
	}
	if stdin && in.opts.Stdin != nil {
		f, err := source.Stream(in.opts.Table, in.opts.Format)
		if err != nil {
			return err
		}
		in.sum.Stdin = true
		return in.read(f, "<stdin>", in.opts.Stdin, source.Position{}, nil, "")
	}
	return nil
}

// outsideStore drops the files inside the store itself (its manifest and
// quarantine are JSON too), for a source folder that holds the store.
func (in *ingest) outsideStore(files []source.File) []source.File {
	dir, err := filepath.Abs(in.w.dir)
	if err != nil {
		return files
	}
	kept := files[:0]
	for _, f := range files {
		p, err := filepath.Abs(f.Path())
		if err == nil && (p == dir || strings.HasPrefix(p, dir+string(filepath.Separator))) {
			continue
		}
		kept = append(kept, f)
	}
	return kept
}

// identify returns a file's identity: size, modification time and the hash
// of its first n bytes.
func identify(path string, n int) (*SourceState, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	head := make([]byte, n)
	k, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	sum := sha256.Sum256(head[:k])
	return &SourceState{Size: info.Size(), ModTime: info.ModTime().UnixNano(),
		Head: hex.EncodeToString(sum[:]), HeadLen: k}, nil
}

// file ingests one source file from where an earlier ingest left it.
func (in *ingest) file(f source.File) error {
	in.sum.Files++
	path, err := filepath.Abs(f.Path())
	if err != nil {
		return err
	}
	id, err := identify(path, headLen)
	if errors.Is(err, fs.ErrNotExist) {
		// Gone since the folder was listed (rotated away): nothing to read.
		in.w.log.Warn("source vanished before it was read", "path", path)
		return nil
	}
	if err != nil {
		return err
	}
	from := source.Position{}
	if old := in.state(path); old != nil {
		same, err := identify(path, old.HeadLen)
		if err != nil {
			return err
		}
		switch {
		case same.Head != old.Head || id.Size < old.Size:
			in.w.log.Info("source replaced; reading it again", "path", path)
		case old.Done && id.Size == old.Size && id.ModTime == old.ModTime:
			in.sum.Unchanged++
			in.done += id.Size
			return nil
		default:
			from = source.Position{Offset: old.Offset, Line: old.Line, Units: old.Units}
		}
	}
	r, err := os.Open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	return in.read(f, path, r, from, id, path)
}

// state returns the latest known state of a source: pending or committed.
func (in *ingest) state(path string) *SourceState {
	if st := in.pending.sources[path]; st != nil {
		return st
	}
	return in.w.m.Sources[path]
}

// countingReader counts the bytes read through it, and those skipped by
// seeking (as a resumed read of a file does).
type countingReader struct {
	r       io.Reader
	n       int64
	skipped int64
}

// Read counts what it reads.
func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// errNoSeek is the error of Seek on a reader that cannot seek (stdin).
var errNoSeek = errors.New("the source cannot seek")

// Seek seeks the underlying reader, counting the bytes it skips.
func (c *countingReader) Seek(off int64, whence int) (int64, error) {
	s, ok := c.r.(io.Seeker)
	if !ok {
		return 0, errNoSeek
	}
	cur, err := s.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0, err
	}
	pos, err := s.Seek(off, whence)
	if err == nil {
		c.skipped += pos - cur
	}
	return pos, err
}

// read reads one source's records into the pending batch, committing
// whenever enough has been read; key is the source's manifest key ("" for
// stdin, whose position is not kept).
func (in *ingest) read(f source.File, name string, r io.Reader, from source.Position,
	id *SourceState, key string,
) error {
	cr := &countingReader{r: r}
	nth := map[string]int{}
	ropts := source.RecordOptions{Name: name, From: from,
		Incomplete: func(unit string, _ int64) {
			if unit == "line" {
				in.sum.IncompleteLines++
			} else {
				in.sum.IncompleteBlocks++
			}
		}}
	err := source.ReadRecords(in.ctx, f, cr, ropts,
		func(u *source.Unit) error {
			for _, rec := range u.Records {
				in.sum.Read++
				in.pending.recs[rec.Table] = append(in.pending.recs[rec.Table],
					pendingRec{rec: rec, name: name, nth: nth[rec.Table]})
				if nth[rec.Table] == 0 && len(in.pending.recs[rec.Table]) == 1 {
					in.pending.order = append(in.pending.order, rec.Table)
				}
				nth[rec.Table]++
				in.pending.bytes += int64(len(rec.Raw))
			}
			for _, fl := range u.Faults {
				in.sum.Read++
				in.quarantine(name, fl.Err.Line, fl.Err.Error(), fl.Raw)
				in.pending.bytes += int64(len(fl.Raw))
			}
			if key != "" {
				st := *id
				st.Offset, st.Line, st.Units = u.Pos.Offset, u.Pos.Line, u.Pos.Units
				in.pending.sources[key] = &st
			}
			if in.opts.Progress != nil && u.Pos.Units%256 == 0 {
				in.opts.Progress(Progress{Bytes: in.done + cr.n + cr.skipped,
					TotalBytes: in.total, Read: in.sum.Read, File: name})
			}
			if in.pending.bytes >= in.opts.CommitBytes {
				clear(nth)
				return in.flush()
			}
			return nil
		})
	in.sum.Bytes += cr.n
	in.done += cr.n + cr.skipped
	if errors.Is(err, source.ErrUnsupported) {
		in.w.log.Warn("skipping a file ingest cannot read yet", "path", name, "err", err)
		in.sum.Skipped = append(in.sum.Skipped, name)
		if key != "" {
			in.sum.Files-- // not ingested after all
		}
		return nil
	}
	if err != nil {
		return err
	}
	if key != "" {
		st := in.state(key)
		if st == nil || st.Size != id.Size || st.ModTime != id.ModTime { // nothing read: empty
			cp := *id
			if st != nil {
				cp.Offset, cp.Line, cp.Units = st.Offset, st.Line, st.Units
			}
			st = &cp
		} else {
			cp := *st
			st = &cp
		}
		st.Done = true
		in.pending.sources[key] = st
	}
	if in.opts.Progress != nil {
		in.opts.Progress(Progress{Bytes: in.done, TotalBytes: in.total, Read: in.sum.Read,
			File: name})
	}
	return nil
}

// quarantine adds a record that could not be stored.
func (in *ingest) quarantine(name string, line int, reason string, raw []byte) {
	in.pending.faults = append(in.pending.faults,
		quarantined{Source: name, Line: line, Reason: reason, Raw: string(raw)})
}

// flush converts the pending records, drops repeats and commits them with
// the quarantine and the source positions.
func (in *ingest) flush() error {
	p := &in.pending
	if len(p.order) == 0 && len(p.faults) == 0 && len(p.sources) == 0 {
		return nil
	}
	c := &change{tables: map[string]*TableState{}, sources: p.sources,
		sourceB: map[string]int64{}}
	for _, table := range p.order {
		if err := in.convert(table, p.recs[table], c); err != nil {
			return err
		}
	}
	var q []byte
	for _, f := range p.faults {
		line, _ := json.Marshal(f)
		q = append(append(q, line...), '\n')
	}
	c.quarantine, c.qRecords = q, int64(len(p.faults))
	in.sum.Quarantined += int64(len(p.faults))
	if err := in.w.commit(c); err != nil {
		// The key cache holds the keys of rows that were not stored.
		in.w.keys = map[string]map[string]map[[16]byte]struct{}{}
		return err
	}
	in.sum.Commits++
	in.w.log.Debug("committed", "seq", in.w.m.Seq, "files", len(c.parts))
	p.reset()
	return nil
}

// convert turns one table's pending records into partitions of new rows.
func (in *ingest) convert(table string, recs []pendingRec, c *change) error {
	if table == "" || table == "-" {
		for _, r := range recs {
			in.quarantine(r.name, r.rec.Line,
				"the rows name no table: name the file after its table (DeviceInfo.json) "+
					"or pass --table", r.rec.Raw)
		}
		return nil
	}
	old := in.w.m.Tables[table]
	var known column.Schema
	if old != nil {
		known = old.schema()
	}
	var sample []*source.Record
	for _, r := range recs {
		// CSV rows are cheap to sample, and a Log Analytics export gives a
		// table the columns any of its rows fill, as Scan does.
		if r.nth < source.SampleRows || r.rec.Row == nil {
			sample = append(sample, r.rec)
		}
	}
	schema := source.InferSchema(table, known, sample)
	ts := &TableState{}
	if old != nil {
		*ts = *old
		ts.Files = nil
	} else {
		ts.TimeColumn = timeColumn(schema)
		ts.Key = keyColumns(table, schema)
	}
	ts.Columns = ts.Columns[:0:0]
	for _, f := range schema {
		ts.Columns = append(ts.Columns, ColumnDef{Name: f.Name, Type: f.Type.String()})
	}
	c.tables[table] = ts
	timeCol := -1
	if ts.TimeColumn != "" {
		timeCol = schema.Index(ts.TimeColumn)
	}
	keyIdx := make([]int, len(ts.Key))
	for i, k := range ts.Key {
		keyIdx[i] = schema.Index(k)
	}
	conv := source.NewConverter(schema)
	check := func(b *column.Batch, i int) error {
		for j, v := range b.Cols {
			if v.Type == types.Datetime && !v.IsNull(i) {
				if _, ok := ticksToNanos(types.Date(v.Int[i])); !ok {
					return fmt.Errorf("column %s: %w", schema[j].Name, errTimeRange)
				}
			}
		}
		return nil
	}
	var stored []pendingRec
	for _, r := range recs {
		if err := conv.Append(r.name, r.rec, check); err != nil {
			var de *source.DataError
			switch {
			case errors.As(err, &de):
			case r.rec.Event > 0:
				err = fmt.Errorf("%s: event %d: %w", r.name, r.rec.Event, err)
			default:
				err = fmt.Errorf("%s:%d: %w", r.name, r.rec.Line, err)
			}
			in.quarantine(r.name, r.rec.Line, err.Error(), r.rec.Raw)
			continue
		}
		stored = append(stored, r)
	}
	parts := map[string]*part{}
	var order []string
	k := 0
	for _, b := range conv.Batches() {
		for i := 0; i < b.N; i++ {
			r := stored[k]
			k++
			day := dayOf(b, timeCol, i)
			key := recordKey(b, i, keyIdx)
			seen, err := in.w.keySet(table, day)
			if err != nil {
				return err
			}
			if _, dup := seen[key]; dup {
				in.sum.Duplicate++
				continue
			}
			seen[key] = struct{}{}
			pt := parts[day]
			if pt == nil {
				pt = &part{table: table, day: day}
				parts[day] = pt
				order = append(order, day)
			}
			if len(pt.batches) == 0 || pt.batches[len(pt.batches)-1].N >= column.BatchSize {
				pt.batches = append(pt.batches, column.NewBatch(schema, column.BatchSize))
			}
			ob := pt.batches[len(pt.batches)-1]
			for j, v := range ob.Cols {
				v.AppendFrom(b.Cols[j], i)
			}
			ob.N++
			pt.keys = append(pt.keys, key)
			pt.rows++
			in.sum.Stored++
			c.sourceB[table] += int64(len(r.rec.Raw))
		}
	}
	for _, day := range order {
		c.parts = append(c.parts, parts[day])
	}
	return nil
}

// timeColumn picks the datetime column that partitions a table.
func timeColumn(s column.Schema) string {
	for _, name := range []string{"Timestamp", "TimeGenerated"} {
		if i := s.Index(name); i >= 0 && s[i].Type == types.Datetime {
			return name
		}
	}
	return ""
}

// keyColumns returns the columns identifying a record of table; nil means
// the whole record. Defender's Device tables identify an event by device,
// report, time and action; DeviceNetworkInfo reports one row per adapter,
// DeviceInfo one per report.
func keyColumns(table string, s column.Schema) []string {
	has := func(names ...string) bool {
		for _, n := range names {
			if s.Index(n) < 0 {
				return false
			}
		}
		return true
	}
	if !strings.HasPrefix(table, "Device") || !has("DeviceId", "ReportId", "Timestamp") {
		return nil
	}
	switch {
	case table == "DeviceNetworkInfo" && has("NetworkAdapterName"):
		return []string{"DeviceId", "ReportId", "Timestamp", "NetworkAdapterName"}
	case has("ActionType"):
		return []string{"DeviceId", "ReportId", "Timestamp", "ActionType"}
	case table == "DeviceInfo":
		return []string{"DeviceId", "ReportId", "Timestamp"}
	}
	return nil
}

// dayOf returns the partition of row i: the UTC day of its time.
func dayOf(b *column.Batch, timeCol, i int) string {
	if timeCol < 0 || b.Cols[timeCol].IsNull(i) {
		return "none"
	}
	return types.Date(b.Cols[timeCol].Int[i]).Time().Format("2006-01-02")
}

// keySet returns the keys of the records stored in a partition, loading
// them from its files the first time.
func (w *Writer) keySet(table, day string) (map[[16]byte]struct{}, error) {
	byDay := w.keys[table]
	if byDay == nil {
		byDay = map[string]map[[16]byte]struct{}{}
		w.keys[table] = byDay
	}
	if s := byDay[day]; s != nil {
		return s, nil
	}
	s := map[[16]byte]struct{}{}
	if ts := w.m.Tables[table]; ts != nil {
		for _, f := range ts.Files {
			if f.Day != day {
				continue
			}
			if err := w.loadKeys(f.Path, s); err != nil {
				return nil, err
			}
		}
	}
	byDay[day] = s
	return s, nil
}

// loadKeys adds the record keys of one file to s.
func (w *Writer) loadKeys(rel string, s map[[16]byte]struct{}) error {
	pf, err := openParquet(filepath.Join(w.dir, filepath.FromSlash(rel)))
	if err != nil {
		return err
	}
	defer pf.Close()
	leaf := pf.leaf(keyColumn)
	if leaf < 0 {
		return fmt.Errorf("%s: no %s column", rel, keyColumn)
	}
	for g, rg := range pf.pf.RowGroups() {
		v, err := pf.readColumn(g, leaf, types.String, int(rg.NumRows()))
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		for _, k := range v.Str {
			var key [16]byte
			if copy(key[:], k) != 16 {
				return errors.New(rel + ": damaged record key")
			}
			s[key] = struct{}{}
		}
	}
	return nil
}
