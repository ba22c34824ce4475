package plan

import (
	"reflect"
	"testing"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// TestPruneGraph checks that only the edge and node columns a graph-match
// reads, plus the node ids, are marked on the scans under make-graph.
func TestPruneGraph(t *testing.T) {
	str := func(names ...string) column.Schema {
		s := make(column.Schema, len(names))
		for i, n := range names {
			s[i] = column.Field{Name: n, Type: types.String}
		}
		return s
	}
	build := func() (*Scan, *Scan, *MakeGraph) {
		edges := &Scan{Table: "E", Columns: str("src", "dst", "kind", "unused")}
		nodes := &Scan{Table: "N", Columns: str("id", "name", "unused", "team")}
		g := &MakeGraph{Input: edges, Src: 0, Dst: 1,
			Nodes: []*GraphNodes{{Input: nodes, Key: 0, Props: []int{0, 1, 2, 3}, PartCol: -1}},
			Out:   GraphSchema{Nodes: nodes.Columns, Edges: edges.Columns, Key: types.String}}
		return edges, nodes, g
	}
	tests := []struct {
		name             string
		match            func(g *MakeGraph) Node
		wantEdge, wantNd []bool
	}{
		{"project a node property and filter on an edge", func(g *MakeGraph) Node {
			return &GraphMatch{Input: g,
				Nodes: []PatternNode{{Name: "a"}, {Name: "b", Where: &ColRef{Index: 3,
					T: types.String}}},
				Edges: []PatternEdge{{Name: "e", From: 0, To: 1, Min: 1, Max: 1,
					Where: &ColRef{Index: 2, T: types.String}}},
				Row:   []MatchCol{{Var: 0, Col: 1, T: types.String}},
				Exprs: []Expr{&ColRef{Index: 0, T: types.String}},
				Out:   str("name")}
		}, []bool{true, true, true, false}, []bool{true, true, false, true}},
		{"graph-to-table reads everything", func(g *MakeGraph) Node {
			return &GraphToTable{Input: g, Out: g.Out.Nodes}
		}, []bool{true, true, true, true}, []bool{true, true, true, true}},
		{"map over a path reads its body's edge column", func(g *MakeGraph) Node {
			return &GraphMatch{Input: g,
				Nodes: []PatternNode{{Name: "a"}, {Name: "b"}},
				Edges: []PatternEdge{{Name: "e", From: 0, To: 1, Variable: true, Min: 1, Max: 2}},
				Row:   []MatchCol{{Edge: true, Var: 0, Elems: true, T: types.Dynamic}},
				Exprs: []Expr{&GraphEach{Op: "map", List: &ColRef{Index: 0, T: types.Dynamic},
					Body: &ColRef{Index: 3, T: types.String}}},
				Out: column.Schema{{Name: "m", Type: types.Dynamic}}}
		}, []bool{true, true, false, true}, []bool{true, false, false, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			edges, nodes, g := build()
			Prune(tc.match(g))
			if !reflect.DeepEqual(edges.Needed, tc.wantEdge) {
				t.Errorf("edge columns read: got %v, want %v", edges.Needed, tc.wantEdge)
			}
			if !reflect.DeepEqual(nodes.Needed, tc.wantNd) {
				t.Errorf("node columns read: got %v, want %v", nodes.Needed, tc.wantNd)
			}
		})
	}
}
