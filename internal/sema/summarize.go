package sema

import (
	"fmt"
	"strings"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// summarize binds summarize Aggs by Keys. An aggregate item that is an
// expression over aggregates (count() * 2, round(avg(x), 2)) computes its
// aggregates into hidden columns that a Project over the Aggregate combines.
func (a *analyzer) summarize(sc *scope, in plan.Node, op *syntax.SummarizeOp) plan.Node {
	s := in.Schema()
	agg := &plan.Aggregate{Input: in}
	nm := newNamer(nil)

	// Group-by keys come first in the output.
	var keyCols []int // input column of each key that is a plain column, else -1
	for _, it := range op.By {
		x := a.scalar(sc, s, it.Value)
		if x == nil || !a.groupKey(it.Value, x) {
			continue
		}
		name := ""
		if len(it.Names) == 1 {
			name = it.Names[0].Name
		} else if name = keyName(it.Value); name == "" {
			name = nm.column()
		}
		name, ok := nm.declare(name, isExplicit(it))
		if !ok {
			a.errorf(it, "column %s is declared twice in summarize", name)
			continue
		}
		agg.Keys = append(agg.Keys, x)
		agg.Out = append(agg.Out, column.Field{Name: name, Type: x.Type()})
		if c, ok := x.(*plan.ColRef); ok {
			keyCols = append(keyCols, c.Index)
		} else {
			keyCols = append(keyCols, -1)
		}
	}

	// post holds, per output column, its expression over the Aggregate's
	// output; it is needed only when some item is not a bare aggregate.
	var post []plan.Expr
	var postOut column.Schema
	needPost := false
	for i, f := range agg.Out {
		post = append(post, &plan.ColRef{Index: i, Name: f.Name, T: f.Type})
		postOut = append(postOut, f)
	}
	for _, it := range op.Aggs {
		call, direct := unparen(it.Value).(*syntax.CallExpr)
		if direct {
			_, direct = functions.LookupAggregate(call.Fun.Name)
		}
		if direct {
			first := len(agg.Out)
			names := a.aggregate(sc, s, agg, call, it.Names, keyCols, nm)
			for j := first; j < len(agg.Out); j++ {
				f := agg.Out[j]
				post = append(post, &plan.ColRef{Index: j, Name: f.Name, T: f.Type})
				postOut = append(postOut, f)
			}
			_ = names
			continue
		}
		// An expression over aggregates: bind it over a row of hidden columns.
		needPost = true
		x := a.aggExpr(sc, s, agg, it.Value, keyCols)
		if x == nil {
			continue
		}
		if len(it.Names) > 1 {
			a.errorf(it, "only aggregates such as arg_max yield several columns")
			continue
		}
		name := itemName(it, nm)
		post = append(post, x)
		name, ok := nm.declare(name, len(it.Names) == 1)
		if !ok {
			a.errorf(it, "column %s is declared twice in summarize", name)
			continue
		}
		postOut = append(postOut, column.Field{Name: name, Type: x.Type()})
	}
	if !needPost {
		return agg
	}
	return &plan.Project{Input: agg, Exprs: post, Out: postOut}
}

// aggregate binds one aggregate call and appends its outputs to agg,
// named by names (a tuple), or by Kusto's rules when names is empty.
func (a *analyzer) aggregate(sc *scope, s column.Schema, agg *plan.Aggregate,
	call *syntax.CallExpr, names []*syntax.Ident, keyCols []int, nm *namer,
) []string {
	fn, _ := functions.LookupAggregate(call.Fun.Name)
	var args []plan.Expr
	var argTypes []types.Type
	var argNames []string
	star := false
	for i, x := range call.Args {
		if _, isStar := x.(*syntax.StarExpr); isStar {
			if call.Fun.Name == "count" {
				continue // count(*) is count()
			}
			star = true
			// * expands to every input column not already taken.
			for ci, f := range s {
				if isKeyCol(keyCols, ci) || (i > 0 && sameCol(args[0], ci)) {
					continue
				}
				args = append(args, &plan.ColRef{Index: ci, Name: f.Name, T: f.Type})
				argTypes = append(argTypes, f.Type)
				argNames = append(argNames, f.Name)
			}
			continue
		}
		v := a.scalar(sc, s, x)
		if v == nil {
			return nil
		}
		args = append(args, v)
		argTypes = append(argTypes, v.Type())
		argNames = append(argNames, exprName(x))
	}
	if star && len(args) == 0 && isTakeAny(call.Fun.Name) {
		return []string{} // take_any(*) when every column is a group key adds none
	}
	if len(args) < fn.MinArgs || (fn.MaxArgs >= 0 && len(args) > fn.MaxArgs) {
		a.errorf(call, "%s() expects %s, found %d", call.Fun.Name,
			arity(fn.MinArgs, fn.MaxArgs), len(args))
		return nil
	}
	outTypes, err := fn.Result(argTypes)
	if err != nil {
		a.errorf(call, "%s(): %v", call.Fun.Name, err)
		return nil
	}
	// Fewer names than outputs name the first ones; the rest are named
	// by Kusto's rules, as in (Latest) = arg_max(Timestamp, ReportId).
	if len(names) > len(outTypes) {
		a.errorf(call, "%s() yields %d columns, but %d names are given",
			call.Fun.Name, len(outTypes), len(names))
		return nil
	}
	ac := &plan.AggCall{Name: call.Fun.Name, Args: args}
	multi := len(outTypes) > 1 || star
	for j, t := range outTypes {
		var name string
		switch {
		case j < len(names):
			name = names[j].Name
		case percentileName(call, j) != "":
			name = percentileName(call, j)
		case argExtremePrefix[call.Fun.Name] != "":
			name = argExtremeName(call.Fun.Name, argNames, j)
		case multi || isTakeAny(call.Fun.Name):
			if j < len(argNames) {
				name = argNames[j]
			}
			if name == "" {
				name = selectorName(call.Fun.Name, argNames, j)
			}
			if name == "" {
				name = nm.column()
			}
		default:
			if name = aggName(call); name == "" {
				name = nm.column()
			}
		}
		name, ok := nm.declare(name, j < len(names))
		if !ok {
			a.errorf(names[j], "column %s is declared twice in summarize", name)
			return nil
		}
		f := column.Field{Name: name, Type: t}
		ac.Out = append(ac.Out, f)
		agg.Out = append(agg.Out, f)
	}
	agg.Aggs = append(agg.Aggs, ac)
	out := make([]string, len(ac.Out))
	for i, f := range ac.Out {
		out[i] = f.Name
	}
	return out
}

// groupKey reports whether x can be a group key of summarize or distinct:
// Kusto does not group by dynamic values.
func (a *analyzer) groupKey(e syntax.Expr, x plan.Expr) bool {
	if x.Type() == types.Dynamic {
		a.errorf(e, "expected a group key that is not dynamic; "+
			"convert it, as in tostring(%s)", exprText(e))
		return false
	}
	return true
}

// exprText writes an expression in a message: its text when short (d,
// d.a, Props["k"]), else its column name, else "x".
func exprText(e syntax.Expr) string {
	if text := syntax.Print(e); text != "" && len(text) <= 40 && !strings.Contains(text, "\n") {
		return text
	}
	if name := exprName(e); name != "" {
		return name
	}
	return "x"
}

// selectorName names output j of arg_max, arg_min or take_any when its
// argument is no column, as Kusto does: arg_max(x+1, x*2) yields max_ and
// max__arg1, arg_max(x, x*2) yields x and max_x_arg1, take_any(x+1) yields
// any_arg0. It returns "" for other aggregates.
func selectorName(fn string, argNames []string, j int) string {
	var prefix string
	switch fn {
	case "arg_max":
		prefix = "max_"
	case "arg_min":
		prefix = "min_"
	case "take_any":
		return fmt.Sprintf("any_arg%d", j)
	default:
		return ""
	}
	if j == 0 {
		return prefix
	}
	first := ""
	if len(argNames) > 0 {
		first = argNames[0]
	}
	return fmt.Sprintf("%s%s_arg%d", prefix, first, j)
}

func isTakeAny(name string) bool {
	return name == "take_any" || name == "take_anyif"
}

func isKeyCol(keyCols []int, c int) bool {
	for _, k := range keyCols {
		if k == c {
			return true
		}
	}
	return false
}

func sameCol(e plan.Expr, c int) bool {
	r, ok := e.(*plan.ColRef)
	return ok && r.Index == c
}

// aggExpr binds an expression that contains aggregate calls: each call
// becomes a hidden output of agg, and the expression reads those columns.
// Group-by key columns may be referenced by name.
func (a *analyzer) aggExpr(sc *scope, s column.Schema, agg *plan.Aggregate,
	e syntax.Expr, keyCols []int,
) plan.Expr {
	hidden := newNamer(agg.Out)
	var rewrite func(e syntax.Expr) syntax.Expr
	found := false
	// Bound hidden columns are exposed to the expression through a scope
	// whose names map to ColRefs over the aggregate output.
	row := newScope(sc)
	rewrite = func(e syntax.Expr) syntax.Expr {
		switch x := e.(type) {
		case *syntax.CallExpr:
			if _, ok := functions.LookupAggregate(x.Fun.Name); ok {
				if sc.lookup(x.Fun.Name) == nil {
					found = true
					name := fmt.Sprintf("__agg%d", len(agg.Aggs))
					names := a.aggregate(sc, s, agg, x, []*syntax.Ident{{Name: name}},
						keyCols, hidden)
					if len(names) != 1 {
						if names != nil {
							a.errorf(x, "%s() yields several columns; "+
								"it cannot be used inside an expression", x.Fun.Name)
						}
						return nil
					}
					return &syntax.Ident{At: x.At, Name: names[0]}
				}
			}
			out := *x
			out.Args = make([]syntax.Expr, len(x.Args))
			for i, arg := range x.Args {
				if out.Args[i] = rewrite(arg); out.Args[i] == nil {
					return nil
				}
			}
			return &out
		case *syntax.BinaryExpr:
			out := *x
			if out.X, out.Y = rewrite(x.X), rewrite(x.Y); out.X == nil || out.Y == nil {
				return nil
			}
			return &out
		case *syntax.UnaryExpr:
			out := *x
			if out.X = rewrite(x.X); out.X == nil {
				return nil
			}
			return &out
		case *syntax.ParenExpr:
			out := *x
			if out.X = rewrite(x.X); out.X == nil {
				return nil
			}
			return &out
		case *syntax.MemberExpr:
			out := *x
			if out.X = rewrite(x.X); out.X == nil {
				return nil
			}
			return &out
		case *syntax.IndexExpr:
			out := *x
			if out.X = rewrite(x.X); out.X == nil {
				return nil
			}
			return &out
		}
		return e
	}
	re := rewrite(e)
	if re == nil {
		return nil
	}
	if !found {
		a.errorf(e, "expected an aggregate such as count() or sum(x) in summarize, "+
			"found an expression without one")
		return nil
	}
	return a.scalar(row, agg.Out, re)
}
