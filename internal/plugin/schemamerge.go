package plugin

import (
	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

func init() {
	Register(&Plugin{Name: "schema_merge", Bind: bindSchemaMerge, Run: runSchemaMerge})
}

var getschemaCols = column.Schema{{Name: "ColumnName", Type: types.String},
	{Name: "ColumnOrdinal", Type: types.Int}, {Name: "DataType", Type: types.String},
	{Name: "ColumnType", Type: types.String}}

// clrTypes are the .NET type names getschema reports in DataType.
var clrTypes = map[string]string{
	"bool": "System.Boolean", "int": "System.Int32", "long": "System.Int64",
	"real": "System.Double", "decimal": "System.Data.SqlTypes.SqlDecimal",
	"string": "System.String", "datetime": "System.DateTime", "timespan": "System.TimeSpan",
	"guid": "System.Guid", "dynamic": "System.Object",
}

func bindSchemaMerge(b *Binding) (*Bound, error) {
	if len(b.Args) > 1 {
		return nil, argErrorf(-1, "expected an optional PreserveOrder, found %d arguments",
			len(b.Args))
	}
	if len(b.Args) == 1 {
		a := b.Args[0]
		if (a.Name != "" && a.Name != "PreserveOrder") || !a.Const || a.Type != types.Bool {
			return nil, argErrorf(0, "expected a constant bool PreserveOrder")
		}
	}
	for _, name := range []string{"ColumnName", "ColumnOrdinal", "ColumnType"} {
		if b.Input.Index(name) < 0 {
			return nil, argErrorf(-1, "the input has no column %s; schema_merge merges "+
				"getschema outputs", name)
		}
	}
	return &Bound{Out: getschemaCols}, nil
}

// mergedCol is one column of the merged schema.
type mergedCol struct {
	name, typ string
	first     int    // the ordinal where the column first appeared
	err       string // why the column cannot be merged, or ""
}

// runSchemaMerge merges the getschema rows of its input in order: a new
// column is inserted at its ordinal, a known one widens to a common numeric
// type. With PreserveOrder, a column whose
// place moved from where it first appeared is an error, as are types that
// cannot be reduced.
func runSchemaMerge(r *Run) (*Output, error) {
	preserve := true
	if len(r.Args) == 1 {
		preserve, _ = r.Args[0].At(0).(bool)
	}
	in := r.Input
	names, ords := in.col("ColumnName"), in.col("ColumnOrdinal")
	typs := in.col("ColumnType")
	var merged []*mergedCol
	index := func(name string) int {
		for i, c := range merged {
			if c.name == name {
				return i
			}
		}
		return -1
	}
	for i := 0; i < in.N(); i++ {
		name, typ := str(names, i), str(typs, i)
		ord, _ := ticks(ords.Value(i))
		if j := index(name); j >= 0 {
			c := merged[j]
			if t, ok := commonType(c.typ, typ); ok {
				c.typ = t
			} else if c.err == "" {
				c.err = "ERROR(incompatible types: " + c.typ + ", " + typ + ")"
			}
			continue
		}
		at := min(max(int(ord), 0), len(merged))
		c := &mergedCol{name: name, typ: typ, first: int(ord)}
		merged = append(merged[:at], append([]*mergedCol{c}, merged[at:]...)...)
	}
	bld := newBuilder(getschemaCols)
	for i, c := range merged {
		if c.err == "" && preserve && c.first != i {
			c.err = "ERROR(columns are out of order)"
		}
		if c.err != "" {
			bld.add(c.name, int32(-1), "ERROR(unknown CSL type:"+c.err+")", c.err)
			continue
		}
		bld.add(c.name, int32(i), clrTypes[c.typ], c.typ)
	}
	return bld.table(), nil
}

// commonType reduces two column types to one, widening numbers.
func commonType(a, b string) (string, bool) {
	if a == b {
		return a, true
	}
	rank := map[string]int{"int": 1, "long": 2, "real": 3}
	if rank[a] > 0 && rank[b] > 0 {
		if rank[a] > rank[b] {
			return a, true
		}
		return b, true
	}
	return "", false
}
