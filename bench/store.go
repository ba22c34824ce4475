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

// prepareStore ingests the JSON lines files into huntql's store
// (`huntql ingest --store DIR FILE...`) when the huntql binary has one (its
// query command takes --store), and sets ds.Store. The store is built
// beside the files once and reused; an older huntql leaves the store input
// to be reported as TODO.
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
		args = append(args, ds.File(JSONLines, t))
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
