package plan

import (
	"reflect"
	"testing"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// TestPruneOps checks which scan columns the less common operators read.
func TestPruneOps(t *testing.T) {
	scan := func() *Scan {
		return &Scan{Table: "T", Columns: column.Schema{
			{Name: "t", Type: types.Datetime}, {Name: "v", Type: types.Long},
			{Name: "k", Type: types.String}, {Name: "unused", Type: types.String}}}
	}
	col := func(i int, tp types.Type) *ColRef { return &ColRef{Index: i, T: tp} }
	dyn := column.Schema{{Name: "x", Type: types.Dynamic}}

	s1 := scan()
	Prune(&MakeSeries{Input: s1, Keys: []Expr{col(2, types.String)},
		Axis: col(0, types.Datetime), Step: &Const{Value: types.Duration(1), T: types.Timespan},
		Aggs: []*AggCall{{Name: "sum", Args: []Expr{col(1, types.Long)}, Out: dyn}},
		Out:  column.Schema{{Name: "k"}, {Name: "sum_v"}, {Name: "t"}}})
	if want := []bool{true, true, true, false}; !reflect.DeepEqual(s1.Needed, want) {
		t.Errorf("make-series reads %v, want %v", s1.Needed, want)
	}

	s2 := scan()
	m := &Materialize{Input: s2}
	Prune(&Tables{Names: []string{"a", "b"}, Ins: []Node{
		&Project{Input: m, Exprs: []Expr{col(0, types.Datetime)}, Out: column.Schema{{Name: "t"}}},
		&Project{Input: m, Exprs: []Expr{col(1, types.Long)}, Out: column.Schema{{Name: "v"}}},
	}})
	if want := []bool{true, true, false, false}; !reflect.DeepEqual(s2.Needed, want) {
		t.Errorf("a materialized scan read by two tables reads %v, want %v", s2.Needed, want)
	}

	s3 := scan()
	leaf := &PartitionInput{Out: s3.Columns}
	Prune(&Partition{Input: s3, Key: 2, Sub: &Limit{Input: leaf, N: 1}})
	if want := []bool{true, true, true, true}; !reflect.DeepEqual(s3.Needed, want) {
		t.Errorf("partition reads %v, want every column", s3.Needed)
	}
}
