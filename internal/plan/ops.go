package plan

import (
	"github.com/huntql/huntql/internal/column"
)

// This file holds the plan nodes of the less common tabular operators:
// make-series, materialize, partition, several result tables (fork, facet)
// and externaldata.

// MakeSeries groups rows by Keys and, within each group, by the bin of Axis
// along [From, To) by Step, computing Aggs per bin; each group yields one
// row: the keys, one dynamic array per aggregate (Defaults[i] where a bin
// has no rows), then the dynamic array of bin starts. From and To may be
// nil (the bins that have data decide). InRange is make-series ... in
// range(From, To, Step): To is inclusive and bins are aligned on Step
// rather than on From. NonEmpty (kind=nonempty) yields one row of defaults
// over empty input when there are no keys.
type MakeSeries struct {
	Input          Node
	Keys           []Expr
	Axis           Expr
	From, To, Step Expr
	InRange        bool
	Aggs           []*AggCall // each with one output column
	Defaults       []Expr     // constants, one per aggregate
	NonEmpty       bool
	Out            column.Schema
}

// Materialize is materialize(Input): the executor computes Input once per
// query however many times the plan refers to this node.
type Materialize struct {
	Input Node
}

// Partition runs Sub once per distinct value of column Key of Input, with
// the rows of that value standing for every PartitionInput under Sub, and
// concatenates the results.
type Partition struct {
	Input Node
	Key   int
	Sub   Node
	// MaxParts bounds the number of distinct key values, 0 for no bound:
	// the legacy strategy (the default) allows 64, as the partition page
	// says, and fails past that.
	MaxParts int
}

// PartitionInput is the leaf of a partition's subquery: the rows of the
// current partition. Out is the partitioned input's schema.
type PartitionInput struct {
	Out column.Schema
}

// Tables is a result of several named tables (fork, facet). Its own schema
// is the first table's.
type Tables struct {
	Names []string
	Ins   []Node
}

// ExternalData reads rows from local files. Format is csv, tsv, json,
// multijson, txt or raw; IgnoreFirst skips each file's first record.
type ExternalData struct {
	URIs        []string
	Format      string
	IgnoreFirst bool
	Out         column.Schema
}

func (n *MakeSeries) Schema() column.Schema     { return n.Out }
func (n *Materialize) Schema() column.Schema    { return n.Input.Schema() }
func (n *Partition) Schema() column.Schema      { return n.Sub.Schema() }
func (n *PartitionInput) Schema() column.Schema { return n.Out }
func (n *Tables) Schema() column.Schema         { return n.Ins[0].Schema() }
func (n *ExternalData) Schema() column.Schema   { return n.Out }

func (n *MakeSeries) Inputs() []Node     { return []Node{n.Input} }
func (n *Materialize) Inputs() []Node    { return []Node{n.Input} }
func (n *Partition) Inputs() []Node      { return []Node{n.Input} }
func (n *PartitionInput) Inputs() []Node { return nil }
func (n *Tables) Inputs() []Node         { return n.Ins }
func (n *ExternalData) Inputs() []Node   { return nil }
