package exec

import (
	"fmt"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// graph is a graph built by make-graph: nodes and edges numbered from 0
// in the order they were first seen, node tables first.
type graph struct {
	schema     *plan.GraphSchema
	keys       []any         // each node's id
	nodes      *column.Batch // one row per node: schema.NodeRow()
	edges      *column.Batch // one row per edge: schema.Edges
	src, dst   []int         // each edge's end nodes
	out, in    [][]int       // the edges leaving and entering each node
	undirected bool
}

func (g *graph) numNodes() int { return len(g.out) }

// buildGraph runs the plan under a graph-producing node.
func (r *runner) buildGraph(n plan.Node) (*graph, error) {
	switch n := n.(type) {
	case *plan.MakeGraph:
		return r.makeGraph(n)
	case *plan.MarkComponents:
		g, err := r.buildGraph(n.Input)
		if err != nil {
			return nil, err
		}
		return markComponents(g, n), nil
	}
	return nil, fmt.Errorf("%w: %T does not yield a graph", ErrInternal, n)
}

// runTable runs a tabular plan node to completion, as one batch.
func (r *runner) runTable(n plan.Node) (*column.Batch, error) {
	op, err := r.build(n)
	if err != nil {
		return nil, err
	}
	defer op.close()
	bs, err := drain(op)
	if err != nil {
		return nil, err
	}
	if b := concat(bs); b != nil {
		return b, nil
	}
	return column.NewBatch(n.Schema(), 0), nil
}

// nodeKey makes a node id usable as a map key.
func nodeKey(v any) any {
	switch v.(type) {
	case []any, *types.Bag:
		return "\x00" + types.Format(v)
	}
	return v
}

func (r *runner) makeGraph(n *plan.MakeGraph) (*graph, error) {
	index := map[any]int{}
	var keys []any
	var props [][]any
	width := len(n.Out.Nodes)
	node := func(key any) int {
		k := nodeKey(key)
		if i, ok := index[k]; ok {
			return i
		}
		index[k] = len(keys)
		keys = append(keys, key)
		props = append(props, make([]any, width))
		return len(keys) - 1
	}
	eb, err := r.runTable(n.Input)
	if err != nil {
		return nil, err
	}
	// part is the partition's value, which every edge row holds.
	var part any
	if n.Partitioned && eb.N > 0 {
		part = nodeKey(eb.Cols[n.PartCol].Value(0))
	}
	described := map[int]bool{}
	for _, t := range n.Nodes {
		b, err := r.runTable(t.Input)
		if err != nil {
			return nil, err
		}
		for i := 0; i < b.N; i++ {
			key := b.Cols[t.Key].Value(i)
			if key == nil {
				continue
			}
			if t.PartCol >= 0 && (eb.N == 0 || nodeKey(b.Cols[t.PartCol].Value(i)) != part) {
				continue
			}
			id := node(key)
			described[id] = true
			for j, p := range t.Props {
				if v := b.Cols[j].Value(i); v != nil || props[id][p] == nil {
					props[id][p] = v
				}
			}
		}
	}
	g := &graph{schema: &n.Out, undirected: n.Undirected}
	var keep []int
	for i := 0; i < eb.N; i++ {
		s, d := eb.Cols[n.Src].Value(i), eb.Cols[n.Dst].Value(i)
		if s == nil || d == nil {
			continue
		}
		keep = append(keep, i)
		g.src = append(g.src, node(s))
		g.dst = append(g.dst, node(d))
	}
	g.edges = eb.Gather(keep)
	for id, key := range keys {
		if !described[id] {
			for _, p := range n.IDProps {
				props[id][p] = key
			}
		}
	}
	g.out, g.in = make([][]int, len(keys)), make([][]int, len(keys))
	for e := range g.src {
		g.out[g.src[e]] = append(g.out[g.src[e]], e)
		g.in[g.dst[e]] = append(g.in[g.dst[e]], e)
	}
	g.keys = keys
	g.nodes = nodeBatch(r, g, props)
	return g, nil
}

// nodeBatch lays out the node rows: properties, then id and degrees.
func nodeBatch(r *runner, g *graph, props [][]any) *column.Batch {
	s := g.schema.NodeRow()
	b := column.NewBatch(s, len(g.keys))
	np := len(g.schema.Nodes)
	tostring, _ := functions.LookupScalar("tostring")
	for id, key := range g.keys {
		for p := 0; p < np; p++ {
			b.Cols[p].Append(conform(props[id][p], s[p].Type))
		}
		b.Cols[np+plan.NodeIDCol].Append(conform(tostring.Eval(r.fctx, []any{key}), types.String))
		b.Cols[np+plan.NodeDegreeInCol].Append(int64(len(g.in[id])))
		b.Cols[np+plan.NodeDegreeOutCol].Append(int64(len(g.out[id])))
	}
	b.N = len(g.keys)
	return b
}

// markComponents numbers the connected components of g, in the order of
// their first node, and adds the number as the nodes' last property.
func markComponents(g *graph, n *plan.MarkComponents) *graph {
	nn := g.numNodes()
	comp := make([]int, nn)
	if n.Strong {
		comp = strongComponents(g)
	} else {
		parent := make([]int, nn)
		for i := range parent {
			parent[i] = i
		}
		var find func(int) int
		find = func(x int) int {
			for parent[x] != x {
				parent[x] = parent[parent[x]]
				x = parent[x]
			}
			return x
		}
		for e := range g.src {
			a, b := find(g.src[e]), find(g.dst[e])
			if a != b {
				parent[max(a, b)] = min(a, b)
			}
		}
		for i := range comp {
			comp[i] = find(i)
		}
	}
	number := map[int]int64{}
	ids := column.New(types.Long, nn)
	for i := 0; i < nn; i++ {
		c, ok := number[comp[i]]
		if !ok {
			c = int64(len(number))
			number[comp[i]] = c
		}
		ids.Append(c)
	}
	np := len(g.schema.Nodes)
	cols := append([]*column.Vector(nil), g.nodes.Cols[:np]...)
	if n.Col < np {
		cols[n.Col] = ids
	} else {
		cols = append(cols, ids)
	}
	cols = append(cols, g.nodes.Cols[np:]...)
	out := *g
	out.schema = &n.Out
	out.nodes = &column.Batch{Cols: cols, N: nn}
	return &out
}

// strongComponents labels each node with a representative of its strongly
// connected component (Kosaraju's algorithm, iterative).
func strongComponents(g *graph) []int {
	nn := g.numNodes()
	seen := make([]bool, nn)
	var order []int
	type frame struct{ v, k int }
	for s := 0; s < nn; s++ {
		if seen[s] {
			continue
		}
		seen[s] = true
		stack := []frame{{s, 0}}
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.k < len(g.out[f.v]) {
				w := g.dst[g.out[f.v][f.k]]
				f.k++
				if !seen[w] {
					seen[w] = true
					stack = append(stack, frame{w, 0})
				}
				continue
			}
			order = append(order, f.v)
			stack = stack[:len(stack)-1]
		}
	}
	comp := make([]int, nn)
	for i := range comp {
		comp[i] = -1
	}
	for i := len(order) - 1; i >= 0; i-- {
		root := order[i]
		if comp[root] >= 0 {
			continue
		}
		comp[root] = root
		stack := []int{root}
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, e := range g.in[v] {
				if w := g.src[e]; comp[w] < 0 {
					comp[w] = root
					stack = append(stack, w)
				}
			}
		}
	}
	return comp
}

// graphToTable yields a graph's nodes or edges as a table.
func (r *runner) graphToTable(n *plan.GraphToTable) (operator, error) {
	return &lazyOp{run: func() ([]*column.Batch, error) {
		g, err := r.buildGraph(n.Input)
		if err != nil {
			return nil, err
		}
		hash, _ := functions.LookupScalar("hash")
		id := func(node int) any {
			return hash.Eval(r.fctx, []any{g.keys[node]})
		}
		ids := func(ends []int) *column.Vector {
			v := column.New(types.Long, len(ends))
			for _, node := range ends {
				v.Append(id(node))
			}
			return v
		}
		b := &column.Batch{}
		if n.Edges {
			b.N = g.edges.N
			if n.SourceID {
				b.Cols = append(b.Cols, ids(g.src))
			}
			if n.Target {
				b.Cols = append(b.Cols, ids(g.dst))
			}
			b.Cols = append(b.Cols, g.edges.Cols...)
		} else {
			b.N = g.numNodes()
			if n.NodeID {
				all := make([]int, b.N)
				for i := range all {
					all[i] = i
				}
				b.Cols = append(b.Cols, ids(all))
			}
			b.Cols = append(b.Cols, g.nodes.Cols[:len(g.schema.Nodes)]...)
		}
		if b.N == 0 {
			return nil, nil
		}
		return split(b), nil
	}}, nil
}
