// Package huntql runs Kusto Query Language (KQL) hunting queries over exported
// Microsoft Defender XDR and Sentinel telemetry, with Kusto's semantics.
//
// A typical use:
//
//	eng, err := huntql.New(huntql.Options{Data: []string{"exports/"}})
//	res, err := eng.Query(ctx, "<query>", "DeviceNetworkEvents | take 10")
package huntql

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/huntql/huntql/internal/types"
)

// Options configure an Engine.
type Options struct {
	// Data lists files and directories (searched recursively) of telemetry.
	Data []string
	// Now pins now() and ago(); the zero value means the wall clock at query start.
	Now time.Time
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
}

// Column is a result column: its name and Kusto type.
type Column struct {
	Name string
	Type types.Type
}

// Result is a query's result table. Rows hold Go values as described in
// package types, nil for null.
type Result struct {
	Columns []Column
	Rows    [][]any
}

// Engine runs queries over a fixed set of data.
type Engine struct {
	opts Options
}

// New returns an Engine over opts.Data.
func New(opts Options) (*Engine, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Engine{opts: opts}, nil
}

// ErrNotImplemented is returned while the engine is being built.
var ErrNotImplemented = errors.New("huntql: not implemented")

// Query parses, checks and runs text, named name in diagnostics.
func (e *Engine) Query(ctx context.Context, name, text string) (*Result, error) {
	return nil, ErrNotImplemented
}
