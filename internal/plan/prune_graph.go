package plan

// pruneGraphUser prunes under a node that reads a graph: it works out
// which node and edge properties the node reads and passes that down.
func pruneGraphUser(n Node, need []bool) {
	switch n := n.(type) {
	case *GraphMatch:
		g := n.Input.(Graph).GraphSchema()
		row := make([]bool, len(n.Row))
		nodes := make([]bool, len(g.NodeRow()))
		edges := make([]bool, len(g.Edges))
		mark := func(e Expr) {
			MarkCols(e, row)
			walkExpr(e, func(x Expr) {
				if each, ok := x.(*GraphEach); ok {
					if each.Nodes {
						MarkCols(each.Body, nodes)
					} else {
						MarkCols(each.Body, edges)
					}
				}
			})
		}
		if n.Where != nil {
			mark(n.Where)
		}
		for _, v := range n.Nodes {
			if v.Where != nil {
				MarkCols(v.Where, nodes)
			}
		}
		for _, e := range n.Edges {
			if e.Where != nil {
				MarkCols(e.Where, edges)
			}
			if e.InnerWhere != nil {
				MarkCols(e.InnerWhere, nodes)
			}
		}
		for j, ok := range need {
			if ok {
				mark(n.Exprs[j])
			}
		}
		for i, c := range n.Row {
			switch {
			case !row[i] || c.Elems:
			case c.Edge && c.Col < 0:
				fill(edges)
			case c.Edge:
				edges[c.Col] = true
			case c.Col < 0:
				fill(nodes)
			default:
				nodes[c.Col] = true
			}
		}
		pruneGraph(n.Input, nodes[:len(g.Nodes)], edges)
	case *GraphToTable:
		g := n.Input.(Graph).GraphSchema()
		pruneGraph(n.Input, fill(make([]bool, len(g.Nodes))), fill(make([]bool, len(g.Edges))))
	case Graph:
		g := n.GraphSchema()
		pruneGraph(n, fill(make([]bool, len(g.Nodes))), fill(make([]bool, len(g.Edges))))
	}
}

// pruneGraph records that the marked node and edge properties of graph n
// are read.
func pruneGraph(n Node, nodes, edges []bool) {
	switch n := n.(type) {
	case *MakeGraph:
		in := make([]bool, len(n.Input.Schema()))
		copy(in, edges)
		in[n.Src], in[n.Dst] = true, true
		prune(n.Input, in)
		for _, t := range n.Nodes {
			tin := make([]bool, len(t.Input.Schema()))
			tin[t.Key] = true
			for j, p := range t.Props {
				tin[j] = tin[j] || nodes[p]
			}
			prune(t.Input, tin)
		}
	case *MarkComponents:
		in := len(n.Input.(Graph).GraphSchema().Nodes)
		inner := make([]bool, in)
		copy(inner, nodes)
		if n.Col < in {
			inner[n.Col] = false
		}
		pruneGraph(n.Input, inner, edges)
	default:
		for _, in := range n.Inputs() {
			prune(in, allOf(in))
		}
	}
}

func fill(b []bool) []bool {
	for i := range b {
		b[i] = true
	}
	return b
}

// walkExpr calls fn on e and every expression under it.
func walkExpr(e Expr, fn func(Expr)) {
	fn(e)
	switch e := e.(type) {
	case *Call:
		for _, a := range e.Args {
			walkExpr(a, fn)
		}
	case *Binary:
		walkExpr(e.L, fn)
		walkExpr(e.R, fn)
	case *In:
		walkExpr(e.X, fn)
		for _, a := range e.List {
			walkExpr(a, fn)
		}
	case *Between:
		walkExpr(e.X, fn)
		walkExpr(e.Lo, fn)
		walkExpr(e.Hi, fn)
	case *Member:
		walkExpr(e.X, fn)
	case *Index:
		walkExpr(e.X, fn)
		walkExpr(e.Idx, fn)
	case *Neg:
		walkExpr(e.X, fn)
	case *GraphEach:
		walkExpr(e.List, fn)
		walkExpr(e.Body, fn)
	}
}
