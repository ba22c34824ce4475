package sema

import (
	"strings"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// makeSeries binds make-series Aggs on Axis from/to/step by Keys. The output
// is the keys, one dynamic array per aggregate, then the axis array.
func (a *analyzer) makeSeries(sc *scope, in plan.Node, op *syntax.MakeSeriesOp) plan.Node {
	s := in.Schema()
	ms := &plan.MakeSeries{Input: in, InRange: op.InRange}
	for _, p := range op.Params {
		if p.Name != "kind" {
			continue
		}
		v, _ := paramValue(op.Params, "kind")
		if !strings.EqualFold(v, "nonempty") {
			a.errorf(p, "make-series kind expects nonempty, found %s", v)
			return nil
		}
		ms.NonEmpty = true
	}
	nm := newNamer(nil)
	for _, it := range op.By {
		x := a.scalar(sc, s, it.Value)
		if x == nil {
			return nil
		}
		name := ""
		if len(it.Names) == 1 {
			name = it.Names[0].Name
		} else if name = keyName(it.Value); name == "" {
			name = nm.column()
		}
		name, ok := nm.declare(name, isExplicit(it))
		if !ok {
			a.errorf(it, "column %s is declared twice in make-series", name)
			return nil
		}
		ms.Keys = append(ms.Keys, x)
		ms.Out = append(ms.Out, column.Field{Name: name, Type: x.Type()})
	}
	tmp := &plan.Aggregate{}
	for _, it := range op.Items {
		call, ok := unparen(it.Agg.Value).(*syntax.CallExpr)
		if ok {
			_, ok = functions.LookupAggregate(call.Fun.Name)
		}
		var ac *plan.AggCall
		if ok {
			n := len(tmp.Aggs)
			if a.aggregate(sc, s, tmp, call, it.Agg.Names, nil, nm) == nil {
				return nil
			}
			ac = tmp.Aggs[n]
		} else {
			// A scalar expression (other=-1) is its value in each bin that
			// has rows, as Kusto evaluates it.
			x := a.scalar(sc, s, it.Agg.Value)
			if x == nil {
				return nil
			}
			if len(it.Agg.Names) > 1 {
				a.errorf(it.Agg, "make-series expects one name per aggregate, found %d",
					len(it.Agg.Names))
				return nil
			}
			name := nm.unique(itemName(it.Agg, nm))
			ac = &plan.AggCall{Name: "take_any", Args: []plan.Expr{x},
				Out: column.Schema{{Name: name, Type: x.Type()}}}
		}
		if len(ac.Out) != 1 {
			a.errorf(call, "make-series expects an aggregate with one result, "+
				"%s() yields %d", call.Fun.Name, len(ac.Out))
			return nil
		}
		t := ac.Out[0].Type
		var def plan.Expr = &plan.Const{Value: zeroOf(t), T: t}
		if it.Default != nil {
			d := a.scalar(sc, nil, it.Default)
			if d == nil {
				return nil
			}
			v, isConst := foldConst(d)
			if !isConst {
				a.errorf(it.Default, "make-series default expects a constant, found %s",
					describe(it.Default))
				return nil
			}
			if v != nil && t.IsNumeric() && d.Type().IsNumeric() {
				v = functions.Convert(v, t)
			}
			def = &plan.Const{Value: v, T: d.Type()}
		}
		ms.Aggs = append(ms.Aggs, ac)
		ms.Defaults = append(ms.Defaults, def)
		ms.Out = append(ms.Out, column.Field{Name: ac.Out[0].Name, Type: types.Dynamic})
	}
	axis := a.scalar(sc, s, op.Axis)
	if axis == nil {
		return nil
	}
	at := axis.Type()
	if at != types.Datetime && at != types.Timespan && !at.IsNumeric() {
		a.errorf(op.Axis, "make-series expects a datetime, timespan or numeric axis, found %s", at)
		return nil
	}
	ms.Axis = axis
	stepType := at
	if at == types.Datetime {
		stepType = types.Timespan
	}
	bound := func(e syntax.Expr, want types.Type, what string) plan.Expr {
		if e == nil {
			return nil
		}
		x := a.scalar(sc, nil, e)
		if x == nil {
			return nil
		}
		t := x.Type()
		if t != want && !(t.IsNumeric() && want.IsNumeric()) {
			a.errorf(e, "make-series %s expects a %s, found %s", what, want, t)
			return nil
		}
		return x
	}
	ms.From = bound(op.From, at, "start")
	ms.To = bound(op.To, at, "end")
	ms.Step = bound(op.Step, stepType, "step")
	if ms.Step == nil || (op.From != nil && ms.From == nil) || (op.To != nil && ms.To == nil) {
		return nil
	}
	if v, ok := foldConst(ms.Step); ok && !positive(v) {
		a.errorf(op.Step, "make-series expects a positive step, found %s", types.Format(v))
		return nil
	}
	if op.InRange && (ms.From == nil || ms.To == nil) {
		a.errorf(op, "make-series in range expects range(start, stop, step)")
		return nil
	}
	name := exprName(op.Axis)
	if name == "" {
		name = nm.column()
	}
	if ms.Out.Index(name) >= 0 {
		a.errorf(op.Axis, "a column named %s is already declared; the axis column takes that "+
			"name, so rename the other one", name)
		return nil
	}
	ms.Out = append(ms.Out, column.Field{Name: nm.unique(name), Type: types.Dynamic})
	return ms
}

// zeroOf is make-series' default element: 0 of the aggregate's type.
func zeroOf(t types.Type) any {
	switch t {
	case types.Int:
		return int32(0)
	case types.Real:
		return 0.0
	case types.Timespan:
		return types.Duration(0)
	case types.Decimal:
		return functions.Convert(int64(0), types.Decimal)
	}
	return int64(0)
}

// positive reports whether a constant step is greater than zero.
func positive(v any) bool {
	switch x := v.(type) {
	case int64:
		return x > 0
	case int32:
		return x > 0
	case float64:
		return x > 0
	case types.Duration:
		return x > 0
	}
	return true // not a number: the executor reports it
}
