package huntql

import (
	"fmt"
	"slices"
	"testing"
)

func TestMissingTableWarningsFoldPastAFew(t *testing.T) {
	var many []string
	for i := range 8 {
		many = append(many, fmt.Sprintf("%sT%d", missingTable, i))
	}
	got := foldMissingTables(append([]string{"first"}, append(many, "last")...))
	want := []string{"first",
		"the data holds no rows of tables T0, T1, T2, T3, T4 and 3 more", "last"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, expected %q", got, want)
	}
	few := many[:5]
	if got := foldMissingTables(few); !slices.Equal(got, few) {
		t.Errorf("five warnings folded: %q", got)
	}
}
