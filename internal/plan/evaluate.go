package plan

import "github.com/huntql/huntql/internal/column"

// Evaluate calls the evaluate plugin (or data-backed built-in function)
// named Plugin on the rows of Input. The executor looks the plugin up by
// name, so the node stays translatable.
//
// When Open is set the plugin's output columns depend on the data (as for
// bag_unpack and pivot): Out lists the columns known before running, and
// the executor reports the actual columns of the result.
type Evaluate struct {
	Input  Node // nil for a plugin that starts a query
	Plugin string
	Args   []PluginArg
	Out    column.Schema
	Open   bool
}

// PluginArg is one argument of a plugin call: a scalar expression over the
// input rows, an aggregate (as pivot's), a table, or a bare name that is no
// input column (Ident, as ipv4_lookup's column of its lookup table);
// exactly one is set. Name is set for name=value arguments.
type PluginArg struct {
	Name  string
	Expr  Expr
	Agg   *AggCall
	Table Node
	Ident string
}

// Schema returns the known output columns.
func (n *Evaluate) Schema() column.Schema { return n.Out }

// Inputs returns Input (when set) followed by the tabular arguments.
func (n *Evaluate) Inputs() []Node {
	var out []Node
	if n.Input != nil {
		out = append(out, n.Input)
	}
	for _, a := range n.Args {
		if a.Table != nil {
			out = append(out, a.Table)
		}
	}
	return out
}
