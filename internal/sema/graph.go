package sema

import (
	"fmt"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// This file binds Kusto's graph operators. make-graph yields a graph, not
// a table (plan.Graph); only a graph operator may follow it.

// isGraphOp reports whether op takes a graph as its input.
func isGraphOp(op syntax.Operator) bool {
	switch op.(type) {
	case *syntax.GraphMatchOp, *syntax.GraphToTableOp, *syntax.GraphMarkComponentsOp:
		return true
	}
	return false
}

// graphOperator binds a graph operator, or reports an operator applied to
// the wrong kind of input; handled is false for a table operator on a table.
func (a *analyzer) graphOperator(sc *scope, in plan.Node, op syntax.Operator) (plan.Node, bool) {
	g, isGraph := in.(plan.Graph)
	if !isGraphOp(op) {
		if isGraph {
			a.errorf(op, "operator %s expects a table, found a graph; follow make-graph "+
				"with graph-match, graph-shortest-paths, graph-to-table or graph-mark-components",
				graphOpName(op))
			return nil, true
		}
		if mg, ok := op.(*syntax.MakeGraphOp); ok {
			return a.makeGraph(sc, in, mg), true
		}
		return nil, false
	}
	if !isGraph {
		a.errorf(op, "operator %s expects a graph, found a table; build one with make-graph",
			graphOpName(op))
		return nil, true
	}
	switch op := op.(type) {
	case *syntax.GraphMatchOp:
		return a.graphMatch(sc, g, op), true
	case *syntax.GraphToTableOp:
		return a.graphToTable(sc, g, op), true
	case *syntax.GraphMarkComponentsOp:
		return a.markComponents(g, op), true
	}
	return nil, true
}

// graphOpName names an operator in messages, graph operators as written.
func graphOpName(op syntax.Operator) string {
	switch op := op.(type) {
	case *syntax.MakeGraphOp:
		return "make-graph"
	case *syntax.GraphMatchOp:
		if op.Shortest {
			return "graph-shortest-paths"
		}
		return "graph-match"
	case *syntax.GraphToTableOp:
		return "graph-to-table"
	case *syntax.GraphMarkComponentsOp:
		return "graph-mark-components"
	}
	return opName(op)
}

// makeGraph binds make-graph.
func (a *analyzer) makeGraph(sc *scope, in plan.Node, op *syntax.MakeGraphOp) plan.Node {
	s := in.Schema()
	src, dst := a.column(s, op.Src, "make-graph source node id"),
		a.column(s, op.Dst, "make-graph target node id")
	if src < 0 || dst < 0 {
		return nil
	}
	key := s[src].Type
	if s[dst].Type != key {
		a.errorf(op.Dst, "make-graph expects source and target node ids of one type, "+
			"found %s and %s", key, s[dst].Type)
		return nil
	}
	n := &plan.MakeGraph{Input: in, Src: src, Dst: dst, Undirected: op.Undirected,
		Out: plan.GraphSchema{Edges: s, Key: key}}
	if op.NodeID != nil {
		if len(op.Nodes) > 0 {
			a.errorf(op.NodeID, "make-graph takes with_node_id or node tables, not both")
			return nil
		}
		n.Out.Nodes = column.Schema{{Name: op.NodeID.Name, Type: key}}
		n.IDProps = []int{0}
	}
	for _, spec := range op.Nodes {
		t := a.tabular(sc, spec.Table)
		if t == nil {
			return nil
		}
		ts := t.Schema()
		k := a.column(ts, spec.Key, "node id")
		if k < 0 {
			return nil
		}
		if ts[k].Type != key {
			a.errorf(spec.Key, "make-graph expects node id column %s of type %s, as the "+
				"edges' node ids are; found %s", spec.Key.Name, key, ts[k].Type)
			return nil
		}
		nodes := &plan.GraphNodes{Input: t, Key: k, Props: make([]int, len(ts)), PartCol: -1}
		if op.PartitionBy != nil {
			nodes.PartCol = ts.Index(op.PartitionBy.Name)
		}
		for j, f := range ts {
			p := n.Out.Nodes.Index(f.Name)
			if p < 0 {
				p = len(n.Out.Nodes)
				n.Out.Nodes = append(n.Out.Nodes, f)
			} else if n.Out.Nodes[p].Type != f.Type {
				a.errorf(spec, "node property %s has type %s in one node table and %s in another",
					f.Name, n.Out.Nodes[p].Type, f.Type)
				return nil
			}
			nodes.Props[j] = p
		}
		if !containsInt(n.IDProps, nodes.Props[k]) {
			n.IDProps = append(n.IDProps, nodes.Props[k])
		}
		n.Nodes = append(n.Nodes, nodes)
	}
	if op.PartitionBy != nil {
		return a.partitionGraph(sc, n, op)
	}
	return n
}

// partitionGraph binds make-graph ... partitioned-by Col (Sub): Sub runs
// on the graph of each partition's edges and nodes, and the results are
// concatenated.
func (a *analyzer) partitionGraph(sc *scope, n *plan.MakeGraph, op *syntax.MakeGraphOp) plan.Node {
	in := n.Input
	s := in.Schema()
	key := a.column(s, op.PartitionBy, "make-graph partition")
	if key < 0 {
		return nil
	}
	if op.Sub == nil || len(op.Sub.Ops) == 0 || op.Sub.Source != nil {
		a.errorf(op.PartitionBy, "make-graph partitioned-by expects graph operators in "+
			"parentheses, such as (graph-match ...)")
		return nil
	}
	n.Input, n.Partitioned, n.PartCol = &plan.PartitionInput{Out: s}, true, key
	sub := a.subPipeline(sc, n, op.Sub)
	if sub == nil {
		return nil
	}
	if _, ok := sub.(plan.Graph); ok {
		a.errorf(op.Sub, "make-graph partitioned-by expects its operators to yield a table, "+
			"found a graph; end them with graph-match or graph-to-table")
		return nil
	}
	return &plan.Partition{Input: in, Key: key, Sub: sub}
}

// column finds a named column of s, reporting it when missing.
func (a *analyzer) column(s column.Schema, id *syntax.Ident, what string) int {
	i := s.Index(id.Name)
	if i < 0 {
		msg := fmt.Sprintf("unknown %s column %s", what, id.Name)
		names := make([]string, len(s))
		for j, f := range s {
			names[j] = f.Name
		}
		if c := closest(id.Name, names); c != "" {
			msg += fmt.Sprintf("; did you mean %s?", c)
		}
		a.errs.Add(id.Span(), "%s", msg)
	}
	return i
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// markComponents binds graph-mark-components.
func (a *analyzer) markComponents(g plan.Graph, op *syntax.GraphMarkComponentsOp) plan.Node {
	in := g.GraphSchema()
	n := &plan.MarkComponents{Input: g, Out: *in}
	name := "ComponentId"
	for _, p := range op.Params {
		v := paramWord(p)
		switch p.Name {
		case "kind":
			switch v {
			case "weak":
			case "strong":
				n.Strong = true
			default:
				a.errorf(p, "graph-mark-components expects kind=weak or kind=strong, found %s", v)
				return nil
			}
		case "with_component_id":
			if v == "" {
				a.errorf(p, "graph-mark-components expects with_component_id=Name")
				return nil
			}
			name = v
		default:
			a.errorf(p, "graph-mark-components expects kind or with_component_id, found %s", p.Name)
			return nil
		}
	}
	n.Out.Nodes = append(column.Schema(nil), in.Nodes...)
	n.Col = n.Out.Nodes.Index(name)
	if n.Col < 0 {
		n.Col = len(n.Out.Nodes)
		n.Out.Nodes = append(n.Out.Nodes, column.Field{})
	}
	n.Out.Nodes[n.Col] = column.Field{Name: name, Type: types.Long}
	return n
}

// paramWord returns the bare word of a parameter's value, or "".
func paramWord(p *syntax.OpParam) string {
	if id, ok := p.Value.(*syntax.Ident); ok {
		return id.Name
	}
	return ""
}

// graphToTable binds graph-to-table. With several outputs, each must be
// named with as: the names are bound for later statements, and the
// operator yields the first.
func (a *analyzer) graphToTable(sc *scope, g plan.Graph, op *syntax.GraphToTableOp) plan.Node {
	var first plan.Node
	for _, part := range op.Parts {
		if len(op.Parts) > 1 && part.As == nil {
			a.errorf(part, "graph-to-table with several outputs expects each to be named "+
				"with as")
			return nil
		}
		n := a.graphTable(g, part)
		if n == nil {
			return nil
		}
		if part.As != nil {
			sc.names[part.As.Name] = &binding{kind: bindTabular, tab: n}
		}
		if first == nil {
			first = n
		}
	}
	return first
}

func (a *analyzer) graphTable(g plan.Graph, part *syntax.GraphTablePart) plan.Node {
	gs := g.GraphSchema()
	n := &plan.GraphToTable{Input: g, Edges: part.Edges}
	var ids column.Schema
	for _, p := range part.Params {
		v := paramWord(p)
		ok := v != ""
		switch {
		case p.Name == "with_node_id" && !part.Edges:
			n.NodeID = true
		case p.Name == "with_source_id" && part.Edges:
			n.SourceID = true
		case p.Name == "with_target_id" && part.Edges:
			n.Target = true
		default:
			ok = false
		}
		if !ok {
			want := "with_node_id=Name"
			if part.Edges {
				want = "with_source_id=Name or with_target_id=Name"
			}
			a.errorf(p, "graph-to-table expects %s, found %s", want, p.Name)
			return nil
		}
		ids = append(ids, column.Field{Name: v, Type: types.Long})
	}
	if n.SourceID && n.Target && ids[0].Name != "" {
		// The source id column comes first, however they are written.
		if part.Params[0].Name == "with_target_id" {
			ids[0], ids[1] = ids[1], ids[0]
		}
	}
	props := gs.Nodes
	if part.Edges {
		props = gs.Edges
	}
	n.Out = append(ids, props...)
	if d := duplicateName(n.Out); d != "" {
		a.errorf(part, "graph-to-table would output column %s twice", d)
		return nil
	}
	return n
}

func duplicateName(s column.Schema) string {
	seen := map[string]bool{}
	for _, f := range s {
		if seen[f.Name] {
			return f.Name
		}
		seen[f.Name] = true
	}
	return ""
}
