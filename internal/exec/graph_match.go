package exec

import (
	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// maxGraphMatches bounds the matches one graph-match enumerates, so that a
// pattern with long variable-length edges over a dense graph fails
// instead of exhausting memory.
const maxGraphMatches = 10_000_000

// matcher enumerates the matches of a pattern by backtracking over the
// pattern's edges in order.
type matcher struct {
	g       *graph
	n       *plan.GraphMatch
	assign  []int    // graph node of each pattern node; -1 while unassigned
	paths   [][]int  // graph edges of each pattern edge, in walking order
	walks   [][]int  // graph nodes along each pattern edge, in walking order
	rev     []bool   // per pattern edge, walked from To to From
	edgeUse []int    // how many times the match uses each graph edge
	nodeUse []int    // how many times the match visits each graph node
	nodeOK  [][]bool // per pattern node, the graph nodes its conditions allow; nil for all
	edgeOK  [][]bool // per pattern edge, the graph edges its conditions allow; nil for all
	innerOK [][]bool // per pattern edge, the graph nodes its path may pass through; nil for all
	emit    func()
	count   int
	tooMany bool
}

func (m *matcher) run() {
	for i := range m.assign {
		m.assign[i] = -1
	}
	m.edge(0)
}

// edge matches pattern edge k and the rest after it.
func (m *matcher) edge(k int) {
	if m.tooMany {
		return
	}
	if k == len(m.n.Edges) {
		m.loneNode(0)
		return
	}
	pe := m.n.Edges[k]
	// Walk from the end that is known, or that conditions narrow down.
	m.rev[k] = m.assign[pe.From] < 0 && (m.assign[pe.To] >= 0 ||
		m.nodeOK[pe.To] != nil && m.nodeOK[pe.From] == nil)
	start := pe.From
	if m.rev[k] {
		start = pe.To
	}
	if v := m.assign[start]; v >= 0 {
		m.walk(k, v)
		return
	}
	for v := 0; v < m.g.numNodes(); v++ {
		if !m.allowed(start, v) || !m.enter(v, false) {
			continue
		}
		m.assign[start] = v
		m.walk(k, v)
		m.assign[start] = -1
		m.leave(v)
	}
}

// loneNode assigns the pattern nodes no edge reaches, from pattern node i.
func (m *matcher) loneNode(i int) {
	for ; i < len(m.assign) && m.assign[i] >= 0; i++ {
	}
	if i == len(m.assign) {
		m.count++
		if m.count > maxGraphMatches {
			m.tooMany = true
			return
		}
		m.emit()
		return
	}
	for v := 0; v < m.g.numNodes(); v++ {
		if !m.allowed(i, v) || !m.enter(v, false) {
			continue
		}
		m.assign[i] = v
		m.loneNode(i + 1)
		m.assign[i] = -1
		m.leave(v)
	}
}

// allowed reports whether pattern node k's conditions allow graph node v.
func (m *matcher) allowed(k, v int) bool {
	return m.nodeOK[k] == nil || m.nodeOK[k][v]
}

// enter records a visit of graph node v; it reports false when cycles=none
// forbids it. closing allows revisiting the node a pattern variable
// already holds.
func (m *matcher) enter(v int, closing bool) bool {
	if m.n.Cycles == plan.CyclesNone && m.nodeUse[v] > 0 && !closing {
		return false
	}
	m.nodeUse[v]++
	return true
}

func (m *matcher) leave(v int) { m.nodeUse[v]-- }

// walk extends pattern edge k from graph node v, which is already entered.
func (m *matcher) walk(k int, start int) {
	m.paths[k] = m.paths[k][:0]
	m.walks[k] = append(m.walks[k][:0], start)
	m.step(k, start)
}

// endOf returns the pattern node where the walk of pattern edge k ends.
func (m *matcher) endOf(k int) int {
	if m.rev[k] {
		return m.n.Edges[k].From
	}
	return m.n.Edges[k].To
}

// step tries to end pattern edge k at cur, then to extend it by one edge.
func (m *matcher) step(k, cur int) {
	if m.tooMany {
		return
	}
	pe := m.n.Edges[k]
	endVar := m.endOf(k)
	length := len(m.paths[k])
	if length >= pe.Min {
		m.end(k, cur)
	}
	if length == pe.Max || length > 0 && m.innerOK[k] != nil && !m.innerOK[k][cur] {
		return
	}
	try := func(e, next int) {
		if m.n.Cycles == plan.CyclesUniqueEdges && m.edgeUse[e] > 0 ||
			m.edgeOK[k] != nil && !m.edgeOK[k][e] {
			return
		}
		// The last node of a path may be the one its end variable holds.
		closing := length+1 >= pe.Min && m.assign[endVar] == next
		if !m.enter(next, closing) {
			return
		}
		m.edgeUse[e]++
		m.paths[k] = append(m.paths[k], e)
		m.walks[k] = append(m.walks[k], next)
		m.step(k, next)
		m.paths[k] = m.paths[k][:len(m.paths[k])-1]
		m.walks[k] = m.walks[k][:len(m.walks[k])-1]
		m.edgeUse[e]--
		m.leave(next)
	}
	// forward follows graph edges from source to target.
	forward := pe.Dir != plan.EdgeBackward || m.g.undirected
	backward := pe.Dir != plan.EdgeForward || m.g.undirected
	if m.rev[k] && !m.g.undirected && pe.Dir != plan.EdgeAnyDir {
		forward, backward = backward, forward
	}
	if forward {
		for _, e := range m.g.out[cur] {
			try(e, m.g.dst[e])
		}
	}
	if backward {
		for _, e := range m.g.in[cur] {
			if forward && m.g.src[e] == m.g.dst[e] {
				continue // a self-loop was tried going forward
			}
			try(e, m.g.src[e])
		}
	}
}

// end closes pattern edge k at graph node cur and matches the rest.
func (m *matcher) end(k, cur int) {
	endVar := m.endOf(k)
	switch to := m.assign[endVar]; {
	case to == cur:
		m.edge(k + 1)
	case to >= 0:
	case !m.allowed(endVar, cur):
	default:
		// The walk already entered cur (a zero-length path stays on its
		// start, which is entered too).
		m.assign[endVar] = cur
		m.edge(k + 1)
		m.assign[endVar] = -1
	}
}

// graphMatch runs graph-match and graph-shortest-paths.
func (r *runner) graphMatch(n *plan.GraphMatch) (operator, error) {
	return &lazyOp{run: func() ([]*column.Batch, error) {
		g, err := r.buildGraph(n.Input)
		if err != nil {
			return nil, err
		}
		saved := r.graph
		r.graph = g
		defer func() { r.graph = saved }()
		var pred *compiled
		if n.Where != nil {
			if pred, err = r.compile(n.Where); err != nil {
				return nil, err
			}
		}
		rows, err := r.matchRows(g, n, pred)
		if err != nil || rows.N == 0 {
			return nil, err
		}
		if n.Shortest {
			rows = shortest(rows, n, len(n.Row))
		}
		out := &column.Batch{N: rows.N, Cols: make([]*column.Vector, len(n.Exprs))}
		for j, x := range n.Exprs {
			c, err := r.compile(x)
			if err != nil {
				return nil, err
			}
			out.Cols[j] = c.eval(rows)
		}
		if out.N == 0 {
			return nil, nil
		}
		return split(out), nil
	}}, nil
}

// matchRows enumerates the matches as rows of n.Row, computing only the
// columns the expressions read, and keeps those pred (may be nil) holds
// for, a batch at a time so that memory follows the result. For
// graph-shortest-paths each row has two more columns: the match's total
// path length and the key of its node assignment.
func (r *runner) matchRows(g *graph, n *plan.GraphMatch, pred *compiled) (*column.Batch, error) {
	used := make([]bool, len(n.Row))
	if n.Where != nil {
		plan.MarkCols(n.Where, used)
	}
	for _, x := range n.Exprs {
		plan.MarkCols(x, used)
	}
	schema := n.RowSchema()
	if n.Shortest {
		schema = append(schema, column.Field{Name: "#length", Type: types.Long},
			column.Field{Name: "#ends", Type: types.String})
	}
	rows := column.NewBatch(schema, 0)
	var kept []*column.Batch
	var stop error
	var m *matcher
	var usedCols []int
	for i, ok := range used {
		if ok {
			usedCols = append(usedCols, i)
		}
	}
	flush := func() {
		if rows.N == 0 {
			return
		}
		for i, ok := range used {
			if !ok {
				rows.Cols[i] = column.Null(schema[i].Type, rows.N)
			}
		}
		if pred != nil {
			v := pred.eval(rows)
			var keep []int
			for i := 0; i < rows.N; i++ {
				if truthy(v, i) {
					keep = append(keep, i)
				}
			}
			rows = rows.Gather(keep)
		}
		if rows.N > 0 {
			kept = append(kept, rows)
		}
		rows = column.NewBatch(schema, 0)
		if err := r.ctx.Err(); err != nil {
			stop = err
			m.tooMany = true
		}
	}
	m = &matcher{g: g, n: n, assign: make([]int, len(n.Nodes)),
		paths: make([][]int, len(n.Edges)), walks: make([][]int, len(n.Edges)),
		rev:     make([]bool, len(n.Edges)),
		edgeUse: make([]int, len(g.src)), nodeUse: make([]int, g.numNodes()),
		nodeOK: make([][]bool, len(n.Nodes)), edgeOK: make([][]bool, len(n.Edges)),
		innerOK: make([][]bool, len(n.Edges))}
	var err error
	for k, v := range n.Nodes {
		if v.Where != nil {
			if m.nodeOK[k], err = r.allowedElems(v.Where, g.nodes); err != nil {
				return nil, err
			}
		}
	}
	for k, e := range n.Edges {
		if e.Where != nil {
			if m.edgeOK[k], err = r.allowedElems(e.Where, g.edges); err != nil {
				return nil, err
			}
		}
		if e.InnerWhere != nil {
			if m.innerOK[k], err = r.allowedElems(e.InnerWhere, g.nodes); err != nil {
				return nil, err
			}
		}
	}
	np := len(g.schema.Nodes)
	nodeBag := func(v int) any {
		bag := types.NewBag()
		for p := 0; p < np; p++ {
			bag.Set(g.schema.Nodes[p].Name, g.nodes.Cols[p].Value(v))
		}
		return bag
	}
	edgeBag := func(e int) any {
		bag := types.NewBag()
		for p, f := range g.schema.Edges {
			bag.Set(f.Name, g.edges.Cols[p].Value(e))
		}
		return bag
	}
	m.emit = func() {
		for _, i := range usedCols {
			rows.Cols[i].Append(m.value(n.Row[i], nodeBag, edgeBag))
		}
		if n.Shortest {
			total := 0
			for _, p := range m.paths {
				total += len(p)
			}
			rows.Cols[len(n.Row)].Append(int64(total))
			rows.Cols[len(n.Row)+1].Append(types.Format(intsToAny(m.assign)))
		}
		rows.N++
		if rows.N == column.BatchSize {
			flush()
		}
	}
	for i := range m.assign {
		m.assign[i] = -1
	}
	if m.bfsEligible() {
		m.runBFS()
	} else {
		m.run()
	}
	flush()
	if stop != nil {
		return nil, stop
	}
	if m.tooMany {
		return nil, errorf("graph-match enumerated more than %d matches; narrow the pattern "+
			"or shorten its variable-length edges", maxGraphMatches)
	}
	if all := concat(kept); all != nil {
		return all, nil
	}
	return column.NewBatch(schema, 0), nil
}

// allowedElems evaluates a condition over every graph element of elems.
func (r *runner) allowedElems(cond plan.Expr, elems *column.Batch) ([]bool, error) {
	c, err := r.compile(cond)
	if err != nil {
		return nil, err
	}
	v := c.eval(elems)
	ok := make([]bool, elems.N)
	for i := range ok {
		ok[i] = truthy(v, i)
	}
	return ok, nil
}

// value computes one match-row column for the current match.
func (m *matcher) value(c plan.MatchCol, nodeBag, edgeBag func(int) any) any {
	g := m.g
	if !c.Edge {
		v := m.assign[c.Var]
		if c.Col < 0 {
			return nodeBag(v)
		}
		return g.nodes.Cols[c.Col].Value(v)
	}
	path, walk := m.paths[c.Var], m.walks[c.Var]
	if m.rev[c.Var] {
		path, walk = reversed(path), reversed(walk)
	}
	var inner []int
	if len(walk) > 2 {
		inner = walk[1 : len(walk)-1]
	}
	pe := m.n.Edges[c.Var]
	switch {
	case c.Elems && c.Inner:
		return intsToAny(inner)
	case c.Elems:
		return intsToAny(path)
	case c.Inner:
		out := make([]any, len(inner))
		for i, v := range inner {
			out[i] = nodeBag(v)
		}
		return out
	case !pe.Variable && c.Col < 0:
		return edgeBag(path[0])
	case !pe.Variable:
		return g.edges.Cols[c.Col].Value(path[0])
	}
	out := make([]any, len(path))
	for i, e := range path {
		if c.Col < 0 {
			out[i] = edgeBag(e)
		} else {
			out[i] = toDynamic(g.edges.Cols[c.Col].Value(e))
		}
	}
	return out
}

func reversed(xs []int) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		out[len(xs)-1-i] = x
	}
	return out
}

func intsToAny(xs []int) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = int64(x)
	}
	return out
}

// toDynamic converts a scalar to the value a dynamic array holds.
func toDynamic(v any) any {
	if x, ok := v.(int32); ok {
		return int64(x)
	}
	return v
}

// shortest keeps, per assignment of the pattern's nodes, the matches of
// least total path length: the first of them, or all with AllShortest.
func shortest(rows *column.Batch, n *plan.GraphMatch, base int) *column.Batch {
	lengths, ends := rows.Cols[base], rows.Cols[base+1]
	best := map[string]int64{}
	for i := 0; i < rows.N; i++ {
		k, l := ends.Value(i).(string), lengths.Value(i).(int64)
		if b, ok := best[k]; !ok || l < b {
			best[k] = l
		}
	}
	taken := map[string]bool{}
	var keep []int
	for i := 0; i < rows.N; i++ {
		k := ends.Value(i).(string)
		if lengths.Value(i).(int64) != best[k] || taken[k] && !n.AllShortest {
			continue
		}
		taken[k] = true
		keep = append(keep, i)
	}
	return rows.Gather(keep)
}

// graphEach evaluates all(), any() or map() over graph elements.
func (r *runner) graphEach(e *plan.GraphEach) (rowFn, error) {
	g := r.graph
	if g == nil {
		return nil, errorf("%s() is only valid in graph-match", e.Op)
	}
	list, err := r.rowFunc(e.List)
	if err != nil {
		return nil, err
	}
	body, err := r.rowFuncNoFold(e.Body)
	if err != nil {
		return nil, err
	}
	elems := g.edges
	if e.Nodes {
		elems = g.nodes
	}
	op := e.Op
	return func(b *column.Batch, i int) any {
		xs, _ := list(b, i).([]any)
		var out []any
		for _, x := range xs {
			v := body(elems, int(x.(int64)))
			switch op {
			case "all":
				if v != true {
					return false
				}
			case "any":
				if v == true {
					return true
				}
			default:
				out = append(out, toDynamic(v))
			}
		}
		switch op {
		case "all":
			return true
		case "any":
			return false
		}
		if out == nil {
			out = []any{}
		}
		return out
	}, nil
}
