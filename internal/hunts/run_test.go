package hunts_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/huntql/huntql"
	"github.com/huntql/huntql/internal/hunts"
)

// TestHuntsRunOnExamples runs every hunt through the engine over the
// committed sample in examples/ and checks that each one runs and finds
// something there.
func TestHuntsRunOnExamples(t *testing.T) {
	eng, err := huntql.New(huntql.Options{Data: []string{filepath.Join("..", "..", "examples")}})
	if err != nil {
		t.Fatalf("huntql.New: %v", err)
	}
	for _, h := range hunts.List() {
		t.Run(h.Name, func(t *testing.T) {
			res, err := eng.Query(context.Background(), h.Name, h.Query)
			if errors.Is(err, huntql.ErrNotImplemented) {
				t.Skip("engine not implemented yet")
			}
			if err != nil {
				t.Fatalf("running %s: %v", h.Name, err)
			}
			if len(res.Rows) == 0 {
				t.Errorf("%s found no rows in examples/: expected the sample to exercise it",
					h.Name)
			}
		})
	}
}
