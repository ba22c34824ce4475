package plan

import (
	"reflect"
	"testing"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

func col(s column.Schema, name string) *ColRef {
	i := s.Index(name)
	return &ColRef{Index: i, Name: name, T: s[i].Type}
}

// TestPruneWindowScanTopNested checks that the new operators ask their
// input for exactly the columns they and their consumers read.
func TestPruneWindowScanTopNested(t *testing.T) {
	table := column.Schema{{Name: "a", Type: types.Long}, {Name: "b", Type: types.Long},
		{Name: "c", Type: types.Long}, {Name: "d", Type: types.Long}}
	long := func(name string) column.Field { return column.Field{Name: name, Type: types.Long} }
	tests := []struct {
		name  string
		build func(scan *Scan) Node
		want  []bool
	}{
		{"window call reads its argument, output keeps a", func(scan *Scan) Node {
			w := &Serialize{Input: scan, Calls: []*WindowCall{
				{Name: "prev", Args: []Expr{col(table, "b")}, T: types.Long},
				{Name: "row_cumsum", Args: []Expr{&ColRef{Index: 4, Name: "$window0",
					T: types.Long}}, T: types.Long},
			}, Out: append(append(column.Schema(nil), table...), long("$window0"), long("$window1"))}
			return &Project{Input: w, Exprs: []Expr{col(table, "a"),
				&ColRef{Index: 5, Name: "$window1", T: types.Long}},
				Out: column.Schema{long("a"), long("s")}}
		}, []bool{true, true, false, false}},
		{"unread window call reads nothing", func(scan *Scan) Node {
			w := &Serialize{Input: scan, Calls: []*WindowCall{
				{Name: "prev", Args: []Expr{col(table, "b")}, T: types.Long},
			}, Out: append(append(column.Schema(nil), table...), long("$window0"))}
			return &Project{Input: w, Exprs: []Expr{col(table, "a")},
				Out: column.Schema{long("a")}}
		}, []bool{true, false, false, false}},
		{"scan reads state columns of its steps", func(scan *Scan) Node {
			// Step row: a b c d x | s.a s.b s.c s.d s.x
			s := &StepScan{Input: scan, Defaults: []Expr{&Const{T: types.Long}},
				Steps: []*ScanStep{{Name: "s", Output: "all",
					Pred:    &Binary{Op: ">", L: &ColRef{Index: 7, Name: "s.c"}, R: &Const{}},
					Assigns: []ScanAssign{{Col: 4, Value: &ColRef{Index: 9, Name: "s.x"}}}}},
				Out: append(append(column.Schema(nil), table...), long("x"))}
			return &Project{Input: s, Exprs: []Expr{&ColRef{Index: 4, Name: "x"}},
				Out: column.Schema{long("x")}}
		}, []bool{false, false, true, false}},
		{"top-nested reads keys and aggregate arguments", func(scan *Scan) Node {
			return &TopNested{Input: scan, Levels: []*TopNestedLevel{{N: 1,
				Key:  col(table, "d"),
				Aggs: []*AggCall{{Name: "sum", Args: []Expr{col(table, "a")}}},
			}}}
		}, []bool{true, false, false, true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			scan := &Scan{Table: "T", Columns: table}
			Prune(tc.build(scan))
			if !reflect.DeepEqual(scan.Needed, tc.want) {
				t.Errorf("needed %v, want %v", scan.Needed, tc.want)
			}
		})
	}
}

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
