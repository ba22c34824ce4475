package functions

import (
	"math"
	"testing"
)

// TestRoundedLog checks roundedLog against correctly rounded logarithms (those
// of the C library, which Kusto's series_log doc shows).
func TestRoundedLog(t *testing.T) {
	for _, c := range []struct {
		x, want float64
	}{
		{1, 0},
		{2, 0.6931471805599453},
		{3, 1.0986122886681098},
		{10, 2.302585092994046},
		{0.1, -2.3025850929940455},
		{1e300, 690.7755278982137},
		{5e-324, -744.4400719213812},
		{1.0000001, 9.999999505838704e-08},
	} {
		if got := roundedLog(c.x); got != c.want {
			t.Errorf("roundedLog(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	if !math.IsNaN(roundedLog(-1)) || !math.IsInf(roundedLog(0), -1) {
		t.Error("roundedLog of -1 and 0 must be NaN and -Inf")
	}
}
