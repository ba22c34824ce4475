package sema

import (
	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// graphCtx is the state of binding the where and project clauses of
// graph-match: the pattern's variables and the match row they make.
type graphCtx struct {
	g    *plan.GraphSchema
	vars map[string]graphVar
	cols []plan.MatchCol // the match row, in the order of row
	row  column.Schema
	// elem is set while binding the body of all(), any() or map(): the
	// element row then holds an edge's or a node's properties.
	elem elemKind
	// elemVar is the variable whose elements are being bound over: the
	// edge variable of all(), any() or map(), or the one variable of a
	// where condition; elemVar.prop reads the element's property. It is
	// "" over inner nodes.
	elemVar string
}

type elemKind uint8

const (
	elemNone elemKind = iota
	elemEdge
	elemNode
)

// graphVar is a pattern variable: node or edge number idx.
type graphVar struct {
	edge     bool
	idx      int
	variable bool // a variable-length edge
}

// Names of the match row's internal columns. They start with # so that no
// plain name reaches them; properties are named var.prop, which the
// binding of member access finds.
func bagCol(v string) string        { return "#" + v }
func elemsCol(v string) string      { return "#elems(" + v + ")" }
func innerCol(v string) string      { return "#inner(" + v + ")" }
func innerBagCol(v string) string   { return "#innerbag(" + v + ")" }
func metaCol(fn, v string) string   { return fn + "(" + v + ")" }
func propCol(v, prop string) string { return v + "." + prop }

var nodeMetaFuncs = map[string]int{
	"node_id":         plan.NodeIDCol,
	"node_degree_in":  plan.NodeDegreeInCol,
	"node_degree_out": plan.NodeDegreeOutCol,
}

// graphMatch binds graph-match and graph-shortest-paths.
func (a *analyzer) graphMatch(sc *scope, g plan.Graph, op *syntax.GraphMatchOp) plan.Node {
	what := graphOpName(op)
	n := &plan.GraphMatch{Input: g, Cycles: plan.CyclesUniqueEdges, Shortest: op.Shortest}
	for _, p := range op.Params {
		v := paramWord(p)
		switch {
		case p.Name == "cycles" && !op.Shortest:
			if v != plan.CyclesUniqueEdges && v != plan.CyclesNone && v != plan.CyclesAll {
				a.errorf(p, "graph-match expects cycles=all, none or unique_edges, found %s", v)
				return nil
			}
			n.Cycles = v
		case p.Name == "output" && op.Shortest:
			if v != "any" && v != "all" {
				a.errorf(p, "graph-shortest-paths expects output=any or output=all, found %s", v)
				return nil
			}
			n.AllShortest = v == "all"
		default:
			a.errorf(p, "%s does not take parameter %s", what, p.Name)
			return nil
		}
	}
	if op.Shortest {
		n.Cycles = plan.CyclesNone // shortest paths never repeat a node
	}
	gc := &graphCtx{g: g.GraphSchema(), vars: map[string]graphVar{}}
	if !a.bindPattern(gc, n, op.Paths) {
		return nil
	}
	if len(op.Project) == 0 {
		a.errorf(op, "%s expects a project clause naming its output columns", what)
		return nil
	}
	saved := a.gctx
	a.gctx = gc
	defer func() { a.gctx = saved }()
	n.Row = gc.cols
	if op.Where != nil && !a.graphWhere(sc, n, op.Where) {
		return nil
	}
	nm := newNamer(nil)
	for _, it := range op.Project {
		x := a.scalar(sc, gc.row, it.Value)
		if x == nil {
			continue
		}
		name, ok := nm.declare(itemName(it, nm), isExplicit(it))
		if !ok {
			a.errorf(it, "column %s is projected twice", name)
			continue
		}
		n.Exprs = append(n.Exprs, x)
		n.Out = append(n.Out, column.Field{Name: name, Type: x.Type()})
	}
	if len(n.Exprs) != len(op.Project) {
		return nil
	}
	return n
}

// bindPattern declares the pattern's variables and lays out the match row.
func (a *analyzer) bindPattern(gc *graphCtx, n *plan.GraphMatch, paths []*syntax.GraphPath) bool {
	node := func(e *syntax.GraphNodeElem) (int, bool) {
		if e.Name == nil {
			n.Nodes = append(n.Nodes, plan.PatternNode{})
			return len(n.Nodes) - 1, true
		}
		if v, ok := gc.vars[e.Name.Name]; ok {
			if v.edge {
				a.errorf(e.Name, "%s names an edge of the pattern; a node needs another name",
					e.Name.Name)
				return 0, false
			}
			return v.idx, true
		}
		n.Nodes = append(n.Nodes, plan.PatternNode{Name: e.Name.Name})
		gc.vars[e.Name.Name] = graphVar{idx: len(n.Nodes) - 1}
		return len(n.Nodes) - 1, true
	}
	for _, path := range paths {
		prev, ok := node(path.Nodes[0])
		if !ok {
			return false
		}
		for i, e := range path.Edges {
			next, ok := node(path.Nodes[i+1])
			if !ok {
				return false
			}
			pe := plan.PatternEdge{From: prev, To: next, Variable: e.Variable,
				Min: int(e.Min), Max: int(e.Max)}
			switch e.Dir {
			case syntax.EdgeLeft:
				pe.Dir = plan.EdgeBackward
			case syntax.EdgeAny:
				pe.Dir = plan.EdgeAnyDir
			}
			if e.Name != nil {
				if _, dup := gc.vars[e.Name.Name]; dup {
					a.errorf(e.Name, "pattern variable %s is declared twice; an edge needs "+
						"its own name", e.Name.Name)
					return false
				}
				pe.Name = e.Name.Name
				gc.vars[pe.Name] = graphVar{edge: true, idx: len(n.Edges), variable: e.Variable}
			}
			n.Edges = append(n.Edges, pe)
			prev = next
		}
	}
	add := func(name string, c plan.MatchCol) {
		gc.cols = append(gc.cols, c)
		gc.row = append(gc.row, column.Field{Name: name, Type: c.T})
	}
	nodeRow := gc.g.NodeRow()
	for i, v := range n.Nodes {
		if v.Name == "" {
			continue
		}
		for j, f := range nodeRow {
			name := propCol(v.Name, f.Name)
			if j >= len(gc.g.Nodes) {
				for fn, meta := range nodeMetaFuncs {
					if gc.g.NodeMeta(meta) == j {
						name = metaCol(fn, v.Name)
					}
				}
			}
			add(name, plan.MatchCol{Var: i, Col: j, T: f.Type})
		}
		add(bagCol(v.Name), plan.MatchCol{Var: i, Col: -1, T: types.Dynamic})
	}
	for i, e := range n.Edges {
		if e.Name == "" {
			continue
		}
		for j, f := range gc.g.Edges {
			t := f.Type
			if e.Variable {
				t = types.Dynamic
			}
			add(propCol(e.Name, f.Name), plan.MatchCol{Edge: true, Var: i, Col: j, T: t})
		}
		add(bagCol(e.Name), plan.MatchCol{Edge: true, Var: i, Col: -1, T: types.Dynamic})
		add(elemsCol(e.Name), plan.MatchCol{Edge: true, Var: i, Elems: true, T: types.Dynamic})
		add(innerCol(e.Name), plan.MatchCol{Edge: true, Var: i, Elems: true, Inner: true,
			T: types.Dynamic})
		add(innerBagCol(e.Name), plan.MatchCol{Edge: true, Var: i, Col: -1, Inner: true,
			T: types.Dynamic})
	}
	return true
}

// graphExpr binds the parts of an expression that are particular to
// graph-match: pattern variables, their properties, and the graph
// functions. ok is false for anything else.
func (a *analyzer) graphExpr(sc *scope, row column.Schema, e syntax.Expr) (x plan.Expr, ok bool) {
	gc := a.gctx
	col := func(name string) plan.Expr {
		i := row.Index(name)
		return &plan.ColRef{Index: i, Name: name, T: row[i].Type}
	}
	if gc.elem != elemNone {
		if m, ok := e.(*syntax.MemberExpr); ok && gc.elemVar != "" {
			if id, ok := m.X.(*syntax.Ident); ok && id.Name == gc.elemVar {
				i := row.Index(m.Name.Name)
				if i < 0 || gc.elem == elemNode && i >= len(gc.g.Nodes) {
					kind := "edge"
					if gc.elem == elemNode {
						kind = "node"
					}
					a.errorf(m.Name, "%s variable %s has no property %s", kind, id.Name,
						m.Name.Name)
					return nil, true
				}
				return &plan.ColRef{Index: i, Name: m.Name.Name, T: row[i].Type}, true
			}
		}
		if v := patternVarRef(e); v != "" && v != gc.elemVar && row.Index(v) < 0 {
			if _, isVar := gc.vars[v]; isVar {
				a.errorf(e, "the condition or expression of all(), any() or map() applies to "+
					"each element: it reads the element's properties by name, not pattern "+
					"variable %s", v)
				return nil, true
			}
		}
		call, isCall := e.(*syntax.CallExpr)
		if !isCall {
			return nil, false
		}
		name := call.Fun.Name
		if meta, isMeta := nodeMetaFuncs[name]; isMeta || name == "labels" {
			if len(call.Args) == 1 && gc.elemVar != "" {
				// A where condition on one variable, bound over its element.
				if id, ok := unparen(call.Args[0]).(*syntax.Ident); ok && id.Name == gc.elemVar {
					call = &syntax.CallExpr{At: call.At, Fun: call.Fun}
				}
			}
			if len(call.Args) > 0 {
				a.errorf(call, "%s() inside all(), any() or map() takes no argument: "+
					"it applies to the element", name)
				return nil, true
			}
			if name == "labels" {
				return emptyLabels(), true
			}
			if gc.elem != elemNode {
				a.errorf(call, "%s() applies to nodes; here the elements are edges "+
					"(use inner_nodes())", name)
				return nil, true
			}
			i := gc.g.NodeMeta(meta)
			return &plan.ColRef{Index: i, Name: name + "()", T: row[i].Type}, true
		}
		if isGraphFunc(name) {
			a.errorf(call, "%s() cannot be nested in all(), any() or map()", name)
			return nil, true
		}
		return nil, false
	}
	switch e := e.(type) {
	case *syntax.Ident:
		if _, isVar := gc.vars[e.Name]; isVar {
			return col(bagCol(e.Name)), true
		}
	case *syntax.MemberExpr:
		id, isID := e.X.(*syntax.Ident)
		if !isID {
			return nil, false
		}
		v, isVar := gc.vars[id.Name]
		if !isVar {
			return nil, false
		}
		name := propCol(id.Name, e.Name.Name)
		if row.Index(name) < 0 {
			kind := "node"
			if v.edge {
				kind = "edge"
			}
			a.errorf(e.Name, "%s variable %s has no property %s", kind, id.Name, e.Name.Name)
			return nil, true
		}
		return col(name), true
	case *syntax.CallExpr:
		if !isGraphFunc(e.Fun.Name) {
			return nil, false
		}
		return a.graphCall(sc, row, e), true
	}
	return nil, false
}

// patternVarRef returns the name v of an expression v or v.prop, or "".
func patternVarRef(e syntax.Expr) string {
	switch e := e.(type) {
	case *syntax.Ident:
		return e.Name
	case *syntax.MemberExpr:
		if id, ok := e.X.(*syntax.Ident); ok {
			return id.Name
		}
	}
	return ""
}

func isGraphFunc(name string) bool {
	switch name {
	case "all", "any", "map", "inner_nodes", "labels", "node_id", "node_degree_in",
		"node_degree_out":
		return true
	}
	return false
}

func emptyLabels() plan.Expr { return &plan.Const{Value: []any{}, T: types.Dynamic} }

// graphCall binds a graph function over the pattern's variables.
func (a *analyzer) graphCall(sc *scope, row column.Schema, call *syntax.CallExpr) plan.Expr {
	gc := a.gctx
	name := call.Fun.Name
	col := func(c string) plan.Expr {
		i := row.Index(c)
		return &plan.ColRef{Index: i, Name: c, T: row[i].Type}
	}
	// variable resolves argument i to a pattern variable.
	variable := func(i int, want string) (string, graphVar, bool) {
		if i >= len(call.Args) {
			a.errorf(call, "%s() expects %s as argument %d", name, want, i+1)
			return "", graphVar{}, false
		}
		id, ok := unparen(call.Args[i]).(*syntax.Ident)
		if !ok {
			a.errorf(call.Args[i], "%s() expects %s, found %s", name, want, describe(call.Args[i]))
			return "", graphVar{}, false
		}
		v, ok := gc.vars[id.Name]
		if !ok {
			a.errorf(id, "%s() expects %s, found %s, which the pattern does not declare",
				name, want, id.Name)
			return "", graphVar{}, false
		}
		return id.Name, v, true
	}
	switch name {
	case "node_id", "node_degree_in", "node_degree_out":
		v, gv, ok := variable(0, "a node variable of the pattern")
		if !ok {
			return nil
		}
		if gv.edge || len(call.Args) > 1 {
			a.errorf(call, "%s() expects one node variable of the pattern", name)
			return nil
		}
		return col(metaCol(name, v))
	case "labels":
		if len(call.Args) != 1 {
			a.errorf(call, "labels() expects one node or edge variable of the pattern")
			return nil
		}
		if _, _, ok := variable(0, "a node or edge variable of the pattern"); !ok {
			return nil
		}
		// Graphs built by make-graph carry no labels.
		return emptyLabels()
	case "inner_nodes":
		v, gv, ok := variable(0, "a variable-length edge of the pattern")
		if !ok {
			return nil
		}
		if !gv.variable || len(call.Args) > 1 {
			a.errorf(call, "inner_nodes() expects one variable-length edge of the pattern")
			return nil
		}
		return col(innerBagCol(v))
	}
	// all, any and map.
	if len(call.Args) != 2 {
		a.errorf(call, "%s() expects an edge variable or inner_nodes(edge), and an expression",
			name)
		return nil
	}
	if in, ok := unparen(call.Args[0]).(*syntax.CallExpr); ok && in.Fun.Name == "inner_nodes" {
		v, gv, ok := a.graphVarArg(in, "a variable-length edge of the pattern")
		if !ok {
			return nil
		}
		if !gv.variable {
			a.errorf(in, "inner_nodes() expects a variable-length edge of the pattern")
			return nil
		}
		return a.graphEach(sc, name, col(innerCol(v)), "", call.Args[1])
	}
	v, gv, ok := variable(0, "an edge variable of the pattern or inner_nodes(edge)")
	if !ok {
		return nil
	}
	if !gv.edge {
		a.errorf(call.Args[0], "%s() expects an edge variable or inner_nodes(edge), "+
			"found node %s", name, v)
		return nil
	}
	return a.graphEach(sc, name, col(elemsCol(v)), v, call.Args[1])
}

// graphVarArg resolves the single argument of call to a pattern variable.
func (a *analyzer) graphVarArg(call *syntax.CallExpr, want string) (string, graphVar, bool) {
	if len(call.Args) != 1 {
		a.errorf(call, "%s() expects %s", call.Fun.Name, want)
		return "", graphVar{}, false
	}
	id, ok := unparen(call.Args[0]).(*syntax.Ident)
	if !ok {
		a.errorf(call.Args[0], "%s() expects %s, found %s", call.Fun.Name, want,
			describe(call.Args[0]))
		return "", graphVar{}, false
	}
	v, ok := a.gctx.vars[id.Name]
	if !ok {
		a.errorf(id, "%s() expects %s, found %s, which the pattern does not declare",
			call.Fun.Name, want, id.Name)
		return "", graphVar{}, false
	}
	return id.Name, v, true
}

// graphEach binds all(), any() or map() over the elements in list: the
// edges of edge variable edge, or inner nodes when edge is "".
func (a *analyzer) graphEach(sc *scope, name string, list plan.Expr, edge string,
	body syntax.Expr,
) plan.Expr {
	gc := a.gctx
	saved, savedVar := gc.elem, gc.elemVar
	defer func() { gc.elem, gc.elemVar = saved, savedVar }()
	elemRow := gc.g.Edges
	gc.elem, gc.elemVar = elemEdge, edge
	nodes := edge == ""
	if nodes {
		elemRow, gc.elem = gc.g.NodeRow(), elemNode
	}
	x := a.scalar(sc, elemRow, body)
	if x == nil {
		return nil
	}
	if t := x.Type(); name != "map" && t != types.Bool && t != types.Dynamic &&
		t != types.Unknown {
		a.errorf(body, "%s() expects a bool condition, found %s", name, t)
		return nil
	}
	return &plan.GraphEach{Op: name, List: list, Nodes: nodes, Body: x}
}
