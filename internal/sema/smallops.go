package sema

import (
	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// sampleSeed fixes the choice of sample and sample-distinct, so that a
// query returns the same rows each time it runs.
const sampleSeed = 0x6b75_7374_6f5f_7361

// sample binds sample N.
func (a *analyzer) sample(sc *scope, in plan.Node, op *syntax.SampleOp) plan.Node {
	n, ok := a.constLong(sc, op.N, "sample")
	if !ok {
		return nil
	}
	return &plan.Sample{Input: in, N: max(n, 0), Seed: sampleSeed}
}

// sampleDistinct binds sample-distinct N of Col: N distinct values of Col.
func (a *analyzer) sampleDistinct(sc *scope, in plan.Node, op *syntax.SampleDistinctOp) plan.Node {
	n, ok := a.constLong(sc, op.N, "sample-distinct")
	id, isCol := unparen(op.Col).(*syntax.Ident)
	if !isCol {
		a.errorf(op.Col, "sample-distinct expects a column name after of")
		return nil
	}
	x := a.scalar(sc, in.Schema(), id)
	if !ok || x == nil || !a.groupKey(id, x) {
		return nil
	}
	agg := &plan.Aggregate{Input: in, Keys: []plan.Expr{x},
		Out: column.Schema{{Name: id.Name, Type: x.Type()}}}
	return &plan.Sample{Input: agg, N: max(n, 0), Seed: sampleSeed}
}

// dotNetTypes are the .NET type names getschema reports in DataType. Kusto
// stores bool as a signed byte and reports it so.
var dotNetTypes = map[types.Type]string{
	types.Bool: "System.SByte", types.Int: "System.Int32", types.Long: "System.Int64",
	types.Real: "System.Double", types.Decimal: "System.Data.SqlTypes.SqlDecimal",
	types.String: "System.String", types.Datetime: "System.DateTime",
	types.Timespan: "System.TimeSpan", types.Guid: "System.Guid", types.Dynamic: "System.Object",
}

// getschema binds getschema: one row per input column. Its output is
// serialized, in column order.
func (a *analyzer) getschema(in plan.Node) plan.Node {
	out := column.Schema{
		{Name: "ColumnName", Type: types.String}, {Name: "ColumnOrdinal", Type: types.Long},
		{Name: "DataType", Type: types.String}, {Name: "ColumnType", Type: types.String},
	}
	var rows [][]plan.Expr
	for i, f := range in.Schema() {
		str := func(s string) plan.Expr { return &plan.Const{Value: s, T: types.String} }
		rows = append(rows, []plan.Expr{str(f.Name), &plan.Const{Value: int64(i), T: types.Long},
			str(dotNetTypes[f.Type]), str(f.Type.String())})
	}
	return &plan.Serialize{Input: &plan.Values{Out: out, Rows: rows}, Out: out}
}

// consume binds consume: it reads its input and returns no columns and no rows.
func (a *analyzer) consume(in plan.Node, op *syntax.ConsumeOp) plan.Node {
	for _, p := range op.Params {
		if p.Name != "decodeblocks" && !isHint(p.Name) {
			a.errorf(p, "unknown consume parameter %s; expected decodeblocks", p.Name)
			return nil
		}
	}
	return &plan.Limit{Input: &plan.Project{Input: in}, N: 0}
}

// checkParams reports an error for each parameter of op that is not a
// hint.* parameter, which tunes a cluster's execution and changes nothing
// here. It returns whether all were hints.
func (a *analyzer) checkParams(params []*syntax.OpParam, op string) bool {
	ok := true
	for _, p := range params {
		if !isHint(p.Name) {
			a.errorf(p, "unknown %s parameter %s", op, p.Name)
			ok = false
		}
	}
	return ok
}
