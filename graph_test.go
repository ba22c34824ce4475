package huntql_test

import (
	"context"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"github.com/huntql/huntql"
	"github.com/huntql/huntql/internal/types"
)

// TestShortestPathsStrategies checks, on random graphs, that
// graph-shortest-paths gives the same paths whether it searches breadth
// first (conditions on single nodes only) or enumerates paths (a
// condition on two nodes, which is always true here, forces that).
func TestShortestPathsStrategies(t *testing.T) {
	eng, err := huntql.New(huntql.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(7))
	for trial := 0; trial < 40; trial++ {
		nodes, edges := 3+rng.Intn(6), 2+rng.Intn(14)
		var rows []string
		for i := 0; i < edges; i++ {
			rows = append(rows, fmt.Sprintf(`"n%d", "n%d", %d`, rng.Intn(nodes),
				rng.Intn(nodes), i))
		}
		table := "let E = datatable(s:string, d:string, k:long)[" + strings.Join(rows, ", ") + "];\n"
		for _, shape := range []struct{ output, edge string }{
			{"any", "-[p*1..4]->"}, {"all", "-[p*1..4]->"}, {"all", "<-[p*1..3]-"},
			{"all", "-[p*1..3]-"}, {"any", "-[p*1..3]-"}, {"all", "-[p*0..2]->"},
		} {
			query := func(extra string) string {
				return table + "E | make-graph s --> d with_node_id=id\n" +
					"| graph-shortest-paths output=" + shape.output + " (a)" + shape.edge +
					"(b) where a.id != \"n0\" and all(p, k % 5 != 0)" +
					" and all(inner_nodes(p), id != \"n3\")" + extra +
					" project a.id, b.id, ks = map(p, k), via = map(inner_nodes(p), id)"
			}
			bfs := runRows(t, eng, query(""))
			enum := runRows(t, eng, query(` and (a.id != b.id or a.id == b.id)`))
			if bfs != enum {
				t.Fatalf("trial %d %s %s: breadth first:\n%s\nenumerated:\n%s\nquery:\n%s",
					trial, shape.output, shape.edge, bfs, enum, query(""))
			}
		}
	}
}

// runRows runs a query and returns its rows printed, sorted.
func runRows(t *testing.T, eng *huntql.Engine, q string) string {
	t.Helper()
	res, err := eng.Query(context.Background(), "q", q)
	if err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
	var lines []string
	for _, r := range res.Rows {
		parts := make([]string, len(r))
		for i, v := range r {
			parts[i] = types.Format(v)
		}
		lines = append(lines, strings.Join(parts, " | "))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
