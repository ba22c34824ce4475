package sema

import (
	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// scanOp binds scan [with_match_id = Name] [declare (Cols)] with (Steps).
// Step expressions are bound over a step row whose state columns are named
// Step.Column, which the member access Step.Column resolves to.
func (a *analyzer) scanOp(sc *scope, in plan.Node, op *syntax.ScanOp) plan.Node {
	n := &plan.StepScan{Input: in}
	record := append(column.Schema(nil), in.Schema()...)
	matchID := ""
	for _, p := range op.Params {
		switch p.Name {
		case "with_match_id":
			id, ok := p.Value.(*syntax.Ident)
			if !ok {
				a.errorf(p, "scan with_match_id expects a column name")
				return nil
			}
			matchID = id.Name
		default:
			if !isHint(p.Name) {
				a.errorf(p, "unknown scan parameter %s; expected with_match_id", p.Name)
				return nil
			}
		}
	}
	for _, d := range op.Declare {
		t := d.Type.Scalar
		if d.Type.Name == "" || t == types.Unknown {
			a.errorf(d, "scan declare column %s needs a scalar type", d.Name.Name)
			return nil
		}
		if record.Index(d.Name.Name) >= 0 {
			a.errorf(d.Name, "scan declares column %s, which the input already has", d.Name.Name)
			return nil
		}
		var def plan.Expr = &plan.Const{T: t}
		if d.Default != nil {
			x := a.scalar(sc, nil, d.Default)
			if x == nil {
				return nil
			}
			c, ok := convertConst(x, t)
			if !ok {
				a.errorf(d.Default, "scan declare column %s expects a constant %s default, found %s",
					d.Name.Name, t, x.Type())
				return nil
			}
			def = c
		}
		n.Defaults = append(n.Defaults, def)
		record = append(record, column.Field{Name: d.Name.Name, Type: t})
	}
	row := append(column.Schema(nil), record...)
	seen := map[string]bool{}
	for _, st := range op.Steps {
		if seen[st.Name.Name] {
			a.errorf(st.Name, "scan step %s is defined twice", st.Name.Name)
			return nil
		}
		seen[st.Name.Name] = true
		for _, f := range record {
			row = append(row, column.Field{Name: st.Name.Name + "." + f.Name, Type: f.Type})
		}
	}
	ok := true
	for _, st := range op.Steps {
		step := &plan.ScanStep{Name: st.Name.Name, Output: "all"}
		for _, p := range st.Params {
			id, isID := p.Value.(*syntax.Ident)
			if p.Name != "output" || !isID ||
				(id.Name != "all" && id.Name != "last" && id.Name != "none") {
				a.errorf(p, "scan step expects output = all, last or none")
				ok = false
				continue
			}
			step.Output = id.Name
		}
		step.Pred = a.scalar(sc, row, st.Pred)
		if step.Pred == nil {
			ok = false
			continue
		}
		if t := step.Pred.Type(); t != types.Bool && t != types.Unknown && t != types.Dynamic {
			a.errorf(st.Pred, "scan step %s expects a bool condition, found %s", st.Name.Name, t)
			ok = false
			continue
		}
		for _, as := range st.Assigns {
			if len(as.Names) != 1 {
				a.errorf(as, "scan step assignments take the form Column = Expression")
				ok = false
				continue
			}
			name := as.Names[0].Name
			col := record.Index(name)
			if col < 0 {
				a.unknownColumn(as.Names[0], record)
				ok = false
				continue
			}
			x := a.scalar(sc, row, as.Value)
			if x == nil {
				ok = false
				continue
			}
			if !assignable(x.Type(), record[col].Type) {
				a.errorf(as.Value, "scan assigns %s to column %s of type %s",
					x.Type(), name, record[col].Type)
				ok = false
				continue
			}
			step.Assigns = append(step.Assigns, plan.ScanAssign{Col: col, Value: x})
		}
		n.Steps = append(n.Steps, step)
	}
	if !ok {
		return nil
	}
	n.Out = record
	if matchID != "" {
		n.MatchID = true
		n.Out = append(n.Out, column.Field{Name: newNamer(record).unique(matchID), Type: types.Long})
	}
	return n
}

// assignable reports whether a value of type from may be stored in a
// column of type to: the same type, an untyped null, a dynamic value
// (converted when stored) or a number of another numeric type.
func assignable(from, to types.Type) bool {
	return from == to || from == types.Unknown || from == types.Dynamic ||
		(from.IsNumeric() && to.IsNumeric())
}

// isHint reports whether an operator parameter is a hint.* parameter,
// which tunes a cluster's execution and changes nothing here.
func isHint(name string) bool {
	return len(name) > 5 && name[:5] == "hint."
}
