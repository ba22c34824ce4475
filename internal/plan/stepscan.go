package plan

import "github.com/huntql/huntql/internal/column"

// StepScan is the scan operator: it matches its serialized input rows
// against a sequence of steps, keeping a state per step (see the Kusto
// docs' "scan logic"). The expressions of the steps read a step row: the
// current record's columns (the input columns, then the declared ones
// holding their defaults), then, for each step in order, the same columns
// of that step's entry in the state being matched against.
type StepScan struct {
	Input    Node
	Defaults []Expr // the declared columns' constant defaults, in order
	Steps    []*ScanStep
	MatchID  bool // the output ends with the match id column
	Out      column.Schema
}

// ScanStep is one step of a StepScan.
type ScanStep struct {
	Name    string
	Output  string // "all", "last" or "none"
	Pred    Expr
	Assigns []ScanAssign
}

// ScanAssign sets record column Col (an input or declared column) to Value
// when a record matches the step.
type ScanAssign struct {
	Col   int
	Value Expr
}

// Width is the number of columns of a record: input and declared.
func (n *StepScan) Width() int { return len(n.Input.Schema()) + len(n.Defaults) }

// Schema implements Node.
func (n *StepScan) Schema() column.Schema { return n.Out }

// Inputs implements Node.
func (n *StepScan) Inputs() []Node { return []Node{n.Input} }
