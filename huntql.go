// Package huntql runs Kusto Query Language (KQL) hunting queries over exported
// Microsoft Defender XDR and Sentinel telemetry, with Kusto's semantics.
//
// A typical use:
//
//	eng, err := huntql.New(huntql.Options{Data: []string{"exports/"}})
//	res, err := eng.Query(ctx, "<query>", "DeviceNetworkEvents | take 10")
//
// A query flows through four stages: package syntax parses it, package
// sema binds names and types into a logical plan (package plan), and
// package exec runs the plan over columnar batches read by package source.
package huntql

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/exec"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/schema"
	"github.com/huntql/huntql/internal/sema"
	"github.com/huntql/huntql/internal/source"
	"github.com/huntql/huntql/internal/store"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// Options configure an Engine.
type Options struct {
	// Data lists files and directories (searched recursively) of telemetry.
	Data []string
	// Store is a directory holding a store made by huntql ingest (see
	// package internal/store); queries read its tables. It is used
	// instead of Data: giving both is an error.
	Store string
	// Now pins now() and ago(); the zero value means the wall clock at each query's start.
	Now time.Time
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
	// MaxMemory, when positive, stops a query whose process's Go heap grows
	// past this many bytes with a *MemoryLimitError (ErrMemoryLimit) instead
	// of letting the operating system kill the process. While such a query
	// runs, the garbage collector's soft limit is set to it, and queries with
	// a limit run one at a time.
	MaxMemory int64
}

// Column is a result column: its name and Kusto type.
type Column struct {
	Name string
	Type types.Type
}

// Result is a query's result. Rows hold Go values as described in package
// types, nil for null. Columns and Rows are the primary result table: the
// last tabular statement's (its first table after fork or facet). Tables
// holds every table: one per tabular statement, as Kusto returns them
// (named Table_0, Table_1, ... when there are several), and one per branch
// of fork and facet.
type Result struct {
	Columns []Column
	Rows    [][]any
	// Warnings say where the result is an approximation, such as a
	// Defender enrichment function answered from the loaded data only.
	Warnings []string
	Tables   []Table
	// Render is the chart a render operator asks for; nil without one. It
	// does not change the rows.
	Render *Render
}

// Table is one named result table.
type Table struct {
	Name    string // PrimaryResult for a query's only table
	Columns []Column
	Rows    [][]any
}

// Render is a render operator's visualization and its with (...)
// properties, in the order written.
type Render struct {
	Kind       string
	Properties []RenderProperty
}

// RenderProperty is one render property, its value as written.
type RenderProperty struct {
	Name, Value string
}

// String renders r as "timechart (title=..., ycolumns=A, B)".
func (r *Render) String() string {
	s := r.Kind
	if len(r.Properties) > 0 {
		parts := make([]string, len(r.Properties))
		for i, p := range r.Properties {
			parts[i] = p.Name + "=" + p.Value
		}
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
}

// dataSet is where tables come from: telemetry files or a store.
type dataSet interface {
	Tables() []string
	Schema(table string) column.Schema
	Read(ctx context.Context, table string, cols []string, fn func(*column.Batch) error) error
}

// Engine runs queries over a fixed set of data.
type Engine struct {
	opts  Options
	data  dataSet
	store *store.Snapshot // when the data is a store
}

// New returns an Engine over opts.Data. It finds the tables in the data
// without reading whole files; a file it cannot identify is an error.
func New(opts Options) (*Engine, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	e := &Engine{opts: opts}
	if opts.Store != "" {
		if len(opts.Data) > 0 {
			return nil, errors.New("give either data files or a store, not both")
		}
		snap, err := store.Open(opts.Store)
		if err != nil {
			return nil, err
		}
		e.data, e.store = snap, snap
		return e, nil
	}
	if len(opts.Data) > 0 {
		set, err := source.Scan(opts.Data)
		if err != nil {
			return nil, err
		}
		e.data = set
	}
	return e, nil
}

// ErrQuery marks errors in the query itself (syntax, names, types), as
// opposed to errors in the data or the environment. Such errors are a
// *QueryError, which holds the positioned diagnostics.
var ErrQuery = errors.New("query error")

// QueryError is a query that failed to parse or type-check.
type QueryError struct {
	Source *syntax.Source
	Errors syntax.ErrorList
}

func (e *QueryError) Error() string { return e.Source.FormatAll(e.Errors) }

// Is makes errors.Is(err, ErrQuery) true.
func (e *QueryError) Is(target error) bool { return target == ErrQuery }

// Diagnostics returns the errors with line and column numbers.
func (e *QueryError) Diagnostics() []syntax.Diagnostic {
	out := make([]syntax.Diagnostic, len(e.Errors))
	for i, x := range e.Errors {
		out[i] = e.Source.Resolve(x)
	}
	return out
}

// catalog answers sema's table lookups: the schema found in the data when
// the data has the table, else the built-in definition (with no rows).
type catalog struct{ data dataSet }

func (c catalog) Table(name string) (column.Schema, bool) {
	if c.data != nil {
		if s := c.data.Schema(name); s != nil {
			return s, true
		}
	}
	return schema.Lookup(name)
}

// DataTables lists the tables that the data set holds.
func (c catalog) DataTables() []string {
	if c.data == nil {
		return nil
	}
	return c.data.Tables()
}

func (c catalog) Tables() []string {
	names := schema.Tables()
	if c.data != nil {
		for _, t := range c.data.Tables() {
			if !schema.IsWatchlistTable(t) {
				names = append(names, t)
			}
		}
	}
	return names
}

// Tables returns the names of the tables queries can name: the built-in
// Defender and Sentinel tables and the tables found in the data, sorted.
func (e *Engine) Tables() []string {
	names := catalog{e.data}.Tables()
	slices.Sort(names)
	return slices.Compact(names)
}

// DataTables returns the names of the tables found in the data, sorted.
func (e *Engine) DataTables() []string {
	if e.data == nil {
		return nil
	}
	names := e.data.Tables()
	slices.Sort(names)
	return names
}

// Table returns the columns of the table named name: as found in the data
// when the data has the table, else as built in.
func (e *Engine) Table(name string) ([]Column, bool) {
	s, ok := catalog{e.data}.Table(name)
	if !ok {
		return nil, false
	}
	out := make([]Column, len(s))
	for i, f := range s {
		out[i] = Column{Name: f.Name, Type: f.Type}
	}
	return out, true
}

// dataSource reads tables from the data set, which is nil when no data was
// given; a built-in table the data lacks has no rows, and warn says so, since
// an empty answer that comes from missing data is easy to misread.
type dataSource struct {
	set  dataSet
	warn func(string)
}

// ReadBounded reads from a store skipping what bounds rule out, and from
// files as Read does.
func (d dataSource) ReadBounded(ctx context.Context, table string, cols []string,
	bounds []plan.Bound, fn func(*column.Batch) error,
) error {
	if snap, ok := d.set.(*store.Snapshot); ok && snap.Schema(table) != nil {
		return snap.ReadBounded(ctx, table, cols, bounds, fn)
	}
	return d.Read(ctx, table, cols, fn)
}

// Split splits a store's table into its row groups, which exec's workers
// decode and run their operators over; tables read from files are not
// split (their readers parse in parallel chunks themselves).
func (d dataSource) Split(_ context.Context, table string, cols []string, codes []bool,
	bounds []plan.Bound,
) ([]exec.Part, bool, error) {
	snap, ok := d.set.(*store.Snapshot)
	if !ok || snap.Schema(table) == nil {
		return nil, false, nil
	}
	groups, err := snap.Split(table, cols, codes, bounds)
	if err != nil {
		return nil, true, err
	}
	parts := make([]exec.Part, len(groups))
	for i, g := range groups {
		parts[i] = exec.Part(g)
	}
	return parts, true, nil
}

func (d dataSource) Read(ctx context.Context, table string, cols []string,
	fn func(*column.Batch) error,
) error {
	if d.set == nil {
		d.warn("no data was given, so table " + table + " is empty")
		return nil
	}
	if d.set.Schema(table) == nil {
		d.warn(missingTable + table)
		return nil
	}
	return d.set.Read(ctx, table, cols, fn)
}

// missingTable starts the warning dataSource gives for a table without rows.
const missingTable = "the data holds no rows of table "

// foldMissingTables returns warnings with the warnings about tables the
// data lacks folded into one when there are more than a few: union * over
// a folder of exports names every table of the schema, nearly a thousand.
func foldMissingTables(warnings []string) []string {
	var tables []string
	for _, w := range warnings {
		if t, ok := strings.CutPrefix(w, missingTable); ok {
			tables = append(tables, t)
		}
	}
	const few = 5
	if len(tables) <= few {
		return warnings
	}
	out := make([]string, 0, len(warnings)-len(tables)+1)
	for _, w := range warnings {
		if !strings.HasPrefix(w, missingTable) {
			out = append(out, w)
			continue
		}
		if len(tables) > 0 {
			out = append(out, fmt.Sprintf("the data holds no rows of tables %s and %d more",
				strings.Join(tables[:few], ", "), len(tables)-few))
			tables = nil
		}
	}
	return out
}

// StoreStats counts what queries over a store read and skipped.
type StoreStats struct {
	Files, FilesSkipped, RowGroups, RowGroupsSkipped, Rows int64
	// RowsDropped counts rows of the row groups read that the query's
	// bounds ruled out before any operator saw them.
	RowsDropped int64
}

// StoreStats returns the counts of the queries run so far over the store;
// ok is false when the engine reads files, not a store.
func (e *Engine) StoreStats() (s StoreStats, ok bool) {
	if e.store == nil {
		return s, false
	}
	st := e.store.Stats()
	return StoreStats{Files: st.Files.Load(), FilesSkipped: st.FilesSkipped.Load(),
		RowGroups: st.RowGroups.Load(), RowGroupsSkipped: st.RowGroupsSkipped.Load(),
		Rows: st.Rows.Load(), RowsDropped: st.RowsDropped.Load()}, true
}

// Compiled is a parsed and type-checked query.
type Compiled struct {
	Source *syntax.Source
	plan   plan.Node
	// all holds every tabular statement's result, in order, when the query
	// has several (Kusto returns one table per statement); nil otherwise.
	all    *plan.Tables
	render *sema.Render
	// warnings are the analysis' warnings, reported with every run.
	warnings []string
}

// Columns returns the result columns the query yields.
func (c *Compiled) Columns() []Column {
	s := c.plan.Schema()
	out := make([]Column, len(s))
	for i, f := range s {
		out[i] = Column{Name: f.Name, Type: f.Type}
	}
	return out
}

// Compile parses and type-checks text, named name in diagnostics.
func (e *Engine) Compile(name, text string) (*Compiled, error) {
	src := syntax.NewSource(name, text)
	script, err := syntax.Parse(src)
	if err != nil {
		return nil, queryError(src, err)
	}
	q, err := sema.Analyze(script, catalog{e.data})
	if err != nil && len(q.Open) > 0 && namesUnknownColumn(err) {
		q, err = e.probeOpen(script, q, err)
	}
	if err != nil {
		return nil, queryError(src, err)
	}
	c := &Compiled{Source: src, plan: plan.Prune(q.Result()), render: q.Render,
		warnings: q.Warnings}
	if len(q.Results) > 1 {
		c.all = &plan.Tables{}
		for i, n := range q.Results {
			if i < len(q.Results)-1 {
				plan.Prune(n)
			}
			if t, ok := n.(*plan.Tables); ok {
				c.all.Names = append(c.all.Names, t.Names...)
				c.all.Ins = append(c.all.Ins, t.Ins...)
				continue
			}
			c.all.Names = append(c.all.Names, fmt.Sprintf("Table_%d", i))
			c.all.Ins = append(c.all.Ins, n)
		}
	}
	return c, nil
}

// maxProbeRounds bounds the re-analyses after probing plugins whose
// columns depend on the data (each round may uncover another such plugin).
const maxProbeRounds = 4

// probeOpen handles a query that names columns a plugin such as bag_unpack
// or pivot only knows at run time, as Kusto resolves them when it runs the
// query: it runs each such plugin (and its input) to learn its columns,
// then analyzes again with them. It returns the first analysis's error
// when probing does not help.
func (e *Engine) probeOpen(script *syntax.Script, q *sema.Query, err error,
) (*sema.Query, error) {
	first := err
	cols := map[*syntax.EvaluateOp]column.Schema{}
	for round := 0; round < maxProbeRounds && err != nil; round++ {
		learned := false
		for _, o := range q.Open {
			if _, done := cols[o.Op]; done {
				continue
			}
			tab, perr := exec.Run(context.Background(), plan.Prune(o.Plan), e.execOptions(nil))
			if perr != nil {
				continue
			}
			cols[o.Op] = tab.Schema
			learned = true
		}
		if !learned {
			break
		}
		q, err = sema.AnalyzeWith(script, catalog{e.data}, sema.Options{Columns: cols})
	}
	if err != nil {
		return q, first
	}
	return q, nil
}

// namesUnknownColumn reports whether an analysis error is about a name
// that is no known column.
func namesUnknownColumn(err error) bool {
	var list syntax.ErrorList
	if !errors.As(err, &list) {
		return false
	}
	for _, e := range list {
		if strings.HasPrefix(e.Msg, "unknown column") {
			return true
		}
	}
	return false
}

// execOptions returns the options of a run; warn receives the warnings
// (nil: they are only logged).
func (e *Engine) execOptions(warn func(string)) exec.Options {
	now := e.opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	src := dataSource{e.data, warn}
	if warn == nil {
		src.warn = func(string) {}
	}
	return exec.Options{Context: functions.NewContext(now), Logger: e.opts.Logger, Warn: warn,
		Source: src}
}

func queryError(src *syntax.Source, err error) error {
	var list syntax.ErrorList
	if !errors.As(err, &list) {
		var one *syntax.Error
		if !errors.As(err, &one) {
			return err
		}
		list = syntax.ErrorList{one}
	}
	return &QueryError{Source: src, Errors: list}
}

// SetMaxMemory changes Options.MaxMemory for the queries that start after it.
func (e *Engine) SetMaxMemory(bytes int64) { e.opts.MaxMemory = bytes }

// Run executes a compiled query.
func (e *Engine) Run(ctx context.Context, c *Compiled) (*Result, error) {
	ctx, stop := watchMemory(ctx, e.opts.MaxMemory)
	defer stop()
	res, err := e.run(ctx, c)
	return res, memoryLimitOf(ctx, err)
}

func (e *Engine) run(ctx context.Context, c *Compiled) (*Result, error) {
	warnings := append([]string(nil), c.warnings...)
	var warnMu sync.Mutex // scans of several tables warn from their own goroutines
	opts := e.execOptions(func(msg string) {
		warnMu.Lock()
		defer warnMu.Unlock()
		if !slices.Contains(warnings, msg) {
			warnings = append(warnings, msg)
			e.opts.Logger.Warn(msg)
		}
	})
	var tabs []*column.Table
	names := []string{"PrimaryResult"}
	// The primary table is the last statement's (its first, after fork).
	primary := 0
	if c.all != nil {
		primary = len(c.all.Ins) - 1
		if t, ok := c.plan.(*plan.Tables); ok {
			primary -= len(t.Ins) - 1
		}
		var err error
		if tabs, err = exec.RunTables(ctx, c.all, opts); err != nil {
			return nil, err
		}
		names = c.all.Names
	} else if t, ok := c.plan.(*plan.Tables); ok {
		var err error
		if tabs, err = exec.RunTables(ctx, t, opts); err != nil {
			return nil, err
		}
		names = t.Names
	} else {
		tab, err := exec.Run(ctx, c.plan, opts)
		if err != nil {
			return nil, err
		}
		tabs = []*column.Table{tab}
	}
	warnMu.Lock()
	res := &Result{Warnings: foldMissingTables(warnings)}
	warnMu.Unlock()
	for i, tab := range tabs {
		t := Table{Name: names[i], Columns: columnsOf(tab.Schema)}
		for _, b := range tab.Batches {
			for r := 0; r < b.N; r++ {
				row := make([]any, len(b.Cols))
				for j, v := range b.Cols {
					row[j] = v.Value(r)
				}
				t.Rows = append(t.Rows, row)
			}
		}
		res.Tables = append(res.Tables, t)
	}
	res.Columns, res.Rows = res.Tables[primary].Columns, res.Tables[primary].Rows
	if r := c.render; r != nil {
		res.Render = &Render{Kind: r.Kind}
		for _, p := range r.Props {
			res.Render.Properties = append(res.Render.Properties,
				RenderProperty{Name: p.Name, Value: p.Value})
		}
	}
	return res, nil
}

func columnsOf(s column.Schema) []Column {
	out := make([]Column, len(s))
	for i, f := range s {
		out[i] = Column{Name: f.Name, Type: f.Type}
	}
	return out
}

// Query compiles and runs text, named name in diagnostics.
func (e *Engine) Query(ctx context.Context, name, text string) (*Result, error) {
	c, err := e.Compile(name, text)
	if err != nil {
		return nil, err
	}
	return e.Run(ctx, c)
}

// ErrNotImplemented is kept for callers written while the engine was built;
// the engine no longer returns it.
var ErrNotImplemented = errors.New("huntql: not implemented")

// Schema returns the result columns as a column schema.
func (r *Result) Schema() column.Schema {
	s := make(column.Schema, len(r.Columns))
	for i, c := range r.Columns {
		s[i] = column.Field{Name: c.Name, Type: c.Type}
	}
	return s
}
