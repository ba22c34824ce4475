package plugin

import (
	"fmt"
	"sort"
	"strings"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

func init() {
	Register(&Plugin{Name: "bag_unpack", Bind: bindBagUnpack, Run: runBagUnpack})
}

// bagUnpackArgs are bag_unpack's arguments after binding.
type bagUnpackArgs struct {
	col      int
	prefix   string
	conflict string // error, replace_source or keep_source
	ignored  map[string]bool
}

// parseBagUnpack reads bag_unpack(Column [, Prefix] [, columnsConflict]
// [, ignoredProperties]); the optional ones may be given by name.
func parseBagUnpack(b *Binding) (*bagUnpackArgs, error) {
	if len(b.Args) == 0 || len(b.Args) > 4 {
		return nil, argErrorf(-1, "expected 1 to 4 arguments (Column [, OutputColumnPrefix] "+
			"[, columnsConflict] [, ignoredProperties]), found %d", len(b.Args))
	}
	if b.Args[0].Col < 0 || b.Args[0].Name != "" {
		return nil, argErrorf(0, "expected a column of the input as first argument")
	}
	if t := b.Args[0].Type; t != types.Dynamic {
		return nil, argErrorf(0, "expected a dynamic column, found %s", t)
	}
	out := &bagUnpackArgs{col: b.Args[0].Col, conflict: "error", ignored: map[string]bool{}}
	positional := []string{"OutputColumnPrefix", "columnsConflict", "ignoredProperties"}
	for i := 1; i < len(b.Args); i++ {
		name := b.Args[i].Name
		if name == "" {
			name = positional[i-1]
		}
		switch name {
		case "OutputColumnPrefix":
			s, err := stringConst(b, i, name)
			if err != nil {
				return nil, err
			}
			out.prefix = s
		case "columnsConflict":
			s, err := stringConst(b, i, name)
			if err != nil {
				return nil, err
			}
			if s != "error" && s != "replace_source" && s != "keep_source" {
				return nil, argErrorf(i, "columnsConflict must be 'error', 'replace_source' "+
					"or 'keep_source', found '%s'", s)
			}
			out.conflict = s
		case "ignoredProperties":
			arr, ok := b.Args[i].Value.([]any)
			if !b.Args[i].Const || b.Args[i].Type != types.Dynamic ||
				(b.Args[i].Known && !ok && b.Args[i].Value != nil) {
				return nil, argErrorf(i, "expected a constant dynamic array of property "+
					"names for ignoredProperties")
			}
			for _, v := range arr {
				s, ok := v.(string)
				if !ok {
					return nil, argErrorf(i, "ignoredProperties must hold strings")
				}
				out.ignored[s] = true
			}
		default:
			return nil, argErrorf(i, "unknown parameter %s; expected OutputColumnPrefix, "+
				"columnsConflict or ignoredProperties", name)
		}
	}
	return out, nil
}

func bindBagUnpack(b *Binding) (*Bound, error) {
	args, err := parseBagUnpack(b)
	if err != nil {
		return nil, err
	}
	kept := dropCol(b.Input, args.col)
	if b.Schema != nil {
		out := append(column.Schema(nil), b.Schema.Cols...)
		if b.Schema.Star {
			out = append(append(column.Schema(nil), kept...), b.Schema.Cols...)
		}
		return &Bound{Out: out}, nil
	}
	// The analyzer knows the kept input columns; the rest come from the data.
	return &Bound{Out: kept, Open: true}, nil
}

// dropCol returns s without column i.
func dropCol(s column.Schema, i int) column.Schema {
	out := append(column.Schema(nil), s[:i]...)
	return append(out, s[i+1:]...)
}

func runBagUnpack(r *Run) (*Output, error) {
	args, err := parseBagUnpack(r.Binding)
	if err != nil {
		return nil, err
	}
	in := r.Input
	n := in.N()
	bags := make([]*types.Bag, n)
	for i := range bags {
		bags[i], _ = in.Rows.Cols[args.col].Value(i).(*types.Bag)
	}
	kept := dropCol(in.Schema, args.col)
	keptCols := dropVec(in.Rows.Cols, args.col)
	if !r.Bound.Open {
		return bagUnpackTo(r.Bound.Out, kept, keptCols, bags, args.prefix), nil
	}
	// Collect the slots and the type of each: the slot's type when all its
	// non-null values agree, dynamic otherwise.
	slotType := map[string]types.Type{}
	for _, bag := range bags {
		for _, k := range bag.Keys() {
			v, _ := bag.Get(k)
			if args.ignored[k] || v == nil {
				continue
			}
			t := dynamicType(v)
			if old, seen := slotType[k]; seen && old != t {
				t = types.Dynamic
			}
			slotType[k] = t
		}
	}
	slots := make([]string, 0, len(slotType))
	for k := range slotType {
		slots = append(slots, k)
	}
	sort.Strings(slots)
	out := append(column.Schema(nil), kept...)
	src := make([]string, len(kept)) // the slot feeding each output column
	fromBag := make([]bool, len(kept))
	for _, k := range slots {
		name := args.prefix + k
		if name == "" {
			continue // an empty slot name names no column
		}
		if i := kept.Index(name); i >= 0 {
			switch args.conflict {
			case "error":
				return nil, fmt.Errorf("slot %s conflicts with the input column %s; "+
					"use columnsConflict='replace_source' or 'keep_source'", k, name)
			case "replace_source":
				src[i], fromBag[i] = k, true
			}
			continue
		}
		out = append(out, column.Field{Name: name, Type: slotType[k]})
		src, fromBag = append(src, k), append(fromBag, true)
	}
	bld := newBuilder(out)
	for i := 0; i < n; i++ {
		for c := range out {
			if !fromBag[c] {
				bld.copyCol(c, keptCols[c], i)
				continue
			}
			v, _ := bags[i].Get(src[c])
			bld.cols[c].Append(conform(v, out[c].Type))
		}
		bld.n++
	}
	return bld.table(), nil
}

// bagUnpackTo unpacks into the columns of a given output schema: a kept
// input column in its place (when the schema starts with *), a slot
// otherwise.
func bagUnpackTo(out, kept column.Schema, keptCols []*column.Vector, bags []*types.Bag,
	prefix string,
) *Table {
	bld := newBuilder(out)
	fromInput := make([]bool, len(out))
	for c, f := range out {
		fromInput[c] = c < len(kept) && kept[c].Name == f.Name && kept[c].Type == f.Type
	}
	for i := range bags {
		for c, f := range out {
			if fromInput[c] {
				bld.copyCol(c, keptCols[c], i)
				continue
			}
			v, _ := bags[i].Get(strings.TrimPrefix(f.Name, prefix))
			bld.cols[c].Append(conform(v, f.Type))
		}
		bld.n++
	}
	return bld.table()
}

// dropVec returns vs without element i.
func dropVec(vs []*column.Vector, i int) []*column.Vector {
	out := append([]*column.Vector(nil), vs[:i]...)
	return append(out, vs[i+1:]...)
}
