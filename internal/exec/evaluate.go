package exec

import (
	"fmt"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/plugin"
)

// evaluateOp runs a plugin: it materializes the input and the tabular
// arguments, evaluates the scalar arguments over the input rows, and
// yields the plugin's output.
type evaluateOp struct {
	lazyOp
	schema column.Schema // the actual output columns, once run
}

func (r *runner) evaluate(n *plan.Evaluate, children []operator) (operator, error) {
	p, ok := plugin.Lookup(n.Plugin)
	if !ok || p.Run == nil {
		return nil, fmt.Errorf("%w: no plugin %s", ErrInternal, n.Plugin)
	}
	var in operator
	rest := children
	if n.Input != nil {
		in, rest = children[0], children[1:]
	}
	type argc struct {
		expr *compiled
		agg  []*compiled
	}
	args := make([]argc, len(n.Args))
	for i, a := range n.Args {
		var err error
		switch {
		case a.Expr != nil:
			args[i].expr, err = r.compile(a.Expr)
		case a.Agg != nil:
			for _, x := range a.Agg.Args {
				c, cerr := r.compile(x)
				if cerr != nil {
					err = cerr
					break
				}
				args[i].agg = append(args[i].agg, c)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	op := &evaluateOp{schema: n.Out}
	op.in = closeAll(children)
	op.run = func() ([]*column.Batch, error) {
		var inSchema column.Schema
		if n.Input != nil {
			inSchema = n.Input.Schema()
		}
		run := &plugin.Run{Args: make([]plugin.Value, len(n.Args)),
			Binding: plugin.NewBinding(inSchema, n.Args, nil),
			Bound:   &plugin.Bound{Out: n.Out, Open: n.Open}, Warn: r.warn}
		var rows *column.Batch
		if in != nil {
			bs, err := drain(in)
			if err != nil {
				return nil, err
			}
			rows = concat(bs)
			if rows == nil {
				rows = column.NewBatch(n.Input.Schema(), 0)
			}
			run.Input = &plugin.Table{Schema: n.Input.Schema(), Rows: rows}
		}
		tab := 0
		for i, a := range n.Args {
			v := &run.Args[i]
			switch {
			case a.Table != nil:
				bs, err := drain(rest[tab])
				if err != nil {
					return nil, err
				}
				tab++
				b := concat(bs)
				if b == nil {
					b = column.NewBatch(a.Table.Schema(), 0)
				}
				v.Table = &plugin.Table{Schema: a.Table.Schema(), Rows: b}
			case a.Agg != nil:
				v.Agg, _ = functions.LookupAggregate(a.Agg.Name)
				for _, c := range args[i].agg {
					v.AggArgs = append(v.AggArgs, evalOver(c, rows))
				}
			case a.Ident != "":
				// Only the bind step reads a bare name.
			default:
				if run.Binding.Args[i].Const || rows == nil {
					// Evaluate once, over a one-row batch.
					v.Const = args[i].expr.eval(&column.Batch{N: 1}).Value(0)
					run.Binding.Args[i].Value, run.Binding.Args[i].Known = v.Const, true
					continue
				}
				v.Col = args[i].expr.eval(rows)
			}
		}
		// Check again, now that the constants are known.
		if _, err := p.Bind(run.Binding); err != nil {
			return nil, fmt.Errorf("%s(): %w", n.Plugin, err)
		}
		out, err := p.Run(run)
		if err != nil {
			return nil, fmt.Errorf("%s(): %w", n.Plugin, err)
		}
		op.schema = out.Schema
		if out.Rows == nil || out.Rows.N == 0 {
			return nil, nil
		}
		return split(out.Rows), nil
	}
	return op, nil
}

// evalOver evaluates c over rows; a nil batch has no rows.
func evalOver(c *compiled, rows *column.Batch) *column.Vector {
	if rows == nil {
		return column.New(c.t, 0)
	}
	return c.eval(rows)
}

// multiOp closes several operators; it yields nothing itself.
type multiOp []operator

func (m multiOp) next() (*column.Batch, error) { return nil, nil }

func (m multiOp) close() {
	for _, c := range m {
		c.close()
	}
}

func closeAll(ops []operator) operator { return multiOp(ops) }

// actualSchema returns the result columns of running n with root operator
// op: n's schema, unless n passes through the rows of an open Evaluate
// whose output columns were decided by the data.
func (r *runner) actualSchema(n plan.Node) column.Schema {
	for {
		switch x := n.(type) {
		case *plan.Filter:
			n = x.Input
		case *plan.Sort:
			n = x.Input
		case *plan.Top:
			n = x.Input
		case *plan.Limit:
			n = x.Input
		case *plan.Evaluate:
			if op := r.evals[x]; op != nil && x.Open {
				return op.schema
			}
			return x.Out
		default:
			return nil
		}
	}
}
