package sema

import (
	"fmt"
	"sort"
	"strings"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// This file binds the operators that shape how results are shown or split:
// render, fork, facet and partition.

// Render is a render operator's chart: it does not change the rows.
type Render struct {
	Kind  string
	Props []RenderProp // in the order written
}

// RenderProp is one with (...) property of render, its value as written
// (a list such as ycolumns=A, B joined with ", ").
type RenderProp struct {
	Name, Value string
}

// renderKinds are the visualizations render accepts, as Kusto's analyzer lists them.
var renderKinds = []string{"table", "list", "barchart", "piechart", "ladderchart", "timechart",
	"linechart", "anomalychart", "pivotchart", "areachart", "stackedareachart", "scatterchart",
	"timepivot", "columnchart", "timeline", "3Dchart", "card", "treemap", "plotly", "graph",
	"sankey"}

// renderProps are the properties render's with (...) accepts: the render
// page's, and xmin and xmax, which Kusto's analyzer also knows.
var renderProps = []string{"accumulate", "kind", "legend", "series", "ymin", "ymax", "title",
	"xaxis", "xcolumn", "xtitle", "yaxis", "ycolumns", "ysplit", "ytitle", "anomalycolumns",
	"xmin", "xmax"}

// renderValues are the values of the render properties that take a word,
// as the render page lists them.
var renderValues = map[string][]string{
	"kind":       {"default", "unstacked", "stacked", "stacked100", "map"},
	"legend":     {"visible", "hidden"},
	"ysplit":     {"none", "axes", "panels"},
	"xaxis":      {"linear", "log"},
	"yaxis":      {"linear", "log"},
	"accumulate": {"true", "false"},
}

func (a *analyzer) render(in plan.Node, op *syntax.RenderOp) plan.Node {
	kind := op.Chart.Name
	known := false
	for _, k := range renderKinds {
		if strings.EqualFold(k, kind) {
			known, kind = true, k
		}
	}
	if !known {
		msg := fmt.Sprintf("unknown visualization %s", kind)
		if c := closest(kind, renderKinds); c != "" {
			msg += fmt.Sprintf("; did you mean %s?", c)
		}
		a.errs.Add(op.Chart.Span(), "%s", msg)
		return nil
	}
	r := &Render{Kind: kind}
	for _, p := range op.Props {
		name := p.Name
		ok := false
		for _, k := range renderProps {
			ok = ok || strings.EqualFold(k, name)
		}
		if !ok {
			a.errorf(p, "unknown render property %s; expected one of %s", name,
				strings.Join(renderProps, ", "))
			return nil
		}
		value := propText(p.Value)
		if allowed, ok := renderValues[strings.ToLower(name)]; ok {
			found := false
			for _, v := range allowed {
				found = found || strings.EqualFold(v, value)
			}
			if !found {
				a.errorf(p, "render %s expects one of %s, found %s", name,
					strings.Join(allowed, ", "), value)
				return nil
			}
		}
		r.Props = append(r.Props, RenderProp{Name: name, Value: value})
	}
	a.rendered = r
	return in
}

// propText renders an operator property value as written.
func propText(e syntax.Expr) string {
	switch v := e.(type) {
	case *syntax.Ident:
		return v.Name
	case *syntax.Literal:
		if s, ok := v.Value.(string); ok {
			return s
		}
		return types.Format(v.Value)
	case *syntax.ListExpr:
		parts := make([]string, len(v.Items))
		for i, x := range v.Items {
			parts[i] = propText(x)
		}
		return strings.Join(parts, ", ")
	case nil:
		return ""
	}
	return syntax.Print(e)
}

// subPipeline applies the operators of p (whose Source is nil) to in.
func (a *analyzer) subPipeline(sc *scope, in plan.Node, p *syntax.Pipeline) plan.Node {
	if p == nil {
		return in
	}
	n := in
	if p.Source != nil {
		a.errorf(p, "expected operators applied to the input, found a tabular expression")
		return nil
	}
	for _, op := range p.Ops {
		if n == nil {
			return nil
		}
		if as, ok := op.(*syntax.AsOp); ok {
			n, sc = a.as(sc, n, as)
			continue
		}
		n = a.operator(sc, n, op)
	}
	return n
}

// forkLeg reports whether every operator of a fork leg is one that may run
// there, and reports the first that may not:
// the fork page lists as, count, extend, parse, where, take, project and
// its variants, summarize, top, top-nested, sort, mv-expand and reduce;
// Kusto's analyzer also allows distinct, invoke, parse-where, parse-kv,
// sample, sample-distinct and top-hitters.
func (a *analyzer) forkLeg(p *syntax.Pipeline, what string) bool {
	if p == nil {
		return true
	}
	for _, op := range p.Ops {
		switch op.(type) {
		case *syntax.AsOp, *syntax.CountOp, *syntax.DistinctOp, *syntax.ExtendOp,
			*syntax.WhereOp, *syntax.InvokeOp, *syntax.MvExpandOp, *syntax.ParseOp,
			*syntax.ParseKvOp, *syntax.ProjectOp, *syntax.ProjectAwayOp,
			*syntax.ProjectByNamesOp, *syntax.ProjectKeepOp, *syntax.ProjectRenameOp,
			*syntax.ProjectReorderOp, *syntax.ReduceOp, *syntax.SampleDistinctOp,
			*syntax.SampleOp, *syntax.SortOp, *syntax.SummarizeOp, *syntax.TakeOp,
			*syntax.TopHittersOp, *syntax.TopNestedOp, *syntax.TopOp:
		default:
			a.errorf(op, "%s does not support %s in its subquery", what, opName(op))
			return false
		}
	}
	return true
}

// asName returns the name the last as operator of p gives, or "".
func asName(p *syntax.Pipeline) string {
	name := ""
	if p != nil {
		for _, op := range p.Ops {
			if as, ok := op.(*syntax.AsOp); ok {
				name = as.Name.Name
			}
		}
	}
	return name
}

// fork binds fork: each branch is a result table of its own, named by
// Name = (...) or by an as operator in the branch; others are named
// GenericResultN.
func (a *analyzer) fork(sc *scope, in plan.Node, op *syntax.ForkOp) plan.Node {
	in = &plan.Materialize{Input: in}
	t := &plan.Tables{}
	for i, br := range op.Branches {
		if !a.forkLeg(br.Query, "fork") {
			return nil
		}
		n := a.subPipeline(sc, in, br.Query)
		if n == nil {
			return nil
		}
		if _, nested := n.(*plan.Tables); nested {
			a.errorf(br, "fork branches cannot fork again")
			return nil
		}
		name := fmt.Sprintf("GenericResult%d", i+1)
		if br.Name != nil {
			name = br.Name.Name
		} else if as := asName(br.Query); as != "" {
			name = as
		}
		t.Names, t.Ins = append(t.Names, name), append(t.Ins, n)
	}
	if len(t.Ins) == 0 {
		a.errorf(op, "fork expects at least one branch")
		return nil
	}
	return t
}

// facet binds facet by Cols [with (Body)]: the with body's table, then one
// table per column counting its values (Col, count_Col), as the
// documentation shows.
func (a *analyzer) facet(sc *scope, in plan.Node, op *syntax.FacetOp) plan.Node {
	in = &plan.Materialize{Input: in}
	s := in.Schema()
	t := &plan.Tables{}
	for _, c := range op.Cols {
		id, ok := unparen(c).(*syntax.Ident)
		if !ok {
			a.errorf(c, "facet expects a column name, found %s", describe(c))
			return nil
		}
		i := s.Index(id.Name)
		if i < 0 {
			a.unknownColumn(id, s)
			return nil
		}
		key := &plan.ColRef{Index: i, Name: id.Name, T: s[i].Type}
		out := column.Schema{s[i], {Name: "count_" + id.Name, Type: types.Long}}
		agg := &plan.Aggregate{Input: in, Keys: []plan.Expr{key},
			Aggs: []*plan.AggCall{{Name: "count", Out: out[1:]}}, Out: out}
		t.Names, t.Ins = append(t.Names, id.Name), append(t.Ins, agg)
	}
	if op.With != nil {
		// The with body's table comes first, as in Kusto's output.
		n := a.subPipeline(sc, in, op.With)
		if n == nil {
			return nil
		}
		t.Names = append([]string{"with"}, t.Names...)
		t.Ins = append([]plan.Node{n}, t.Ins...)
	}
	return t
}

// otherSourceOp returns the first operator of p that the native and shuffle
// strategies do not run: the partition page names join, union and
// evaluate (they read a source besides the partition) and fork; lookup
// and facet are of the same kind.
func otherSourceOp(p *syntax.Pipeline) syntax.Operator {
	for _, op := range p.Ops {
		switch op.(type) {
		case *syntax.JoinOp, *syntax.LookupOp, *syntax.UnionOp, *syntax.EvaluateOp,
			*syntax.ForkOp, *syntax.FacetOp:
			return op
		}
	}
	return nil
}

// legacyPartitions is the most partitions the legacy strategy allows.
const legacyPartitions = 64

// partition binds partition by Col (Body) or { Body }: Body runs once per
// value of Col over that value's rows.
func (a *analyzer) partition(sc *scope, in plan.Node, op *syntax.PartitionOp) plan.Node {
	s := in.Schema()
	strategy := ""
	for _, p := range op.Params {
		switch p.Name {
		case "hint.strategy":
			v, _ := paramValue(op.Params, p.Name)
			strategy = v
			if v != "native" && v != "shuffle" && v != "legacy" {
				a.errorf(p, "partition hint.strategy expects native, shuffle or legacy, found %s", v)
				return nil
			}
		case "hint.materialized", "hint.concurrency", "hint.spread", "hint.shufflekey":
		default:
			a.errorf(p, "unknown partition parameter %s", p.Name)
			return nil
		}
	}
	id, ok := unparen(op.By).(*syntax.Ident)
	if !ok {
		a.errorf(op.By, "partition expects a column name after by, found %s", describe(op.By))
		return nil
	}
	key := s.Index(id.Name)
	if key < 0 {
		a.unknownColumn(id, s)
		return nil
	}
	if s[key].Type == types.Dynamic {
		a.errorf(id, "partition expects a key column that is not dynamic, found %s:dynamic; "+
			"convert it first, as in extend k = tostring(%s)", id.Name, id.Name)
		return nil
	}
	leaf := &plan.PartitionInput{Out: s}
	var sub plan.Node
	if op.Braced {
		// The legacy form's subquery has its own source and reads the
		// partition's key as toscalar(Col), or as Col where no column of
		// the subquery's rows has that name: Col names a one-row table of
		// the key there. The partition page allows it only with the legacy
		// strategy, but the geo_point_in_polygon page runs it with
		// hint.strategy=native, and Kusto's analyzer accepts that; the
		// strategy changes how Kusto runs the subqueries, not their result,
		// so any strategy runs it as legacy.
		inner := newScope(sc)
		keyTab := &plan.Limit{N: 1, Input: &plan.Project{Input: leaf,
			Exprs: []plan.Expr{&plan.ColRef{Index: key, Name: id.Name, T: s[key].Type}},
			Out:   column.Schema{s[key]}}}
		inner.names[id.Name] = &binding{kind: bindTabular, tab: keyTab, key: true}
		sub = a.tabular(inner, op.Body)
	} else {
		p, ok := op.Body.(*syntax.Pipeline)
		if !ok {
			a.errorf(op.Body, "partition expects a subquery in parentheses")
			return nil
		}
		if strategy == "native" || strategy == "shuffle" {
			if bad := otherSourceOp(p); bad != nil {
				a.errorf(bad, "partition hint.strategy=%s does not support %s in its subquery; "+
					"use hint.strategy=legacy", strategy, opName(bad))
				return nil
			}
		}
		sub = a.subPipeline(sc, leaf, p)
	}
	if sub == nil {
		return nil
	}
	if _, multi := sub.(*plan.Tables); multi {
		a.errorf(op.Body, "a partition subquery must yield one table")
		return nil
	}
	p := &plan.Partition{Input: in, Key: key, Sub: sub}
	if strategy == "" || strategy == "legacy" {
		p.MaxParts = legacyPartitions
	}
	return p
}

// sortedNames returns the keys of m in order.
func sortedNames(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
