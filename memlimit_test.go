package huntql

import (
	"context"
	"errors"
	"testing"
)

func TestMemoryLimitStopsQuery(t *testing.T) {
	eng, err := New(Options{MaxMemory: 48 << 20})
	if err != nil {
		t.Fatal(err)
	}
	const big = "range x from 1 to 20000000 step 1 | summarize make_list(x)"
	_, err = eng.Query(context.Background(), "big.kql", big)
	if !errors.Is(err, ErrMemoryLimit) {
		t.Fatalf("got %v, want ErrMemoryLimit", err)
	}
	var ml *MemoryLimitError
	if !errors.As(err, &ml) || ml.Limit != 48<<20 || ml.Used <= ml.Limit {
		t.Fatalf("error %#v does not say the limit and the use", err)
	}
	// The engine stays usable, and a small query passes under the same limit.
	res, err := eng.Query(context.Background(), "small.kql",
		"range x from 1 to 1000 step 1 | summarize make_list(x)")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 {
		t.Fatalf("got %d rows", len(res.Rows))
	}
}

func TestParseMemory(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		err  bool
	}{
		{"512MB", 512_000_000, false},
		{"2GiB", 2 << 30, false},
		{"1.5G", 1_500_000_000, false},
		{"1000000", 1_000_000, false},
		{"none", 0, false},
		{"0", 0, false},
		{"lots", 0, true},
		{"-5MB", 0, true},
		{"", 0, true},
	} {
		got, err := ParseMemory(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParseMemory(%q) = %d, %v; want %d, error %v", tc.in, got, err,
				tc.want, tc.err)
		}
	}
}

func TestDefaultMaxMemory(t *testing.T) {
	if physicalMemory() == 0 {
		t.Skip("no /proc/meminfo on this system")
	}
	if d := DefaultMaxMemory(); d <= 0 || d > physicalMemory() {
		t.Fatalf("DefaultMaxMemory() = %d with %d of memory", d, physicalMemory())
	}
}
