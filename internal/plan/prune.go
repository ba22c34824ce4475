package plan

// Prune marks, on every Scan under n, the table columns the query actually
// reads, so that readers decode only those. It returns n.
func Prune(n Node) Node {
	need := make([]bool, len(n.Schema()))
	for i := range need {
		need[i] = true
	}
	prune(n, need)
	return n
}

// prune records that the columns of n's output marked in need are read.
func prune(n Node, need []bool) {
	switch n := n.(type) {
	case *Scan:
		if n.Needed == nil {
			n.Needed = make([]bool, len(n.Columns))
		}
		for i, ok := range need {
			n.Needed[i] = n.Needed[i] || ok
		}
	case *Filter:
		in := clone(need)
		MarkCols(n.Pred, in)
		prune(n.Input, in)
	case *Project:
		in := make([]bool, len(n.Input.Schema()))
		for j, ok := range need {
			if ok {
				MarkCols(n.Exprs[j], in)
			}
		}
		prune(n.Input, in)
	case *Aggregate:
		in := make([]bool, len(n.Input.Schema()))
		for _, k := range n.Keys {
			MarkCols(k, in)
		}
		for _, a := range n.Aggs {
			for _, x := range a.Args {
				MarkCols(x, in)
			}
		}
		prune(n.Input, in)
	case *Sort:
		in := clone(need)
		for _, k := range n.Keys {
			MarkCols(k.Expr, in)
		}
		prune(n.Input, in)
	case *Top:
		in := clone(need)
		for _, k := range n.Keys {
			MarkCols(k.Expr, in)
		}
		if n.Count != nil {
			MarkCols(n.Count, in) // prunes a toscalar() subquery's scans
		}
		prune(n.Input, in)
	case *Limit:
		if n.Count != nil {
			MarkCols(n.Count, clone(need))
		}
		prune(n.Input, clone(need))
	case *Sample:
		prune(n.Input, clone(need))
	case *Count:
		prune(n.Input, make([]bool, len(n.Input.Schema())))
	case *MvExpand:
		in := make([]bool, len(n.Input.Schema()))
		copy(in, need)
		for _, c := range n.Cols {
			in[c] = true
		}
		prune(n.Input, in)
	case *Union:
		for i, in := range n.Ins {
			sub := make([]bool, len(in.Schema()))
			for j, src := range n.Maps[i] {
				if src >= 0 && need[j] {
					sub[src] = true
				}
			}
			prune(in, sub)
		}
	case *Join:
		pruneJoin(n, need)
	case *MakeSeries:
		in := make([]bool, len(n.Input.Schema()))
		for _, k := range n.Keys {
			MarkCols(k, in)
		}
		MarkCols(n.Axis, in)
		for _, a := range n.Aggs {
			for _, x := range a.Args {
				MarkCols(x, in)
			}
		}
		prune(n.Input, in)
	case *Materialize:
		// Every reference shares one computation: the needs of all of
		// them add up on the scans below.
		prune(n.Input, clone(need))
	case *Partition:
		Prune(n.Sub)
		prune(n.Input, allOf(n.Input))
	case *StepScan:
		w, base := n.Width(), len(n.Input.Schema())
		row := make([]bool, w*(len(n.Steps)+1))
		copy(row, need[:base])
		for _, st := range n.Steps {
			MarkCols(st.Pred, row)
			for _, as := range st.Assigns {
				MarkCols(as.Value, row)
			}
		}
		in := make([]bool, base)
		for i, ok := range row {
			if ok && i%w < base {
				in[i%w] = true
			}
		}
		prune(n.Input, in)
	case *TopNested:
		in := make([]bool, len(n.Input.Schema()))
		for _, l := range n.Levels {
			MarkCols(l.Key, in)
			for _, a := range l.Aggs {
				for _, x := range a.Args {
					MarkCols(x, in)
				}
			}
		}
		prune(n.Input, in)
	case *GraphMatch, *GraphToTable, *MakeGraph, *MarkComponents:
		pruneGraphUser(n, need)
	case *Serialize:
		// A call's arguments may read earlier calls' columns: walk back.
		all := clone(need)
		base := len(n.Input.Schema())
		for j := len(n.Calls) - 1; j >= 0; j-- {
			if all[base+j] {
				for _, x := range n.Calls[j].Args {
					MarkCols(x, all)
				}
			}
		}
		prune(n.Input, all[:base])
	default:
		if in, ok := inputNeeds(n, need); ok {
			prune(n.Inputs()[0], in)
			return
		}
		for _, in := range n.Inputs() {
			all := make([]bool, len(in.Schema()))
			for i := range all {
				all[i] = true
			}
			prune(in, all)
		}
	}
}

func pruneJoin(n *Join, need []bool) {
	ls, rs := n.Left.Schema(), n.Right.Schema()
	left, right := make([]bool, len(ls)), make([]bool, len(rs))
	for _, k := range n.LeftKeys {
		left[k] = true
	}
	for _, k := range n.RightKeys {
		right[k] = true
	}
	switch n.Kind {
	case LeftSemi, LeftAnti:
		copy(left, orSlice(left, need))
	case RightSemi, RightAnti:
		copy(right, orSlice(right, need))
	default:
		for i := range ls {
			left[i] = left[i] || need[i]
		}
		j := len(ls)
		for i := range rs {
			if n.Lookup && contains(n.RightKeys, i) {
				continue
			}
			right[i] = right[i] || need[j]
			j++
		}
	}
	prune(n.Left, left)
	prune(n.Right, right)
}

func orSlice(a, b []bool) []bool {
	out := clone(a)
	for i := range out {
		out[i] = out[i] || b[i]
	}
	return out
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func allOf(n Node) []bool {
	all := make([]bool, len(n.Schema()))
	for i := range all {
		all[i] = true
	}
	return all
}

func clone(b []bool) []bool { return append([]bool(nil), b...) }

// MarkCols marks the input columns e reads.
func MarkCols(e Expr, in []bool) {
	switch e := e.(type) {
	case *ColRef:
		in[e.Index] = true
	case *Call:
		for _, a := range e.Args {
			MarkCols(a, in)
		}
	case *Binary:
		MarkCols(e.L, in)
		MarkCols(e.R, in)
	case *In:
		MarkCols(e.X, in)
		for _, a := range e.List {
			MarkCols(a, in)
		}
		if e.Sub != nil {
			Prune(e.Sub)
		}
	case *Between:
		MarkCols(e.X, in)
		MarkCols(e.Lo, in)
		MarkCols(e.Hi, in)
	case *Member:
		MarkCols(e.X, in)
	case *Index:
		MarkCols(e.X, in)
		MarkCols(e.Idx, in)
	case *Neg:
		MarkCols(e.X, in)
	case *Scalar:
		Prune(e.Sub)
	case *GraphEach:
		MarkCols(e.List, in)
	}
}
