package syntax

import "strconv"

// graphOp prints the graph operators; it reports whether op was one.
func (pr *printer) graphOp(op Operator) bool {
	switch op := op.(type) {
	case *MakeGraphOp:
		pr.s("make-graph ")
		pr.ident(op.Src)
		if op.Undirected {
			pr.s(" -- ")
		} else {
			pr.s(" --> ")
		}
		pr.ident(op.Dst)
		if op.NodeID != nil {
			pr.s(" with_node_id=")
			pr.ident(op.NodeID)
		}
		for i, n := range op.Nodes {
			if i == 0 {
				pr.s(" with ")
			} else {
				pr.s(", ")
			}
			pr.expr(n.Table)
			pr.s(" on ")
			pr.ident(n.Key)
		}
		if op.PartitionBy != nil {
			pr.s(" partitioned-by ")
			pr.ident(op.PartitionBy)
			pr.s(" ")
			pr.subquery(op.Sub)
		}
	case *GraphMatchOp:
		if op.Shortest {
			pr.s("graph-shortest-paths ")
		} else {
			pr.s("graph-match ")
		}
		pr.opParams(op.Params)
		for i, path := range op.Paths {
			if i > 0 {
				pr.s(", ")
			}
			pr.graphPath(path)
		}
		if op.Where != nil {
			pr.s(" where ")
			pr.expr(op.Where)
		}
		if len(op.Project) > 0 {
			pr.s(" project ")
			pr.assigns(op.Project)
		}
	case *GraphToTableOp:
		pr.s("graph-to-table")
		for i, part := range op.Parts {
			if i > 0 {
				pr.s(",")
			}
			if part.Edges {
				pr.s(" edges")
			} else {
				pr.s(" nodes")
			}
			if part.As != nil {
				pr.s(" as ")
				pr.ident(part.As)
			}
			for _, prm := range part.Params {
				pr.s(" ", prm.Name, "=")
				pr.expr(prm.Value)
			}
		}
	case *GraphMarkComponentsOp:
		pr.s("graph-mark-components")
		for _, prm := range op.Params {
			pr.s(" ", prm.Name, "=")
			pr.expr(prm.Value)
		}
	default:
		return false
	}
	return true
}

func (pr *printer) graphPath(path *GraphPath) {
	for i, n := range path.Nodes {
		if i > 0 {
			e := path.Edges[i-1]
			if e.Dir == EdgeLeft {
				pr.s("<-[")
			} else {
				pr.s("-[")
			}
			if e.Name != nil {
				pr.ident(e.Name)
			}
			if e.Variable {
				pr.s("*", strconv.FormatInt(e.Min, 10), "..", strconv.FormatInt(e.Max, 10))
			}
			if e.Dir == EdgeRight {
				pr.s("]->")
			} else {
				pr.s("]-")
			}
		}
		pr.s("(")
		if n.Name != nil {
			pr.ident(n.Name)
		}
		pr.s(")")
	}
}
