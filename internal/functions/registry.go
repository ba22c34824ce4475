// Package functions implements Kusto's scalar functions, operators and
// aggregates: their type rules, for semantic analysis, and their evaluation,
// for the executor. Values are Go values as described in package types, with
// nil for null.
package functions

import (
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/huntql/huntql/internal/types"
)

// Context carries what evaluation may depend on besides its arguments.
type Context struct {
	// Now is the value of now() and the reference of ago(); the same for a
	// whole query, and pinnable so that hunts over old exports are stable.
	Now types.Date

	mu  sync.Mutex
	err error // the first failure reported by Fail
}

// ErrAssert is the error of a failed assert().
var ErrAssert = errors.New("assert() has failed with message")

// Fail records a runtime failure that ends the query, such as a false
// assert(); the first failure wins.
func (c *Context) Fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil {
		c.err = err
	}
}

// Err returns the failure recorded by Fail, or nil.
func (c *Context) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// NewContext returns a Context whose now() is t.
func NewContext(t time.Time) *Context {
	return &Context{Now: types.DateFromTime(t)}
}

// Scalar is a scalar function such as strlen or parse_url.
type Scalar struct {
	Name string
	// MinArgs and MaxArgs bound the argument count; MaxArgs < 0 means no limit.
	MinArgs, MaxArgs int
	// Result returns the result type for the given argument types, or an
	// error whose text is a lowercase message for the user.
	Result func(args []types.Type) (types.Type, error)
	// Eval computes the function for one row. args hold values of the types
	// Result was given (nil for null). It never panics on any input.
	Eval func(ctx *Context, args []any) any
	// Volatile functions (rand, new_guid) are not folded into constants.
	Volatile bool
	// TypeArg is the 1-based position of a type-literal parameter, as the
	// fourth argument of extract(regex, group, text, typeof(long)), or 0.
	// Semantic analysis passes the literal's type itself (types.Long) in the
	// argument types given to Result, and Eval receives it as a types.Type
	// value (a type name string is accepted too).
	TypeArg int
}

// Aggregate is an aggregation function of summarize, such as count or arg_max.
type Aggregate struct {
	Name             string
	MinArgs, MaxArgs int
	// Result returns the output column types for the given argument types:
	// one for most aggregates, several for arg_max/arg_min (the extremum
	// then each further argument) and for take_any with several arguments.
	Result func(args []types.Type) ([]types.Type, error)
	// New returns an empty accumulator for one group.
	New func(args []types.Type) Accumulator
}

// Accumulator accumulates one group of an aggregate.
type Accumulator interface {
	// Add adds one row; args are values of the aggregate's argument types.
	Add(args []any)
	// Result returns the output values, one per type Result returned.
	Result() []any
}

var (
	scalars    = map[string]*Scalar{}
	aggregates = map[string]*Aggregate{}
)

// RegisterScalar adds f to the registry; names are case-sensitive as in Kusto.
func RegisterScalar(f *Scalar) { scalars[f.Name] = f }

// RegisterAggregate adds a to the registry.
func RegisterAggregate(a *Aggregate) { aggregates[a.Name] = a }

// LookupScalar returns the scalar function named name.
func LookupScalar(name string) (*Scalar, bool) {
	aliasOnce.Do(registerObsolete)
	f, ok := scalars[name]
	return f, ok
}

// LookupAggregate returns the aggregate named name.
func LookupAggregate(name string) (*Aggregate, bool) {
	aliasOnce.Do(registerObsolete)
	a, ok := aggregates[name]
	return a, ok
}

// ScalarNames returns the names of all registered scalar functions.
func ScalarNames() []string {
	aliasOnce.Do(registerObsolete)
	return keys(scalars)
}

// AggregateNames returns the names of all registered aggregates.
func AggregateNames() []string {
	aliasOnce.Do(registerObsolete)
	return keys(aggregates)
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && strings.Compare(s[j], s[j-1]) < 0; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// BinaryOp is a binary operator (arithmetic, comparison, logical or string).
type BinaryOp struct {
	Op string
	// Result returns the result type for operand types l and r.
	Result func(l, r types.Type) (types.Type, error)
	// Eval computes one row.
	Eval func(l, r any) any
}

var binaries = map[string]*BinaryOp{}

// RegisterBinary adds op to the registry under its canonical spelling.
func RegisterBinary(op *BinaryOp) { binaries[op.Op] = op }

// LookupBinary returns the operator spelled op (canonical lower-case form,
// as in syntax.BinaryExpr).
func LookupBinary(op string) (*BinaryOp, bool) {
	b, ok := binaries[op]
	return b, ok
}
