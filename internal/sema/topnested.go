package sema

import (
	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// topNested binds top-nested [N] of Expr [with others = C] by Agg [asc|desc], ....
func (a *analyzer) topNested(sc *scope, in plan.Node, op *syntax.TopNestedOp) plan.Node {
	s := in.Schema()
	n := &plan.TopNested{Input: in}
	nm := newNamer(nil)
	ok := true
	for _, lv := range op.Levels {
		l := &plan.TopNestedLevel{N: -1, Asc: lv.Order == "asc"}
		if lv.N != nil {
			v, good := a.constLong(sc, lv.N, "top-nested")
			if !good {
				ok = false
				continue
			}
			l.N = max(v, 0)
		}
		key := a.scalar(sc, s, lv.Of.Value)
		if key == nil {
			ok = false
			continue
		}
		l.Key = key
		keyName := exprName(lv.Of.Value)
		if len(lv.Of.Names) == 1 {
			keyName = lv.Of.Names[0].Name
		}
		if keyName == "" {
			keyName = nm.column()
		} else {
			keyName = nm.unique(keyName)
		}
		if lv.Others != nil {
			c := a.scalar(sc, nil, lv.Others)
			if c == nil {
				ok = false
				continue
			}
			conv, good := convertConst(c, key.Type())
			if !good {
				a.errorf(lv.Others, "top-nested others value must be a constant %s, found %s",
					key.Type(), c.Type())
				ok = false
				continue
			}
			l.Others = conv
		}
		value := a.topNestedValue(sc, s, l, lv.By.Value)
		if value == nil {
			ok = false
			continue
		}
		l.Value = value
		valName := "aggregated_" + keyName
		if len(lv.By.Names) == 1 {
			valName = lv.By.Names[0].Name
		}
		n.Levels = append(n.Levels, l)
		n.Out = append(n.Out, column.Field{Name: keyName, Type: key.Type()},
			column.Field{Name: nm.unique(valName), Type: value.Type()})
	}
	if !ok {
		return nil
	}
	return n
}

// topNestedValue binds a level's aggregation, an aggregate or an
// expression over aggregates, into l.Aggs and an expression over their
// outputs. An expression without aggregates is a constant value.
func (a *analyzer) topNestedValue(sc *scope, s column.Schema, l *plan.TopNestedLevel,
	e syntax.Expr,
) plan.Expr {
	if !hasAggregate(sc, e) {
		x := a.scalar(sc, s, e)
		if x == nil {
			return nil
		}
		reads := make([]bool, len(s))
		plan.MarkCols(x, reads)
		for _, r := range reads {
			if r {
				a.errorf(e, "top-nested expects an aggregation after by, such as count() "+
					"or sum(x), found an expression over the row")
				return nil
			}
		}
		return x
	}
	agg := &plan.Aggregate{}
	x := a.aggExpr(sc, s, agg, e, nil)
	if x == nil {
		return nil
	}
	l.Aggs = agg.Aggs
	return x
}

// hasAggregate reports whether e calls an aggregate.
func hasAggregate(sc *scope, e syntax.Expr) bool {
	switch x := e.(type) {
	case *syntax.CallExpr:
		if _, ok := functions.LookupAggregate(x.Fun.Name); ok && sc.lookup(x.Fun.Name) == nil {
			return true
		}
		for _, arg := range x.Args {
			if hasAggregate(sc, arg) {
				return true
			}
		}
	case *syntax.BinaryExpr:
		return hasAggregate(sc, x.X) || hasAggregate(sc, x.Y)
	case *syntax.UnaryExpr:
		return hasAggregate(sc, x.X)
	case *syntax.ParenExpr:
		return hasAggregate(sc, x.X)
	case *syntax.MemberExpr:
		return hasAggregate(sc, x.X)
	case *syntax.IndexExpr:
		return hasAggregate(sc, x.X)
	}
	return false
}

// topHitters binds top-hitters N of Col [by Expr]: the N values of Col with
// the highest count (or sum of Expr), as summarize then top.
func (a *analyzer) topHitters(sc *scope, in plan.Node, op *syntax.TopHittersOp) plan.Node {
	s := in.Schema()
	n, ok := a.constLong(sc, op.N, "top-hitters")
	id, isCol := unparen(op.Of).(*syntax.Ident)
	if !isCol {
		a.errorf(op.Of, "top-hitters expects a column name after of")
		return nil
	}
	key := a.scalar(sc, s, id)
	if !ok || key == nil {
		return nil
	}
	agg := &plan.Aggregate{Input: in, Keys: []plan.Expr{key},
		Out: column.Schema{{Name: id.Name, Type: key.Type()}}}
	if op.Sum == nil {
		agg.Aggs = []*plan.AggCall{{Name: "count",
			Out: column.Schema{{Name: "approximate_count_" + id.Name, Type: types.Long}}}}
	} else {
		x := a.scalar(sc, s, op.Sum)
		if x == nil {
			return nil
		}
		fn, _ := functions.LookupAggregate("sum")
		ts, err := fn.Result([]types.Type{x.Type()})
		if err != nil {
			a.errorf(op.Sum, "top-hitters by expects a number, found %s", x.Type())
			return nil
		}
		agg.Aggs = []*plan.AggCall{{Name: "sum", Args: []plan.Expr{x},
			Out: column.Schema{{Name: "approximate_sum_" + exprName(op.Sum), Type: ts[0]}}}}
	}
	agg.Out = append(agg.Out, agg.Aggs[0].Out...)
	v := agg.Out[1]
	return &plan.Top{Input: agg, N: n, Keys: []plan.SortKey{{
		Expr: &plan.ColRef{Index: 1, Name: v.Name, T: v.Type}, Desc: true}}}
}
