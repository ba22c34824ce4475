package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/parquet-go/parquet-go"
	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// allTypes has a column of every Kusto type, and a second string column of
// distinct long values whose dictionary a writer may give up on.
var allTypes = column.Schema{
	{Name: "B", Type: types.Bool}, {Name: "I", Type: types.Int},
	{Name: "L", Type: types.Long}, {Name: "R", Type: types.Real},
	{Name: "T", Type: types.Datetime}, {Name: "D", Type: types.Timespan},
	{Name: "S", Type: types.String}, {Name: "U", Type: types.String},
	{Name: "G", Type: types.Guid}, {Name: "M", Type: types.Decimal},
	{Name: "Y", Type: types.Dynamic},
}

// allTypesBatch returns n rows of allTypes; rows 500 to 899 and every
// seventh row are null (strings are empty there).
func allTypesBatch(t *testing.T, n int) *column.Batch {
	t.Helper()
	b := column.NewBatch(allTypes, n)
	t0 := time.Date(2025, 5, 7, 0, 0, 0, 0, time.UTC)
	dyn := []string{`{"a":1,"b":[1,2.5,"x"]}`, `[1,2]`, `"text"`, `1.5`, `7`, `null`, `true`}
	for i := 0; i < n; i++ {
		null := i%7 == 3 || i >= 500 && i < 900
		for j, f := range allTypes {
			var x any
			switch f.Name {
			case "B":
				x = i%3 == 0
			case "I":
				x = int32(i*7 - 1000)
			case "L":
				x = int64(i)*1_000_000_000_000 - 5
			case "R":
				x = float64(i) / 3
			case "T":
				x = types.DateFromTime(t0.Add(time.Duration(i)*time.Second + time.Duration(i)*100))
			case "D":
				x = types.Duration(i * 12345)
			case "S":
				x = fmt.Sprintf("s%d", i%50)
			case "U":
				x = fmt.Sprintf("unique-value-%032d", i)
			case "G":
				x = uuid.NewSHA1(uuid.NameSpaceURL, []byte(fmt.Sprint(i)))
			case "M":
				x = decimal.New(int64(i)-40, -2)
			case "Y":
				v, err := types.ParseJSON(dyn[i%len(dyn)])
				if err != nil {
					t.Fatal(err)
				}
				x = v
			}
			if null {
				x = nil
			}
			b.Cols[j].Append(x)
		}
	}
	b.N = n
	return b
}

// writeTestParquet writes b as writeParquet does, with extra writer options.
func writeTestParquet(t *testing.T, path string, b *column.Batch, opts ...parquet.WriterOption) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sch, idx, keyIdx := fileSchema(allTypes)
	w := parquet.NewWriter(f, append([]parquet.WriterOption{sch}, opts...)...)
	for i := 0; i < b.N; i++ {
		row := make(parquet.Row, len(allTypes)+1)
		for j, v := range b.Cols {
			if row[idx[j]], err = parquetValue(v, i, idx[j]); err != nil {
				t.Fatal(err)
			}
		}
		var key [16]byte
		copy(key[:], fmt.Sprintf("key%013d", i))
		row[keyIdx] = parquet.FixedLenByteArrayValue(key[:]).Level(0, 0, keyIdx)
		if _, err := w.WriteRows([]parquet.Row{row}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// readColumnByValue reads a column chunk value by value, as the store read
// before pages were decoded typed: the reference for readColumn.
func (p *pqFile) readColumnByValue(t *testing.T, g, leaf int, typ types.Type, n int,
) *column.Vector {
	t.Helper()
	d := chunkDecoder{v: column.New(typ, n)} // not typed: every page by value
	pages := p.pf.RowGroups()[g].ColumnChunks()[leaf].Pages()
	defer pages.Close()
	for {
		page, err := pages.ReadPage()
		if err != nil {
			break
		}
		err = d.page(page)
		parquet.Release(page)
		if err != nil {
			t.Fatal(err)
		}
	}
	return d.v
}

// sameVector reports how got differs from want, or "". Values compare
// exactly, or as Kusto prints them when formatted is set.
func sameVector(got, want *column.Vector, formatted bool) string {
	if got.Len() != want.Len() {
		return fmt.Sprintf("%d rows, expected %d", got.Len(), want.Len())
	}
	if got.Nulls != nil && len(got.Nulls) != got.Len() {
		return fmt.Sprintf("%d null flags for %d rows", len(got.Nulls), got.Len())
	}
	for i := 0; i < got.Len(); i++ {
		g, w := got.Value(i), want.Value(i)
		same := reflect.DeepEqual(g, w)
		if formatted && g != nil && w != nil {
			same = types.Format(g) == types.Format(w)
		}
		if got.IsNull(i) != want.IsNull(i) || !same {
			return fmt.Sprintf("row %d: %#v (null %v), expected %#v (null %v)", i,
				got.Value(i), got.IsNull(i), want.Value(i), want.IsNull(i))
		}
	}
	return ""
}

// checkDict reports a broken dictionary invariant of v, or "".
func checkDict(v *column.Vector) string {
	if v.Codes == nil {
		return ""
	}
	if len(v.Codes) != len(v.Str) {
		return fmt.Sprintf("%d codes for %d rows", len(v.Codes), len(v.Str))
	}
	for i, c := range v.Codes {
		if int(c) >= len(v.Dict) || v.Dict[c] != v.Str[i] {
			return fmt.Sprintf("row %d: code %d does not give %q", i, c, v.Str[i])
		}
	}
	return ""
}

func TestReadColumnDecodesEveryTypeAsValueByValue(t *testing.T) {
	const n, groupRows = 3000, 1000
	b := allTypesBatch(t, n)
	for _, tc := range []struct {
		name string
		opts []parquet.WriterOption
		// whether the U column keeps its dictionary in every row group
		dictU bool
	}{
		{"v2", nil, true},
		{"v1", []parquet.WriterOption{parquet.DataPageVersion(1)}, true},
		{"small-pages", []parquet.WriterOption{parquet.PageBufferSize(256)}, true},
		{"small-pages-v1", []parquet.WriterOption{parquet.PageBufferSize(256),
			parquet.DataPageVersion(1)}, true},
		// U outgrows its dictionary: later pages are plain.
		{"dictionary-fallback", []parquet.WriterOption{parquet.PageBufferSize(512),
			parquet.DictionaryMaxBytes(2048)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.parquet")
			opts := append([]parquet.WriterOption{parquet.MaxRowsPerRowGroup(groupRows)},
				tc.opts...)
			writeTestParquet(t, path, b, opts...)
			pf, err := openParquet(path)
			if err != nil {
				t.Fatal(err)
			}
			defer pf.Close()
			if got := len(pf.pf.RowGroups()); got != n/groupRows {
				t.Fatalf("%d row groups, expected %d", got, n/groupRows)
			}
			for g := range pf.pf.RowGroups() {
				want := b.Gather(rowRange(g*groupRows, (g+1)*groupRows))
				for j, f := range allTypes {
					leaf := pf.leaf(f.Name)
					byValue := pagesByValue.Load()
					got, err := pf.readColumn(g, leaf, f.Type, groupRows)
					if err != nil {
						t.Fatalf("group %d column %s: %v", g, f.Name, err)
					}
					if pagesByValue.Load() != byValue {
						t.Errorf("group %d column %s: pages decoded value by value", g,
							f.Name)
					}
					ref := pf.readColumnByValue(t, g, leaf, f.Type, groupRows)
					if d := sameVector(got, ref, false); d != "" {
						t.Errorf("group %d column %s: %s", g, f.Name, d)
					}
					if d := sameVector(got, want.Cols[j], true); d != "" && f.Type != types.Dynamic {
						t.Errorf("group %d column %s against the rows written: %s", g,
							f.Name, d)
					}
					if d := checkDict(got); d != "" {
						t.Errorf("group %d column %s: %s", g, f.Name, d)
					}
					// Codes first, strings of some rows after.
					if f.Type == types.String {
						for _, sel := range append(selections(groupRows), nil) {
							cv, err := pf.readCodes(g, leaf, groupRows)
							if err != nil {
								t.Fatalf("group %d column %s: %v", g, f.Name, err)
							}
							want := got
							if sel != nil {
								want = got.Gather(sel)
							}
							part := keepRows(cv, sel)
							if d := sameVector(part, want, false); d != "" {
								t.Errorf("group %d column %s codes, %d rows: %s", g, f.Name,
									len(sel), d)
							}
							if d := checkDict(part); d != "" {
								t.Errorf("group %d column %s codes: %s", g, f.Name, d)
							}
						}
					}
					// Some rows only: as the whole column gathered.
					for _, sel := range selections(groupRows) {
						part, err := pf.readRows(g, leaf, f.Type, groupRows, sel)
						if err != nil {
							t.Fatalf("group %d column %s: %v", g, f.Name, err)
						}
						if d := sameVector(part, got.Gather(sel), false); d != "" {
							t.Errorf("group %d column %s, %d rows: %s", g, f.Name, len(sel), d)
						}
						if d := checkDict(part); d != "" {
							t.Errorf("group %d column %s, %d rows: %s", g, f.Name, len(sel), d)
						}
						if got.Codes != nil && part.Codes == nil && len(sel) > 0 {
							t.Errorf("group %d column %s, %d rows: dictionary lost", g, f.Name,
								len(sel))
						}
					}
					hasDict := got.Codes != nil
					switch {
					case f.Name == "S" && !hasDict:
						t.Errorf("group %d column S: no dictionary", g)
					case f.Name == "U" && hasDict != tc.dictU:
						t.Errorf("group %d column U: dictionary %v, expected %v", g,
							hasDict, tc.dictU)
					case f.Type != types.String && (hasDict || got.Dict != nil):
						t.Errorf("group %d column %s: a dictionary", g, f.Name)
					}
				}
				// The record keys: fixed-length byte arrays read as strings.
				leaf := pf.leaf(keyColumn)
				got, err := pf.readColumn(g, leaf, types.String, groupRows)
				if err != nil {
					t.Fatal(err)
				}
				if d := sameVector(got, pf.readColumnByValue(t, g, leaf, types.String,
					groupRows), false); d != "" {
					t.Errorf("group %d keys: %s", g, d)
				}
				if k := fmt.Sprintf("key%013d", g*groupRows+7); got.Str[7] != k {
					t.Errorf("group %d key 7: %q, expected %q", g, got.Str[7], k)
				}
			}
		})
	}
}

func TestReadColumnDynamicValuesMatchWhatWasWritten(t *testing.T) {
	b := allTypesBatch(t, 100)
	path := filepath.Join(t.TempDir(), "t.parquet")
	writeTestParquet(t, path, b)
	pf, err := openParquet(path)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	j := allTypes.Index("Y")
	got, err := pf.readColumn(0, pf.leaf("Y"), types.Dynamic, 100)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		w, g := b.Cols[j].Value(i), got.Value(i)
		if string(types.AppendJSON(nil, w)) != string(types.AppendJSON(nil, g)) ||
			got.IsNull(i) != b.Cols[j].IsNull(i) {
			t.Errorf("row %d: %v, expected %v", i, g, w)
		}
	}
}

// selections returns sets of rows of n to read: none, one, runs, every
// third row, all but the first and last.
func selections(n int) [][]int {
	var third, runs []int
	for i := 0; i < n; i++ {
		if i%3 == 1 {
			third = append(third, i)
		}
		if i%200 < 20 {
			runs = append(runs, i)
		}
	}
	return [][]int{{}, {n / 2}, runs, third, rowRange(1, n-1)}
}

func rowRange(lo, hi int) []int {
	idx := make([]int, hi-lo)
	for i := range idx {
		idx[i] = lo + i
	}
	return idx
}

// seqRows reads table in file and row-group order on one goroutine, as the
// store read before decoding in parallel: the reference for order.
func seqRows(t *testing.T, snap *Snapshot, table string, cols []string) []string {
	t.Helper()
	st := snap.m.Tables[table]
	var out []string
	for _, f := range st.Files {
		pf, err := openParquet(filepath.Join(snap.dir, filepath.FromSlash(f.Path)))
		if err != nil {
			t.Fatal(err)
		}
		for g, rg := range pf.pf.RowGroups() {
			n := int(rg.NumRows())
			b := &column.Batch{N: n}
			for _, c := range cols {
				typ := st.schema()[st.schema().Index(c)].Type
				v, err := pf.readColumn(g, pf.leaf(c), typ, n)
				if err != nil {
					t.Fatal(err)
				}
				b.Cols = append(b.Cols, v)
			}
			out = append(out, batchRows(b)...)
		}
		pf.Close()
	}
	return out
}

func batchRows(b *column.Batch) []string {
	out := make([]string, b.N)
	for i := range out {
		var sb strings.Builder
		for _, v := range b.Cols {
			if x := v.Value(i); x == nil {
				sb.WriteString("<null>|")
			} else {
				sb.WriteString(types.Format(x) + "|")
			}
		}
		out[i] = sb.String()
	}
	return out
}

// openFiles returns how many files the process has open, or -1.
func openFiles() int {
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(fds)
}

// smallGroupStore ingests generated DeviceNetworkEvents rows over three
// days into a store of row groups of groupRows rows.
func smallGroupStore(t *testing.T, rows, groupRows int) *Snapshot {
	t.Helper()
	defer func(n int) { rowGroupRows = n }(rowGroupRows)
	rowGroupRows = groupRows
	src := t.TempDir()
	generate(t, src, "--devices", "20", "--rows", fmt.Sprint(rows), "--span", "72h",
		"--tables", "DeviceNetworkEvents")
	dir := t.TempDir()
	ingestAll(t, dir, src)
	snap, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.m.Tables["DeviceNetworkEvents"].Files) < 2 {
		t.Fatal("expected a file per day")
	}
	return snap
}

func TestParallelReadKeepsOrder(t *testing.T) {
	snap := smallGroupStore(t, 6000, 300)
	cols := []string{"Timestamp", "DeviceName", "ActionType", "RemoteUrl", "RemotePort",
		"LocalIP"}
	want := seqRows(t, snap, "DeviceNetworkEvents", cols)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 2, 4, 8} {
		runtime.GOMAXPROCS(procs)
		fds := openFiles()
		var got []string
		err := snap.Read(context.Background(), "DeviceNetworkEvents", cols,
			func(b *column.Batch) error {
				if b.N > column.BatchSize {
					t.Errorf("batch of %d rows", b.N)
				}
				got = append(got, batchRows(b)...)
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("GOMAXPROCS %d: %d rows not in file and row-group order (%d expected)",
				procs, len(got), len(want))
		}
		if after := openFiles(); after != fds {
			t.Errorf("GOMAXPROCS %d: %d files open after the read, %d before", procs, after,
				fds)
		}
	}
}

func TestParallelReadStopsEarly(t *testing.T) {
	snap := smallGroupStore(t, 6000, 300)
	cols := []string{"Timestamp", "DeviceName"}
	want := seqRows(t, snap, "DeviceNetworkEvents", cols)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(4)
	for _, stop := range []int{1, 3, 7} {
		fds := openFiles()
		// fn fails at batch stop.
		var got []string
		calls := 0
		err := snap.Read(context.Background(), "DeviceNetworkEvents", cols,
			func(b *column.Batch) error {
				if calls++; calls == stop {
					return errStopTest
				}
				got = append(got, batchRows(b)...)
				return nil
			})
		if !errors.Is(err, errStopTest) || calls != stop {
			t.Errorf("stop at %d: %v after %d batches, expected %v", stop, err, calls,
				errStopTest)
		}
		if !slices.Equal(got, want[:len(got)]) {
			t.Errorf("stop at %d: rows before the stop differ", stop)
		}
		// The context is cancelled at batch stop.
		ctx, cancel := context.WithCancel(context.Background())
		calls = 0
		err = snap.Read(ctx, "DeviceNetworkEvents", cols, func(b *column.Batch) error {
			if calls++; calls == stop {
				cancel()
			}
			return nil
		})
		cancel()
		if !errors.Is(err, context.Canceled) || calls != stop {
			t.Errorf("cancel at %d: %v after %d batches, expected %v", stop, err, calls,
				context.Canceled)
		}
		if after := openFiles(); after != fds {
			t.Errorf("stop at %d: %d files open after the read, %d before", stop, after, fds)
		}
	}
}

func TestReadReportsADamagedFileAfterTheRowsBeforeIt(t *testing.T) {
	snap := smallGroupStore(t, 3000, 300)
	files := snap.m.Tables["DeviceNetworkEvents"].Files
	damaged := filepath.Join(snap.dir, filepath.FromSlash(files[1].Path))
	cols := []string{"Timestamp", "DeviceName"}
	for _, tc := range []struct {
		name   string
		damage func(data []byte) []byte
	}{
		{"truncated", func(data []byte) []byte { return data[:len(data)/2] }},
		// The page data of the first column chunks: zstd fails to decode.
		{"scrambled", func(data []byte) []byte {
			for i := 4; i < len(data)/2; i++ {
				data[i] ^= 0x5a
			}
			return data
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := os.ReadFile(damaged)
			if err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(damaged, data, 0o644)
			if err := os.WriteFile(damaged, tc.damage(append([]byte(nil), data...)),
				0o644); err != nil {
				t.Fatal(err)
			}
			rows := 0
			err = snap.Read(context.Background(), "DeviceNetworkEvents", cols,
				func(b *column.Batch) error { rows += b.N; return nil })
			if err == nil || !strings.Contains(err.Error(), files[1].Path[strings.LastIndex(
				files[1].Path, "/")+1:]) {
				t.Errorf("error %v: expected one naming %s", err, files[1].Path)
			}
			if rows < int(files[0].Rows) {
				t.Errorf("%d rows before the error, expected at least the %d of the first file",
					rows, files[0].Rows)
			}
		})
	}
}

func TestStoreReadKeepsOneDictionaryPerRowGroup(t *testing.T) {
	snap := smallGroupStore(t, 30000, 10000)
	cols := []string{"ActionType", "DeviceName", "RemoteUrl", "DeviceId"}
	dicts := make([]map[*string]bool, len(cols))
	for i := range dicts {
		dicts[i] = map[*string]bool{}
	}
	batches := 0
	err := snap.Read(context.Background(), "DeviceNetworkEvents", cols,
		func(b *column.Batch) error {
			batches++
			for i, v := range b.Cols {
				if v.Codes == nil || len(v.Dict) == 0 {
					t.Fatalf("%s: no dictionary", cols[i])
				}
				if d := checkDict(v); d != "" {
					t.Fatalf("%s: %s", cols[i], d)
				}
				dicts[i][&v.Dict[0]] = true
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	groups := int(snap.Stats().RowGroups.Load())
	if batches <= groups {
		t.Fatalf("%d batches from %d row groups: expected several batches per row group",
			batches, groups)
	}
	for i, c := range cols {
		if len(dicts[i]) != groups {
			t.Errorf("%s: %d dictionaries over %d row groups", c, len(dicts[i]), groups)
		}
	}
}

func TestBoundedReadDropsTheRowsThatFailBounds(t *testing.T) {
	snap := smallGroupStore(t, 6000, 300)
	cols := []string{"Timestamp", "ActionType", "RemoteUrl", "DeviceName", "RemotePort"}
	type row struct {
		ts     types.Date
		action string
		url    string
		port   int64
		null   bool // RemotePort is null
		line   string
	}
	var all []row
	err := snap.Read(context.Background(), "DeviceNetworkEvents", cols,
		func(b *column.Batch) error {
			for i, line := range batchRows(b) {
				all = append(all, row{types.Date(b.Cols[0].Int[i]), b.Cols[1].Str[i],
					b.Cols[2].Str[i], b.Cols[4].Int[i], b.Cols[4].IsNull(i), line})
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	mid := all[len(all)/2].ts
	hour := types.Date(time.Hour / 100)
	for _, tc := range []struct {
		name   string
		bounds []plan.Bound
		pass   func(r row) bool
	}{
		{"one-value", []plan.Bound{{Column: "ActionType", Values: []string{"ConnectionFailed"}}},
			func(r row) bool { return r.action == "ConnectionFailed" }},
		{"values-and-range", []plan.Bound{
			{Column: "ActionType", Values: []string{"ConnectionFailed", "ConnectionAttempt"}},
			{Column: "Timestamp", Lo: mid - 5*hour, Hi: mid + hour, LoIncl: true},
		}, func(r row) bool {
			return (r.action == "ConnectionFailed" || r.action == "ConnectionAttempt") &&
				r.ts >= mid-5*hour && r.ts < mid+hour
		}},
		{"exact-time", []plan.Bound{{Column: "Timestamp", Lo: mid, Hi: mid, LoIncl: true,
			HiIncl: true}}, func(r row) bool { return r.ts == mid }},
		{"after", []plan.Bound{{Column: "Timestamp", Lo: mid}},
			func(r row) bool { return r.ts > mid }},
		{"empty-string", []plan.Bound{{Column: "RemoteUrl", Values: []string{""}}},
			func(r row) bool { return r.url == "" }},
		{"no-value", []plan.Bound{{Column: "ActionType", Values: []string{"Nope"}}},
			func(r row) bool { return false }},
		{"port", []plan.Bound{{Column: "RemotePort", Lo: int64(443), Hi: int64(443),
			LoIncl: true, HiIncl: true}}, func(r row) bool { return !r.null && r.port == 443 }},
		{"port-range", []plan.Bound{{Column: "RemotePort", Lo: int64(1024), Hi: int64(50000),
			LoIncl: true}}, func(r row) bool {
			return !r.null && r.port >= 1024 && r.port < 50000
		}},
		{"two-on-one-column", []plan.Bound{
			{Column: "ActionType", Values: []string{"ConnectionFailed", "ConnectionSuccess"}},
			{Column: "ActionType", Values: []string{"ConnectionSuccess"}},
		}, func(r row) bool { return r.action == "ConnectionSuccess" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want []string
			for _, r := range all {
				if tc.pass(r) {
					want = append(want, r.line)
				}
			}
			if len(want) == 0 && tc.name != "no-value" {
				t.Fatal("no row passes: expected some in the generated rows")
			}
			var got []string
			err := snap.ReadBounded(context.Background(), "DeviceNetworkEvents", cols,
				tc.bounds, func(b *column.Batch) error {
					got = append(got, batchRows(b)...)
					return nil
				})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%d rows, expected %d", len(got), len(want))
			}
		})
	}
	// A bound on a column not read drops no row of the row groups read.
	st := snap.Stats()
	dropped := st.RowsDropped.Load()
	n := 0
	err = snap.ReadBounded(context.Background(), "DeviceNetworkEvents", []string{"Timestamp"},
		[]plan.Bound{{Column: "ActionType", Values: []string{"ConnectionFailed"}}},
		func(b *column.Batch) error { n += b.N; return nil })
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for _, r := range all {
		if r.action == "ConnectionFailed" {
			failed++
		}
	}
	if st.RowsDropped.Load() != dropped || n <= failed {
		t.Errorf("%d rows read (%d ConnectionFailed), %d dropped: expected whole row groups",
			n, failed, st.RowsDropped.Load()-dropped)
	}
}
