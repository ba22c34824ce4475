package exec

import "github.com/huntql/huntql/internal/plan"

// bfsEligible reports whether graph-shortest-paths can search breadth
// first rather than enumerate paths: one variable-length edge between two
// distinct nodes, every condition on single nodes or edges, and a minimum
// length of at most 1, so that the shortest walk is the answer.
func (m *matcher) bfsEligible() bool {
	n := m.n
	if !n.Shortest || n.Where != nil || len(n.Edges) != 1 || len(n.Nodes) != 2 {
		return false
	}
	pe := n.Edges[0]
	return pe.Variable && pe.Min <= 1 && pe.From != pe.To
}

// parent is how breadth-first search reached a node: by edge from node.
type parent struct{ edge, node int }

// runBFS emits the shortest paths from every allowed start node to every
// allowed end node: the first found (which depth-first enumeration would
// also find first), or all of them with AllShortest.
func (m *matcher) runBFS() {
	pe := m.n.Edges[0]
	g := m.g
	nn := g.numNodes()
	dist := make([]int, nn)
	parents := make([][]parent, nn)
	forward := pe.Dir != plan.EdgeBackward || g.undirected
	backward := pe.Dir != plan.EdgeForward || g.undirected
	for s := 0; s < nn && !m.tooMany; s++ {
		if !m.allowed(pe.From, s) {
			continue
		}
		for i := range dist {
			dist[i], parents[i] = -1, parents[i][:0]
		}
		dist[s] = 0
		queue := []int{s}
		reach := func(e, v, w int) {
			if m.edgeOK[0] != nil && !m.edgeOK[0][e] {
				return
			}
			switch {
			case dist[w] < 0:
				dist[w] = dist[v] + 1
				parents[w] = append(parents[w], parent{e, v})
				queue = append(queue, w)
			case dist[w] == dist[v]+1 && m.n.AllShortest:
				parents[w] = append(parents[w], parent{e, v})
			}
		}
		for i := 0; i < len(queue); i++ {
			v := queue[i]
			if dist[v] == pe.Max || v != s && m.innerOK[0] != nil && !m.innerOK[0][v] {
				continue
			}
			if forward {
				for _, e := range g.out[v] {
					reach(e, v, g.dst[e])
				}
			}
			if backward {
				for _, e := range g.in[v] {
					if forward && g.src[e] == g.dst[e] {
						continue
					}
					reach(e, v, g.src[e])
				}
			}
		}
		for _, t := range queue {
			if t == s && pe.Min > 0 || !m.allowed(pe.To, t) {
				continue
			}
			m.assign[pe.From], m.assign[pe.To] = s, t
			m.paths[0], m.walks[0] = m.paths[0][:0], append(m.walks[0][:0], t)
			m.emitPaths(parents, s, t)
			if m.tooMany {
				return
			}
		}
	}
}

// emitPaths emits each path breadth-first search recorded from s to v,
// prefixed to the suffix already in m.paths[0] and m.walks[0] (which hold
// it from the end backwards until it is complete).
func (m *matcher) emitPaths(parents [][]parent, s, v int) {
	if v == s {
		path, walk := reversed(m.paths[0]), reversed(m.walks[0])
		savedPath, savedWalk := m.paths[0], m.walks[0]
		m.paths[0], m.walks[0] = path, walk
		m.count++
		if m.count > maxGraphMatches {
			m.tooMany = true
		} else {
			m.emit()
		}
		m.paths[0], m.walks[0] = savedPath, savedWalk
		return
	}
	for _, p := range parents[v] {
		m.paths[0] = append(m.paths[0], p.edge)
		m.walks[0] = append(m.walks[0], p.node)
		m.emitPaths(parents, s, p.node)
		m.paths[0] = m.paths[0][:len(m.paths[0])-1]
		m.walks[0] = m.walks[0][:len(m.walks[0])-1]
		if m.tooMany {
			return
		}
	}
}
