package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

// prepareStore ingests the JSON lines files into huntql's store when the
// huntql binary has one (its query command takes --store), and sets
// ds.Store. The store is built beside the files once and reused.
//
// TODO: issue 4 adds `huntql ingest` and `huntql query --store DIR`; the
// command line below is a guess at them, to be fixed when they land. Until
// then the store input is reported as TODO.
func (ds *Dataset) prepareStore(ctx context.Context, log io.Writer) error {
	help, _ := exec.CommandContext(ctx, ds.Huntql, "query", "--help").CombinedOutput()
	if !bytes.Contains(help, []byte("--store")) {
		return nil
	}
	dir := filepath.Join(ds.Dir, "store")
	if _, err := os.Stat(dir); err == nil {
		ds.Store = dir
		return nil
	}
	fmt.Fprintf(log, "ingesting into huntql's store\n")
	tmp := dir + ".tmp"
	os.RemoveAll(tmp)
	args := []string{"ingest", "--store", tmp}
	for _, t := range Tables {
		args = append(args, "--data", ds.File(JSONLines, t))
	}
	if out, err := exec.CommandContext(ctx, ds.Huntql, args...).CombinedOutput(); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("huntql ingest: %v\n%s", err, out)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return err
	}
	ds.Store = dir
	return nil
}
