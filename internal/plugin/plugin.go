// Package plugin holds the plugins that the evaluate operator calls, such as
// bag_unpack and pivot: how each types its output (Bind, used by semantic
// analysis) and how it runs (Run, used by the executor). It also holds the
// data-backed built-in functions of Defender and Sentinel (DeviceFromIP,
// FileProfile, _GetWatchlist), which run the same way over tables the
// analyzer hands them.
package plugin

import (
	"fmt"
	"sort"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// Plugin is one evaluate plugin.
type Plugin struct {
	Name string
	// Bind checks the arguments and returns the output schema. Errors are
	// for the user; an *ArgError points at one argument.
	Bind func(b *Binding) (*Bound, error)
	// Run computes the output table from the input rows.
	Run func(r *Run) (*Output, error)
	// External marks a plugin that needs a service huntql cannot reach
	// (Python, SQL, HTTP); it is registered only to say so.
	External bool
	// Unsupported, when set, says why huntql does not run this Kusto
	// plugin yet; it is registered only to say so.
	Unsupported string
	// Builtin marks a data-backed function that is called by name rather
	// than through evaluate; Names omits it.
	Builtin bool
	// Reads lists the tables a built-in reads; semantic analysis appends
	// each as a tabular argument named "$" + Table.
	Reads []TableRead
}

// Arg is one argument of a plugin call as the bind step sees it.
type Arg struct {
	Name  string     // the name of a name=value argument; "" if positional
	Type  types.Type // the scalar type; Unknown for a table
	Value any        // the constant value, when Known
	Const bool       // the argument reads no input column (constant for the call)
	Known bool       // Value is known: always at run time, for literals at bind time
	Col   int        // the input column a plain column reference reads; -1 otherwise
	Agg   string     // the aggregate's name, for an aggregate call; Type is its result
	// AggCol is the input column an aggregate's first argument reads, or -1.
	AggCol int
	Table  column.Schema // the schema of a tabular argument; nil for a scalar
	// Unbound is a bare name that names no input column (nor anything else
	// in scope), for plugins whose arguments name columns of another table.
	Unbound string
}

// IsTable reports whether the argument is a table.
func (a *Arg) IsTable() bool { return a.Table != nil }

// Binding is what the bind step receives.
type Binding struct {
	Input  column.Schema // the input columns; nil when the plugin starts the query
	Args   []Arg
	Schema *OutSchema // the output schema written after ':', or nil
}

// OutSchema is an output schema written after the call: (*, Name: type, ...).
type OutSchema struct {
	Star bool // * keeps the input columns that the plugin keeps
	Cols column.Schema
}

// Bound is the result of binding a call.
type Bound struct {
	Out  column.Schema
	Open bool // the output columns depend on the data; Out lists the known ones
}

// ArgError is a bind error about argument Arg (-1 for the call as a whole).
type ArgError struct {
	Arg int
	Msg string
}

func (e *ArgError) Error() string { return e.Msg }

// argErrorf returns an ArgError about argument i.
func argErrorf(i int, format string, args ...any) error {
	return &ArgError{Arg: i, Msg: fmt.Sprintf(format, args...)}
}

// Run is what the run step receives.
type Run struct {
	Binding *Binding // the arguments as the bind step saw them
	Input   *Table   // nil when the plugin starts the query
	Args    []Value
	Bound   *Bound
	// Warn reports that the result is approximate (never nil).
	Warn func(msg string)
}

// Value is a run-time argument: a column of values, one per input row, a
// constant, or a table.
type Value struct {
	Col   *column.Vector // per input row, for a non-constant scalar argument
	Const any
	Table *Table
	// Agg is an aggregate argument: AggArgs holds its arguments per input row.
	Agg     *functions.Aggregate
	AggArgs []*column.Vector
}

// At returns the argument's value at input row i.
func (v *Value) At(i int) any {
	if v.Col != nil {
		return v.Col.Value(i)
	}
	return v.Const
}

// Table is a materialized table: its schema and all its rows in one batch.
type Table struct {
	Schema column.Schema
	Rows   *column.Batch
}

// Output is a plugin's result.
type Output = Table

// N returns the number of rows of t.
func (t *Table) N() int {
	if t == nil || t.Rows == nil {
		return 0
	}
	return t.Rows.N
}

var registry = map[string]*Plugin{}

// Register adds p to the registry.
func Register(p *Plugin) { registry[p.Name] = p }

// Lookup returns the plugin named name.
func Lookup(name string) (*Plugin, bool) {
	p, ok := registry[name]
	return p, ok
}

// Names returns the names of the evaluate plugins huntql runs, sorted. It
// omits the plugins that need an external service and the built-in
// functions.
func Names() []string {
	out := make([]string, 0, len(registry))
	for k, p := range registry {
		if !p.External && !p.Builtin && p.Unsupported == "" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// ErrExternal is the message for plugins that need an external service.
const ErrExternal = "not available in huntql: needs an external service"

func init() {
	for _, name := range []string{
		"http_request", "http_request_post", "sql_request", "mysql_request",
		"postgresql_request", "cosmosdb_sql_request", "azure_digital_twins_query_request",
		"python", "r", "ai_embeddings", "ai_chat_completion", "ai_chat_completion_prompt",
		"execute_show_command", "execute_query", "execute_script", "csharp",
		"external_datatable", "infer_storage_schema", "infer_storage_schema_with_suggestions",
		"estimate_rows_count",
	} {
		Register(&Plugin{Name: name, External: true})
	}
	for name, why := range map[string]string{
		"diffpatterns_text":  "its pattern mining is not implemented",
		"geo_line_lookup":    "geospatial lookups are not implemented",
		"geo_polygon_lookup": "geospatial lookups are not implemented",
		"identity":           "it is not implemented",
		"identity_v3":        "it is not implemented",
	} {
		Register(&Plugin{Name: name, Unsupported: why})
	}
}

// NewBinding describes the bound arguments args of a call over input rows
// in (nil when the plugin starts the query), as both the bind and the run
// step see them.
func NewBinding(in column.Schema, args []plan.PluginArg, out *OutSchema) *Binding {
	b := &Binding{Input: in, Schema: out}
	for _, a := range args {
		arg := Arg{Name: a.Name, Col: -1, AggCol: -1}
		switch {
		case a.Table != nil:
			arg.Table = a.Table.Schema()
			if arg.Table == nil {
				arg.Table = column.Schema{}
			}
		case a.Ident != "":
			arg.Unbound = a.Ident
		case a.Agg != nil:
			arg.Agg, arg.Type = a.Agg.Name, a.Agg.Out[0].Type
			if len(a.Agg.Args) > 0 {
				if c, ok := a.Agg.Args[0].(*plan.ColRef); ok {
					arg.AggCol = c.Index
				}
			}
		default:
			arg.Type = a.Expr.Type()
			arg.Const = isConstExpr(a.Expr)
			switch e := a.Expr.(type) {
			case *plan.Const:
				arg.Value, arg.Known = e.Value, true
			case *plan.ColRef:
				arg.Col = e.Index
			}
		}
		b.Args = append(b.Args, arg)
	}
	return b
}

// isConstExpr reports whether e reads no input column and is not volatile.
func isConstExpr(e plan.Expr) bool {
	switch e := e.(type) {
	case *plan.Const, *plan.Scalar:
		return true
	case *plan.ColRef:
		return false
	case *plan.Call:
		if e.Fn != nil && e.Fn.Volatile {
			return false
		}
		for _, a := range e.Args {
			if !isConstExpr(a) {
				return false
			}
		}
		return true
	case *plan.Binary:
		return isConstExpr(e.L) && isConstExpr(e.R)
	case *plan.Neg:
		return isConstExpr(e.X)
	case *plan.Member:
		return isConstExpr(e.X)
	case *plan.Index:
		return isConstExpr(e.X) && isConstExpr(e.Idx)
	case *plan.Between:
		return isConstExpr(e.X) && isConstExpr(e.Lo) && isConstExpr(e.Hi)
	}
	return false
}
